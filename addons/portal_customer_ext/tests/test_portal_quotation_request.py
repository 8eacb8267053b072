import base64
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from odoo import fields, http
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from .common import PortalLoginMixin, QuotationRequestCommon

# A 1x1 PNG, as the signature pad sends it
SIGNATURE = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8ffff3f0005fe02fe"
        "a7d6a4d30000000049454e44ae426082"
    )
).decode()


@tagged("post_install", "-at_install")
class TestPortalQuotationRequest(PortalLoginMixin, QuotationRequestCommon, HttpCaseWithUserPortal):
    """`/my/quotation-request` (form, submission, product search) for the customer, another customer and the
    public; then the customer accepts and signs the priced quotation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_quotation_request_fixtures()

    def _requests(self):
        self.env.invalidate_all()
        return self.env["sale.order"].search([("pce_portal_request", "=", True), ("partner_id", "=", self.customer.id)])

    def _post(self, data: dict, files=None, csrf: bool = True):
        data = dict(data)
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open("/my/quotation-request", data=data, files=files, allow_redirects=False)

    # --- form --- #

    def test_anonymous_redirected_to_login(self):
        self.authenticate(None, None)
        response = self.url_open("/my/quotation-request", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(urlparse(response.headers["Location"]).path, "/web/login")

    def test_form_for_the_customer_with_home_entry(self):
        self.login(self.customer_user)
        response = self.url_open("/my/quotation-request")
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="pce_quotation_request_form"', response.text)
        home = self.url_open("/my")
        self.assertIn('href="/my/quotation-request"', home.text)
        self.assertIn("Request a Quotation", home.text)

    def test_prefill_only_with_a_product_the_customer_may_buy(self):
        self.login(self.customer_user)
        response = self.url_open(f"/my/quotation-request?product_id={self.pump.id}&quantity=3")
        self.assertIn("Submersible Drainage Pump 400W", response.text)
        for product in (self.other_company_product, self.not_for_sale):
            response = self.url_open(f"/my/quotation-request?product_id={product.id}&quantity=3")
            self.assertEqual(response.status_code, 200)
            self.assertNotIn(product.name, response.text)

    def test_product_search(self):
        self.login(self.customer_user)
        found = self.url_open("/my/quotation-request/products?q=PCEQ").json()
        names = [product["name"] for product in found]
        self.assertIn("[PCEQ-PUMP-400] Submersible Drainage Pump 400W", names)
        self.assertFalse([name for name in names if "Drill" in name or "Spare" in name])

    # --- submission --- #

    def test_submit_opens_the_new_quotation(self):
        self.login(self.customer_user)
        today = fields.Date.context_today(self.env["sale.order"].with_user(self.customer_user))  # the customer's
        tomorrow = fields.Date.to_string(today + timedelta(days=1))
        response = self._post(
            {
                "reference": "PO-88",
                "note": "Urgent",
                "text_description": ["PCEQ-BOLT-M8", "A special gasket", ""],
                "text_quantity": ["50", "2", "1"],
                "text_wanted_date": [tomorrow, "", ""],
                "product_id": [str(self.pump.id), ""],
                "product_search": ["Submersible Drainage Pump 400W", "Garden hose 20 m"],
                "product_quantity": ["1", "2"],
                "product_wanted_date": ["", ""],
            },
            files=[("attachments", ("spec.txt", b"diameter 15 mm", "text/plain"))],
        )
        order = self._requests()
        self.assertEqual(len(order), 1)
        self.assertEqual(response.status_code, 303)
        location = urlparse(response.headers["Location"])
        self.assertEqual(location.path, f"/my/orders/{order.id}")
        self.assertEqual(parse_qs(location.query)["message"], ["pce_request_sent"])
        self.assertEqual(order.client_order_ref, "PO-88")
        self.assertEqual(order.order_line.product_id, self.pump | self.bolt)
        self.assertEqual(order.pce_request_line_ids.mapped("state"), ["matched", "matched", "text", "text"])
        self.assertEqual(order.pce_request_line_ids[3].description, "Garden hose 20 m", "typed, not chosen: kept")
        self.assertEqual(
            self.env["ir.attachment"].search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)]).name,
            "spec.txt",
        )

        landing = self.url_open(response.headers["Location"])
        self.assertEqual(landing.status_code, 200)
        self.assertIn("Thank you for your request!", landing.text)
        self.assertIn("A special gasket", landing.text)
        quotes = self.url_open("/my/quotes")
        self.assertIn(order.name, quotes.text, "the draft is listed in the customer's quotations")

    def test_colleague_sees_it_other_customer_does_not(self):
        order = (
            self.env["sale.order"]
            .sudo()
            ._pce_create_portal_request(self.customer_user.partner_id, [self.request_line("Gasket", 1)])
        )
        self.login(self.colleague_user)
        self.assertIn(order.name, self.url_open("/my/quotes").text)
        self.assertEqual(self.url_open(f"/my/orders/{order.id}").status_code, 200)
        self.login(self.rival_user)
        self.assertNotIn(order.name, self.url_open("/my/quotes").text)
        with mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model"):
            response = self.url_open(f"/my/orders/{order.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(urlparse(response.headers["Location"]).path, "/my")

    def test_bad_input_keeps_the_customer_input(self):
        self.login(self.customer_user)
        response = self._post(
            {
                "reference": "PO-KEEP",
                "text_description": ["Blue paint 5 l", "Red paint 5 l"],
                "text_quantity": ["3", "0"],
                "text_wanted_date": ["", ""],
                "note": "Keep this note",
            }
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Line 2: the quantity must be a positive number.", response.text)
        for typed in ("PO-KEEP", "Blue paint 5 l", "Red paint 5 l", "Keep this note"):
            self.assertIn(typed, response.text)
        self.assertFalse(self._requests())

    def test_other_company_product_refused(self):
        self.login(self.customer_user)
        for product in (self.other_company_product, self.not_for_sale):
            response = self._post(
                {"product_id": [str(product.id)], "product_quantity": ["1"], "product_wanted_date": [""]}
            )
            self.assertEqual(response.status_code, 400)
            self.assertIn("this product is not available to you", response.text)
        response = self._post({"product_id": ["999999999"], "product_quantity": ["1"], "product_wanted_date": [""]})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._requests())

    def test_bad_attachment_refused(self):
        self.login(self.customer_user)
        response = self._post(
            {"text_description": ["Gasket"], "text_quantity": ["1"], "text_wanted_date": [""]},
            files=[("attachments", ("virus.exe", b"MZ....", "application/octet-stream"))],
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("cannot be attached", response.text)
        self.assertIn("Gasket", response.text)
        self.assertFalse(self._requests())

    @mute_logger("odoo.http")
    def test_csrf_required(self):
        self.login(self.customer_user)
        response = self._post({"text_description": ["Gasket"], "text_quantity": ["1"]}, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._requests())

    def test_internal_user_refused(self):
        self.login(self.salesman)
        response = self._post({"text_description": ["Gasket"], "text_quantity": ["1"], "text_wanted_date": [""]})
        self.assertEqual(response.status_code, 400)
        self.assertIn("customer&#39;s portal account", response.text)

    # --- the priced quotation is accepted and signed in the portal --- #

    def test_customer_accepts_and_signs_the_priced_quotation(self):
        order = (
            self.env["sale.order"]
            .sudo()
            ._pce_create_portal_request(self.customer_user.partner_id, [self.request_line("A special gasket", 4)])
        )
        # The salesperson adds and prices the product, then sends the quotation.
        salesman_order = order.with_user(self.salesman)
        salesman_order.write(
            {"order_line": [fields.Command.create({"product_id": self.valve.id, "product_uom_qty": 4})]}
        )
        salesman_order.order_line.price_unit = 11.0
        salesman_order.write({"require_signature": True, "require_payment": False})
        salesman_order.action_quotation_sent()
        order.state = "sent"

        self.login(self.customer_user)
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Sign", page.text)
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"access_token": order.access_token, "name": "Carla Customer", "signature": SIGNATURE},
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.env.invalidate_all()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.signed_by, "Carla Customer")
        self.assertAlmostEqual(order.amount_untaxed, 44.0)


@tagged("post_install", "-at_install")
class TestQuotationRequestTour(QuotationRequestCommon, HttpCaseWithUserPortal):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_quotation_request_fixtures()

    def test_tour(self):
        """A portal customer sends a request with free-text lines from the form and lands on the quotation."""
        self.start_tour("/my", "portal_customer_ext_quotation_request", login=self.customer_user.login)
        order = self.env["sale.order"].search(
            [("pce_portal_request", "=", True), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(order.client_order_ref, "TOUR-REF-42")
        self.assertEqual(
            order.pce_request_line_ids.mapped("description"), ["Blue widget large", "Some custom bracket, 30 cm"]
        )
        self.assertEqual(order.pce_request_line_ids[0].quantity, 7)
