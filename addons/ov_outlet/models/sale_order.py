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


class SaleOrderUsage(models.Model):
    """Usage reported by the asset system (``ov.outlet.usage.event``) and its billing beyond the allowance."""

    _inherit = "sale.order"

    ov_usage_event_ids = fields.One2many(
        "ov.outlet.usage.event", "order_id", string="Usage Events", groups="sales_team.group_sale_salesman"
    )
    ov_usage_event_count = fields.Integer(
        compute="_compute_ov_usage", string="Usage Count", groups="sales_team.group_sale_salesman"
    )
    ov_usage_summary = fields.Text(
        compute="_compute_ov_usage", string="Usage Summary", groups="sales_team.group_sale_salesman"
    )

    @api.depends("ov_usage_event_ids.quantity", "order_line.product_uom_qty")
    def _compute_ov_usage(self):
        for order in self:
            events = order.ov_usage_event_ids
            order.ov_usage_event_count = len(events)
            order.ov_usage_summary = "\n".join(
                events.filtered(lambda event, product=product: event.product_id == product)[:1]._ov_summary_line(
                    order._ov_usage_totals(product)
                )
                for product in events.product_id
            )

    def _ov_usage_overage_lines(self):
        return self.env["ov.outlet.usage.event"].sudo().search([("order_id", "in", self.ids)]).sale_line_id

    def _ov_usage_totals(self, product):
        """:return: dict of the usage of `product` on this order: total_used, allowance (units included: the
        product's allowance times the quantity ordered, overage lines left out) and over_allowance"""
        self.ensure_one()
        lines = (
            self.order_line.filtered(lambda line: line.product_id == product and not line.display_type)
            - self._ov_usage_overage_lines()
        )
        ordered = sum(line.product_uom._compute_quantity(line.product_uom_qty, product.uom_id) for line in lines)
        allowance = ordered * product.ov_usage_allowance
        events = (
            self.env["ov.outlet.usage.event"]
            .sudo()
            .search([("order_id", "=", self.id), ("product_id", "=", product.id)])
        )
        used = sum(events.mapped("quantity"))
        return {"total_used": used, "allowance": allowance, "over_allowance": max(used - allowance, 0.0)}

    def _ov_usage_sync_overage_line(self, product, over_allowance):
        """Set the delivered quantity of the line billing `product`'s usage beyond the allowance (created on the
        first overage), so that the next invoice bills it. The quantity ordered stays 0: the line is invoiced on
        delivered quantities, which also works on a locked order.

        :return: the line, or no line when no service can bill the overage (see the product's Overage Product)
        """
        self.ensure_one()
        overage_product = product.ov_usage_overage_product_id or product
        if overage_product.type != "service" or overage_product.invoice_policy != "delivery":
            return self.env["sale.order.line"]
        events = (
            self.env["ov.outlet.usage.event"]
            .sudo()
            .search([("order_id", "=", self.id), ("product_id", "=", product.id), ("sale_line_id", "!=", False)])
        )
        line = events.sale_line_id[:1]
        if not line:
            line = self.env["sale.order.line"].create(
                {
                    "order_id": self.id,
                    "product_id": overage_product.id,
                    "product_uom_qty": 0,
                    "name": _(
                        "%(overage)s: usage of %(product)s beyond the allowance",
                        overage=overage_product.display_name,
                        product=product.display_name,
                    ),
                }
            )
        line.qty_delivered = over_allowance
        return line
