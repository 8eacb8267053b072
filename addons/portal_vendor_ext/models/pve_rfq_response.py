import math
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

NOTIFICATION_TYPE = "vendor.rfq_response"
RFQ_RESPONSE_STATE = [
    ("submitted", "Submitted"),
    ("accepted", "Accepted"),
    ("not_selected", "Not Selected"),
]
# Requests for quotation a vendor may answer and a buyer may accept a response of.
RFQ_STATES = ("draft", "sent")


class PveRfqResponse(models.Model):
    _name = "pve.rfq.response"
    _description = "Vendor Response to a Request for Quotation"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    # === FIELDS === #

    order_id = fields.Many2one(
        comodel_name="purchase.order",
        string="Request for Quotation",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Vendor", required=True, readonly=True, index=True, ondelete="restrict"
    )
    responded_by_id = fields.Many2one(
        comodel_name="res.partner", string="Responded By", required=True, readonly=True, ondelete="restrict"
    )
    currency_id = fields.Many2one(related="order_id.currency_id", store=True, string="Currency")
    comment = fields.Text(readonly=True)
    state = fields.Selection(selection=RFQ_RESPONSE_STATE, required=True, default="submitted", readonly=True)
    revision = fields.Integer(default=1, readonly=True, help="How many times the vendor sent this response.")
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, default=fields.Datetime.now)
    line_ids = fields.One2many(
        comodel_name="pve.rfq.response.line", inverse_name="response_id", string="Lines", readonly=True
    )
    amount_total = fields.Monetary(
        string="Total (untaxed)", compute="_compute_amount_total", currency_field="currency_id"
    )

    # === COMPUTE METHODS === #

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_total(self):
        for response in self:
            response.amount_total = sum(response.line_ids.mapped("price_subtotal"))

    @api.depends("partner_id.name", "order_id.name")
    def _compute_display_name(self):
        for response in self:
            response.display_name = _(
                "%(vendor)s on %(order)s", vendor=response.partner_id.name, order=response.order_id.name
            )

    # === ACTION METHODS === #

    def action_accept(self):
        """The buyer accepts this response in one click: its prices and planned dates (today + lead time) go onto
        the vendor's RFQ lines, the vendor pricelist (`product.supplierinfo`) gets the prices, the RFQ is confirmed,
        its open alternatives are cancelled (purchase_requisition's "cancel alternatives" choice) and the other
        responses of the group are marked not selected; every RFQ concerned says so in its chatter.

        :raise UserError: the response or its RFQ can no longer be accepted
        """
        self.ensure_one()
        order = self.order_id
        order.check_access("write")
        if self.state != "submitted":
            raise UserError(_("Only a submitted response can be accepted."))
        if order.state not in RFQ_STATES:
            raise UserError(_("%s is no longer a request for quotation: its responses cannot be accepted.", order.name))
        group_orders = order | order.alternative_po_ids
        if self.search_count([("order_id", "in", group_orders.ids), ("state", "=", "accepted")], limit=1):
            raise UserError(_("A response to %s or its alternatives was accepted already.", order.name))
        today = fields.Date.context_today(self)
        for line in self.line_ids:
            line.order_line_id.write(
                {"price_unit": line.price_unit, "date_planned": today + timedelta(days=line.lead_time_days)}
            )
            line._pve_update_supplierinfo()
        others = self.search([("order_id", "in", group_orders.ids), ("state", "=", "submitted"), ("id", "!=", self.id)])
        self.state = "accepted"
        others.state = "not_selected"
        alternatives = (group_orders - order).filtered(lambda po: po.state in ("draft", "sent", "to approve"))
        # What purchase_requisition's warning wizard does on "Cancel Alternatives", without the wizard.
        alternatives.button_cancel()
        order.with_context(skip_alternative_check=True).button_confirm()
        order._pve_post_vendor_message(
            Markup("<p>%s</p>%s")
            % (
                _("Response of %s accepted: prices and dates applied, order confirmed.", self.partner_id.name),
                self._pve_lines_html(),
            )
        )
        for other_order in group_orders - order:
            other_order._pve_post_vendor_message(
                _("Another vendor's response was chosen for %s: this request for quotation is closed.", order.name)
            )
        return True

    # === BUSINESS METHODS === #

    def _pve_lines_html(self):
        """:return: the response's lines as an HTML list for the chatters"""
        self.ensure_one()
        items = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(product)s: %(price)s per unit from %(min_qty)s, %(days)s days lead time, valid until %(until)s",
                product=line.product_id.display_name,
                price=line.price_unit,
                min_qty=line.min_qty,
                days=line.lead_time_days,
                until=line.valid_until or "-",
            )
            for line in self.line_ids
        )
        body = Markup("<ul>%s</ul>") % items
        if self.comment:
            body += Markup("<p>%s</p>") % self.comment
        return body

    @api.model
    def _pve_parse_line(self, line, raw):
        """:return: the values of a `pve.rfq.response.line` for `line` from the portal form's strings, or None when
        the vendor left the unit price empty (the line is not quoted)
        :raise UserError: naming the product when a value is not valid
        """
        label = line.product_id.display_name
        if not (raw.get("price") or "").strip():
            return None
        try:
            price = float(raw["price"])
            min_qty = float((raw.get("min_qty") or "0").strip() or 0)
        except ValueError:
            raise UserError(_("%s: the unit price and the minimum quantity must be numbers.", label)) from None
        if not (math.isfinite(price) and math.isfinite(min_qty)):
            raise UserError(_("%s: the unit price and the minimum quantity must be numbers.", label))
        if price < 0:
            raise UserError(_("%s: the unit price cannot be negative.", label))
        if min_qty < 0:
            raise UserError(_("%s: the minimum quantity cannot be negative.", label))
        raw_lead = (raw.get("lead_time") or "0").strip() or "0"
        if not raw_lead.isdigit():
            raise UserError(_("%s: the lead time must be a whole number of days (0 or more).", label))
        valid_until = False
        if (raw.get("valid_until") or "").strip():
            try:
                valid_until = fields.Date.to_date(raw["valid_until"].strip())
            except ValueError:
                raise UserError(_("%s: the validity must be a valid date.", label)) from None
            if valid_until < fields.Date.context_today(self):
                raise UserError(_("%s: the validity date cannot be in the past.", label))
        return {
            "order_line_id": line.id,
            "price_unit": price,
            "min_qty": min_qty,
            "lead_time_days": int(raw_lead),
            "valid_until": valid_until,
        }

    @api.model
    def _pve_submit(self, order, partner, lines, comment=""):
        """The vendor answers (or revises its answer to) `order`, a request for quotation: per line a unit price, a
        minimum quantity, a lead time and a validity date, with a comment. A revision updates the vendor's
        submitted response. Posted in the chatter (visible to the vendor) and the buyer is notified through
        messaging_router.

        Called on the record `_document_check_access` returned (portal users cannot write orders): only
        `pve.rfq.response` records of this order are written.

        :param partner: `res.partner` of the vendor's contact
        :param dict lines: {purchase.order.line id: {"price", "min_qty", "lead_time", "valid_until"}} as typed
        :param str comment: the vendor's comment for the whole response
        :return: the `pve.rfq.response`
        :raise UserError: not allowed, a value not valid, or no line quoted; nothing is stored then
        """
        order.ensure_one()
        refusal = order._pve_get_rfq_refusal(partner)
        messages = {
            "not_rfq": _("%s is no longer a request for quotation.", order.name),
            "not_vendor": _("Only %(vendor)s can answer %(order)s.", vendor=order.partner_id.name, order=order.name),
            "closed": _("The buyer already chose a response for %s.", order.name),
        }
        if refusal:
            raise UserError(messages[refusal])
        line_values = [
            values
            for line in order._pve_rfq_lines()
            if (values := self._pve_parse_line(line, lines.get(line.id) or {}))
        ]
        if not line_values:
            raise UserError(_("Give the unit price of at least one product."))
        comment = (comment or "").strip()
        response = order._pve_rfq_current_response()
        line_commands = [fields.Command.clear()] + [fields.Command.create(values) for values in line_values]
        if response:
            response.write(
                {
                    "responded_by_id": partner.id,
                    "comment": comment,
                    "line_ids": line_commands,
                    "revision": response.revision + 1,
                    "submitted_date": fields.Datetime.now(),
                }
            )
            intro = _("Response revised by %s:", partner.name)
        else:
            response = self.create(
                {
                    "order_id": order.id,
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "responded_by_id": partner.id,
                    "comment": comment,
                    "line_ids": line_commands[1:],
                }
            )
            intro = _("Response sent by %s:", partner.name)
        body = Markup("<p>%s</p>%s") % (intro, response._pve_lines_html())
        order._pve_post_vendor_message(body, author=partner)
        self.env["messaging.delivery"].sudo()._send(
            NOTIFICATION_TYPE,
            order,
            order._pve_buyers(),
            {
                "subject": _(
                    "%(vendor)s answered %(order)s", vendor=partner.commercial_partner_id.name, order=order.name
                ),
                "body": body.striptags(),
                "url": f"{order.get_base_url()}/odoo/purchase.order/{order.id}",
            },
        )
        return response
