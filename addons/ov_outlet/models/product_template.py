from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    ov_is_deposit = fields.Boolean(
        string="Deposit",
        help="A refundable deposit (e.g. on a battery): its order lines make the deposit amount sent to the asset "
        "system.",
    )
    ov_usage_allowance = fields.Float(
        string="Usage Allowance",
        digits="Product Unit of Measure",
        help="Units of usage reported by the asset system (e.g. battery swaps) included per unit ordered. "
        "Usage beyond it is billed with the overage product.",
    )
    ov_usage_overage_product_id = fields.Many2one(
        "product.product",
        string="Overage Product",
        domain="[('type', '=', 'service'), ('invoice_policy', '=', 'delivery')]",
        help="Service (invoiced on delivered quantities) that bills usage beyond the allowance. Empty: this product "
        "itself when it is such a service; otherwise usage beyond the allowance is recorded but not billed.",
    )

    @api.constrains("ov_usage_overage_product_id")
    def _check_ov_usage_overage_product_id(self):
        for template in self:
            overage = template.ov_usage_overage_product_id
            if overage and (overage.type != "service" or overage.invoice_policy != "delivery"):
                raise ValidationError(
                    _("The overage product %s must be a service invoiced on delivered quantities.", overage.name)
                )
