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


class PurchaseOrderCompliance(models.Model):
    _inherit = "purchase.order"

    pve_compliance_expired = fields.Boolean(
        string="Vendor Has Expired Documents",
        related="partner_id.commercial_partner_id.pve_compliance_expired",
        help="A mandatory compliance document of this vendor has expired.",
    )
