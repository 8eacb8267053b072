from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    ov_is_channel_partner = fields.Boolean(
        string="Channel Partner", help="A company that runs outlets and resells for us."
    )
    ov_is_sales_rep = fields.Boolean(
        string="Sales Rep", help="A field sales representative (a contact, not a user) credited on sales orders."
    )
    ov_outlet_ids = fields.One2many("ov.outlet", "channel_partner_id", string="Outlets")
    ov_outlet_count = fields.Integer(compute="_compute_ov_outlet_count", string="Outlets Count")
    ov_channel_order_count = fields.Integer(compute="_compute_ov_order_counts", string="Channel Orders")
    ov_sales_rep_order_count = fields.Integer(compute="_compute_ov_order_counts", string="Rep Orders")

    def _compute_ov_outlet_count(self):
        counts = dict(
            self.env["ov.outlet"]._read_group(
                [("channel_partner_id", "in", self.ids)], ["channel_partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.ov_outlet_count = counts.get(partner, 0)

    def _compute_ov_order_counts(self):
        orders = self.env["sale.order"]
        if not orders.has_access("read"):  # an outlet user need not be a salesperson
            self.ov_channel_order_count = self.ov_sales_rep_order_count = 0
            return
        by_channel = dict(
            orders._read_group([("x_channel_partner_id", "in", self.ids)], ["x_channel_partner_id"], ["__count"])
        )
        by_rep = dict(orders._read_group([("x_sales_rep_id", "in", self.ids)], ["x_sales_rep_id"], ["__count"]))
        for partner in self:
            partner.ov_channel_order_count = by_channel.get(partner, 0)
            partner.ov_sales_rep_order_count = by_rep.get(partner, 0)

    def action_view_ov_outlets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ov_outlet.ov_outlet_action")
        action["domain"] = [("channel_partner_id", "=", self.id)]
        action["context"] = {"default_channel_partner_id": self.id}
        return action

    def action_view_ov_sale_orders(self):
        self.ensure_one()
        field = "x_sales_rep_id" if self.env.context.get("ov_by_sales_rep") else "x_channel_partner_id"
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [(field, "=", self.id)]
        action["context"] = {f"default_{field}": self.id}
        return action
