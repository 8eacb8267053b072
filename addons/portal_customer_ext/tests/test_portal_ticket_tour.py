from odoo.tests import HttpCase, tagged

from .portal_ticket_common import PortalTicketCommon


@tagged("post_install", "-at_install")
class TestPortalTicketTour(PortalTicketCommon, HttpCase):
    """Opening a ticket from an order in a real browser: /my/orders, the order, Open a ticket, the form, the ticket."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ticket_fixtures()
        cls.order.name = "PCE-TK-TOUR"

    def test_ticket_from_order_tour(self) -> None:
        self.start_tour("/my/orders", "portal_customer_ext_ticket_from_order", login=self.colleague_user.login)

        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Two widgets missing")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.pce_sale_order_id, self.order)
        self.assertEqual(ticket.partner_id, self.colleague_user.partner_id)
        self.assertEqual(ticket.category_id, self.category)
        self.assertIn("one widget instead of three", ticket.description)
