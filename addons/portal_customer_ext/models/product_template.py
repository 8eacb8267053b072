from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    pce_customer_code_ids = fields.One2many(
        comodel_name="pce.customer.product.code",
        inverse_name="product_tmpl_id",
        string="Customer Codes",
        help="The codes and names customers use for this product in their quotation requests.",
    )
