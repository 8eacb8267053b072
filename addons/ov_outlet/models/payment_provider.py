from odoo import _, api, fields, models

from odoo.addons.payment import utils as payment_utils

SALES_APP_PROVIDER_CODE = "ov_sales_app"  # payments the sales app took with its own PSP, reported through the API


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[(SALES_APP_PROVIDER_CODE, "Sales App")], ondelete={SALES_APP_PROVIDER_CODE: "set default"}
    )

    @api.model
    def _get_compatible_providers(self, *args, report=None, **kwargs):
        """EXTENDS payment: the Sales App provider only records what the sales app reports through the API; it is
        never offered to pay on the portal or the website (not even to internal users, who see unpublished
        providers there)."""
        providers = super()._get_compatible_providers(*args, report=report, **kwargs)
        sales_app = providers.filtered(lambda provider: provider.code == SALES_APP_PROVIDER_CODE)
        payment_utils.add_to_report(
            report, sales_app, available=False, reason=_("Payments of the sales app, reported through its API")
        )
        return providers - sales_app
