from odoo import _, api, fields, models
from odoo.tools import SQL, float_compare

USAGE_EVENT_STATE = [("recorded", "Recorded"), ("billed", "Billed")]


class OvOutletUsageEvent(models.Model):
    """Usage of a subscription reported by the asset system (e.g. a battery swap), one row per event of theirs.

    Created only by the signed ``POST /api/subscription/usage_log`` route; nobody edits it afterwards.
    """

    _name = "ov.outlet.usage.event"
    _description = "Asset System Usage Event"
    _order = "occurred_at desc, id desc"
    _rec_name = "event_id"
    _check_company_auto = True

    # === FIELDS === #
    event_id = fields.Char(string="Event ID", required=True, readonly=True, help="The asset system's id of the event.")
    order_id = fields.Many2one(
        "sale.order", string="Order", required=True, readonly=True, index=True, ondelete="restrict", check_company=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    product_id = fields.Many2one("product.product", string="Product", required=True, readonly=True, index=True)
    quantity = fields.Float(required=True, readonly=True, digits="Product Unit of Measure")
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    occurred_at = fields.Datetime(string="Occurred At", required=True, readonly=True)
    asset_ref = fields.Char(string="Asset", readonly=True, help="The asset system's id of the asset used.")
    note = fields.Text(readonly=True)
    over_allowance = fields.Float(
        string="Over Allowance",
        readonly=True,
        digits="Product Unit of Measure",
        help="Units of this event beyond the order's allowance, billed through the invoice line.",
    )
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Invoice Line", readonly=True, ondelete="set null", index="btree_not_null"
    )
    state = fields.Selection(USAGE_EVENT_STATE, compute="_compute_state", store=True, default="recorded")

    _sql_constraints = [
        ("event_id_uniq", "unique(event_id)", "The asset system's event ids are unique."),
        ("quantity_positive", "CHECK(quantity > 0)", "A usage quantity is positive."),
    ]

    # === COMPUTES === #
    @api.depends("over_allowance", "sale_line_id.qty_invoiced", "sale_line_id.qty_delivered")
    def _compute_state(self):
        for event in self:
            line = event.sale_line_id
            billed = (
                event.over_allowance > 0
                and line
                and line.qty_invoiced > 0
                and float_compare(line.qty_invoiced, line.qty_delivered, precision_digits=6) >= 0
            )
            event.state = "billed" if billed else "recorded"

    # === BUSINESS === #
    @api.model
    def _ov_record(self, order, product, values):
        """Record one usage event on `order` and bill what goes beyond the order's allowance for `product`.

        Runs as superuser after the route checked the request's signature. The order's row is updated first: a
        concurrent request for the same order waits for this one, then fails to serialize and Odoo retries it, so
        totals and the overage line are computed from every earlier event (and a duplicate event id is found).

        :param values: event_id, quantity, occurred_at (naive UTC), asset_ref, note
        :return: the new event
        """
        # the serialization failure is expected and retried: not logged as an error
        self.env.cr.execute(
            SQL("UPDATE sale_order SET write_date = write_date WHERE id = %s", order.id), log_exceptions=False
        )
        over_before = order._ov_usage_totals(product)["over_allowance"]
        event = self.create({**values, "order_id": order.id, "product_id": product.id})
        over_after = order._ov_usage_totals(product)["over_allowance"]
        if over_after > over_before:
            line = order._ov_usage_sync_overage_line(product, over_after)
            event.write({"over_allowance": over_after - over_before, "sale_line_id": line.id})
        return event

    def _ov_summary_line(self, totals):
        return _(
            "%(product)s: %(used)s used of %(allowance)s included, %(over)s over",
            product=self.product_id.display_name,
            used=totals["total_used"],
            allowance=totals["allowance"],
            over=totals["over_allowance"],
        )
