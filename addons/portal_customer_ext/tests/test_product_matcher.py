"""The offline product matcher of quotation request lines (tools/product_matcher.py, no database)."""

from odoo.tests import BaseCase

from ..tools.product_matcher import CatalogProduct, Match, ProductMatcher, parse_quantity
from . import matching_dataset

CATALOG = [
    CatalogProduct(1, "Hex bolt M8 x 50 mm zinc plated, box of 100", "FAS-1001", "5901234123457"),
    CatalogProduct(2, "Hex bolt M8 x 50 mm stainless steel A2, box of 100", "FAS-1002", "5901234123464"),
    CatalogProduct(3, "Hex bolt M10 x 60 mm hot dip galvanised, box of 50", "FAS-1003"),
    CatalogProduct(4, "Wood screw countersunk Pozidriv 4 x 40 mm zinc plated, box of 200", "FAS-2001"),
    CatalogProduct(5, "Wood screw countersunk Pozidriv 4 x 50 mm zinc plated, box of 200", "FAS-2002"),
    CatalogProduct(6, "Copy paper A4 80 g/m² white, ream of 500 sheets", "OFF-0001", "4006381333931"),
    CatalogProduct(7, "Copy paper A3 80 g/m² white, ream of 500 sheets", "OFF-0002"),
    CatalogProduct(8, "Acrylic wall paint matt white 10 L", "PNT-0001"),
    CatalogProduct(9, "Acrylic wall paint matt white 2.5 L", "PNT-0002"),
    CatalogProduct(10, "Nitrile gloves size L blue, box of 100", "SAF-0001"),
    CatalogProduct(11, "Power cable H07RN-F 3 x 2.5 mm² black, 50 m", "ELE-0001"),
    CatalogProduct(12, "Cordless drill driver 18 V with 2 Ah battery", "TLS-0001"),
]
ACME = {"ABC-1234": 4, "ABC-9999": 11, "Bolts M8 galv for racking": 3}


