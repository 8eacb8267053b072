from datetime import datetime, time

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import str2bool

ACK_REQUIRED_PARAM = "portal_vendor_ext.ack_required"
# Orders a vendor may acknowledge: confirmed and not locked (see README, Known limitations).
ACK_STATES = ("purchase",)


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "ai.bridge.audit.mixin"]
    _audit_whole_record = False  # only what the vendor did is an audit trail (see _audited_fields)

    # === FIELDS === #

    pve_acknowledged_date = fields.Datetime(
        string="Vendor Acknowledged On",
        readonly=True,
        copy=False,
        help="When the vendor acknowledged this purchase order in the portal.",
    )
    pve_acknowledged_by_id = fields.Many2one(
        comodel_name="res.partner",
        string="Vendor Acknowledged By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Vendor contact who acknowledged this purchase order in the portal.",
    )

    # === BUSINESS METHODS === #

    def _audited_fields(self):
        # EXTENDS ai_bridge_core: what the vendor did is not editable
        return super()._audited_fields() | {"pve_acknowledged_date", "pve_acknowledged_by_id"}

    @api.model
    def _pve_is_ack_enabled(self):
        """:return: whether the "Vendor acknowledgement" setting is on."""
        # Settings are readable by system users only; this flag is not secret and drives the portal.
        return str2bool(self.env["ir.config_parameter"].sudo().get_param(ACK_REQUIRED_PARAM, "False"))

    def _pve_get_ack_refusal(self, partner):
        """Tell why `partner` may not acknowledge this order, whether or not it is acknowledged already.

        Only the vendor or one of its contacts acknowledges: not the buyer previewing the portal page, nor
        another follower of the order, nor the public partner of an anonymous visitor who has the order's link.

        :param partner: `res.partner` who would acknowledge
        :return: False when acknowledging is possible, else "disabled" (setting off), "not_confirmed" or
                 "not_vendor"
        :rtype: str | bool
        """
        self.ensure_one()
        if not self._pve_is_ack_enabled():
            return "disabled"
        if self.state not in ACK_STATES:
            return "not_confirmed"
        if partner.commercial_partner_id != self.partner_id.commercial_partner_id:
            return "not_vendor"
        return False

    def _pve_can_acknowledge(self, partner):
        """:return: whether the portal offers `partner` the "Acknowledge order" button."""
        self.ensure_one()
        return not self.pve_acknowledged_date and not self._pve_get_ack_refusal(partner)

    def _pve_acknowledge(self, partner):
        """Record that the vendor acknowledged this confirmed order, and say so in the chatter.

        Idempotent: an order acknowledged already is left as it is. Two concurrent acknowledgements both write
        this order's row: the second one waits for the first and, under REPEATABLE READ, fails to serialize
        once the first commits; Odoo's HTTP layer retries it, and it then finds the order acknowledged.
        The portal controller calls this on the record returned by `_document_check_access`, i.e. as
        superuser, because portal users cannot write purchase orders; only the two acknowledgement fields are
        written.

        :param partner: `res.partner` acknowledging: the vendor or one of its contacts
        :return: True if the order was acknowledged now, False if it already was
        :raise UserError: if the setting is off, the order is not a confirmed purchase order or `partner` does not
                          belong to the vendor
        """
        self.ensure_one()
        if self.pve_acknowledged_date:
            return False
        refusal = self._pve_get_ack_refusal(partner)
        if refusal == "disabled":
            raise UserError(_("Vendor acknowledgement of purchase orders is disabled."))
        if refusal == "not_confirmed":
            raise UserError(_("%s is not a confirmed purchase order and cannot be acknowledged.", self.name))
        if refusal == "not_vendor":
            raise UserError(
                _("Only %(vendor)s can acknowledge %(order)s.", vendor=self.partner_id.display_name, order=self.name)
            )
        self._write_audited({"pve_acknowledged_date": fields.Datetime.now(), "pve_acknowledged_by_id": partner.id})
        self.message_post(
            body=_("Order acknowledged by %s.", partner.name),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    # === FIELDS: vendor declines and proposed changes === #

    pve_declined_date = fields.Datetime(
        string="Declined by Vendor On", readonly=True, copy=False, help="When the vendor declined this order."
    )
    pve_declined_by_id = fields.Many2one(
        comodel_name="res.partner", string="Declined By", readonly=True, copy=False, index="btree_not_null"
    )
    pve_decline_reason = fields.Text(string="Vendor Decline Reason", readonly=True, copy=False)
    pve_change_ids = fields.One2many(
        comodel_name="pve.po.change", inverse_name="order_id", string="Vendor Proposals", copy=False
    )
    pve_change_pending_count = fields.Integer(string="Proposals to Review", compute="_compute_pve_change_pending_count")

    @api.depends("pve_change_ids.state")
    def _compute_pve_change_pending_count(self):
        for order in self:
            order.pve_change_pending_count = len(order.pve_change_ids.filtered(lambda c: c.state == "proposed"))

    def _pve_post_vendor_message(self, body, author=None):
        """Post `body` in the chatter as a message (not an internal note), so that the vendor sees it too."""
        self.ensure_one()
        return self.message_post(
            body=body,
            author_id=author.id if author else None,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _pve_get_change_refusal(self, partner):
        """Tell why `partner` may not decline this order or propose changes to it.

        :param partner: `res.partner` of the visitor
        :return: False when allowed, else "not_confirmed", "not_vendor", "declined" or "pending"
        :rtype: str | bool
        """
        self.ensure_one()
        if self.state != "purchase":
            return "not_confirmed"
        if partner.commercial_partner_id != self.partner_id.commercial_partner_id:
            return "not_vendor"
        if self.pve_declined_date:
            return "declined"
        if "proposed" in self.pve_change_ids.mapped("state"):
            return "pending"
        return False

    def _pve_raise_change_refusal(self, partner):
        refusal = self._pve_get_change_refusal(partner)
        messages = {
            "not_confirmed": _("%s is not a confirmed purchase order.", self.name),
            "not_vendor": _("Only %(vendor)s can change %(order)s.", vendor=self.partner_id.name, order=self.name),
            "declined": _("%s was already declined.", self.name),
            "pending": _("Your proposed changes to %s are waiting for the buyer's answer.", self.name),
        }
        if refusal:
            raise UserError(messages[refusal])

    def _pve_decline(self, partner, reason):
        """The vendor declines this confirmed order: flag it for the buyer and say why in the chatter.

        Called on the record `_document_check_access` returned (portal users cannot write orders); writes only
        the three decline fields.

        :raise UserError: no reason, or `partner` may not decline (see `_pve_get_change_refusal`)
        """
        self.ensure_one()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Please tell the buyer why you decline the order."))
        self._pve_raise_change_refusal(partner)
        self.write(
            {"pve_declined_date": fields.Datetime.now(), "pve_declined_by_id": partner.id, "pve_decline_reason": reason}
        )
        self._pve_post_vendor_message(
            Markup("<p>%s</p><p>%s</p>") % (_("Order declined by %s.", partner.name), _("Reason: %s", reason)),
            author=partner,
        )
        return True

    def _pve_parse_change_line(self, line, raw):
        """:return: the proposed values of `line` from the portal form's strings (empty = unchanged)
        :raise UserError: naming the line when a value is not valid"""
        label = (line.name or "").splitlines()[0]
        values = {
            "new_date_planned": line.date_planned,
            "new_product_qty": line.product_qty,
            "new_price_unit": line.price_unit,
        }
        try:
            if raw.get("qty", "").strip():
                values["new_product_qty"] = float(raw["qty"])
            if raw.get("price", "").strip():
                values["new_price_unit"] = float(raw["price"])
        except ValueError:
            raise UserError(_("%s: quantity and unit price must be numbers.", label)) from None
        if values["new_product_qty"] <= 0:
            raise UserError(_("%s: the quantity must be more than zero (decline the order instead).", label))
        if values["new_product_qty"] < line.qty_received:
            raise UserError(
                _(
                    "%(line)s: %(received)s were received already; the quantity cannot be lower.",
                    line=label,
                    received=line.qty_received,
                )
            )
        if values["new_price_unit"] < 0:
            raise UserError(_("%s: the unit price cannot be negative.", label))
        if raw.get("date", "").strip():
            try:
                day = fields.Date.to_date(raw["date"].strip())
            except ValueError:
                raise UserError(_("%s: the date must be a valid date.", label)) from None
            if day != line.date_planned.date():
                values["new_date_planned"] = datetime.combine(day, line.date_planned.time() or time(0))
        return values

    def _pve_propose_changes(self, partner, lines, comment=""):
        """The vendor proposes new dates, quantities or prices for some lines of this confirmed order.

        :param partner: `res.partner` proposing (a contact of the vendor)
        :param dict lines: {purchase.order.line id: {"date": "YYYY-MM-DD", "qty": str, "price": str}}, strings as
                           typed in the portal; empty or unchanged values leave the line as it is
        :param str comment: the vendor's comment for the buyer
        :return: the new `pve.po.change`
        :raise UserError: not allowed, a value not valid, or nothing changed; nothing is stored then
        """
        self.ensure_one()
        self._pve_raise_change_refusal(partner)
        line_commands = []
        for line in self.order_line.filtered(lambda l: not l.display_type):
            raw = lines.get(line.id) or {}
            values = self._pve_parse_change_line(line, raw)
            if (values["new_date_planned"], values["new_product_qty"], values["new_price_unit"]) == (
                line.date_planned,
                line.product_qty,
                line.price_unit,
            ):
                continue
            values.update(
                order_line_id=line.id,
                name=line.name,
                old_date_planned=line.date_planned,
                old_product_qty=line.product_qty,
                old_price_unit=line.price_unit,
            )
            line_commands.append(fields.Command.create(values))
        if not line_commands:
            raise UserError(_("Change at least one date, quantity or unit price."))
        change = self.env["pve.po.change"].create(
            {
                "order_id": self.id,
                "partner_id": partner.id,
                "comment": (comment or "").strip(),
                "line_ids": line_commands,
            }
        )
        body = Markup("<p>%s</p>%s") % (_("Changes proposed by %s:", partner.name), change._pve_lines_html())
        if change.comment:
            body += Markup("<p>%s</p>") % change.comment
        self._pve_post_vendor_message(body, author=partner)
        return change

    # === FIELDS: vendor compliance === #

    pve_compliance_expired = fields.Boolean(
        string="Vendor Has Expired Documents",
        related="partner_id.commercial_partner_id.pve_compliance_expired",
        help="A mandatory compliance document of this vendor has expired.",
    )

    # === BUSINESS METHODS: advance shipping notices === #

    def _pve_asn_open_pickings(self):
        """:return: the receipts of this order still to be received (the vendor can announce their shipment)"""
        self.ensure_one()
        return self.picking_ids.filtered(
            lambda picking: picking.picking_type_code == "incoming" and picking.state not in ("done", "cancel")
        )

    def _pve_get_asn_refusal(self, partner):
        """:return: False when `partner` may send shipping notices for this order, else "not_confirmed",
        "not_vendor" or "declined" (the vendor declined the order: nothing is coming)
        """
        self.ensure_one()
        if self.state != "purchase":
            return "not_confirmed"
        if partner.commercial_partner_id != self.partner_id.commercial_partner_id:
            return "not_vendor"
        if self.pve_declined_date:
            return "declined"
        return False

    def _pve_buyers(self):
        """:return: the `res.users` told of the vendor's shipping notices and RFQ responses: the order's buyer, else the
        purchase managers"""
        self.ensure_one()
        if self.user_id and self.user_id.active:
            return self.user_id
        return self.env["res.users"]._pve_purchase_managers()

    # === FIELDS: RFQ responses === #

    pve_rfq_response_ids = fields.One2many(
        comodel_name="pve.rfq.response", inverse_name="order_id", string="Vendor Responses", copy=False
    )
    pve_rfq_response_count = fields.Integer(
        string="Vendor Responses Count",
        compute="_compute_pve_rfq_response_count",
        help="Responses of the vendors to this request for quotation and to its alternatives.",
    )

    @api.depends("pve_rfq_response_ids", "alternative_po_ids")
    def _compute_pve_rfq_response_count(self):
        for order in self:
            order.pve_rfq_response_count = self.env["pve.rfq.response"].search_count(
                [("order_id", "in", (order | order.alternative_po_ids).ids)]
            )

    # === BUSINESS METHODS: RFQ responses === #

    def _pve_get_rfq_refusal(self, partner):
        """:return: False when `partner` may answer this request for quotation, else "not_rfq", "not_vendor" or
        "closed" (a response of the RFQ or of one of its alternatives was accepted)
        """
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            return "not_rfq"
        if partner.commercial_partner_id != self.partner_id.commercial_partner_id:
            return "not_vendor"
        if "accepted" in (self.pve_rfq_response_ids | self.alternative_po_ids.pve_rfq_response_ids).mapped("state"):
            return "closed"
        return False

    def _pve_rfq_lines(self):
        """:return: the product lines of this RFQ a vendor quotes"""
        self.ensure_one()
        return self.order_line.filtered(lambda line: not line.display_type and line.product_id)

    def _pve_rfq_current_response(self):
        """:return: the vendor's response still open (submitted) or the accepted one, if any"""
        self.ensure_one()
        return self.pve_rfq_response_ids.filtered(lambda r: r.state in ("submitted", "accepted"))[:1]

    def _pve_submit_rfq_response(self, partner, lines, comment=""):
        """See `pve.rfq.response._pve_submit`."""
        return self.env["pve.rfq.response"]._pve_submit(self, partner, lines, comment)

    def action_pve_view_rfq_responses(self):
        """:return: the action showing the responses of this RFQ and its alternatives side by side, per product"""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("portal_vendor_ext.pve_rfq_response_line_action")
        action["domain"] = [("order_id", "in", (self | self.alternative_po_ids).ids)]
        action["context"] = {"group_by": ["product_id"], "create": False}
        return action
