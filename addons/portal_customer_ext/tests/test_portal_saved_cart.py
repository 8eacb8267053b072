from urllib.parse import parse_qs, urlparse

from lxml import html

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PortalCatalogCommon, PortalLoginMixin


@tagged("post_install", "-at_install")
class TestPortalSavedCart(PortalLoginMixin, PortalCatalogCommon, HttpCase):
    """/my/carts and its POST routes for the owner, a colleague, another customer, an employee and the public."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_catalog_fixtures()

    def _post(self, path: str, csrf: bool = True, **data):
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(path, data=data or {"dummy": "1"}, allow_redirects=False)

    def assertRedirectTo(self, response, path: str, message: str | None = None) -> None:
        self.assertIn(response.status_code, (302, 303), response.text[:300])
        location = urlparse(response.headers["Location"])
        self.assertEqual(location.path, path)
        if message:
            self.assertEqual(parse_qs(location.query).get("message"), [message])

    def _snapshot(self):
        """What a refused request must leave untouched: every cart of the fixtures and their lines."""
        self.env.invalidate_all()
        carts = self.env["pce.saved.cart"].search([])
        return {
            (cart.id, cart.name, tuple((line.product_id.id, line.quantity) for line in cart.line_ids)) for cart in carts
        }

    # === PAGES === #

    def test_owner_and_colleague_pages(self) -> None:
        """The customer's contacts see the customer's carts, with current prices and availability."""
        for user in (self.customer_user, self.colleague_user):
            self.login(user)
            response = self.url_open("/my/carts")
            self.assertEqual(response.status_code, 200)
            self.assertIn("PCE Weekly", response.text)
            self.assertNotIn("PCE Rival List", response.text)
            response = self.url_open(f"/my/carts/{self.cart.id}")
            self.assertEqual(response.status_code, 200)
            tree = html.fromstring(response.content)
            lines = tree.xpath("//tr[hasclass('pce_cart_line')]")
            self.assertEqual(len(lines), 2)
            self.assertIn("PCE Cat Widget", lines[0].text_content())
            self.assertIn("Blue ones", lines[0].text_content())
            self.assertIn("70.00", lines[0].xpath(".//span[hasclass('pce_price')]")[0].text_content())
            self.assertTrue(lines[0].xpath(".//span[hasclass('pce_availability_in_stock')]"))
            self.assertIn("158.00", tree.xpath("//td[@id='pce_cart_total']")[0].text_content())  # 2 x 70 + 18

    def test_refused_visitors_get(self) -> None:
        """Another customer's user, an employee without sales rights and guessed ids go back to /my; the public
        logs in."""
        self.login(self.rival_user)
        self.assertRedirectTo(self.url_open(f"/my/carts/{self.cart.id}", allow_redirects=False), "/my")
        self.assertRedirectTo(self.url_open("/my/carts/999999999", allow_redirects=False), "/my")
        self.assertNotIn("PCE Weekly", self.url_open("/my/carts").text)
        for user in (self.employee, self.vendor_user, self.cat_salesman):
            self.login(user)
            self.assertRedirectTo(self.url_open("/my/carts", allow_redirects=False), "/my")
            self.assertRedirectTo(self.url_open(f"/my/carts/{self.cart.id}", allow_redirects=False), "/my")
        self.login(None)
        self.assertRedirectTo(self.url_open("/my/carts", allow_redirects=False), "/web/login")
        self.assertRedirectTo(self.url_open(f"/my/carts/{self.cart.id}", allow_redirects=False), "/web/login")

    def test_other_customer_posts_change_nothing(self) -> None:
        """Every write on another customer's cart or line (guessed ids) is refused with a message."""
        self.login(self.rival_user)
        before = self._snapshot()
        cart, line = self.cart, self.cart_line_widget
        for path, data in (
            (f"/my/carts/{cart.id}/rename", {"name": "Hacked"}),
            (f"/my/carts/{cart.id}/delete", {}),
            (f"/my/carts/{cart.id}/line/{line.id}/update", {"quantity": "99"}),
            (f"/my/carts/{cart.id}/line/{line.id}/remove", {}),
            (f"/my/carts/{self.rival_cart.id}/line/{line.id}/remove", {}),
            (f"/my/carts/{cart.id}/request", {}),
        ):
            self.assertRedirectTo(self._post(path, **data), "/my/carts", "bad_cart")
        response = self._post("/my/carts/add", product_id=str(self.widget.id), quantity="1", cart_id=str(cart.id))
        self.assertRedirectTo(response, "/my/catalog", "bad_cart")
        self.assertEqual(self._snapshot(), before)
        self.assertFalse(self.env["sale.order"].search([("partner_id", "child_of", self.customer.id)]))

    def test_refused_visitors_post(self) -> None:
        before = self._snapshot()
        for user in (self.employee, self.vendor_user):
            self.login(user)
            self.assertRedirectTo(self._post("/my/carts/new", name="Mine"), "/my")
            self.assertRedirectTo(self._post(f"/my/carts/{self.cart.id}/delete"), "/my")
        self.login(None)
        response = self._post(f"/my/carts/{self.cart.id}/delete")
        self.assertRedirectTo(response, "/web/login")
        self.assertEqual(self._snapshot(), before)

    def test_csrf_required(self) -> None:
        self.login(self.customer_user)
        before = self._snapshot()
        with mute_logger("odoo.http"):
            response = self._post(f"/my/carts/{self.cart.id}/delete", csrf=False)
            self.assertEqual(response.status_code, 400)
            response = self._post("/my/carts/add", csrf=False, product_id=str(self.bolt.id), cart_id=str(self.cart.id))
            self.assertEqual(response.status_code, 400)
        self.assertEqual(self._snapshot(), before)

    # === WRITES OF THE OWNER === #

    def test_create_rename_delete(self) -> None:
        self.login(self.colleague_user)
        response = self._post("/my/carts/new", name="  Spring stock  ")
        cart = self.env["pce.saved.cart"].search([("name", "=", "Spring stock")])
        self.assertEqual(cart.partner_id, self.customer)
        self.assertEqual(cart.user_id, self.colleague_user)
        self.assertRedirectTo(response, f"/my/carts/{cart.id}", "cart_created")
        self.assertIn("The cart was created.", self.url_open(response.headers["Location"]).text)

        self.assertRedirectTo(self._post(f"/my/carts/{cart.id}/rename", name=" "), f"/my/carts/{cart.id}", "bad_name")
        self.assertRedirectTo(
            self._post(f"/my/carts/{cart.id}/rename", name="Summer stock"), f"/my/carts/{cart.id}", "cart_renamed"
        )
        self.assertEqual(cart.name, "Summer stock")
        self.assertRedirectTo(self._post("/my/carts/new", name=""), "/my/carts", "bad_name")
        self.assertRedirectTo(self._post(f"/my/carts/{cart.id}/delete"), "/my/carts", "cart_deleted")
        self.assertFalse(cart.exists())

    def test_add_from_catalog(self) -> None:
        self.login(self.customer_user)
        back = "/my/catalog?search=PCE"
        response = self._post(
            "/my/carts/add", product_id=str(self.bolt.id), quantity="3", cart_id=str(self.cart.id), redirect=back
        )
        self.assertEqual(response.headers["Location"].split("//", 1)[-1].split("/", 1)[-1].split("&")[0], back[1:])
        self.assertRedirectTo(response, "/my/catalog", "product_added")
        self.assertEqual(self.cart.line_ids.filtered(lambda line: line.product_id == self.bolt).quantity, 3.0)
        # Same product again: the quantity grows
        self._post("/my/carts/add", product_id=str(self.bolt.id), quantity="1.5", cart_id=str(self.cart.id))
        self.assertEqual(self.cart.line_ids.filtered(lambda line: line.product_id == self.bolt).quantity, 4.5)
        # Into a new cart
        response = self._post(
            "/my/carts/add", product_id=str(self.nut.id), quantity="2", cart_id="new", new_cart_name="Nuts only"
        )
        self.assertRedirectTo(response, "/my/catalog", "product_added")
        new_cart = self.env["pce.saved.cart"].search([("name", "=", "Nuts only")])
        self.assertEqual([(line.product_id, line.quantity) for line in new_cart.line_ids], [(self.nut, 2.0)])
        # No open redirect
        response = self._post(
            "/my/carts/add", product_id=str(self.nut.id), quantity="1", cart_id=str(new_cart.id),
            redirect="https://evil.example.com/my/catalog",
        )  # fmt: skip
        self.assertRedirectTo(response, "/my/catalog", "product_added")
        self.assertNotIn("evil", response.headers["Location"])

    def test_add_bad_input(self) -> None:
        """Bad quantities, products outside the catalog and unknown carts: a message, nothing changed."""
        self.login(self.customer_user)
        before = self._snapshot()
        cart_id = str(self.cart.id)
        for quantity in ("0", "-2", "abc", "", "nan", "inf"):
            response = self._post("/my/carts/add", product_id=str(self.bolt.id), quantity=quantity, cart_id=cart_id)
            self.assertRedirectTo(response, "/my/catalog", "bad_quantity")
        for product in (self.not_sold, self.archived, self.combo, self.other_company_product):
            response = self._post("/my/carts/add", product_id=str(product.id), quantity="1", cart_id=cart_id)
            self.assertRedirectTo(response, "/my/catalog", "bad_product")
        for product_id in ("999999999", "x", ""):
            response = self._post("/my/carts/add", product_id=product_id, quantity="1", cart_id=cart_id)
            self.assertRedirectTo(response, "/my/catalog", "bad_product")
        for bad_cart in ("999999999", "x", "", str(self.rival_cart.id)):
            response = self._post("/my/carts/add", product_id=str(self.bolt.id), quantity="1", cart_id=bad_cart)
            self.assertRedirectTo(response, "/my/catalog", "bad_cart")
        response = self._post("/my/carts/add", product_id=str(self.bolt.id), quantity="1", cart_id="new")
        self.assertRedirectTo(response, "/my/catalog", "bad_name")
        self.assertEqual(self._snapshot(), before)
        page = self.url_open("/my/catalog?message=bad_quantity")
        self.assertIn("Enter a quantity greater than zero. Nothing was changed.", page.text)

    def test_favourite_star(self) -> None:
        self.login(self.customer_user)
        response = self._post("/my/carts/favourite", product_id=str(self.widget.id))
        self.assertRedirectTo(response, "/my/catalog", "favourite_added")
        favourites = self.env["pce.saved.cart"].search(
            [("partner_id", "=", self.customer.id), ("is_favourites", "=", True)]
        )
        self.assertEqual(favourites.line_ids.product_id, self.widget)
        page = self.url_open("/my/catalog?search=PCE+Cat+Widget")
        self.assertIn("pce_favourite_on", page.text)
        # The colleague shares it and removes it
        self.login(self.colleague_user)
        response = self._post("/my/carts/favourite", product_id=str(self.widget.id))
        self.assertRedirectTo(response, "/my/catalog", "favourite_removed")
        self.assertFalse(favourites.line_ids)
        self.assertRedirectTo(
            self._post(f"/my/carts/{favourites.id}/delete"), f"/my/carts/{favourites.id}", "favourites_kept"
        )
        self.assertTrue(favourites.exists())
        response = self._post("/my/carts/favourite", product_id=str(self.not_sold.id))
        self.assertRedirectTo(response, "/my/catalog", "bad_product")

    def test_update_and_remove_lines(self) -> None:
        self.login(self.customer_user)
        cart, line = self.cart, self.cart_line_widget
        for quantity in ("0", "-1", "abc"):
            response = self._post(f"/my/carts/{cart.id}/line/{line.id}/update", quantity=quantity)
            self.assertRedirectTo(response, f"/my/carts/{cart.id}", "bad_quantity")
        self.assertEqual(line.quantity, 2.0)
        response = self._post(f"/my/carts/{cart.id}/line/{line.id}/update", quantity="6")
        self.assertRedirectTo(response, f"/my/carts/{cart.id}", "line_updated")
        self.assertEqual(line.quantity, 6.0)
        # A line of another cart through this cart's URL
        response = self._post(f"/my/carts/{cart.id}/line/{self.rival_line.id}/update", quantity="1")
        self.assertRedirectTo(response, "/my/carts", "bad_cart")
        self.assertEqual(self.rival_line.quantity, 7.0)
        response = self._post(f"/my/carts/{cart.id}/line/{line.id}/remove")
        self.assertRedirectTo(response, f"/my/carts/{cart.id}", "line_removed")
        self.assertFalse(line.exists())

    def test_request_quotation(self) -> None:
        """The cart becomes a quotation request (part B) for the customer; the cart stays."""
        self.login(self.colleague_user)
        empty = self.env["pce.saved.cart"].create({"name": "Empty", "partner_id": self.customer.id})
        self.assertRedirectTo(self._post(f"/my/carts/{empty.id}/request"), f"/my/carts/{empty.id}", "empty_cart")
        response = self._post(f"/my/carts/{self.cart.id}/request")
        order = self.env["sale.order"].search([("partner_id", "child_of", self.customer.id)])
        self.assertEqual(len(order), 1)
        self.assertRedirectTo(response, f"/my/orders/{order.id}")
        self.assertEqual(order.partner_id.commercial_partner_id, self.customer)
        self.assertEqual(
            {(line.product_id, line.product_uom_qty) for line in order.order_line.filtered("product_id")},
            {(self.widget, 2.0), (self.service, 1.0)},
        )
        self.assertEqual(len(self.cart.line_ids), 2)

    def test_home_counter(self) -> None:
        self.login(self.customer_user)
        self.assertIn("Saved Carts &amp; Favourites", self.url_open("/my").text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["pce_saved_cart_count"]})
        self.assertEqual(counters["pce_saved_cart_count"], 1)
        self.login(self.vendor_user)
        self.assertNotIn("Saved Carts &amp; Favourites", self.url_open("/my").text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["pce_saved_cart_count"]})
        self.assertEqual(counters["pce_saved_cart_count"], 0)

    def _count_queries(self, url: str) -> int:
        self.url_open(url)
        before = self.cr.sql_log_count
        self.assertEqual(self.url_open(url).status_code, 200)
        return self.cr.sql_log_count - before

    def test_constant_query_count(self) -> None:
        """Cart page and cart list: the same number of queries with 3 or 30 lines / carts."""
        products = self.env["product.product"].create(
            [{"name": f"PCE Qty {i}", "is_storable": bool(i % 2), "list_price": i + 1.0} for i in range(30)]
        )
        Cart = self.env["pce.saved.cart"]
        small = Cart.create({"name": "Small", "partner_id": self.customer.id})
        big = Cart.create({"name": "Big", "partner_id": self.customer.id})
        for cart, count in ((small, 3), (big, 30)):
            self.env["pce.saved.cart.line"].create(
                [{"cart_id": cart.id, "product_id": product.id, "quantity": 1.0} for product in products[:count]]
            )
        self.login(self.customer_user)
        self.assertEqual(self._count_queries(f"/my/carts/{small.id}"), self._count_queries(f"/my/carts/{big.id}"))
        few = self._count_queries("/my/carts")
        Cart.create([{"name": f"More {i}", "partner_id": self.customer.id} for i in range(27)])
        self.assertEqual(self._count_queries("/my/carts"), few)
