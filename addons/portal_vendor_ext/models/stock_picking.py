import math
from datetime import datetime, time

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

NOTIFICATION_TYPE = "vendor.shipping_notice"
CARRIER_MAX_LENGTH = 64  # characters
TRACKING_MAX_LENGTH = 128  # characters


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # === FIELDS: advance shipping notice === #

    pve_asn_date = fields.Date(
        string="Vendor Expected Date", readonly=True, copy=False, help="When the vendor said the goods will arrive."
    )
    pve_asn_carrier = fields.Char(string="Vendor Carrier", readonly=True, copy=False)
    pve_asn_tracking_ref = fields.Char(string="Vendor Tracking Number", readonly=True, copy=False)
    pve_asn_submitted_date = fields.Datetime(string="Shipping Notice Sent On", readonly=True, copy=False)
    pve_asn_submitted_by_id = fields.Many2one(
        comodel_name="res.partner", string="Shipping Notice By", readonly=True, copy=False, index="btree_not_null"
    )

    # === BUSINESS METHODS === #

    def _pve_parse_shipping_notice(self, values):
        """Check the vendor's form for this receipt; nothing is written.

        :param dict values: ``expected_date`` (ISO date), ``carrier``, ``tracking_ref`` (text) and
            ``quantities`` ({stock.move id: text}); moves of other receipts are ignored
        :return: (expected date, carrier, tracking number, {stock.move: shipped quantity})
        :raise UserError: with a message for the vendor on any invalid input
        """
        self.ensure_one()
        raw_date = (values.get("expected_date") or "").strip()
        if not raw_date:
            raise UserError(_("Give the expected delivery date of %s.", self.name))
        try:
            expected = fields.Date.to_date(raw_date)
        except ValueError:
            raise UserError(_("“%s” is not a date.", raw_date)) from None
        if expected < fields.Date.context_today(self):
            raise UserError(_("The expected delivery date cannot be in the past."))
        carrier = (values.get("carrier") or "").strip()
        tracking = (values.get("tracking_ref") or "").strip()
        if len(carrier) > CARRIER_MAX_LENGTH:
            raise UserError(_("The carrier name is too long (at most %s characters).", CARRIER_MAX_LENGTH))
        if len(tracking) > TRACKING_MAX_LENGTH:
            raise UserError(_("The tracking number is too long (at most %s characters).", TRACKING_MAX_LENGTH))
        raw_quantities = values.get("quantities") or {}
        quantities = {}
        for move in self._pve_asn_moves():
            raw = str(raw_quantities.get(move.id, "")).strip()
            if not raw:
                quantities[move] = 0.0
                continue
            try:
                quantity = float(raw)
                if not math.isfinite(quantity):
                    raise ValueError(raw)
            except ValueError:
                raise UserError(
                    _("“%(value)s” is not a quantity (%(product)s).", value=raw, product=move.product_id.display_name)
                ) from None
            rounding = move.product_uom.rounding
            if float_compare(quantity, 0.0, precision_rounding=rounding) < 0:
                raise UserError(_("The shipped quantity of %s cannot be negative.", move.product_id.display_name))
            if float_compare(quantity, move.product_uom_qty, precision_rounding=rounding) > 0:
                raise UserError(
                    _(
                        "You cannot ship more %(product)s than ordered (%(ordered)s %(uom)s).",
                        product=move.product_id.display_name,
                        ordered=move.product_uom_qty,
                        uom=move.product_uom.name,
                    )
                )
            quantities[move] = quantity
        if all(float_is_zero(qty, precision_rounding=move.product_uom.rounding) for move, qty in quantities.items()):
            raise UserError(_("Give the quantity shipped of at least one product."))
        return expected, carrier, tracking, quantities

    def _pve_asn_moves(self):
        """:return: the `stock.move` of this receipt a vendor can announce (open, from a purchase order line)"""
        return self.move_ids.filtered(lambda move: move.purchase_line_id and move.state not in ("done", "cancel"))

    def _pve_submit_shipping_notice(self, order, partner, values):
        """Record the vendor's advance shipping notice on this receipt of `order`, log it in both chatters and
        notify the buyer.

        Called on a superuser record by the portal, after `_document_check_access` on `order` and the vendor check:
        only the ``pve_asn_*`` fields, the moves' shipped quantities and the scheduled date are written.

        :param order: the `purchase.order` this receipt must come from
        :param partner: `res.partner` of the vendor's contact
        :param dict values: see `_pve_parse_shipping_notice`
        :raise UserError: when the receipt is not an open receipt of `order` or on invalid input (nothing written)
        """
        self.ensure_one()
        if self not in order._pve_asn_open_pickings():
            raise UserError(_("This receipt is not an open receipt of %s.", order.name))
        expected, carrier, tracking, quantities = self._pve_parse_shipping_notice(values)
        self.write(
            {
                "pve_asn_date": expected,
                "pve_asn_carrier": carrier,
                "pve_asn_tracking_ref": tracking,
                "pve_asn_submitted_date": fields.Datetime.now(),
                "pve_asn_submitted_by_id": partner.id,
                "scheduled_date": datetime.combine(expected, time(12)),
            }
        )
        for move, quantity in quantities.items():
            move.pve_asn_qty = quantity
        summary = self._pve_asn_summary(expected, carrier, tracking, quantities)
        self.message_post(body=summary, author_id=partner.id, message_type="comment", subtype_xmlid="mail.mt_note")
        order._pve_post_vendor_message(summary, author=partner)
        self.env["messaging.delivery"].sudo()._send(
            NOTIFICATION_TYPE,
            self,
            order._pve_buyers(),
            {
                "subject": _(
                    "%(vendor)s ships %(order)s on %(date)s",
                    vendor=partner.commercial_partner_id.name,
                    order=order.name,
                    date=expected,
                ),
                "body": summary,
                "url": f"{self.get_base_url()}/odoo/stock.picking/{self.id}",
            },
        )
        return True

    def _pve_asn_summary(self, expected, carrier, tracking, quantities):
        lines = ", ".join(
            f"{move.product_id.display_name}: {quantity:g} {move.product_uom.name}"
            for move, quantity in quantities.items()
            if quantity
        )
        return _(
            "Shipping notice for %(receipt)s: expected on %(date)s, carrier %(carrier)s, tracking %(tracking)s; "
            "shipped %(lines)s.",
            receipt=self.name,
            date=expected,
            carrier=carrier or "-",
            tracking=tracking or "-",
            lines=lines,
        )
