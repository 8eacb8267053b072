import base64
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

COMPLIANCE_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("refused", "Refused"),
    ("expired", "Expired"),
]
# States whose document still counts until its end of validity (the cron moves them to "expired").
LIVE_STATES = ("submitted", "approved")
# States from which the vendor may upload a new file on the same document.
REUPLOAD_STATES = ("draft", "refused", "expired")
REMINDER_DAYS_PARAM = "portal_vendor_ext.compliance_reminder_days"
DEFAULT_REMINDER_DAYS = 30  # days before the end of validity
NOTIFICATION_TYPE = "vendor.compliance"


class PveComplianceDocument(models.Model):
    _name = "pve.compliance.document"
    _inherit = ["mail.thread"]
    _description = "Vendor Compliance Document"
    _order = "valid_until desc, id desc"
    _rec_name = "type_id"

    # === FIELDS === #

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Vendor",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    type_id = fields.Many2one(
        comodel_name="pve.compliance.document.type", string="Type", required=True, ondelete="restrict", tracking=True
    )
    mandatory = fields.Boolean(related="type_id.mandatory", store=True)
    file = fields.Binary(attachment=True, copy=False)
    file_name = fields.Char(copy=False)
    valid_from = fields.Date(tracking=True)
    valid_until = fields.Date(tracking=True, index=True)
    state = fields.Selection(COMPLIANCE_STATES, default="draft", required=True, tracking=True, copy=False)
    refuse_reason = fields.Text(tracking=True, copy=False)
    uploaded_by_id = fields.Many2one("res.partner", string="Uploaded By", readonly=True, copy=False)
    reminder_sent_date = fields.Date(
        readonly=True, copy=False, help="When the expiry reminder went out; a new file clears it."
    )

    # === CONSTRAINTS === #

    @api.constrains("valid_from", "valid_until")
    def _check_validity_dates(self):
        for document in self:
            if document.valid_from and document.valid_until and document.valid_until < document.valid_from:
                raise ValidationError(_("A document cannot be valid until a date before it is valid from."))

    # === CRUD === #

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
        return super().create(vals_list)

    # === ACTIONS === #

    def action_approve(self):
        self.check_access("write")  # before telling why not, for who may not anyway
        for document in self:
            if document.state != "submitted":
                raise UserError(_("Only submitted documents can be approved."))
            if not document.file:
                raise UserError(_("The document %s has no file to approve.", document.display_name))
        self.write({"state": "approved", "refuse_reason": False})
        for document in self:
            document.message_post(body=_("Document approved."), subtype_xmlid="mail.mt_comment")
        return True

    def action_refuse(self):
        self.check_access("write")
        for document in self:
            if document.state not in ("submitted", "approved"):
                raise UserError(_("Only submitted or approved documents can be refused."))
            if not (document.refuse_reason or "").strip():
                raise UserError(
                    _("Write the reason for refusing %s first: the vendor reads it.", document.display_name)
                )
        self.write({"state": "refused"})
        for document in self:
            document.message_post(
                body=_("Document refused: %s", document.refuse_reason), subtype_xmlid="mail.mt_comment"
            )
        return True

    # === BUSINESS METHODS === #

    def _pve_upload(self, uploader, file_name, content, valid_from, valid_until):
        """Store a new file on this document (a first upload or a re-upload) and submit it to the buyer.

        Called as superuser by the portal controller, after it checked the visitor may read this document and
        validated the values; only these fields are written.

        :param uploader: `res.partner` of the logged-in vendor contact
        :param str file_name: the uploaded file's name
        :param bytes content: the file
        :param date valid_from: start of validity
        :param date valid_until: end of validity
        """
        self.ensure_one()
        self.write(
            {
                "file": base64.b64encode(content),
                "file_name": file_name,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "state": "submitted",
                "refuse_reason": False,
                "uploaded_by_id": uploader.id,
                "reminder_sent_date": False,
            }
        )
        self.message_post(
            body=_("%(who)s uploaded %(file)s.", who=uploader.name, file=file_name), subtype_xmlid="mail.mt_comment"
        )

    @api.model
    def _pve_reminder_days(self):
        """:return: the "days before expiry" setting (int, never negative)"""
        value = self.env["ir.config_parameter"].sudo().get_param(REMINDER_DAYS_PARAM, DEFAULT_REMINDER_DAYS)
        try:
            return max(int(value), 0)
        except ValueError:
            return DEFAULT_REMINDER_DAYS

    def _pve_buyers(self):
        """:return: the `res.users` responsible for this document's vendor: its buyer, else the purchase managers"""
        self.ensure_one()
        buyer = self.partner_id.buyer_id
        if buyer and buyer.active:
            return buyer
        return self.env["res.users"]._pve_purchase_managers()

    def _pve_vendor_recipients(self):
        """:return: the `res.partner` contacts of the vendor who can log in to the portal, else the vendor itself"""
        self.ensure_one()
        contacts = (
            self.env["res.partner"]
            .search([("id", "child_of", self.partner_id.id)])
            .filtered(lambda partner: partner.user_ids.filtered("active"))
        )
        return contacts or self.partner_id

    @api.model
    def _cron_check_expiry(self):
        """Daily: expire the documents past their end of validity, and remind the vendor's contacts and its buyer
        of the approved ones that end within the reminder period (once per file: a crash or a missed day sends the
        reminder on the next run, never twice).
        """
        today = fields.Date.context_today(self)
        expired = self.search([("state", "in", LIVE_STATES), ("valid_until", "<", today)])
        expired.write({"state": "expired"})
        for document in expired:
            document.message_post(body=_("Document expired."), subtype_xmlid="mail.mt_comment")
        due = self.search(
            [
                ("state", "=", "approved"),
                ("reminder_sent_date", "=", False),
                ("valid_until", ">=", today),
                ("valid_until", "<=", today + timedelta(days=self._pve_reminder_days())),
            ]
        )
        Delivery = self.env["messaging.delivery"].sudo()
        for document in due:
            values = {
                "subject": _(
                    "%(type)s of %(vendor)s expires on %(date)s",
                    type=document.type_id.name,
                    vendor=document.partner_id.name,
                    date=document.valid_until,
                ),
                "body": _("Please upload a renewed document before it expires."),
            }
            Delivery._send(
                NOTIFICATION_TYPE,
                document,
                document._pve_vendor_recipients(),
                {**values, "url": f"{document.get_base_url()}/my/compliance"},
            )
            Delivery._send(NOTIFICATION_TYPE, document, document._pve_buyers(), values)
        due.write({"reminder_sent_date": today})
        return True
