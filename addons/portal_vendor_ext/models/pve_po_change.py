from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

PO_CHANGE_STATE = [("proposed", "Proposed"), ("accepted", "Accepted"), ("refused", "Refused")]


class PvePoChange(models.Model):
    """Changes a vendor proposes to a confirmed purchase order, line by line, for the buyer to accept or refuse."""

    _name = "pve.po.change"
    _description = "Vendor Proposed Purchase Order Changes"
    _order = "id desc"
    _check_company_auto = True

    # === FIELDS === #

    order_id = fields.Many2one(
        comodel_name="purchase.order", string="Purchase Order", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Proposed By", required=True, readonly=True, ondelete="restrict"
    )
    state = fields.Selection(selection=PO_CHANGE_STATE, default="proposed", required=True, readonly=True)
    comment = fields.Text(string="Vendor Comment", readonly=True)
    line_ids = fields.One2many(comodel_name="pve.po.change.line", inverse_name="change_id", string="Lines")
    refuse_reason = fields.Text(string="Refusal Reason", readonly=True)
    decided_by_id = fields.Many2one(comodel_name="res.users", string="Decided By", readonly=True)
    decided_date = fields.Datetime(string="Decided On", readonly=True)
    summary = fields.Text(compute="_compute_summary")

    # === COMPUTES === #

    @api.depends("line_ids.summary")
    def _compute_summary(self):
        for change in self:
            change.summary = "\n".join(change.line_ids.mapped("summary"))

    # === ACTIONS === #

    def _pve_check_proposed(self):
        for change in self:
            if change.state != "proposed":
                raise UserError(_("This proposal was already %s.", dict(PO_CHANGE_STATE)[change.state].lower()))
            if change.order_id.state != "purchase":
                raise UserError(_("%s is no longer a confirmed purchase order.", change.order_id.name))

    def action_accept(self):
        """Apply the proposed values to the purchase order lines, in one click from the order form."""
        self._pve_check_proposed()
        for change in self:
            for line in change.line_ids:
                if not line.order_line_id:
                    raise UserError(_("A line of this proposal was removed from %s.", change.order_id.name))
                if line.new_product_qty < line.order_line_id.qty_received:
                    raise UserError(
                        _(
                            "%(product)s: %(received)s were received since the proposal; refuse it instead.",
                            product=line.order_line_id.product_id.display_name,
                            received=line.order_line_id.qty_received,
                        )
                    )
                line.order_line_id.write(line._pve_order_line_values())
            change.write({"state": "accepted", "decided_by_id": self.env.uid, "decided_date": fields.Datetime.now()})
            change.order_id._pve_post_vendor_message(
                Markup("<p>%s</p>%s") % (_("Proposed changes accepted:"), change._pve_lines_html())
            )
        return True

    def action_open_refuse(self):
        self._pve_check_proposed()
        return {
            "type": "ir.actions.act_window",
            "name": _("Refuse Proposed Changes"),
            "res_model": "pve.po.change.refuse",
            "view_mode": "form",
            "target": "new",
            "context": {"default_change_id": self.id},
        }

    def _pve_refuse(self, reason):
        """Refuse the proposal, with `reason` told to the vendor in the order's chatter."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Please give the vendor a reason for refusing."))
        self._pve_check_proposed()
        for change in self:
            change.write(
                {
                    "state": "refused",
                    "refuse_reason": reason,
                    "decided_by_id": self.env.uid,
                    "decided_date": fields.Datetime.now(),
                }
            )
            change.order_id._pve_post_vendor_message(
                Markup("<p>%s</p>%s<p>%s</p>")
                % (_("Proposed changes refused:"), change._pve_lines_html(), _("Reason: %s", reason))
            )
        return True

    # === BUSINESS METHODS === #

    def _pve_lines_html(self):
        self.ensure_one()
        items = Markup("").join(Markup("<li>%s</li>") % summary for summary in self.line_ids.mapped("summary"))
        return Markup("<ul>%s</ul>") % items


class PvePoChangeLine(models.Model):
    _name = "pve.po.change.line"
    _description = "Vendor Proposed Purchase Order Line Change"
    _order = "change_id, id"

    # === FIELDS === #

    change_id = fields.Many2one(comodel_name="pve.po.change", required=True, ondelete="cascade", index=True)
    order_line_id = fields.Many2one(comodel_name="purchase.order.line", string="Order Line", ondelete="set null")
    name = fields.Text(string="Description", readonly=True)
    currency_id = fields.Many2one(related="change_id.currency_id")
    old_date_planned = fields.Datetime(string="Current Date", readonly=True)
    old_product_qty = fields.Float(string="Current Quantity", digits="Product Unit of Measure", readonly=True)
    old_price_unit = fields.Float(string="Current Unit Price", digits="Product Price", readonly=True)
    new_date_planned = fields.Datetime(string="Proposed Date", readonly=True)
    new_product_qty = fields.Float(string="Proposed Quantity", digits="Product Unit of Measure", readonly=True)
    new_price_unit = fields.Float(string="Proposed Unit Price", digits="Product Price", readonly=True)
    summary = fields.Text(compute="_compute_summary")

    # === COMPUTES === #

    @api.depends(
        "name",
        "old_date_planned",
        "new_date_planned",
        "old_product_qty",
        "new_product_qty",
        "old_price_unit",
        "new_price_unit",
    )
    def _compute_summary(self):
        for line in self:
            parts = []
            if line.new_date_planned != line.old_date_planned:
                parts.append(
                    _(
                        "date %(old)s → %(new)s",
                        old=fields.Date.to_string(line.old_date_planned),
                        new=fields.Date.to_string(line.new_date_planned),
                    )
                )
            if line.new_product_qty != line.old_product_qty:
                parts.append(_("quantity %(old)s → %(new)s", old=line.old_product_qty, new=line.new_product_qty))
            if line.new_price_unit != line.old_price_unit:
                parts.append(_("unit price %(old)s → %(new)s", old=line.old_price_unit, new=line.new_price_unit))
            label = (line.name or "").splitlines()[0] if line.name else ""
            line.summary = f"{label}: {', '.join(parts)}"

    # === BUSINESS METHODS === #

    def _pve_order_line_values(self):
        """:return: the purchase order line values this line changes (only those that differ)."""
        self.ensure_one()
        values = {}
        if self.new_date_planned != self.old_date_planned:
            values["date_planned"] = self.new_date_planned
        if self.new_product_qty != self.old_product_qty:
            values["product_qty"] = self.new_product_qty
        if self.new_price_unit != self.old_price_unit:
            values["price_unit"] = self.new_price_unit
        return values
