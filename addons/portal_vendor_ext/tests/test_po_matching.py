"""Invoice lines matched to purchase order lines, and the three-way check (tools/po_matching.py, no database)."""

from types import SimpleNamespace

from odoo.tests import BaseCase

from ..tools.po_matching import (
    DIFFERENCE_KINDS,
    NO_PO,
    PRICE,
    QTY_OVER_ORDERED,
    QTY_OVER_RECEIVED,
    TOTALS,
    UNMATCHED_LINE,
    Difference,
    LineMatch,
    PoLine,
    Tolerances,
    match_lines,
    rank_purchase_orders,
    three_way_check,
)


def line(
    description: str,
    quantity: float | None = None,
    unit_price: float | None = None,
    amount: float | None = None,
    product_code: str | None = None,
) -> SimpleNamespace:
    """An invoice line as the reading engine gives it (the matching only reads these attributes)."""
    if amount is None and quantity is not None and unit_price is not None:
        amount = round(quantity * unit_price, 2)
    return SimpleNamespace(
        description=description, quantity=quantity, unit_price=unit_price, amount=amount, product_code=product_code
    )


def po_line(
    line_id: int,
    description: str,
    *,
    code: str | None = None,
    ordered: float = 10,
    received: float | None = None,
    billed: float = 0,
    price: float = 100.0,
) -> PoLine:
    return PoLine(
        id=line_id,
        product_code=code,
        description=description,
        ordered_qty=ordered,
        received_qty=ordered if received is None else received,
        billed_qty=billed,
        price_unit=price,
    )


class TestLineMatching(BaseCase):
    def assertMatched(self, invoice_lines: list, po_lines: list[PoLine], expected: list[int | None]) -> list[LineMatch]:
        matches = match_lines(invoice_lines, po_lines)
        self.assertEqual([match.invoice_index for match in matches], list(range(len(invoice_lines))))
        self.assertEqual([match.po_line_id for match in matches], expected)
        return matches

    def test_product_code_wins_over_a_different_description(self) -> None:
        po_lines = [po_line(1, "Four person desk", code="FURN-8220"), po_line(2, "Desk, four persons, oak")]
        matches = self.assertMatched(
            [line("Table for the meeting room", 1, 100, product_code="furn-8220 ")], po_lines, [1]
        )
        self.assertEqual(matches[0].score, 1.0)

    def test_code_written_inside_the_description(self) -> None:
        po_lines = [po_line(1, "Chair", code="CH-100"), po_line(2, "Chair", code="CH-1001")]
        self.assertMatched(
            [line("Visitor chair CH-1001 grey", 1, 100), line("CH-100: chair", 1, 100)], po_lines, [2, 1]
        )

    def test_code_in_brackets_in_the_po_description(self) -> None:
        """Odoo writes a PO line as "[vendor code] vendor name" when the vendor has its own code for the product."""
        po_lines = [po_line(1, "[V-778] Steel shelf 80 cm"), po_line(2, "[V-779] Steel shelf 100 cm")]
        self.assertMatched([line("Shelving unit", 2, 100, product_code="V-779")], po_lines, [2])

    def test_a_short_code_is_not_looked_for_in_descriptions(self) -> None:
        po_lines = [po_line(1, "Gloves", code="A1")]
        self.assertMatched([line("Cable A1 grade", 1, 100)], po_lines, [None])

    def test_fuzzy_descriptions_with_typos(self) -> None:
        po_lines = [po_line(1, "Office Chair Black"), po_line(2, "Large Cabinet with Doors")]
        matches = self.assertMatched([line("Offise chiar blak", 1, 100)], po_lines, [1])
        self.assertGreater(matches[0].score, 0.8)
        self.assertLess(matches[0].score, 1.0)

    def test_word_order_and_punctuation_do_not_matter(self) -> None:
        po_lines = [po_line(1, "Office Chair Black"), po_line(2, "Large Cabinet with Doors")]
        matches = self.assertMatched([line("Cabinet, large, with doors", 1, 100)], po_lines, [2])
        self.assertEqual(matches[0].score, 1.0)

    def test_different_sizes_are_different_products(self) -> None:
        po_lines = [po_line(1, "Screw zinc 4x50", price=0.12), po_line(2, "Screw zinc 4x40", price=0.10)]
        self.assertMatched([line("Screw 4x40 zinc", 100, 0.12), line("Screw 4x50 zinc", 100, 0.10)], po_lines, [2, 1])

    def test_an_unrelated_line_matches_nothing(self) -> None:
        po_lines = [po_line(1, "Office Chair Black")]
        self.assertMatched([line("Delivery costs", 1, 25), line("Office chair black", 1, 100)], po_lines, [None, 1])

    def test_each_po_line_is_used_once(self) -> None:
        po_lines = [po_line(1, "Office Chair Black")]
        matches = self.assertMatched(
            [line("Office chair black", 1, 100), line("Office chair, black", 1, 100)], po_lines, [1, None]
        )
        self.assertEqual(matches[1].score, 0.0)

    def test_the_assignment_is_optimal_not_first_come(self) -> None:
        """The first invoice line resembles both PO lines a bit more the first; the second only the first."""
        po_lines = [po_line(1, "Office desk oak"), po_line(2, "Large desk")]
        self.assertMatched([line("Oak office desk, large", 1, 100), line("Oak office desk", 1, 100)], po_lines, [2, 1])

    def test_equal_descriptions_go_by_price(self) -> None:
        po_lines = [po_line(1, "Consulting hour", price=80), po_line(2, "Consulting hour", price=120)]
        self.assertMatched([line("Consulting hour", 2, 120), line("Consulting hour", 3, 80)], po_lines, [2, 1])

    def test_nothing_to_match(self) -> None:
        self.assertEqual(match_lines([], [po_line(1, "Desk")]), [])
        self.assertMatched([line("Desk", 1, 100)], [], [None])


