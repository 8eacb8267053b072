from odoo import fields, models


class ProductProduct(models.Model):
    _name = "product.product"
    _inherit = ["product.product", "ai.bridge.audit.mixin"]
    _audit_whole_record = False  # only the alert's flag: written by the stock-out check, nobody else

    messaging_stockout_alerted = fields.Boolean(
        string="Stock-out Alert Sent",
        company_dependent=True,
        copy=False,
        readonly=True,
        help="The critical alert for this product's current stock-out in this company was sent; cleared once it is "
        "in stock again, so that the next stock-out alerts again.",
    )

    def _audited_fields(self):
        # EXTENDS ai_bridge_core
        return super()._audited_fields() | {"messaging_stockout_alerted"}
