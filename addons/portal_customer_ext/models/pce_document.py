import os
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from .ir_attachment import PORTAL_UPLOAD_REFUSED_EXTENSIONS

# Validity of a shared document, as the customer sees it
VALIDITY_VALID = "valid"
VALIDITY_EXPIRING = "expiring"
VALIDITY_EXPIRED = "expired"
VALIDITY_NO_END = "no_end"
VALIDITY_STATES = [
    (VALIDITY_VALID, "Valid"),
    (VALIDITY_EXPIRING, "Expiring soon"),
    (VALIDITY_EXPIRED, "Expired"),
    (VALIDITY_NO_END, "No end date"),
]


class PceDocument(models.Model):
    """A file the company shares with one customer (a contract, a certificate, a datasheet): every portal contact
    of the customer downloads it from /my/documents; nobody else's contacts see it."""

    _name = "pce.document"
    _description = "Customer Document"
    _order = "category_id, name, id"
    _check_company_auto = True

    _expiring_days = 30  # days before the end of validity from which a document is "expiring soon"

    # === FIELDS === #

    name = fields.Char(required=True)
    category_id = fields.Many2one(
        comodel_name="pce.document.category", string="Category", required=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        help="Commercial partner whose portal contacts may download the document.",
    )
    datas = fields.Binary(string="File", attachment=True, required=True)
    file_name = fields.Char(required=True)
    description = fields.Text()
    date_start = fields.Date(string="Valid From")
    date_end = fields.Date(string="Valid Until", help="Leave empty for a document that does not expire.")
    validity_state = fields.Selection(
        selection=VALIDITY_STATES,
        string="Validity",
        compute="_compute_validity_state",
        search="_search_validity_state",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

    # === COMPUTE METHODS === #

    @api.model
    def _get_validity_limits(self):
        """:return: (today, last day still "valid" rather than "expiring soon"), in the user's timezone."""
        today = fields.Date.context_today(self)
        return today, today + timedelta(days=self._expiring_days)

    @api.depends("date_end")
    @api.depends_context("tz", "uid")  # relative to the reader's today
    def _compute_validity_state(self):
        today, soon = self._get_validity_limits()
        for document in self:
            if not document.date_end:
                document.validity_state = VALIDITY_NO_END
            elif document.date_end < today:
                document.validity_state = VALIDITY_EXPIRED
            elif document.date_end <= soon:
                document.validity_state = VALIDITY_EXPIRING
            else:
                document.validity_state = VALIDITY_VALID

    def _search_validity_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Unsupported search on the validity of documents."))
        states = {value} if operator in ("=", "!=") else set(value)
        if operator in ("!=", "not in"):
            # the complement in states, not a negated domain: "not expired" includes documents without an end
            states = {state for state, _label in VALIDITY_STATES} - states
        today, soon = self._get_validity_limits()
        domains = {
            VALIDITY_NO_END: [("date_end", "=", False)],
            VALIDITY_EXPIRED: [("date_end", "<", today)],
            VALIDITY_EXPIRING: [("date_end", ">=", today), ("date_end", "<=", soon)],
            VALIDITY_VALID: [("date_end", ">", soon)],
        }
        return expression.OR([domains[state] for state in states if state in domains])

    # === CONSTRAINT METHODS === #

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for document in self:
            if document.date_start and document.date_end and document.date_end < document.date_start:
                raise ValidationError(_("The document %s cannot end before it starts.", document.name))

    @api.constrains("file_name")
    def _check_file_name(self):
        # Customers open what they download: no file a browser or a desktop would run.
        for document in self:
            extension = os.path.splitext(document.file_name or "")[1].lstrip(".").lower()
            if extension in PORTAL_UPLOAD_REFUSED_EXTENSIONS:
                raise ValidationError(
                    _(
                        "The file %s cannot be shared with a customer: share documents, images or archives.",
                        document.file_name,
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_partner(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_partner(vals)
        return super().write(vals)

    @api.model
    def _normalize_partner(self, vals):
        """A document is shared with the whole customer: store the commercial partner of the chosen contact."""
        if vals.get("partner_id"):
            vals["partner_id"] = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
