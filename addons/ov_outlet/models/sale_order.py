from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # Names fixed by the external sales app's contract: no module prefix.
    x_outlet_id = fields.Many2one("ov.outlet", string="Outlet", index=True, tracking=True, check_company=True)
    x_channel_partner_id = fields.Many2one(
        "res.partner",
        string="Channel Partner",
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_x_channel_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('is_company', '=', True), ('ov_is_channel_partner', '=', True)]",
    )
    x_sales_rep_id = fields.Many2one(
        "res.partner",
        string="Sales Rep",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('ov_is_sales_rep', '=', True)]",
    )

    ov_entitlement_id = fields.Char(
        string="Entitlement ID", readonly=True, copy=False, tracking=True, help="Answered by the asset system."
    )
    ov_asset_allocation = fields.Text(
        string="Asset Allocation", readonly=True, copy=False, help="Answered by the asset system (JSON)."
    )

    @api.depends("x_outlet_id")
    def _compute_x_channel_partner_id(self):
        for order in self:
            if order.x_outlet_id.channel_partner_id:
                order.x_channel_partner_id = order.x_outlet_id.channel_partner_id

    def write(self, vals):
        # EXTENDS sale: the integration API's users change quotations; they confirm or cancel only through the
        # API's actions (which run the workflow), never by writing the state (record rules see only the old state)
        if "state" in vals and not self.env.su and self.env.user.has_group("ov_outlet.group_ov_outlet_api"):
            raise AccessError(_("The integration API cannot change the state of an order directly."))
        return super().write(vals)

    def _action_confirm(self):
        # EXTENDS sale: the asset system learns of the confirmation through a job, in this transaction; the order
        # confirms whatever happens to the webhook afterwards
        result = super()._action_confirm()
        self.env["ov.outlet.webhook.delivery"]._create_for_confirmed_orders(self)
        return result

    def _prepare_invoice(self):
        # EXTENDS sale
        values = super()._prepare_invoice()
        values.update(
            x_outlet_id=self.x_outlet_id.id,
            x_channel_partner_id=self.x_channel_partner_id.id,
            x_sales_rep_id=self.x_sales_rep_id.id,
        )
        return values
