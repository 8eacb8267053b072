"""What portal_customer_ext added, tried from outside as the people who have a session and as the public: a
portal customer, the portal customer of another company, a vendor's portal contact, an employee without sales
rights and a sales manager who is not a settings administrator. Over JSON-RPC on the new models and fields, and
over HTTP on every route of the module. Each may do what its role allows, and nothing more."""

import csv
import io
from urllib.parse import parse_qs, urlparse

from odoo import http
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin

from .common import PortalCatalogCommon, PortalLoginMixin
from .order_tracking_common import OrderTrackingCommon

PERSONAS = ("portal customer", "other company customer", "vendor", "employee", "sales manager")


@tagged("post_install", "-at_install")
class TestAccessSurface(PortalLoginMixin, PortalCatalogCommon, OrderTrackingCommon, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_catalog_fixtures()
        env = cls.env
        # A customer of the other company, with its own portal contact (in that company only) and cart.
        cls.other_customer = env["res.partner"].create(
            {"name": "PCE Surface Abroad", "is_company": True, "customer_rank": 1, "company_id": cls.other_company.id}
        )
        cls.other_user = new_test_user(
            env,
            login="pce_surface_abroad",
            groups="base.group_portal",
            parent_id=cls.other_customer.id,
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        cls.other_cart = (
            env["pce.saved.cart"]
            .with_company(cls.other_company)
            .create(
                {"name": "PCE Abroad List", "partner_id": cls.other_customer.id, "company_id": cls.other_company.id}
            )
        )
        cls.other_line = env["pce.saved.cart.line"].create(
            {"cart_id": cls.other_cart.id, "product_id": cls.other_company_product.id, "quantity": 4.0}
        )
        cls.sales_manager = new_test_user(env, login="pce_surface_manager", groups="sales_team.group_sale_manager")
        cls.personas = {
            "portal customer": cls.customer_user,
            "other company customer": cls.other_user,
            "vendor": cls.vendor_user,
            "employee": cls.employee,
            "sales manager": cls.sales_manager,
        }
        if "purchase.order" in env:  # the vendor persona: a supplier with purchase orders
            env["purchase.order"].create(
                {
                    "partner_id": cls.vendor.id,
                    "order_line": [Command.create({"product_id": cls.bolt.id, "product_qty": 5.0, "price_unit": 3.0})],
                }
            ).button_confirm()

        # A confirmed, shipped order of the customer (followed by it, as sending it does) and one of the rival.
        cls.order = env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "client_order_ref": "PO-SURFACE-OWN",
                "order_line": [Command.create({"product_id": cls.widget.id, "product_uom_qty": 2.0})],
            }
        )
        cls.rival_order = env["sale.order"].create(
            {
                "partner_id": cls.rival.id,
                "client_order_ref": "PO-SURFACE-RIVAL",
                "order_line": [Command.create({"product_id": cls.widget.id, "product_uom_qty": 1.0})],
            }
        )
        (cls.order | cls.rival_order).action_confirm()
        cls.order.message_subscribe(partner_ids=cls.customer.ids)
        cls.rival_order.message_subscribe(partner_ids=cls.rival.ids)
        cls.order._portal_ensure_token()
        cls.rival_order._portal_ensure_token()

    def setUp(self):
        super().setUp()
        self.picking = self.ship(self.order)
        self.rival_picking = self.ship(self.rival_order)

    # --- helpers ---------------------------------------------------------------------------------------------------

    def post(self, url, csrf=True, **data):
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        data.setdefault("submit", "1")  # a body, so that url_open posts
        return self.url_open(url, data=data, allow_redirects=False)

    def get(self, url):
        return self.url_open(url, allow_redirects=False)

    def assertRedirect(self, response, path, message=None):
        self.assertEqual(response.status_code, 303, response.text[:300] if response.status_code == 200 else "")
        location = urlparse(response.headers["Location"])
        self.assertEqual(location.path, path)
        if message:
            self.assertEqual(parse_qs(location.query).get("message"), [message])

    def carts_state(self):
        """:return: every cart and line as (id, partner, company, user, name, lines) / (id, cart, product, qty)."""
        self.env.invalidate_all()
        carts = self.env["pce.saved.cart"].sudo().with_context(active_test=False).search([])
        lines = carts.line_ids
        return (
            [(c.id, c.partner_id.id, c.company_id.id, c.user_id.id, c.name, c.is_favourites) for c in carts],
            [(line.id, line.cart_id.id, line.product_id.id, line.quantity, line.note) for line in lines],
        )

    # --- JSON-RPC: saved carts -------------------------------------------------------------------------------------

    def test_rpc_carts_are_read_by_their_customer_and_salespeople_only(self):
        expected = {
            "portal customer": {self.cart.id},
            "other company customer": {self.other_cart.id},
            "sales manager": {self.cart.id, self.rival_cart.id},
        }
        for who in PERSONAS:
            self.login(who)
            with self.subTest(persona=who):
                response = self.call_kw("pce.saved.cart", "search_read", [[], ["name", "partner_id"]])
                lines = self.call_kw("pce.saved.cart.line", "search_read", [[], ["cart_id", "product_id"]])
                if who == "employee":
                    self.assert_rpc_refused(response)
                    self.assert_rpc_refused(lines)
                    continue
                self.assert_rpc_done(response)
                found = {cart["id"] for cart in response["result"]}
                self.assertEqual(
                    found & {self.cart.id, self.rival_cart.id, self.other_cart.id}, expected.get(who, set())
                )
                self.assert_rpc_done(lines)
                found_lines = {line["id"] for line in lines["result"]}
                if who != "sales manager":
                    self.assertNotIn(self.rival_line.id, found_lines)
                self.assertNotIn(self.other_line.id if who != "other company customer" else 0, found_lines)
                read = self.call_kw("pce.saved.cart", "read", [self.rival_cart.ids, ["name"]])
                if who == "sales manager":
                    self.assert_rpc_done(read)
                else:
                    self.assert_rpc_refused(read)

    def test_rpc_nobody_writes_or_deletes_another_customers_cart(self):
        before = self.carts_state()
        for who in PERSONAS:
            if who == "sales manager":
                continue
            self.login(who)
            with self.subTest(persona=who):
                self.assert_rpc_refused(self.call_kw("pce.saved.cart", "write", [self.rival_cart.ids, {"name": "X"}]))
                self.assert_rpc_refused(self.call_kw("pce.saved.cart", "unlink", [self.rival_cart.ids]))
                self.assert_rpc_refused(
                    self.call_kw("pce.saved.cart.line", "write", [self.rival_line.ids, {"quantity": 99.0}])
                )
                self.assert_rpc_refused(self.call_kw("pce.saved.cart.line", "unlink", [self.rival_line.ids]))
                created = self.call_kw(
                    "pce.saved.cart.line",
                    "create",
                    [{"cart_id": self.rival_cart.id, "product_id": self.widget.id, "quantity": 1.0}],
                )
                self.assertNotIn("result", created)
                created = self.call_kw("pce.saved.cart", "create", [{"name": "Planted", "partner_id": self.rival.id}])
                self.assertNotIn("result", created)
        self.assertEqual(self.carts_state(), before)

    def test_rpc_a_line_cannot_move_to_another_customers_cart(self):
        """A contact may edit the lines of its carts, but not move one into another customer's cart."""
        before = self.carts_state()
        self.login("portal customer")
        for target in (self.rival_cart, self.other_cart):
            with self.subTest(target=target.name):
                response = self.call_kw(
                    "pce.saved.cart.line", "write", [self.cart_line_widget.ids, {"cart_id": target.id}]
                )
                self.assertNotIn("result", response, "the line moved to another customer's cart")
                response = self.call_kw(
                    "pce.saved.cart", "write", [target.ids, {"line_ids": [Command.link(self.cart_line_widget.id)]}]
                )
                self.assertNotIn("result", response)
                response = self.call_kw(
                    "pce.saved.cart", "write", [self.cart.ids, {"line_ids": [Command.link(self.rival_line.id)]}]
                )
                self.assertNotIn("result", response, "another customer's line was taken")
        self.assertEqual(self.carts_state(), before)

    def test_rpc_a_cart_stays_with_its_customer_company_and_author(self):
        before = self.carts_state()
        self.login("portal customer")
        for values in (
            {"partner_id": self.rival.id},
            {"company_id": self.other_company.id},
            {"user_id": self.cat_salesman.id},
        ):
            with self.subTest(values=values):
                self.assertNotIn("result", self.call_kw("pce.saved.cart", "write", [self.cart.ids, values]))
                self.assertNotIn(
                    "result", self.call_kw("pce.saved.cart.line", "write", [self.cart_line_widget.ids, values])
                )
        created = self.call_kw(
            "pce.saved.cart",
            "create",
            [{"name": "Forged author", "partner_id": self.customer.id, "user_id": self.cat_salesman.id}],
        )
        if "result" in created:
            cart = self.env["pce.saved.cart"].browse(created["result"])
            self.assertEqual(cart.user_id, self.customer_user, "a cart names the salesperson as its author")
            cart.unlink()
        for values in (
            {"name": "Abroad", "partner_id": self.customer.id, "company_id": self.other_company.id},
            {"name": "Rival's", "partner_id": self.rival_user.partner_id.id},
        ):
            with self.subTest(create=values):
                self.assertNotIn("result", self.call_kw("pce.saved.cart", "create", [values]))
        self.assertEqual(self.carts_state(), before)

    def test_rpc_carts_hold_catalog_products_only(self):
        """Through RPC as through the catalog, a cart takes only products the catalog shows: a product that is not
        sold, archived, a combo or another company's would show its name on the cart page."""
        before = self.carts_state()
        self.login("portal customer")
        for product in (self.not_sold, self.archived, self.combo, self.other_company_product):
            with self.subTest(product=product.name):
                response = self.call_kw(
                    "pce.saved.cart.line", "write", [self.cart_line_widget.ids, {"product_id": product.id}]
                )
                self.assertNotIn("result", response)
                response = self.call_kw(
                    "pce.saved.cart.line",
                    "create",
                    [{"cart_id": self.cart.id, "product_id": product.id, "quantity": 1.0}],
                )
                self.assertNotIn("result", response)
        self.assertEqual(self.carts_state(), before)
        page = self.get(f"/my/carts/{self.cart.id}")
        self.assertEqual(page.status_code, 200)
        for product in (self.not_sold, self.archived, self.other_company_product):
            self.assertNotIn(product.name, page.text)

    def test_rpc_vendors_and_employees_have_no_carts(self):
        """Saved carts are the catalog's: a vendor's contact, whom the catalog refuses, cannot make one by RPC
        (it would read the catalog's product names line by line)."""
        before = self.carts_state()
        for who in ("vendor", "employee"):
            user = self.login(who)
            with self.subTest(persona=who):
                response = self.call_kw(
                    "pce.saved.cart",
                    "create",
                    [{"name": "Side door", "partner_id": user.partner_id.id, "line_ids": []}],
                )
                self.assertNotIn("result", response)
        self.assertEqual(self.carts_state(), before)

    # --- JSON-RPC: quotation request lines, customer codes ---------------------------------------------------------

    def test_rpc_request_lines_and_customer_codes_are_for_salespeople(self):
        order = (
            self.env["sale.order"]
            .sudo()
            ._pce_create_portal_request(
                self.customer_user.partner_id,
                [{"product_id": False, "description": "Blue paint", "quantity": 2.0, "wanted_date": False}],
            )
        )
        request_line = order.pce_request_line_ids
        code = self.env["product.customerinfo"].create(
            {
                "partner_id": self.customer.id,
                "product_tmpl_id": self.widget.product_tmpl_id.id,
                "product_code": "SURF-1",
            }
        )
        for who in PERSONAS:
            self.login(who)
            with self.subTest(persona=who):
                lines = self.call_kw("pce.quotation.request.line", "search_read", [[], ["description"]])
                codes = self.call_kw("product.customerinfo", "search_read", [[], ["product_code"]])
                if who == "sales manager":
                    self.assert_rpc_done(lines)
                    self.assertIn(request_line.id, [line["id"] for line in lines["result"]])
                    self.assert_rpc_done(codes)
                else:
                    self.assert_rpc_refused(lines)
                    # Employees read customer codes as they read vendor prices (OCA's and core's rights); only
                    # salespeople change them.
                    if who == "employee":
                        self.assert_rpc_done(codes)
                    else:
                        self.assert_rpc_refused(codes)
                    new_code = {
                        "partner_id": self.customer.id,
                        "product_tmpl_id": self.bolt.product_tmpl_id.id,
                        "product_code": "SURF-2",
                    }
                    self.assert_rpc_refused(self.call_kw("product.customerinfo", "create", [new_code]))
                    self.assert_rpc_refused(
                        self.call_kw("product.customerinfo", "write", [code.ids, {"product_code": "HIJACK"}])
                    )
                # Nobody writes what the customer typed, not even a sales manager.
                self.assert_rpc_refused(
                    self.call_kw("pce.quotation.request.line", "write", [request_line.ids, {"description": "Red"}])
                )
                self.assert_rpc_refused(
                    self.call_kw("pce.quotation.request.line", "create", [{"order_id": order.id, "quantity": 1.0}])
                )
                if who != "sales manager":
                    response = self.call_kw(
                        "pce.quotation.request.line", "action_pce_accept_proposal", [request_line.ids]
                    )
                    self.assertNotIn("result", response)
        self.assertEqual((request_line.description, code.product_code), ("Blue paint", "SURF-1"))

    # --- JSON-RPC: new fields of sale.order, stock.picking, res.partner; settings ----------------------------------

    def test_rpc_new_order_and_delivery_fields_of_another_customer_are_not_read(self):
        fields_order = ["pce_portal_status", "pce_portal_request", "pce_reordered_from_id"]
        for who in PERSONAS:
            self.login(who)
            with self.subTest(persona=who):
                response = self.call_kw("sale.order", "read", [self.rival_order.ids, fields_order])
                picking = self.call_kw("stock.picking", "read", [self.rival_picking.ids, ["pce_received_date"]])
                if who == "sales manager":
                    self.assert_rpc_done(response)
                else:
                    self.assert_rpc_refused(response)
                    self.assert_rpc_refused(picking)
        self.login("portal customer")
        own = self.call_kw("sale.order", "read", [self.order.ids, ["pce_portal_status"]])
        self.assert_rpc_done(own)
        self.assertEqual(own["result"][0]["pce_portal_status"], "shipped")

    def test_rpc_portal_users_do_not_write_the_new_fields(self):
        for who in ("portal customer", "other company customer", "vendor", "employee"):
            self.login(who)
            with self.subTest(persona=who):
                for values in (
                    {"pce_portal_request": True},
                    {"pce_reordered_from_id": self.rival_order.id},
                    {"pce_portal_status": "paid"},
                ):
                    self.assert_rpc_refused(self.call_kw("sale.order", "write", [self.order.ids, values]))
                self.assert_rpc_refused(
                    self.call_kw("stock.picking", "write", [self.picking.ids, {"pce_received_date": "2020-01-01"}])
                )
                for method in ("_pce_create_reorder", "_pce_get_order_status", "_pce_demo_progress"):
                    self.assertNotIn("result", self.call_kw("sale.order", method, [self.order.ids]))
                self.assertNotIn("result", self.call_kw("res.partner", "_pce_get_portal_credit", [self.rival.ids]))
                self.assertNotIn("result", self.call_kw("stock.picking", "_pce_confirm_receipt", [self.picking.ids]))
        self.env.invalidate_all()
        self.assertFalse(self.picking.pce_received_date)
        self.assertEqual(self.order.pce_portal_status, "shipped")
        self.assertFalse(self.order.pce_portal_request)

    def test_rpc_a_sales_manager_cannot_mark_an_order_as_a_portal_request_or_reorder(self):
        self.login("sales manager")
        for values in ({"pce_portal_request": True}, {"pce_reordered_from_id": self.rival_order.id}):
            self.assert_rpc_refused(self.call_kw("sale.order", "write", [self.order.ids, values]))
        self.order.invalidate_recordset()
        self.assertFalse(self.order.pce_portal_request or self.order.pce_reordered_from_id)

    def test_rpc_module_settings_are_for_settings_administrators(self):
        """Employees and portal users can call res.config.settings' default_get and onchange (no access check in
        base): the module's settings are left out for them, and they cannot save settings."""
        names = [
            "pce_reorder_enabled",
            "pce_feature_quotation_matching",
            "pce_catalog_show_exact_qty",
            "pce_catalog_low_stock_threshold",
        ]
        admin = new_test_user(self.env, login="pce_surface_admin", groups="base.group_user,base.group_system")
        self.authenticate(admin.login, admin.login)
        response = self.call_kw("res.config.settings", "default_get", [names])
        self.assert_rpc_done(response)
        self.assertLessEqual(set(names), set(response["result"]))
        for who in PERSONAS:
            self.login(who)
            with self.subTest(persona=who):
                response = self.call_kw("res.config.settings", "default_get", [names])
                if "result" in response:
                    self.assertFalse(set(response["result"]) & set(names), "a non-administrator read the settings")
                response = self.call_kw("res.config.settings", "onchange", [[], {}, [], {name: {} for name in names}])
                if "result" in response:
                    self.assertFalse(set(response["result"].get("value", {})) & set(names))
                self.assert_rpc_refused(
                    self.call_kw("res.config.settings", "create", [{"pce_catalog_show_exact_qty": True}])
                )
                self.assert_rpc_refused(
                    self.call_kw(
                        "ir.config_parameter",
                        "search_read",
                        [[("key", "like", "portal_customer_ext.")], ["key", "value"]],
                    )
                )

    # --- HTTP: catalog -------------------------------------------------------------------------------------------

    def test_http_catalog_pages_per_persona(self):
        cases = {
            "anonymous": "/web/login",
            "vendor": "/my",
            "employee": "/my",
        }
        for who in ("anonymous", *PERSONAS):
            self.login(who)
            with self.subTest(persona=who):
                page = self.get(f"/my/catalog?search={self.CATALOG_SEARCH}")
                image = self.get(f"/my/catalog/image/{self.widget.id}")
                if who in cases:
                    self.assertRedirect(page, cases[who])
                    self.assertIn(image.status_code, (303, 404))
                    continue
                self.assertEqual(page.status_code, 200)
                # the widget is shared by the companies; the other company's product is in its own catalog only
                self.assertIn(self.widget.name, page.text)
                self.assertEqual(image.status_code, 200)
                hidden = [self.not_sold, self.archived, self.combo]
                if who == "other company customer":
                    self.assertIn(self.other_company_product.name, page.text)
                    self.assertEqual(self.get(f"/my/catalog/image/{self.other_company_product.id}").status_code, 200)
                else:
                    hidden.append(self.other_company_product)
                for product in hidden:
                    self.assertNotIn(product.name, page.text)
                    self.assertEqual(self.get(f"/my/catalog/image/{product.id}").status_code, 404)

    # --- HTTP: saved carts ---------------------------------------------------------------------------------------

    def test_http_cart_pages_per_persona(self):
        for who in ("anonymous", *PERSONAS):
            self.login(who)
            with self.subTest(persona=who):
                listing = self.get("/my/carts")
                own = self.get(f"/my/carts/{self.cart.id}")
                rival = self.get(f"/my/carts/{self.rival_cart.id}")
                if who == "anonymous":
                    for response in (listing, own, rival):
                        self.assertRedirect(response, "/web/login")
                    continue
                self.assertRedirect(rival, "/my")
                if who == "portal customer":
                    self.assertEqual(listing.status_code, 200)
                    self.assertIn(self.cart.name, listing.text)
                    self.assertNotIn(self.rival_cart.name, listing.text)
                    self.assertEqual(own.status_code, 200)
                elif who == "other company customer":
                    self.assertEqual(listing.status_code, 200)
                    self.assertNotIn(self.cart.name, listing.text)
                    self.assertRedirect(own, "/my")
                else:
                    self.assertRedirect(listing, "/my")
                    self.assertRedirect(own, "/my")

    def test_http_cart_writes_of_another_customer_change_nothing(self):
        before = self.carts_state()
        rival = self.rival_cart.id
        for who in ("portal customer", "other company customer", "vendor", "employee", "sales manager"):
            self.login(who)
            with self.subTest(persona=who):
                for url, data in (
                    (f"/my/carts/{rival}/rename", {"name": "Hijacked"}),
                    (f"/my/carts/{rival}/delete", {}),
                    (f"/my/carts/{rival}/line/{self.rival_line.id}/update", {"quantity": "1"}),
                    (f"/my/carts/{rival}/line/{self.rival_line.id}/remove", {}),
                    # own cart, another customer's line
                    (f"/my/carts/{self.cart.id}/line/{self.rival_line.id}/update", {"quantity": "1"}),
                    (f"/my/carts/{self.cart.id}/line/{self.rival_line.id}/remove", {}),
                    ("/my/carts/add", {"product_id": str(self.widget.id), "quantity": "1", "cart_id": str(rival)}),
                    (f"/my/carts/{rival}/request", {}),
                ):
                    response = self.post(url, **data)
                    self.assertEqual(response.status_code, 303, url)
                    self.assertIn(urlparse(response.headers["Location"]).path, ("/my", "/my/carts", "/my/catalog"))
        self.assertEqual(self.carts_state(), before)
        self.assertFalse(
            self.env["sale.order"].search([("partner_id", "=", self.rival.id), ("pce_portal_request", "=", True)])
        )

    def test_http_cart_writes_need_a_customer_and_a_csrf_token(self):
        before = self.carts_state()
        for who in ("anonymous", "vendor", "employee", "sales manager"):
            self.login(who)
            with self.subTest(persona=who):
                for url, data in (
                    ("/my/carts/new", {"name": "Mine"}),
                    ("/my/carts/add", {"product_id": str(self.widget.id), "quantity": "1", "cart_id": "new",
                                       "new_cart_name": "Mine"}),
                    ("/my/carts/favourite", {"product_id": str(self.widget.id)}),
                ):  # fmt: skip
                    response = self.post(url, **data)
                    self.assertRedirect(response, "/web/login" if who == "anonymous" else "/my")
        self.login("portal customer")
        with mute_logger("odoo.http"):
            for url, data in (
                ("/my/carts/new", {"name": "Forged"}),
                (f"/my/carts/{self.cart.id}/rename", {"name": "Forged"}),
                (f"/my/carts/{self.cart.id}/delete", {}),
                (f"/my/carts/{self.cart.id}/line/{self.cart_line_widget.id}/update", {"quantity": "9"}),
                (f"/my/carts/{self.cart.id}/line/{self.cart_line_widget.id}/remove", {}),
                ("/my/carts/favourite", {"product_id": str(self.widget.id)}),
                (f"/my/carts/{self.cart.id}/request", {}),
            ):
                with self.subTest(url=url, csrf=False):
                    self.assertEqual(self.post(url, csrf=False, **data).status_code, 400)
        self.assertEqual(self.carts_state(), before)

    def test_http_cart_redirects_stay_on_the_site(self):
        self.login("portal customer")
        for target in ("https://evil.example.com/my/catalog", "//evil.example.com/", "/my/catalog//evil.example.com",
                       "/web/session/logout"):  # fmt: skip
            with self.subTest(redirect=target):
                response = self.post("/my/carts/favourite", product_id=str(self.service.id), redirect=target)
                self.assertEqual(response.status_code, 303)
                location = urlparse(response.headers["Location"])
                self.assertIn(location.netloc, ("", urlparse(self.base_url()).netloc))
                self.assertTrue(location.path.startswith("/my/catalog"), location.path)

    # --- HTTP: order tracking ------------------------------------------------------------------------------------

    def test_http_order_tracking_per_persona(self):
        own_url = f"/my/order-tracking/{self.order.id}"
        for who in ("anonymous", *PERSONAS):
            self.login(who)
            with self.subTest(persona=who):
                listing = self.get("/my/order-tracking")
                page = self.get(own_url)
                export = self.get("/my/order-tracking/export/csv")
                if who == "anonymous":
                    self.assertRedirect(listing, "/web/login")
                    self.assertRedirect(export, "/web/login")
                    self.assertRedirect(page, "/my")
                elif who == "portal customer":
                    self.assertEqual(page.status_code, 200)
                    self.assertIn(self.order.name, listing.text)
                    self.assertNotIn(self.rival_order.name, listing.text)
                    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
                    self.assertEqual({row[0] for row in rows[1:]}, {self.order.name})
                elif who == "sales manager":
                    self.assertEqual(page.status_code, 200)  # the salesperson's preview
                    self.assertEqual(export.status_code, 200)
                    self.assertNotIn(self.order.name, export.text)
                else:
                    self.assertRedirect(page, "/my")
                    self.assertNotIn(self.order.name, listing.text if listing.status_code == 200 else "")
                    if export.status_code == 200:
                        self.assertNotIn(self.order.name, export.content.decode("utf-8-sig"))
                        self.assertNotIn("PO-SURFACE", export.content.decode("utf-8-sig"))
                    else:
                        self.assertRedirect(export, "/my")

    def test_http_order_tracking_tokens(self):
        url = f"/my/order-tracking/{self.order.id}"
        self.login("anonymous")
        self.assertEqual(self.get(f"{url}?access_token={self.order.access_token}").status_code, 200)
        self.assertRedirect(self.get(f"{url}?access_token=wrong-token"), "/my")
        self.assertRedirect(self.get(f"{url}?access_token={self.rival_order.access_token}"), "/my")
        self.login("other company customer")
        self.assertRedirect(self.get(f"{url}?access_token={self.rival_order.access_token}"), "/my")

    def test_http_confirm_receipt_only_by_the_customer(self):
        url = f"/my/order-tracking/{self.order.id}/receipt/{self.picking.id}"
        token = {"access_token": self.order.access_token}
        for who in ("anonymous", "other company customer", "vendor", "employee", "sales manager"):
            self.login(who)
            with self.subTest(persona=who):
                response = self.post(url, **token)
                if who == "anonymous":
                    self.assertRedirect(response, "/web/login")
                else:
                    self.assertEqual(response.status_code, 303)
                    self.assertIn(
                        parse_qs(urlparse(response.headers["Location"]).query).get("message"),
                        (None, ["pce_receipt_refused"]),
                    )
        self.login("portal customer")
        # another customer's delivery through the customer's own order
        response = self.post(f"/my/order-tracking/{self.order.id}/receipt/{self.rival_picking.id}")
        self.assertRedirect(response, f"/my/order-tracking/{self.order.id}", "pce_receipt_refused")
        self.assertRedirect(
            self.post(f"/my/order-tracking/{self.rival_order.id}/receipt/{self.rival_picking.id}"), "/my"
        )
        with mute_logger("odoo.http"):
            self.assertEqual(self.post(url, csrf=False).status_code, 400)
        self.env.invalidate_all()
        self.assertFalse(self.picking.pce_received_date or self.rival_picking.pce_received_date)
        self.assertRedirect(self.post(url), f"/my/order-tracking/{self.order.id}", "pce_receipt_done")
        self.picking.invalidate_recordset()
        self.assertTrue(self.picking.pce_received_date)

    # --- HTTP: quotation requests --------------------------------------------------------------------------------

    def test_http_quotation_requests_are_for_customers(self):
        """A vendor's contact and employees neither search the catalog's products nor send requests."""
        for who in ("anonymous", "vendor", "employee", "sales manager"):
            self.login(who)
            with self.subTest(persona=who):
                search = self.get(f"/my/quotation-request/products?q={self.CATALOG_SEARCH}")
                form = self.get(f"/my/quotation-request?product_id={self.widget.id}")
                if who == "anonymous":
                    self.assertRedirect(search, "/web/login")
                    self.assertRedirect(form, "/web/login")
                else:
                    self.assertNotIn(self.widget.name, search.text)
                    self.assertRedirect(form, "/my")
                    self.assertNotIn("/my/quotation-request", self.get("/my").text)
                data = {"text_description": "Gasket", "text_quantity": "1", "product_id": str(self.widget.id),
                        "product_quantity": "1"}  # fmt: skip
                response = self.post("/my/quotation-request", **data)
                self.assertNotEqual(response.status_code, 200)
                self.assertFalse(
                    response.status_code == 303 and "/my/orders/" in response.headers.get("Location", ""),
                    "a quotation request was created",
                )
        self.assertFalse(self.env["sale.order"].search([("pce_portal_request", "=", True)]).filtered(
            lambda order: order.partner_id in (self.vendor, self.employee.partner_id.commercial_partner_id,
                                               self.sales_manager.partner_id.commercial_partner_id)
        ))  # fmt: skip
        self.login("portal customer")
        found = self.get(f"/my/quotation-request/products?q={self.CATALOG_SEARCH}").json()
        self.assertIn(self.widget.id, [product["id"] for product in found])
        self.assertFalse({product["id"] for product in found} & {self.not_sold.id, self.archived.id,
                                                                 self.other_company_product.id})  # fmt: skip

    # --- HTTP: statement and credit ------------------------------------------------------------------------------

    def test_http_statement_per_persona(self):
        invoice = self.invoice(self.order)
        for who in ("anonymous", *PERSONAS):
            self.login(who)
            with self.subTest(persona=who):
                page = self.get("/my/statement?filterby=all")
                if who == "anonymous":
                    self.assertRedirect(page, "/web/login")
                elif who == "portal customer":
                    self.assertEqual(page.status_code, 200)
                    self.assertIn(invoice.name, page.text)
                else:
                    if page.status_code == 200:
                        self.assertNotIn(invoice.name, page.text)
                    else:
                        self.assertRedirect(page, "/my")
