from unittest.mock import patch
from urllib.parse import urlencode, urlparse

from lxml import html

from odoo.tests import HttpCase, tagged

from odoo.addons.portal_customer_ext.controllers.catalog import CustomerPortalCatalog
from odoo.addons.portal_customer_ext.controllers.saved_cart import CustomerPortalSavedCart

from .common import PortalCatalogCommon


@tagged("post_install", "-at_install")
class TestPortalCatalog(PortalCatalogCommon, HttpCase):
    """/my/catalog as each kind of visitor: customer prices, availability, search, categories, sort, pager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_catalog_fixtures()

    def _catalog(self, user, **params):
        """Open the catalog as `user` (None: anonymous) and return {product name: row} with its texts."""
        if user:
            self.authenticate(user.login, user.login)
        else:
            self.authenticate(None, None)
        params.setdefault("search", self.CATALOG_SEARCH)
        response = self.url_open(f"/my/catalog?{urlencode(params)}", allow_redirects=False)
        return response

    def _rows(self, response) -> dict:
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.content)
        rows = {}
        for row in tree.xpath("//tr[contains(@class, 'pce_catalog_row')]"):

            def text(xpath, row=row):
                found = row.xpath(xpath)
                return " ".join(found[0].text_content().split()) if found else None

            rows[text(".//span[hasclass('pce_product_name')]")] = {
                "price": text(".//span[hasclass('pce_price')]"),
                "list_price": text(".//del[hasclass('pce_list_price')]"),
                "availability": row.xpath(".//span[contains(@class, 'pce_availability_')]")[0].get("class"),
                "qty": text(".//span[hasclass('pce_availability_qty')]"),
                "add_form": bool(row.xpath(".//form[hasclass('pce_add_form')]")),
                "request_link": (row.xpath(".//a[hasclass('pce_request_quote')]/@href") or [None])[0],
            }
        return rows

    def assertRedirectTo(self, response, path: str) -> None:
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual(urlparse(response.headers["Location"]).path, path)

    def test_customer_sees_own_prices(self) -> None:
        """The customer's pricelist price, the list price only struck through, never as the price."""
        rows = self._rows(self._catalog(self.customer_user))
        self.assertEqual(
            set(rows), {"PCE Cat Widget", "PCE Cat Bolt", "PCE Cat Nut", "PCE Cat Installation", "PCE Cat Paper"}
        )
        widget = rows["PCE Cat Widget"]
        self.assertIn("70.00", widget["price"])
        self.assertIn("100.00", widget["list_price"])
        self.assertIn("9.00", rows["PCE Cat Bolt"]["price"])
        self.assertIn("18.00", rows["PCE Cat Installation"]["price"])
        self.assertTrue(widget["add_form"])
        self.assertEqual(widget["request_link"], f"/my/quotation-request?product_id={self.widget.id}&quantity=1")

    def test_customer_without_pricelist_and_currency(self) -> None:
        rows = self._rows(self._catalog(self.plain_user))
        self.assertIn("100.00", rows["PCE Cat Widget"]["price"])
        self.assertIsNone(rows["PCE Cat Widget"]["list_price"])
        rows = self._rows(self._catalog(self.rival_user))
        self.assertIn("200.00", rows["PCE Cat Widget"]["price"])
        self.assertIn(self.eur.symbol, rows["PCE Cat Widget"]["price"])

    def test_availability(self) -> None:
        rows = self._rows(self._catalog(self.customer_user))
        self.assertIn("pce_availability_in_stock", rows["PCE Cat Widget"]["availability"])
        self.assertIn("pce_availability_low", rows["PCE Cat Bolt"]["availability"])
        self.assertIn("pce_availability_out", rows["PCE Cat Nut"]["availability"])
        self.assertIn("pce_availability_available", rows["PCE Cat Installation"]["availability"])
        self.assertIn("pce_availability_available", rows["PCE Cat Paper"]["availability"])
        self.assertIsNone(rows["PCE Cat Widget"]["qty"], "exact quantities are hidden by default")

        self.env["ir.config_parameter"].sudo().set_param("portal_customer_ext.catalog_show_exact_qty", "True")
        rows = self._rows(self._catalog(self.customer_user))
        self.assertEqual(rows["PCE Cat Widget"]["qty"], "50 Units")
        self.assertEqual(rows["PCE Cat Bolt"]["qty"], "3 Units")
        self.assertIsNone(rows["PCE Cat Installation"]["qty"])

    def test_search_category_sort_pager(self) -> None:
        rows = self._rows(self._catalog(self.customer_user, search="PCEW-100"))
        self.assertEqual(list(rows), ["PCE Cat Widget"])
        rows = self._rows(self._catalog(self.customer_user, search="4006381333931"))
        self.assertEqual(list(rows), ["PCE Cat Widget"])
        rows = self._rows(self._catalog(self.customer_user, category=self.categ_tools.id))
        self.assertEqual(set(rows), {"PCE Cat Widget", "PCE Cat Bolt", "PCE Cat Nut"}, "subcategories included")
        rows = self._rows(self._catalog(self.customer_user, category=self.categ_parts.id))
        self.assertEqual(set(rows), {"PCE Cat Bolt", "PCE Cat Nut"})
        rows = self._rows(self._catalog(self.customer_user, sortby="price"))
        self.assertEqual(list(rows)[:2], ["PCE Cat Paper", "PCE Cat Nut"])
        rows = self._rows(self._catalog(self.customer_user, sortby="price_desc"))
        self.assertEqual(next(iter(rows)), "PCE Cat Widget")
        rows = self._rows(self._catalog(self.customer_user, sortby="name", category="nonsense"))
        self.assertEqual(next(iter(rows)), "PCE Cat Bolt")
        with patch.object(CustomerPortalCatalog, "_catalog_items_per_page", 2):
            self.authenticate(self.customer_user.login, self.customer_user.login)
            response = self.url_open(f"/my/catalog/page/3?{urlencode({'search': self.CATALOG_SEARCH})}")
            self.assertEqual(list(self._rows(response)), ["PCE Cat Widget"])

    def test_excluded_products(self) -> None:
        """Not sold, archived, combos and another company's products are not in the catalog."""
        rows = self._rows(self._catalog(self.customer_user))
        for name in ("PCE Cat Internal Part", "PCE Cat Old Model", "PCE Cat Combo", "PCE Cat Foreign"):
            self.assertNotIn(name, rows)

    def test_access(self) -> None:
        """Anonymous visitors log in; vendors and employees without sales rights go back to /my; a salesperson
        previews without carts."""
        self.assertRedirectTo(self._catalog(None), "/web/login")
        self.assertRedirectTo(self._catalog(self.vendor_user), "/my")
        self.assertRedirectTo(self._catalog(self.employee), "/my")
        rows = self._rows(self._catalog(self.cat_salesman))
        self.assertFalse(rows["PCE Cat Widget"]["add_form"])

    def test_image_route(self) -> None:
        self.authenticate(self.customer_user.login, self.customer_user.login)
        response = self.url_open(f"/my/catalog/image/{self.widget.id}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("image/"))
        self.assertEqual(self.url_open(f"/my/catalog/image/{self.not_sold.id}").status_code, 404)
        self.assertEqual(self.url_open(f"/my/catalog/image/{self.other_company_product.id}").status_code, 404)
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        self.assertEqual(self.url_open(f"/my/catalog/image/{self.widget.id}").status_code, 404)
        self.authenticate(None, None)
        response = self.url_open(f"/my/catalog/image/{self.widget.id}", allow_redirects=False)
        self.assertRedirectTo(response, "/web/login")

    def test_read_only_routes(self) -> None:
        """Pages that only read are served by read-only cursors (a replica when configured)."""
        for method in (
            CustomerPortalSavedCart.portal_my_catalog,
            CustomerPortalSavedCart.portal_catalog_image,
            CustomerPortalSavedCart.portal_my_saved_carts,
            CustomerPortalSavedCart.portal_my_saved_cart,
        ):
            self.assertIs(method.original_routing["readonly"], True, method.__name__)
        for method in (CustomerPortalSavedCart.portal_saved_cart_add, CustomerPortalSavedCart.portal_saved_cart_create):
            self.assertFalse(method.original_routing.get("readonly"), method.__name__)

    def _count_queries(self, url: str, params: dict) -> int:
        self.url_open(f"{url}?{urlencode(params)}")  # warm the caches
        before = self.cr.sql_log_count
        response = self.url_open(f"{url}?{urlencode(params)}")
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def test_constant_query_count(self) -> None:
        """The same number of queries for 5 or 50 products on a page (prices and stock in one batch each)."""
        Product = self.env["product.product"]
        categories = self.env["product.category"].create([{"name": f"PCE Qty Categ {i}"} for i in range(5)])

        def make(start: int, count: int):
            products = Product.create(
                [
                    {
                        "name": f"PCE Qty {i:03d}",
                        "type": "consu",
                        "is_storable": i % 3 != 0,
                        "list_price": 10.0 + i,
                        "categ_id": categories[i % 5].id,
                    }
                    for i in range(start, start + count)
                ]
            )
            for product in products.filtered("is_storable")[::2]:
                self.env["stock.quant"]._update_available_quantity(product, self.warehouse.lot_stock_id, 10.0)

        self.authenticate(self.customer_user.login, self.customer_user.login)
        params = {"search": "PCE Qty"}
        with patch.object(CustomerPortalCatalog, "_catalog_items_per_page", 60):
            make(0, 5)
            few = self._count_queries("/my/catalog", params)
            make(5, 45)
            self.assertEqual(len(self._rows(self.url_open(f"/my/catalog?{urlencode(params)}"))), 50)
            many = self._count_queries("/my/catalog", params)
        self.assertEqual(few, many)
