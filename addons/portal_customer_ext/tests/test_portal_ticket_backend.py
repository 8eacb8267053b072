"""Tickets in the backend: a ticket is about its own customer's order or invoice, and helpdesk users open the
tickets of an order or invoice from its *Tickets* button."""

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .portal_ticket_common import PortalTicketCommon


@tagged("post_install", "-at_install")
class TestPortalTicketBackend(PortalTicketCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ticket_fixtures()
        cls.helpdesk_salesman = new_test_user(
            cls.env,
            login="pce_tk_helpdesk_sales",
            groups="sales_team.group_sale_salesman,account.group_account_invoice,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.plain_salesman = new_test_user(
            cls.env, login="pce_tk_sales", groups="sales_team.group_sale_salesman,account.group_account_invoice"
        )

    def test_a_ticket_is_about_its_own_customers_documents(self):
        for values in ({"pce_sale_order_id": self.rival_order.id}, {"pce_invoice_id": self.rival_invoice.id}):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.ticket.write(values)
        with self.assertRaises(ValidationError):
            self.ticket.partner_id = self.rival_user.partner_id
        self.ticket.write({"pce_invoice_id": self.invoice.id, "pce_product_id": self.bolt.id})
        self.assertEqual(
            [document["url"] for document in self.ticket._pce_get_portal_documents()[self.ticket.id]],
            [f"/my/orders/{self.order.id}", f"/my/invoices/{self.invoice.id}", "/my/catalog?search=PCEB-10"],
        )

    def test_tickets_buttons_for_helpdesk_users(self):
        self.ticket.pce_invoice_id = self.invoice
        for model, record, action_xmlid in (
            ("sale.order", self.order, "portal_customer_ext.helpdesk_ticket_action_pce_sale_order"),
            ("account.move", self.invoice, "portal_customer_ext.helpdesk_ticket_action_pce_invoice"),
        ):
            action = self.env.ref(action_xmlid)
            with self.subTest(model=model):
                arch = self.env[model].with_user(self.helpdesk_salesman).get_views([(False, "form")])["views"]
                self.assertIn(f'name="{action.id}"', arch["form"]["arch"])
                arch = self.env[model].with_user(self.plain_salesman).get_views([(False, "form")])["views"]
                self.assertNotIn(f'name="{action.id}"', arch["form"]["arch"])
                domain = safe_eval(action.domain, {"active_id": record.id})
                tickets = self.env["helpdesk.ticket"].with_user(self.helpdesk_salesman).search(domain)
                self.assertEqual(tickets, self.ticket)
