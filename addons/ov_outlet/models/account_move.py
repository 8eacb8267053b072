from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    # Carried from the sales order (same names as there, so that both documents filter alike).
    x_outlet_id = fields.Many2one("ov.outlet", string="Outlet", index="btree_not_null", check_company=True)
    x_channel_partner_id = fields.Many2one("res.partner", string="Channel Partner", index="btree_not_null")
    x_sales_rep_id = fields.Many2one("res.partner", string="Sales Rep", index="btree_not_null")