class TestProductMatcher(BaseCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.matcher = ProductMatcher(CATALOG)

    def top(self, text: str, customer_codes=None) -> Match:
        matches = self.matcher.match(text, customer_codes)
        self.assertTrue(matches, f"no match for {text!r}")
        return matches[0]

    def assertMatches(self, text: str, product_id: int, reason: str = "name", customer_codes=None) -> Match:
        match = self.top(text, customer_codes)
        self.assertEqual((match.product_id, match.reason), (product_id, reason), text)
        return match

    # --- exact codes ---

    def test_internal_references_in_any_spelling_are_certain(self) -> None:
        for text in ("FAS-1002", "fas1002", "fas 1002", "  FAS-1002 ", "10x FAS-1002", "FAS-1002 - 10 pcs"):
            match = self.assertMatches(text, 2, "default_code")
            self.assertGreaterEqual(match.confidence, 0.99, text)
        match = self.assertMatches("hex bolts FAS-1002 as last time", 2, "default_code")
        self.assertGreaterEqual(match.confidence, 0.95)

    def test_barcodes_are_certain(self) -> None:
        for text in ("5901234123457", "EAN 5901234123457", "5901234123457 x 4", "10 pcs 4006381333931"):
            match = self.top(text)
            self.assertEqual(match.reason, "barcode", text)
            self.assertGreaterEqual(match.confidence, 0.99, text)
        self.assertEqual(self.top("EAN 4006381333931").product_id, 6)

    def test_the_customers_own_codes_and_names(self) -> None:
        match = self.assertMatches("ABC-1234", 4, "customer_code", ACME)
        self.assertEqual(match.confidence, 1.0)
        self.assertMatches("5 x abc 9999", 11, "customer_code", ACME)
        self.assertMatches("bolts m8 galv for racking", 3, "customer_code", ACME)
        # another customer's code means nothing
        self.assertFalse([m for m in self.matcher.match("ABC-1234") if m.confidence >= 0.85])

    def test_a_code_shared_by_two_products_is_not_certain(self) -> None:
        matcher = ProductMatcher([CatalogProduct(1, "Blue pen", "PEN-1"), CatalogProduct(2, "Red pen", "PEN-1")])
        matches = matcher.match("PEN-1")
        self.assertEqual({match.product_id for match in matches[:2]}, {1, 2})
        self.assertTrue(all(match.confidence < 0.95 for match in matches))

    def test_a_customer_code_for_several_variants_is_not_certain(self) -> None:
        """A customer code (or name) of a product with variants maps to all of them: a proposal at most."""
        codes = {"GLOVES-ACME": (1, 10), "acme gloves and bolts": (1, 10), "ABC-1234": 4}
        matches = self.matcher.match("GLOVES-ACME", codes)
        self.assertEqual([(m.product_id, m.reason) for m in matches[:2]], [(1, "customer_code"), (10, "customer_code")])
        self.assertTrue(all(match.confidence <= 0.9 for match in matches))
        self.assertLess(self.top("acme gloves and bolts", codes).confidence, 0.95)
        self.assertEqual(self.assertMatches("ABC-1234", 4, "customer_code", codes).confidence, 1.0)

    # --- names ---

    def test_free_text_of_each_kind(self) -> None:
        cases = {
            "10x M8 hex bolt 50mm zinc": 1,  # quantity, units glued, words missing
            "bolt hex m8x50 zn": 1,  # word order, dimensions, abbreviation
            "hexbolt M8x50 zinc plated": 1,  # words written together
            "hex bolt m8 x 50 stainles steel": 2,  # typo
            "hex bolt m8 50 ss a2": 2,  # ss = stainless steel
            "hex bolts m10x60 galv": 3,  # plural, prefix of galvanised
            "scrw wood 4x40": 4,  # abbreviation
            "wood screw csk pozi 4 x 50": 5,
            "2 boxes of A4 paper 80g": 6,
            "copy paper a3": 7,
            "Acrylic wall paint white 2,5 ltr": 9,  # decimal comma, litre spelt out
            "nitrile glove L": 10,
            "3 rolls of H07RN-F 3x2.5mm2 power cable": 11,
            "Cordles drill 18V": 12,
            "Hex bolt M8 x 50 mm stainless steel A2, box of 100": 2,  # the catalog name itself
            "Hèx bölt M8 × 50 mm zinc plated": 1,  # accents, multiplication sign
        }
        for text, product_id in cases.items():
            self.assertMatches(text, product_id)

    def test_quantities_are_read_and_left_out(self) -> None:
        self.assertEqual(parse_quantity("10x M8 hex bolt"), (10.0, "m8 hex bolt"))
        self.assertEqual(parse_quantity("10 pcs M8 hex bolt"), (10.0, "m8 hex bolt"))
        self.assertEqual(parse_quantity("2 boxes of A4 paper 80g"), (2.0, "a4 paper 80g"))
        self.assertEqual(parse_quantity("25 kg of cement"), (25.0, "cement"))
        self.assertEqual(parse_quantity("hex bolt - qty 10"), (10.0, "hex bolt"))
        self.assertEqual(parse_quantity("A4 paper (12 pcs)"), (12.0, "a4 paper"))
        # measures of the product are not quantities
        self.assertEqual(parse_quantity("5 l wall paint"), (None, "5 l wall paint"))
        self.assertEqual(parse_quantity("50mm screws"), (None, "50mm screws"))
        self.assertEqual(parse_quantity("hex bolt m8 x 50"), (None, "hex bolt m8 x 50"))
        self.assertEqual(parse_quantity("5901234123457 x 4")[0], 4.0)

    # --- confidence ---

    def test_a_clear_name_is_confident(self) -> None:
        self.assertGreaterEqual(self.top("Hex bolt M8 x 50 mm stainless steel A2, box of 100").confidence, 0.95)
        self.assertGreaterEqual(self.top("10x hex bolt m8x50 zinc plated").confidence, 0.85)

    def test_ties_are_never_certain(self) -> None:
        for text in ("hex bolt m8 x 50", "wood screw 4", "copy paper 80 g white", "acrylic wall paint matt white"):
            matches = self.matcher.match(text)
            self.assertGreaterEqual(len(matches), 2, text)
            self.assertLess(matches[0].confidence, 0.95, text)
        first, second = self.matcher.match("hex bolt m8 x 50")[:2]
        self.assertEqual({first.product_id, second.product_id}, {1, 2})

    def test_garbage_is_not_matched(self) -> None:
        for text in ("asdf qwerty", "please call me back", "???", "", "   ", "banana smoothie 12"):
            self.assertFalse([m for m in self.matcher.match(text) if m.confidence >= 0.85], text)
        self.assertEqual(self.matcher.match(""), [])

    def test_results_are_ordered_limited_and_confidences_bounded(self) -> None:
        matches = self.matcher.match("hex bolt", limit=3)
        self.assertLessEqual(len(matches), 3)
        self.assertEqual(matches, sorted(matches, key=lambda match: -match.confidence))
        self.assertEqual(len({match.product_id for match in matches}), len(matches))
        self.assertTrue(all(0 <= match.confidence <= 1 for match in matches))
        self.assertEqual(self.matcher.match("hex bolt", limit=0), [])

    def test_deterministic(self) -> None:
        texts = ["hex bolt m8 x 50", "wood screw 4", "scrw wood 4x40", "ABC-1234", "copy paper"]
        again = ProductMatcher(list(reversed(CATALOG)))
        for text in texts:
            first = self.matcher.match(text, ACME)
            self.assertEqual(first, self.matcher.match(text, ACME))
            self.assertEqual(first, again.match(text, ACME))

    # --- the labelled set ---

    def test_the_labelled_set(self) -> None:
        data = matching_dataset.generate(products=1000, lines=220)
        self.assertEqual(data, matching_dataset.generate(products=1000, lines=220), "the generator is deterministic")
        self.assertGreaterEqual(len(data["products"]), 1000)
        self.assertGreaterEqual(len(data["lines"]), 200)
        self.assertEqual({line["category"] for line in data["lines"]}, set(matching_dataset.CATEGORIES))
        for product in data["products"][:50]:
            self.assertEqual(matching_dataset.ean13(product["barcode"][:12]), product["barcode"])
        matcher = ProductMatcher(
            CatalogProduct(product["id"], product["name"], product["default_code"], product["barcode"])
            for product in data["products"]
        )
        right = 0
        certain_wrong = []
        for line in data["lines"]:
            codes = data["customer_codes"][line["customer"]] if line["customer"] else None
            matches = matcher.match(line["text"], codes)
            right += bool(matches) and matches[0].product_id == line["product_id"]
            if matches and matches[0].confidence >= 0.95 and matches[0].product_id != line["product_id"]:
                certain_wrong.append(line["text"])
        self.assertGreaterEqual(right / len(data["lines"]), 0.9, "top-1 accuracy")
        self.assertFalse(certain_wrong, "a wrong match with confidence >= 0.95")
