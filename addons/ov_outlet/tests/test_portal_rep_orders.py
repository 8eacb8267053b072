"""Sales reps' orders in the portal (/my/rep-orders): a rep with a portal user reads, and only reads, the orders
where they are the sales rep. Tried through real HTTP as two reps, anonymous, a portal customer, a vendor, an
internal user without sales rights and a salesman; and over JSON-RPC, where the rep gets nothing stock does not
already give a portal user."""

import json
import re
from unittest.mock import patch
from urllib.parse import urlparse

from odoo import http
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin
from odoo.addons.ov_outlet.controllers.portal import CustomerPortalSalesRep
from odoo.addons.portal_customer_ext.tests.common import PortalLoginMixin

from .common import OvOutletCommon

NOT_REPS = ("customer", "vendor", "employee", "salesman")


@tagged("post_install", "-at_install")
class TestPortalRepOrders(PortalLoginMixin, OvOutletCommon, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.anna_user = new_test_user(
            env, login="ov_rep_anna", groups="base.group_portal", name="Anna Rep", partner_id=cls.rep_anna.id
        )
        cls.bruno_user = new_test_user(
            env, login="ov_rep_bruno", groups="base.group_portal", name="Bruno Rep", partner_id=cls.rep_bruno.id
        )
        cls.customer_user = new_test_user(
            env, login="ov_rep_customer", groups="base.group_portal", name="Outlet Customer", partner_id=cls.customer.id
        )
        vendor = env["res.partner"].create({"name": "Rep Test Vendor", "is_company": True, "supplier_rank": 1})
        cls.vendor_user = new_test_user(env, login="ov_rep_vendor", groups="base.group_portal", parent_id=vendor.id)
        cls.employee = new_test_user(env, login="ov_rep_employee", groups="base.group_user")
        cls.salesman = new_test_user(env, login="ov_rep_salesman", groups="sales_team.group_sale_salesman")
        cls.personas = {
            "anna": cls.anna_user,
            "bruno": cls.bruno_user,
            "customer": cls.customer_user,
            "vendor": cls.vendor_user,
            "employee": cls.employee,
            "salesman": cls.salesman,
        }

        cls.anna_order = cls._create_order(outlet=cls.outlet_ghent, rep=cls.rep_anna, amount=120.0, qty=3)
        cls.anna_quote = cls._create_order(outlet=cls.outlet_austin, rep=cls.rep_anna, amount=75.0, confirm=False)
        cls.anna_quote.action_quotation_sent()
        cls.anna_cancelled = cls._create_order(outlet=cls.outlet_ghent, rep=cls.rep_anna, confirm=False)
        cls.anna_cancelled._action_cancel()
        cls.bruno_order = cls._create_order(outlet=cls.outlet_ghent_kiosk, rep=cls.rep_bruno, amount=50.0)
        cls.no_rep_order = cls._create_order(outlet=cls.outlet_ghent, amount=60.0)
        # The customer follows its orders, as sending them does: stock's portal shows them to the customer.
        (cls.anna_order | cls.anna_quote | cls.bruno_order | cls.no_rep_order).message_subscribe(
            partner_ids=cls.customer.ids
        )
        # Anna's order in a company her portal user does not belong to.
        cls.other_company = env["res.company"].create({"name": "Rep Test Other Company"})
        cls.foreign_order = (
            env["sale.order"]
            .with_company(cls.other_company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.other_company.id,
                    "x_sales_rep_id": cls.rep_anna.id,
                    "order_line": [Command.create({"product_id": cls.product.id, "price_unit": 10.0, "tax_id": False})],
                }
            )
        )
        cls.anna_orders = cls.anna_order | cls.anna_quote

    # --- helpers ---------------------------------------------------------------------------------------------------

    def get(self, url):
        return self.url_open(url, allow_redirects=False)

    def assertRedirect(self, response, path):
        self.assertEqual(response.status_code, 303, response.text[:300] if response.status_code == 200 else "")
        self.assertEqual(urlparse(response.headers["Location"]).path, path)

    def listed_ids(self, response):
        """:return: the ids of the order rows of a list page, in their order"""
        self.assertEqual(response.status_code, 200)
        return [int(found) for found in re.findall(r'class="ov_rep_order_row" data-order-id="(\d+)"', response.text)]

    def json_call(self, url, params):
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    # --- list ------------------------------------------------------------------------------------------------------

    def test_list_shows_the_reps_quotations_and_orders_only(self):
        self.login("anna")
        response = self.get("/my/rep-orders")
        self.assertEqual(set(self.listed_ids(response)), set(self.anna_orders.ids))
        page = response.text
        for expected in ("Outlet Customer", "[GNT] Ghent Store", "[AUS] Austin Store", "Sales Order", "Quotation"):
            self.assertIn(expected, page)
        self.assertIn(self.anna_order.name, page)
        self.assertRegex(page, r"\$\s?360\.00")  # 3 x 120.00
        for hidden in self.bruno_order | self.no_rep_order | self.anna_cancelled | self.foreign_order:
            self.assertNotIn(f"/my/rep-orders/{hidden.id}", page)

        self.login("bruno")
        self.assertEqual(self.listed_ids(self.get("/my/rep-orders")), self.bruno_order.ids)

    def test_list_search_filter_sort_and_pages(self):
        self.login("anna")
        cases = {
            "?search=Austin&search_in=outlet": self.anna_quote.ids,
            "?search=GNT&search_in=outlet": self.anna_order.ids,
            f"?search={self.anna_order.name}&search_in=name": self.anna_order.ids,
            "?search=Outlet%20Customer&search_in=customer": sorted(self.anna_orders.ids),
            "?search=Austin": self.anna_quote.ids,
            "?search=Kiosk": [],  # Bruno's outlet: the search never widens the rep's own domain
            "?filterby=quotations": self.anna_quote.ids,
            "?filterby=orders": self.anna_order.ids,
            "?sortby=amount": [self.anna_order.id, self.anna_quote.id],  # 360.00, then 75.00
            "?sortby=outlet&filterby=nonsense&search_in=nonsense": [self.anna_quote.id, self.anna_order.id],
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                listed = self.listed_ids(self.get(f"/my/rep-orders{query}"))
                self.assertEqual(sorted(listed) if "customer" in query else listed, expected)
        response = self.get("/my/rep-orders?search=Kiosk")
        self.assertIn("There are no orders to show.", response.text)
        with patch.object(CustomerPortalSalesRep, "_items_per_page", 1):
            first = self.get("/my/rep-orders?sortby=name")
            second = self.get("/my/rep-orders/page/2?sortby=name")
        self.assertEqual(self.listed_ids(first), self.anna_order.ids)
        self.assertEqual(self.listed_ids(second), self.anna_quote.ids)
        self.assertIn("/my/rep-orders/page/2?sortby=name", first.text)

    def test_list_refused_to_everyone_but_reps(self):
        self.login("anonymous")
        self.assertRedirect(self.get("/my/rep-orders"), "/web/login")
        for who in NOT_REPS:
            with self.subTest(who=who):
                self.login(who)
                self.assertRedirect(self.get("/my/rep-orders"), "/my")

    def test_home_entry_for_reps_only(self):
        counters = {"anna": 2, "bruno": 1, "customer": 0, "vendor": 0, "employee": 0, "salesman": 0}
        for who, expected in counters.items():
            with self.subTest(who=who):
                self.login(who)
                result = self.json_call("/my/counters", {"counters": ["ov_rep_order_count"]})["result"]
                self.assertEqual(result["ov_rep_order_count"], expected)
        self.login("anna")
        self.assertIn('href="/my/rep-orders"', self.get("/my/home").text)

    # --- detail ----------------------------------------------------------------------------------------------------

    def test_detail_is_read_only(self):
        self.anna_order.order_line = [
            Command.create({"display_type": "line_note", "name": "Deliver before noon"}),
        ]
        self.login("anna")
        response = self.get(f"/my/rep-orders/{self.anna_order.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        for expected in (
            self.anna_order.name,
            "Outlet Customer",
            "[GNT] Ghent Store",
            "Ghent, Belgium",
            "North Channel",
        ):
            self.assertIn(expected, page)
        self.assertIn("Outlet Widget", page)
        self.assertIn("Deliver before noon", page)
        self.assertRegex(page, r"\$\s?120\.00")
        self.assertRegex(page, r"\$\s?360\.00")
        self.assertEqual(len(re.findall(r'class="ov_rep_order_line"', page)), 1)
        # Nothing to act on: no link to sale's own page, no sign, pay, accept, decline, PDF or chatter.
        for absent in (
            f"/my/orders/{self.anna_order.id}",
            "modalaccept",
            "modaldecline",
            "o_portal_pay",
            "report_type=pdf",
            "o_portal_chatter",
            "access_token",
        ):
            self.assertNotIn(absent, page)
        self.assertEqual(self.get(f"/my/rep-orders/{self.anna_quote.id}").status_code, 200)

    def test_detail_refused_for_other_orders_and_people(self):
        self.login("anna")
        guessed = self.env["sale.order"].search([], order="id desc", limit=1).id + 1000
        for order_id in (
            self.bruno_order.id,
            self.no_rep_order.id,
            self.anna_cancelled.id,
            self.foreign_order.id,
            guessed,
        ):
            with self.subTest(order_id=order_id):
                self.assertRedirect(self.get(f"/my/rep-orders/{order_id}"), "/my")
        self.login("bruno")
        self.assertRedirect(self.get(f"/my/rep-orders/{self.anna_order.id}"), "/my")
        for who in NOT_REPS:  # the customer of the order too: its page is /my/orders/<id>
            with self.subTest(who=who):
                self.login(who)
                self.assertRedirect(self.get(f"/my/rep-orders/{self.anna_order.id}"), "/my")
        self.login("anonymous")
        self.assertRedirect(self.get(f"/my/rep-orders/{self.anna_order.id}"), "/web/login")

    # --- stock pages stay closed -----------------------------------------------------------------------------------

    def test_stock_order_pages_refused_to_a_rep_who_is_not_the_customer(self):
        self.login("anna")
        for order in self.anna_orders:
            with self.subTest(order=order.name):
                self.assertRedirect(self.get(f"/my/orders/{order.id}"), "/my")
        self.assertNotIn(f"/my/orders/{self.anna_order.id}", self.get("/my/orders").text)
        self.assertNotIn(f"/my/orders/{self.anna_quote.id}", self.get("/my/quotes").text)

        result = self.json_call(
            f"/my/orders/{self.anna_quote.id}/accept", {"name": "Anna Rep", "signature": "R0lGODlhAQABAAAAACw="}
        )["result"]
        self.assertIn("error", result)
        response = self.url_open(
            f"/my/orders/{self.anna_quote.id}/decline",
            data={"decline_message": "No thanks", "csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )
        self.assertRedirect(response, "/my")
        self.anna_quote.invalidate_recordset()
        self.assertEqual(self.anna_quote.state, "sent")
        self.assertFalse(self.anna_quote.signature)
        self.assertFalse(self.anna_quote.signed_by)

        # The customer, on the other hand, still reaches its own order through stock's page.
        self.login("customer")
        self.assertEqual(self.get(f"/my/orders/{self.anna_order.id}").status_code, 200)

    def test_rep_orders_tour(self):
        self.start_tour("/my/home", "ov_outlet_rep_orders_tour", login=self.anna_user.login)

    # --- JSON-RPC --------------------------------------------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_rpc_gives_the_rep_nothing_more_than_stock(self):
        self.login("anna")
        result = self.call_kw("sale.order", "search_read", [[], ["name", "x_sales_rep_id"]])
        self.assert_rpc_done(result)
        self.assertEqual(result["result"], [])
        result = self.call_kw("sale.order.line", "search_read", [[], ["name"]])
        self.assert_rpc_done(result)
        self.assertEqual(result["result"], [])
        self.assert_rpc_refused(self.call_kw("sale.order", "read", [self.anna_order.ids, ["name"]]))
        self.assert_rpc_refused(self.call_kw("sale.order", "write", [self.anna_quote.ids, {"note": "x"}]))
        self.assert_rpc_refused(self.call_kw("ov.outlet", "search_read", [[], ["name"]]))


@tagged("post_install", "-at_install")
class TestPortalRepOrdersDemo(HttpCase):
    """The demo login of the README: Lena Peeters, demo sales rep, logs in as rep / rep and finds her orders (needs a
    database installed with demo data)."""

    def setUp(self):
        super().setUp()
        if not self.env["ir.module.module"]._get("ov_outlet").demo:
            self.skipTest("ov_outlet is installed without its demo data")

    def test_demo_rep_sees_her_orders(self):
        lena = self.env.ref("ov_outlet.res_partner_rep_lena_demo")
        user = self.env.ref("ov_outlet.res_users_rep_lena_demo")
        self.assertEqual((user.login, user.partner_id, user.share), ("rep", lena, True))
        self.authenticate("rep", "rep")
        orders = self.env["sale.order"].search([("x_sales_rep_id", "=", lena.id), ("state", "!=", "cancel")])
        confirmed = orders.filtered(lambda order: order.state == "sale")
        self.assertEqual(len(confirmed), 4)
        for query, expected in (("", orders), ("?filterby=orders", confirmed)):
            with self.subTest(query=query):
                page = self.url_open(f"/my/rep-orders{query}").text
                listed = {int(found) for found in re.findall(r'class="ov_rep_order_row" data-order-id="(\d+)"', page)}
                self.assertEqual(listed, set(expected.ids))
