from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    ov_is_deposit = fields.Boolean(
        string="Deposit",
        help="A refundable deposit (e.g. on a battery): its order lines make the deposit amount sent to the asset "
        "system.",
    )
