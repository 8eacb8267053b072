from odoo import _lt, api, models

# (code, name, channel, fallback channel, critical): see messaging_router's messaging.route
VENDOR_COMPLIANCE_ROUTE = ("vendor.compliance", _lt("Vendor compliance document expiry"), "email", "inapp", False)
VENDOR_SHIPPING_NOTICE_ROUTE = (
    "vendor.shipping_notice",
    _lt("Vendor advance shipping notice"),
    "email",
    "inapp",
    False,
)


class MessagingRoute(models.Model):
    _inherit = "messaging.route"

    # EXTENDS messaging_router
    @api.model
    def _default_routes(self):
        """A vendor's contacts and its buyer hear of compliance documents about to expire (by e-mail, the inbox
        otherwise); buyers hear of vendors' shipping notices the same way."""
        return [*super()._default_routes(), VENDOR_COMPLIANCE_ROUTE, VENDOR_SHIPPING_NOTICE_ROUTE]


# === RFQ responses === #

VENDOR_RFQ_RESPONSE_ROUTE = (
    "vendor.rfq_response",
    _lt("Vendor response to a request for quotation"),
    "email",
    "inapp",
    False,
)


class MessagingRouteRfqResponse(models.Model):
    _inherit = "messaging.route"

    # EXTENDS messaging_router
    @api.model
    def _default_routes(self):
        """Buyers hear of vendors' responses to their requests for quotation by e-mail (the inbox otherwise)."""
        return [*super()._default_routes(), VENDOR_RFQ_RESPONSE_ROUTE]
