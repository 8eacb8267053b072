from odoo import _lt, api, models

QUOTATION_REQUEST_ROUTE = ("quotation.request", _lt("Portal quotation request"), "email", "inapp", False)


class MessagingRoute(models.Model):
    _inherit = "messaging.route"

    # EXTENDS messaging_router
    @api.model
    def _default_routes(self):
        """The sales team hears of each portal quotation request (by e-mail, the inbox otherwise)."""
        return [*super()._default_routes(), QUOTATION_REQUEST_ROUTE]
