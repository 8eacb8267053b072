"""Support tickets in the portal, tried over HTTP and JSON-RPC as anonymous, the customer's contacts, another
customer's contact, a vendor's contact, an employee without sales rights and a sales manager: opening a ticket
about an order, an invoice or a product, the checks of the form, the company's tickets, and closing."""

import io
from urllib.parse import urlparse

from odoo import http
from odoo.tests import HttpCase, tagged

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin

from .common import PortalLoginMixin
from .portal_ticket_common import PortalTicketCommon

PERSONAS = ("portal customer", "other customer", "vendor", "employee", "sales manager")


@tagged("post_install", "-at_install")
class TestPortalTicket(PortalLoginMixin, PortalTicketCommon, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ticket_fixtures()
        cls.personas = {
            "portal customer": cls.customer_user,
            "colleague": cls.colleague_user,
            "other customer": cls.rival_user,
            "vendor": cls.vendor_user,
            "employee": cls.employee,
            "sales manager": cls.sales_manager,
        }

    # --- helpers ---------------------------------------------------------------------------------------------------

    def get(self, url):
        return self.url_open(url, allow_redirects=False)

    def post(self, url, files=None, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def assertRedirect(self, response, path):
        self.assertIn(response.status_code, (302, 303), response.text[:300])
        self.assertEqual(urlparse(response.headers["Location"]).path, path)

    def submit(self, files=None, **values):
        data = {"subject": "PCE TK broken widget", "description": "It broke.", "category": str(self.category.id)}
        data.update(values)
        return self.post("/submitted/ticket", files=files, **data)

    def tickets_named(self, subject):
        return self.env["helpdesk.ticket"].search([("name", "=", subject)])

    def stage_of(self, ticket):
        ticket.invalidate_recordset(["stage_id"])
        return ticket.stage_id

    # --- the form, about a document -------------------------------------------------------------------------------

    def test_form_shows_the_document_it_is_about(self):
        for who in ("portal customer", "colleague"):
            self.login(who)
            for param, document, text in (
                ("order_id", self.order, self.order.name),
                ("invoice_id", self.invoice, self.invoice.name),
                ("product_id", self.widget, "PCE Cat Widget"),
            ):
                with self.subTest(persona=who, document=text):
                    response = self.get(f"/new/ticket?{param}={document.id}")
                    self.assertEqual(response.status_code, 200)
                    self.assertIn('id="pce_ticket_form_about"', response.text)
                    self.assertIn(text, response.text)
                    self.assertIn(f'name="{param}" value="{document.id}"', response.text)

    def test_form_about_what_the_visitor_may_not_see_sends_back_to_my(self):
        refused = [
            ("portal customer", "order_id", self.rival_order.id),
            ("portal customer", "invoice_id", self.rival_invoice.id),
            ("portal customer", "order_id", 999999999),
            ("portal customer", "order_id", "x1"),
            ("portal customer", "product_id", self.not_sold.id),
            ("portal customer", "product_id", self.archived.id),
            ("portal customer", "product_id", self.other_company_product.id),
        ] + [
            (who, param, document.id)
            for who in ("other customer", "vendor", "employee", "sales manager")
            for param, document in (("order_id", self.order), ("invoice_id", self.invoice))
        ]
        refused += [(who, "product_id", self.widget.id) for who in ("vendor", "employee", "sales manager")]
        for who, param, value in refused:
            self.login(who)
            with self.subTest(persona=who, param=param, value=value):
                response = self.get(f"/new/ticket?{param}={value}")
                self.assertRedirect(response, "/my")

    def test_anonymous_is_sent_to_login(self):
        self.login("anonymous")
        for url in ("/new/ticket", f"/new/ticket?order_id={self.order.id}", "/my/tickets"):
            with self.subTest(url=url):
                self.assertRedirect(self.get(url), "/web/login")
        count = self.env["helpdesk.ticket"].search_count([])
        response = self.url_open(
            "/submitted/ticket",
            data={"subject": "PCE TK anonymous", "description": "x", "order_id": self.order.id},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (303, 400))
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)

    # --- submitting -------------------------------------------------------------------------------------------------

    def test_submit_creates_the_linked_ticket_with_its_files(self):
        self.login("portal customer")
        files = [("attachment", ("photo.png", io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 64), "image/png"))]
        response = self.submit(files=files, order_id=str(self.order.id), subject="PCE TK dented box")
        ticket = self.tickets_named("PCE TK dented box")
        self.assertEqual(len(ticket), 1)
        self.assertRedirect(response, f"/my/ticket/{ticket.id}")
        self.assertEqual(ticket.pce_sale_order_id, self.order)
        self.assertEqual(ticket.partner_id, self.customer_user.partner_id)
        self.assertEqual(ticket.category_id, self.category)
        self.assertEqual(ticket.attachment_ids.mapped("name"), ["photo.png"])
        self.assertIn(self.customer_user.partner_id, ticket.message_partner_ids)

        page = self.get(f"/my/ticket/{ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'href="/my/orders/{self.order.id}"', page.text)
        self.assertIn("photo.png", page.text)
        listing = self.get("/my/tickets")
        self.assertIn(f'href="/my/orders/{self.order.id}"', listing.text)

    def test_submit_about_an_invoice_and_a_product(self):
        self.login("colleague")
        self.submit(invoice_id=str(self.invoice.id), subject="PCE TK invoice question")
        self.assertEqual(self.tickets_named("PCE TK invoice question").pce_invoice_id, self.invoice)
        self.submit(product_id=str(self.widget.id), subject="PCE TK product question")
        ticket = self.tickets_named("PCE TK product question")
        self.assertEqual(ticket.pce_product_id, self.widget)
        page = self.get(f"/my/ticket/{ticket.id}")
        self.assertIn("/my/catalog?search=PCEW-100", page.text)

    def test_bad_input_shows_the_form_again_with_what_was_typed(self):
        self.login("portal customer")
        count = self.env["helpdesk.ticket"].search_count([])
        cases = [
            ({"subject": "  "}, "Give your ticket a subject."),
            ({"subject": "x" * 201}, "The subject is too long"),
            ({"description": ""}, "Describe your request."),
            ({"category": ""}, "Choose a category from the list."),
            ({"category": str(self.hidden_category.id)}, "Choose a category from the list."),
            ({"category": "abc"}, "Choose a category from the list."),
            ({"order_id": str(self.rival_order.id)}, "This document is not available to you"),
            ({"order_id": "", "product_id": str(self.not_sold.id)}, "This document is not available to you"),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                data = {"order_id": str(self.order.id), "description": "My typed description", **values}
                response = self.submit(**data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                if "description" not in values:
                    self.assertIn("My typed description", response.text)
                if "order_id" not in values and "product_id" not in values:
                    self.assertIn(self.order.name, response.text, "the form lost what the ticket is about")
        response = self.submit(
            files=[("attachment", ("setup.exe", io.BytesIO(b"MZ" + b"0" * 64), "application/octet-stream"))],
            subject="PCE TK with a program",
            description="My typed description",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("cannot be attached", response.text)
        self.assertIn('value="PCE TK with a program"', response.text)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count, "a ticket was created from bad input")

    def test_nobody_else_opens_a_ticket_about_the_customers_order(self):
        for who in ("other customer", "vendor", "employee", "sales manager"):
            self.login(who)
            with self.subTest(persona=who):
                subject = f"PCE TK planted by {who}"
                response = self.submit(order_id=str(self.order.id), subject=subject)
                self.assertEqual(response.status_code, 400)
                self.assertFalse(self.tickets_named(subject))

    # --- the company's tickets --------------------------------------------------------------------------------------

    def test_every_contact_of_the_company_sees_its_tickets(self):
        for who in ("portal customer", "colleague"):
            self.login(who)
            with self.subTest(persona=who):
                listing = self.get("/my/tickets")
                self.assertIn("PCE TK own ticket", listing.text)
                self.assertNotIn("PCE TK rival ticket", listing.text)
                page = self.get(f"/my/ticket/{self.ticket.id}")
                self.assertEqual(page.status_code, 200)
                self.assertIn("Where is my widget?", page.text)
                self.assertIn(f'href="/my/orders/{self.order.id}"', page.text)
                # The order page linked from the ticket opens for every contact of the customer.
                self.assertEqual(self.get(f"/my/orders/{self.order.id}").status_code, 200)
                self.assertRedirect(self.get(f"/my/ticket/{self.rival_ticket.id}"), "/my")

    def test_ticket_routes_with_another_customers_ids(self):
        for who in ("anonymous", *PERSONAS):
            self.login(who)
            with self.subTest(persona=who):
                page = self.get(f"/my/ticket/{self.ticket.id}")
                listing = self.get("/my/tickets")
                if who == "portal customer":
                    self.assertEqual(page.status_code, 200)
                    continue
                self.assertNotEqual(page.status_code, 200)
                self.assertNotIn("Where is my widget?", page.text)
                if who == "anonymous":
                    self.assertRedirect(listing, "/web/login")
                else:
                    self.assertRedirect(page, "/my")
                    self.assertNotIn("PCE TK own ticket", listing.text)
                # with the ticket's access token (a link the customer shared), anyone may read it
                token_page = self.get(f"/my/ticket/{self.ticket.id}?access_token={self.ticket._portal_ensure_token()}")
                self.assertEqual(token_page.status_code, 200)
                self.assertRedirect(self.get(f"/my/ticket/{self.ticket.id}?access_token=wrong"), "/my")

    # --- closing ----------------------------------------------------------------------------------------------------

    def test_the_customer_closes_its_ticket(self):
        self.login("colleague")
        page = self.get(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(page.text.count('action="/ticket/close"'), 2, "Done and Cancelled, not Rejected")
        response = self.post("/ticket/close", ticket_id=self.ticket.id, stage_id=self.stage_done.id)
        self.assertRedirect(response, f"/my/ticket/{self.ticket.id}")
        self.assertEqual(self.stage_of(self.ticket), self.stage_done)
        page = self.get(f"/my/ticket/{self.ticket.id}")
        self.assertNotIn('action="/ticket/close"', page.text)

    def test_another_customers_ticket_cannot_be_closed(self):
        for who in PERSONAS[1:]:
            self.login(who)
            with self.subTest(persona=who):
                response = self.post("/ticket/close", ticket_id=self.ticket.id, stage_id=self.stage_done.id)
                self.assertRedirect(response, "/my")
                self.assertEqual(self.stage_of(self.ticket), self.stage_new)
        self.login("other customer")
        response = self.post(
            "/ticket/close", ticket_id=self.ticket.id, stage_id=self.stage_done.id, access_token="not-the-token"
        )
        self.assertRedirect(response, "/my")
        self.assertEqual(self.stage_of(self.ticket), self.stage_new)

    def test_anonymous_cannot_close_any_ticket(self):
        self.login("anonymous")
        for data in (
            {"ticket_id": self.ticket.id, "stage_id": self.stage_done.id},
            {"ticket_id": self.ticket.id, "stage_id": self.stage_done.id, "access_token": "forged"},
        ):
            response = self.url_open("/ticket/close", data=data, allow_redirects=False)
            self.assertIn(response.status_code, (303, 400))
        response = self.get(f"/ticket/close?ticket_id={self.ticket.id}&stage_id={self.stage_done.id}")
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(self.stage_of(self.ticket), self.stage_new)

    def test_only_the_portal_closing_stages_of_the_tickets_team(self):
        self.login("portal customer")
        for stage in (self.stage_in_progress, self.stage_rejected, self.team_stage):
            with self.subTest(stage=stage.name):
                self.post("/ticket/close", ticket_id=self.ticket.id, stage_id=stage.id)
                self.assertEqual(self.stage_of(self.ticket), self.stage_new)
        # A state change by GET (a link or an image in any page) is refused.
        self.get(f"/ticket/close?ticket_id={self.ticket.id}&stage_id={self.stage_done.id}")
        self.assertEqual(self.stage_of(self.ticket), self.stage_new)
        # In its team's own closing stage, then never back to another closing stage once closed.
        self.ticket.team_id = self.team
        self.post("/ticket/close", ticket_id=self.ticket.id, stage_id=self.team_stage.id)
        self.assertEqual(self.stage_of(self.ticket), self.team_stage)
        self.ticket.stage_id = self.stage_rejected
        self.post("/ticket/close", ticket_id=self.ticket.id, stage_id=self.stage_done.id)
        self.assertEqual(self.stage_of(self.ticket), self.stage_rejected)

    # --- "Open a ticket" on the customer's pages -------------------------------------------------------------------

    def test_pages_offer_to_open_a_ticket_to_the_customers_contacts(self):
        pages = (
            (f"/my/orders/{self.order.id}", f'href="/new/ticket?order_id={self.order.id}"'),
            (f"/my/order-tracking/{self.order.id}", f'href="/new/ticket?order_id={self.order.id}"'),
            (f"/my/invoices/{self.invoice.id}", f'href="/new/ticket?invoice_id={self.invoice.id}"'),
            ("/my/catalog?search=PCEW-100", f'href="/new/ticket?product_id={self.widget.id}"'),
        )
        self.login("colleague")
        for url, link in pages:
            with self.subTest(url=url):
                response = self.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertIn(link, response.text)
        # Through the order's access token, the public sees the order but is not offered a ticket.
        self.login("anonymous")
        response = self.get(f"/my/orders/{self.order.id}?access_token={self.order._portal_ensure_token()}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("/new/ticket?order_id=", response.text)

    # --- JSON-RPC and access rights ---------------------------------------------------------------------------------

    def test_rpc_tickets_and_their_links(self):
        for who in PERSONAS:
            self.login(who)
            with self.subTest(persona=who):
                read = self.call_kw("helpdesk.ticket", "read", [self.ticket.ids, ["pce_sale_order_id"]])
                if who == "portal customer":
                    self.assert_rpc_done(read)
                else:
                    self.assert_rpc_refused(read)
                # Nobody without helpdesk rights links a ticket to another document or closes it by RPC.
                self.assert_rpc_refused(
                    self.call_kw("helpdesk.ticket", "write", [self.ticket.ids, {"pce_sale_order_id": False}])
                )
                self.assert_rpc_refused(
                    self.call_kw("helpdesk.ticket", "write", [self.ticket.ids, {"stage_id": self.stage_done.id}])
                )
                self.assert_rpc_refused(
                    self.call_kw("helpdesk.ticket.stage", "write", [self.stage_done.ids, {"close_from_portal": False}])
                )
        self.ticket.invalidate_recordset()
        self.assertEqual((self.ticket.pce_sale_order_id, self.ticket.stage_id), (self.order, self.stage_new))

    def test_public_user_does_not_write_stages(self):
        public = self.env.ref("base.public_user")
        Stage = self.env["helpdesk.ticket.stage"].with_user(public)
        self.assertTrue(Stage.has_access("read"), "the public still reads stages (helpdesk_mgmt's portal pages)")
        self.assertFalse(Stage.has_access("write"))
        self.assertFalse(self.env.ref("helpdesk_mgmt.access_helpdesk_ticket_stage_public").perm_write)