class TestThreeWayCheck(BaseCase):
    def check(self, invoice_lines: list, po_lines: list[PoLine], tolerances: Tolerances | None = None, **totals):
        matches = match_lines(invoice_lines, po_lines)
        return three_way_check(invoice_lines, po_lines, matches, tolerances or Tolerances(), **totals)

    def test_an_invoice_that_fits_has_no_difference(self) -> None:
        po_lines = [po_line(1, "Office chair", ordered=5, received=5, price=50), po_line(2, "Desk", ordered=2)]
        invoice_lines = [line("Office chair", 5, 50), line("Desk", 2, 100)]
        self.assertEqual(
            self.check(invoice_lines, po_lines, amount_untaxed=450, amount_tax=94.5, amount_total=544.5), []
        )

    def test_more_than_received(self) -> None:
        po_lines = [po_line(7, "Office chair", ordered=10, received=6, billed=2, price=50)]
        self.assertEqual(self.check([line("Office chair", 4, 50)], po_lines), [])
        self.assertEqual(
            self.check([line("Office chair", 5, 50)], po_lines),
            [
                Difference(
                    QTY_OVER_RECEIVED, invoice_index=0, po_line_id=7, ordered=10, received=6, invoiced=5, expected=4
                )
            ],
        )

    def test_quantity_tolerance(self) -> None:
        po_lines = [po_line(7, "Cable, metres", ordered=100, received=100, price=1)]
        self.assertEqual(self.check([line("Cable, metres", 104, 1)], po_lines, Tolerances(quantity_percent=5)), [])
        differences = self.check([line("Cable, metres", 106, 1)], po_lines, Tolerances(quantity_percent=5))
        self.assertEqual([(d.kind, d.invoiced, d.expected) for d in differences], [(QTY_OVER_ORDERED, 106, 100)])

    def test_more_than_ordered(self) -> None:
        po_lines = [po_line(7, "Office chair", ordered=10, received=10, billed=4, price=50)]
        differences = self.check([line("Office chair", 7, 50)], po_lines)
        self.assertEqual(
            differences,
            [
                Difference(
                    QTY_OVER_ORDERED, invoice_index=0, po_line_id=7, ordered=10, received=10, invoiced=7, expected=6
                )
            ],
        )

    def test_price_tolerance_either_way(self) -> None:
        po_lines = [po_line(3, "Desk", price=200)]
        self.assertEqual(self.check([line("Desk", 1, 201.99)], po_lines), [])
        self.assertEqual(self.check([line("Desk", 1, 198.01)], po_lines), [])
        for invoiced_price in (202.5, 197):
            self.assertEqual(
                self.check([line("Desk", 1, invoiced_price)], po_lines),
                [Difference(PRICE, invoice_index=0, po_line_id=3, po_price=200, invoiced_price=invoiced_price)],
            )
        self.assertEqual(self.check([line("Desk", 1, 210)], po_lines, Tolerances(price_percent=5)), [])

    def test_a_price_not_read_comes_from_the_amount(self) -> None:
        po_lines = [po_line(3, "Desk", price=200)]
        differences = self.check([line("Desk", 2, None, amount=440)], po_lines)
        self.assertEqual([(d.kind, d.invoiced_price) for d in differences], [(PRICE, 220)])

    def test_a_quantity_not_read_comes_from_the_po_price(self) -> None:
        po_lines = [po_line(3, "Installation", ordered=1, received=1, price=500)]
        self.assertEqual(self.check([line("Installation", amount=500)], po_lines), [])
        differences = self.check([line("Installation", amount=1000)], po_lines)
        self.assertEqual([(d.kind, d.invoiced, d.expected) for d in differences], [(QTY_OVER_ORDERED, 2, 1)])

    def test_unmatched_lines(self) -> None:
        po_lines = [po_line(1, "Desk")]
        self.assertEqual(
            self.check([line("Desk", 1, 100), line("Freight", 1, 25)], po_lines),
            [Difference(UNMATCHED_LINE, invoice_index=1, invoiced=1, invoiced_price=25)],
        )

    def test_without_po_only_totals_are_checked(self) -> None:
        invoice_lines = [line("Desk", 1, 100), line("Freight", 1, 25)]
        self.assertEqual(self.check(invoice_lines, [], amount_untaxed=125), [Difference(NO_PO)])
        self.assertEqual(
            self.check(invoice_lines, [], amount_untaxed=130),
            [Difference(NO_PO), Difference(TOTALS, expected=125, found=130)],
        )

    def test_totals_must_add_up(self) -> None:
        po_lines = [po_line(1, "Desk"), po_line(2, "Chair", price=50)]
        invoice_lines = [line("Desk", 1, 100), line("Chair", 2, 50)]
        self.assertEqual(
            self.check(invoice_lines, po_lines, amount_untaxed=200.01, amount_tax=42, amount_total=242), []
        )
        self.assertEqual(
            self.check(invoice_lines, po_lines, amount_untaxed=210, amount_tax=42, amount_total=242),
            [Difference(TOTALS, expected=200, found=210), Difference(TOTALS, expected=252, found=242)],
        )

    def test_a_line_must_add_up(self) -> None:
        po_lines = [po_line(1, "Desk")]
        self.assertEqual(
            self.check([line("Desk", 2, 100, amount=210)], po_lines),
            [Difference(TOTALS, invoice_index=0, invoiced=2, invoiced_price=100, expected=200, found=210)],
        )

    def test_a_line_amount_with_the_wrong_sign_does_not_add_up(self) -> None:
        differences = self.check([line("Desk", 2, 100, amount=-200)], [po_line(1, "Desk")])
        self.assertEqual([(d.kind, d.expected, d.found) for d in differences], [(TOTALS, 200, -200)])

    def test_total_tolerance(self) -> None:
        po_lines = [po_line(1, "Desk")]
        invoice_lines = [line("Desk", 1, 100)]
        self.assertEqual(self.check(invoice_lines, po_lines, Tolerances(total_amount=1), amount_untaxed=100.9), [])
        self.assertEqual(len(self.check(invoice_lines, po_lines, Tolerances(total_amount=1), amount_untaxed=101.1)), 1)

    def test_a_credit_note_credits_returned_goods(self) -> None:
        """Billed 10, 2 returned since (received 8): a credit of 2 fits, a credit of 3 does not; printed unsigned."""
        po_lines = [po_line(5, "Office chair", ordered=10, received=8, billed=10, price=50)]
        totals = {"amount_untaxed": 100, "amount_tax": 21, "amount_total": 121, "is_credit_note": True}
        self.assertEqual(self.check([line("Office chair", 2, 50)], po_lines, **totals), [])
        totals.update(amount_untaxed=150, amount_tax=31.5, amount_total=181.5)
        self.assertEqual(
            self.check([line("Office chair", 3, 50)], po_lines, **totals),
            [
                Difference(
                    QTY_OVER_RECEIVED, invoice_index=0, po_line_id=5, ordered=10, received=8, invoiced=-3, expected=-2
                )
            ],
        )

    def test_a_negative_invoice_is_a_credit_note(self) -> None:
        po_lines = [po_line(5, "Office chair", ordered=10, received=10, billed=10, price=50)]
        differences = self.check([line("Office chair", -1, 50)], po_lines, amount_untaxed=-50, amount_total=-60.5)
        self.assertEqual([(d.kind, d.invoiced, d.expected) for d in differences], [(QTY_OVER_RECEIVED, -1, 0)])
        # Without totals, only negative lines make a credit note: a discount line does not.
        self.assertEqual(len(self.check([line("Office chair", -1, 50)], po_lines)), 1)
        po_lines = [po_line(5, "Office chair", ordered=10, received=10, price=50)]
        self.assertEqual(
            self.check([line("Office chair", 2, 50), line("Discount", 1, -10)], po_lines)[0].kind, UNMATCHED_LINE
        )

    def test_every_kind_is_listed(self) -> None:
        self.assertEqual(
            set(DIFFERENCE_KINDS), {UNMATCHED_LINE, QTY_OVER_RECEIVED, QTY_OVER_ORDERED, PRICE, TOTALS, NO_PO}
        )


class TestRankPurchaseOrders(BaseCase):
    NAMES = ["P00001", "P00012", "P00015", "P00120"]

    def test_references_as_written_or_loosely(self) -> None:
        self.assertEqual(rank_purchase_orders("P00012", self.NAMES), ["P00012"])
        self.assertEqual(rank_purchase_orders("Your order: po-15, p00012", self.NAMES), ["P00012", "P00015"])
        self.assertEqual(rank_purchase_orders("PO 120", self.NAMES), ["P00120"])

    def test_no_reference(self) -> None:
        self.assertEqual(rank_purchase_orders(None, self.NAMES), [])
        self.assertEqual(rank_purchase_orders("Q-77", self.NAMES), [])
        self.assertEqual(rank_purchase_orders("P000120", ["P00012"]), [])
