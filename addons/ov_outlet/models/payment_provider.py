from odoo import fields, models

SALES_APP_PROVIDER_CODE = "ov_sales_app"  # payments the sales app took with its own PSP, reported through the API


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[(SALES_APP_PROVIDER_CODE, "Sales App")], ondelete={SALES_APP_PROVIDER_CODE: "set default"}
    )
