from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    messaging_sale_approval_amount = fields.Monetary(
        string="Sales Order Approval Amount",
        currency_field="currency_id",
        help="Orders of this amount or more (taxes included, company currency) that a salesperson confirms wait "
        "for a sales manager's approval. 0: no approval.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["messaging.route"]._ensure_default_routes(companies)
        return companies
