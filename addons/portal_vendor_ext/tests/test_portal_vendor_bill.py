"""/my/vendor-bills: the vendor's posted bills and refunds with what is paid, what is due and when it was paid, tried
by every persona (the vendor, another vendor, a customer's portal contact, an employee, no login) and with guessed
ids; the list reads the payments of all its bills in a constant number of queries."""

import re

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import PortalVendorExtCommon


@tagged("post_install", "-at_install")
class TestPortalVendorBill(PortalVendorExtCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ack_fixtures()
        env = cls.env
        cls.customer = env["res.partner"].create({"name": "PVE Bill Customer", "is_company": True})
        cls.customer_user = new_test_user(
            env, login="pve_bill_customer", groups="base.group_portal", parent_id=cls.customer.id
        )
        cls.employee = new_test_user(env, login="pve_bill_employee", groups="base.group_user")
        cls.bill = cls._post_bill(cls.vendor, 100.0, ref="SUP-0001")
        cls.refund = cls._post_bill(cls.vendor, 30.0, ref="SUP-CN-1", move_type="in_refund")
        cls.draft_bill = cls._make_bill(cls.vendor, 55.0, ref="SUP-DRAFT")
        cls.rival_bill = cls._post_bill(cls.other_vendor, 70.0, ref="RIV-0001")
        # A customer invoice of the same partner: the portal rule lets its contact read it, but it is not a bill.
        cls.customer_invoice = cls._post_bill(cls.vendor, 80.0, move_type="out_invoice")

    @classmethod
    def _make_bill(cls, partner, amount: float, ref: str = "", move_type: str = "in_invoice"):
        return cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "ref": ref,
                "invoice_date": "2026-03-01",
                "invoice_date_due": "2026-03-31",
                "invoice_line_ids": [
                    Command.create({"name": "Bolts", "quantity": 1.0, "price_unit": amount, "tax_ids": False})
                ],
            }
        )

    @classmethod
    def _post_bill(cls, partner, amount: float, ref: str = "", move_type: str = "in_invoice"):
        move = cls._make_bill(partner, amount, ref=ref, move_type=move_type)
        move.action_post()
        return move

    def _pay(self, bills, date: str, amount: float | None = None):
        values = {"payment_date": date}
        if amount is not None:
            values["amount"] = amount
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=bills.ids).create(
            {**values, "group_payment": False}
        )._create_payments()

    def get(self, url: str):
        return self.url_open(url, allow_redirects=False)

    def amount(self, html: str, element_id: str) -> str:
        """:return: the amount shown in the element `element_id` of the page, as printed ("40.00")"""
        found = re.search(rf'id="{element_id}">.*?class="oe_currency_value">([^<]*)<', html, re.DOTALL)
        self.assertTrue(found, f"no amount in #{element_id}")
        return found.group(1)

    def assertRedirectsTo(self, response, path: str):
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.assertIn(path, response.headers["Location"])

    # === THE VENDOR === #

    def test_vendor_sees_its_posted_bills_and_refunds_only(self):
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        response = self.get("/my/vendor-bills")
        self.assertEqual(response.status_code, 200)
        self.assertIn("SUP-0001", response.text)
        self.assertIn("SUP-CN-1", response.text)
        self.assertIn(self.bill.name, response.text)
        for hidden in ("SUP-DRAFT", "RIV-0001", self.customer_invoice.name):
            self.assertNotIn(hidden, response.text)
        self.assertIn("/my/vendor-bills", self.get("/my").text)

    def test_a_payment_shows_its_date_and_amounts(self):
        self._pay(self.bill, "2026-03-05", 40.0)
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        page = self.get(f"/my/vendor-bills/{self.bill.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("03/05/2026", page.text)
        self.assertEqual(self.amount(page.text, "pve_amount_paid"), "40.00")
        self.assertEqual(self.amount(page.text, "pve_amount_due"), "60.00")
        self.assertEqual(self.amount(page.text, "pve_payments"), "40.00")
        self.assertIn("Partially Paid", page.text)
        listing = self.get("/my/vendor-bills")
        self.assertIn("03/05/2026", listing.text)
        # the rest later: two payment dates, the bill then shown as paid and no longer to be paid
        self._pay(self.bill, "2026-03-20")
        page = self.get(f"/my/vendor-bills/{self.bill.id}")
        self.assertIn("03/05/2026", page.text)
        self.assertIn("03/20/2026", page.text)
        self.assertEqual(self.amount(page.text, "pve_amount_paid"), "100.00")
        self.assertEqual(self.amount(page.text, "pve_amount_due"), "0.00")
        self.assertIn("SUP-0001", self.get("/my/vendor-bills?filterby=paid").text)
        self.assertNotIn("SUP-0001", self.get("/my/vendor-bills?filterby=open").text)
        self.assertIn("SUP-CN-1", self.get("/my/vendor-bills?filterby=open").text)

    def test_unpaid_bill_says_so(self):
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        page = self.get(f"/my/vendor-bills/{self.bill.id}")
        self.assertIn('id="pve_no_payment"', page.text)
        self.assertIn("Not Paid", page.text)

    def test_vendor_guessing_ids_goes_back_to_my(self):
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        for move in (self.rival_bill, self.draft_bill, self.customer_invoice):
            with self.subTest(move=move.name):
                self.assertRedirectsTo(self.get(f"/my/vendor-bills/{move.id}"), "/my")
        self.assertRedirectsTo(self.get("/my/vendor-bills/999999999"), "/my")

    # === EVERYONE ELSE === #

    def test_other_vendor_sees_its_own_only(self):
        self.authenticate(self.other_vendor_user.login, self.other_vendor_user.login)
        response = self.get("/my/vendor-bills")
        self.assertEqual(response.status_code, 200)
        self.assertIn("RIV-0001", response.text)
        self.assertNotIn("SUP-0001", response.text)
        self.assertRedirectsTo(self.get(f"/my/vendor-bills/{self.bill.id}"), "/my")

    def test_customer_sees_no_bill(self):
        self.authenticate(self.customer_user.login, self.customer_user.login)
        response = self.get("/my/vendor-bills")
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="pve_no_bills"', response.text)
        self.assertRedirectsTo(self.get(f"/my/vendor-bills/{self.bill.id}"), "/my")

    def test_employee_without_accounting_rights_goes_back_to_my(self):
        self.authenticate(self.employee.login, self.employee.login)
        self.assertRedirectsTo(self.get("/my/vendor-bills"), "/my")
        self.assertRedirectsTo(self.get(f"/my/vendor-bills/{self.bill.id}"), "/my")

    def test_anonymous_is_asked_to_sign_in(self):
        self.authenticate(None, None)
        for url in ("/my/vendor-bills", f"/my/vendor-bills/{self.bill.id}"):
            with self.subTest(url=url):
                self.assertRedirectsTo(self.get(url), "/web/login")

    # === QUERIES === #

    def _list_query_count(self) -> tuple:
        self.get("/my/vendor-bills")  # warm the caches
        before = self.cr.sql_log_count
        response = self.get("/my/vendor-bills")
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before, response

    def test_constant_queries_3_vs_30_bills(self):
        bills = self.bill | self._post_bill(self.vendor, 10.0, ref="SUP-Q-0")
        self._pay(bills, "2026-03-07")
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        few, response = self._list_query_count()
        self.assertEqual(response.text.count('class="pve_bill '), 3)
        more = self.env["account.move"]
        for index in range(27):
            more |= self._make_bill(self.vendor, 10.0 + index, ref=f"SUP-Q-{index + 1}")
        more.action_post()
        self._pay(more[:20], "2026-03-08")
        many, response = self._list_query_count()
        self.assertEqual(response.text.count('class="pve_bill '), 30)
        self.assertEqual(response.text.count("03/08/2026"), 20)
        self.assertEqual(few, many, "the list makes as many queries for 30 bills as for 3")
