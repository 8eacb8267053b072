from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    messaging_stockout_alerted = fields.Boolean(
        string="Stock-out Alert Sent",
        company_dependent=True,
        copy=False,
        readonly=True,
        help="The critical alert for this product's current stock-out in this company was sent; cleared once it is "
        "in stock again, so that the next stock-out alerts again.",
    )
