from odoo import _lt, api, models

# (code, name, channel, fallback channel, critical): see messaging_router's messaging.route
QUOTATION_REQUEST_ROUTE = ("quotation.request", _lt("Portal quotation request"), "email", "inapp", False)
TICKET_STATUS_ROUTE = ("helpdesk.ticket.status", _lt("Support ticket status"), "email", "inapp", False)
CUSTOMER_SIGNUP_ROUTE = ("customer.signup", _lt("New customer sign-up"), "email", "inapp", False)


class MessagingRoute(models.Model):
    _inherit = "messaging.route"

    # EXTENDS messaging_router
    @api.model
    def _default_routes(self):
        """The sales team hears of each portal quotation request and of each new customer who signs up; a
        customer's contacts hear of the status changes of their support tickets (by e-mail, the inbox otherwise)."""
        return [*super()._default_routes(), QUOTATION_REQUEST_ROUTE, TICKET_STATUS_ROUTE, CUSTOMER_SIGNUP_ROUTE]
