import json
import logging

from lxml import etree

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL, float_repr

from odoo.addons.ai_bridge_core.models.queue_job import CHANNEL_AI

from ..tools import po_matching
from ..tools.invoice_reading import (
    ENCRYPTED,
    FIELDS,
    IMAGE_ONLY,
    MALFORMED,
    MAX_BYTES,
    NOT_PDF,
    TOO_LARGE,
    TOO_MANY_PAGES,
    InvoiceReadError,
    read_invoice_pdf,
)
from .pve_vendor_invoice_difference import KIND_LOW_CONFIDENCE, KIND_UNREADABLE

_logger = logging.getLogger(__name__)

STATES = [
    ("processing", "Processing"),
    ("matched", "Matched"),
    ("review", "Awaiting review"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
READ_SOURCES = [("xml", "E-invoice (XML)"), ("pdf", "PDF text"), ("claude", "Claude")]
# A sub-lane of the suite's Claude lane: reading may call Claude; give it its own capacity in odoo.conf
# (root.ai.vendor_invoice:2 on this 2-core machine) so that CPU-bound reading never fills the Claude lane.
CHANNEL_PROCESS = f"{CHANNEL_AI}.vendor_invoice"
SURE_CONFIDENCE = 0.95  # a bill is created unattended from a reading at least this sure, without differences
# The fields read from a PDF that the bill is made of: the overall confidence is the least sure of them. The vendor
# is the uploading portal user's company (the name and VAT number read are only shown), the purchase orders are
# chosen or matched (the reference read only helps) and a missing due date is computed from the payment terms.
BILL_FIELDS = ("invoice_number", "invoice_date", "currency", "amount_untaxed", "amount_tax", "amount_total", "lines")
TOLERANCE_PARAMS = {  # ir.config_parameter key -> po_matching.Tolerances attribute
    "portal_vendor_ext.tolerance_quantity_percent": "quantity_percent",
    "portal_vendor_ext.tolerance_price_percent": "price_percent",
    "portal_vendor_ext.tolerance_total_amount": "total_amount",
}
# Claude reading (ai_bridge_core decision): the PDF is sent to Claude when a field the bill needs was read less
# surely than this (missing: 0, totals or lines that do not add up: 0.4), or when it holds no text at all (a scan).
CLAUDE_TASK_CODE = "vendor_invoice_reading"
CLAUDE_UNSURE_FIELD = 0.5
CLAUDE_FIELD_NAMES = {"vendor": "vendor_name", "currency": "currency_id", "lines": "line_ids"}  # FIELDS key -> field
ORDER_MATCH_TIMEOUT = 5  # seconds Odoo's PO matching may search (`_match_purchase_orders`)
STATE_BADGES = {  # Bootstrap class of each state's badge in the portal
    "processing": "text-bg-info",
    "matched": "text-bg-success",
    "review": "text-bg-warning",
    "approved": "text-bg-success",
    "rejected": "text-bg-danger",
}


class PveVendorInvoice(models.Model):
    _name = "pve.vendor.invoice"
    _description = "Vendor Invoice Submission"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    # === FIELDS === #

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Vendor", required=True, index=True, tracking=True, check_company=True
    )
    uploaded_by_id = fields.Many2one("res.partner", string="Uploaded By", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True, ondelete="restrict")
    file_name = fields.Char(readonly=True)
    purchase_order_ids = fields.Many2many(
        "purchase.order",
        string="Purchase Orders",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    state = fields.Selection(STATES, default="processing", required=True, tracking=True, index=True)
    reject_reason = fields.Text(tracking=True)
    # What was read
    invoice_number = fields.Char(tracking=True)
    invoice_date = fields.Date()
    due_date = fields.Date()
    currency_id = fields.Many2one(
        "res.currency", string="Currency", required=True, default=lambda self: self.env.company.currency_id
    )
    po_reference = fields.Char(string="PO Reference")
    vat = fields.Char(string="Tax ID")
    vendor_name = fields.Char(string="Vendor Name (read)")
    amount_untaxed = fields.Monetary(string="Untaxed Amount")
    amount_tax = fields.Monetary(string="Tax")
    amount_total = fields.Monetary(string="Total")
    is_credit_note = fields.Boolean(string="Credit Note")
    read_source = fields.Selection(READ_SOURCES, readonly=True)
    confidence = fields.Float(
        readonly=True, help="How sure the reading is, from 0 to 1: the least sure of the fields the bill is made of."
    )
    confidence_json = fields.Json(string="Confidence per Field", readonly=True)
    error_code = fields.Char(readonly=True)
    error_message = fields.Text(readonly=True)
    line_ids = fields.One2many("pve.vendor.invoice.line", "invoice_id", string="Lines")
    difference_ids = fields.One2many("pve.vendor.invoice.difference", "invoice_id", string="Differences")
    move_id = fields.Many2one("account.move", string="Bill", readonly=True, copy=False, check_company=True)

    # === CRUD AND DATABASE === #

    def _auto_init(self):
        # One submission per vendor and invoice number, a rejected one aside (the vendor may send it again).
        res = super()._auto_init()
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (partner_id, invoice_number)"
                " WHERE state != 'rejected' AND invoice_number IS NOT NULL",
                SQL.identifier("pve_vendor_invoice_partner_number_uniq"),
                SQL.identifier(self._table),
            )
        )
        return res

    # === COMPUTES === #

    @api.depends("invoice_number", "file_name")
    def _compute_name(self):
        for submission in self:
            submission.name = submission.invoice_number or submission.file_name or _("New submission")

    # === CRUD === #

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._pve_check_duplicate(vals)
        return super().create(vals_list)

    def write(self, vals):
        if {"invoice_number", "partner_id", "state"} & vals.keys():
            for submission in self:
                submission._pve_check_duplicate(vals)
        return super().write(vals)

    def _pve_check_duplicate(self, vals):
        """Refuse, before the database's unique index does, a second submission of a vendor's invoice number.

        :param dict vals: values about to be written on this submission (or created, on an empty recordset)
        :raise ValidationError: naming the earlier submission
        """
        partner_id = vals.get("partner_id", self.partner_id.id)
        number = vals.get("invoice_number", self.invoice_number)
        if not number or not partner_id or vals.get("state", self.state) == "rejected":
            return
        earlier = self.sudo().search(
            [
                ("id", "not in", self.ids),
                ("partner_id", "=", partner_id),
                ("invoice_number", "=", number),
                ("state", "!=", "rejected"),
            ],
            limit=1,
        )
        if earlier:
            raise ValidationError(self._pve_duplicate_message(earlier))

    # === SUBMISSION (portal) === #

    @api.model
    def _pve_submit(self, partner, uploader, files, purchase_orders):
        """Create one submission per uploaded file, read it and queue its processing; refuse bad files.

        A refused file leaves nothing behind and does not stop the other files. Called by the portal as
        superuser once the controller has checked that `uploader` is a contact of `partner` and may read
        `purchase_orders`.

        :param partner: the vendor (commercial partner)
        :param uploader: the contact uploading
        :param files: list of ``(file_name, bytes)``
        :param purchase_orders: ``purchase.order`` the vendor invoices (may be empty)
        :return: ``(submissions, refusals)``, refusals a list of ``(file_name, message)``
        """
        submissions = self.browse()
        refusals = []
        for file_name, data in files:
            try:
                with self.env.cr.savepoint():
                    submissions |= self._pve_submit_one(partner, uploader, file_name, data, purchase_orders)
            except UserError as error:
                refusals.append((file_name, error.args[0]))
        return submissions, refusals

    @api.model
    def _pve_submit_one(self, partner, uploader, file_name, data, purchase_orders):
        kind = self._pve_file_kind(data)
        if len(data) > MAX_BYTES:
            raise UserError(self._pve_read_error_message(TOO_LARGE))
        if not kind:
            raise UserError(self._pve_read_error_message(NOT_PDF))
        submission = self.with_context(mail_create_nolog=True).create(
            {
                "partner_id": partner.id,
                "uploaded_by_id": uploader.id,
                "file_name": file_name,
                "purchase_order_ids": [Command.set(purchase_orders.ids)],
                "company_id": (purchase_orders[:1].company_id or self.env.company).id,
            }
        )
        submission.attachment_id = self.env["ir.attachment"].create(
            {
                "name": file_name,
                "raw": data,
                "res_model": self._name,
                "res_id": submission.id,
                "mimetype": "application/pdf" if kind == "pdf" else "application/xml",
            }
        )
        if kind == "pdf":
            submission._pve_read_pdf(data)  # a duplicate invoice number fails _pve_check_duplicate
        submission.message_post(
            body=_("Invoice uploaded by %s.", uploader.name),
            author_id=uploader.id,
            attachment_ids=submission.attachment_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        submission._pve_enqueue()
        return submission

    @staticmethod
    def _pve_file_kind(data):
        """:return: "pdf", "xml" or None for anything else"""
        if data[:1024].lstrip().startswith(b"%PDF-"):
            return "pdf"
        try:
            etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            return None
        return "xml"

    @api.model
    def _pve_read_error_message(self, code):
        """:return: the vendor-facing message for an `InvoiceReadError` code of the reading engine"""
        messages = {
            NOT_PDF: _("This file is neither a PDF nor an XML e-invoice."),
            ENCRYPTED: _("This PDF is password-protected: please upload it without a password."),
            IMAGE_ONLY: _("This PDF holds no text (a scan?): it will be checked by hand."),
            TOO_LARGE: _("This file is larger than %s MB.", MAX_BYTES // (1024 * 1024)),
            TOO_MANY_PAGES: _("This PDF has too many pages for one invoice."),
            MALFORMED: _("This PDF is damaged and cannot be opened."),
        }
        return messages.get(code) or _("This file cannot be read.")

    @api.model
    def _pve_duplicate_message(self, earlier):
        """:return: why an invoice number already submitted in `earlier` is refused"""
        return _(
            "Invoice %(number)s was already submitted on %(date)s (%(file)s, %(state)s).",
            number=earlier.invoice_number,
            date=fields.Date.to_string(earlier.create_date.date()),
            file=earlier.file_name,
            state=dict(self._fields["state"]._description_selection(self.env))[earlier.state],
        )

    def _pve_enqueue(self, idempotency_key=None):
        """Queue the processing job of this submission.

        The job runs as the system user (OdooBot), as a cron would, not as the contact who uploaded the file: it
        books a bill, which is no portal user's doing (mail would not even attach the vendor's PDF to the bill's
        message for a portal author).

        :param str idempotency_key: default: the submission's first processing; processing again after Claude's
                                    reading takes a key of its own
        """
        self.ensure_one()
        return self.env["queue.job"]._ai_bridge_enqueue(
            self.with_user(SUPERUSER_ID),
            "_job_process",
            channel=CHANNEL_PROCESS,
            idempotency_key=idempotency_key or f"pve.vendor.invoice.process:{self.id}",
            description=_("Vendor invoice: process %s", self.display_name),
        )

    # === READING === #

    def _pve_read_pdf(self, data):
        """Read the PDF with the reading engine and store what it found.

        :raise UserError: with the vendor-facing message, for a file that cannot be read at all; a PDF without
                          text is kept, for accounts payable to read
        """
        self.ensure_one()
        try:
            reading = read_invoice_pdf(data)
        except InvoiceReadError as error:
            if error.code != IMAGE_ONLY:
                raise UserError(self._pve_read_error_message(error.code)) from error
            self.write(
                {"error_code": error.code, "error_message": self._pve_read_error_message(error.code), "confidence": 0}
            )
            return
        confidence = reading.confidence or {}
        self.write(
            {
                "read_source": "pdf",
                "invoice_number": reading.invoice_number,
                "invoice_date": reading.invoice_date,
                "due_date": reading.due_date,
                "currency_id": (self._pve_currency(reading.currency) or self.currency_id).id,
                "po_reference": reading.po_reference,
                "vat": reading.vat,
                "vendor_name": reading.vendor,
                "amount_untaxed": reading.amount_untaxed,
                "amount_tax": reading.amount_tax,
                "amount_total": reading.amount_total,
                "is_credit_note": reading.is_credit_note,
                "confidence": min((confidence.get(name, 0.0) for name in BILL_FIELDS), default=0.0),
                "confidence_json": confidence,
                "line_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "sequence": index,
                            "description": line.description or "-",
                            "product_code": line.product_code,
                            "quantity": line.quantity,
                            "unit_price": line.unit_price,
                            "amount": line.amount,
                        }
                    )
                    for index, line in enumerate(reading.lines, start=1)
                ],
            }
        )

    def _pve_currency(self, code):
        if not code:
            return self.env["res.currency"]
        return self.env["res.currency"].with_context(active_test=False).search([("name", "=", code.upper())], limit=1)

    def _pve_decode_einvoice(self):
        """Read an e-invoice (UBL or CII XML, or a PDF carrying Factur-X / ZUGFeRD) with Odoo's own decoders.

        Odoo decodes an e-invoice into a bill (`account.move._extend_with_attachments`, as for a file dropped
        on the purchase journal), so the bill is created here, as a draft, and the reading taken from it.

        :return: whether the file was an e-invoice that Odoo decoded
        """
        self.ensure_one()
        Move = self.env["account.move"].with_company(self.company_id)
        has_decoder = any(
            file_data["type"] == "xml" and Move._get_edi_decoder(file_data, new=True)
            for file_data in self.attachment_id._unwrap_edi_attachments()
        )
        if not has_decoder:
            return False
        journal = self._pve_purchase_journal()
        move = Move.with_context(skip_is_manually_modified=True).create(
            {"move_type": "in_invoice", "journal_id": journal.id}
        )
        attachment = self.attachment_id.copy({"res_model": "account.move", "res_id": move.id})
        decoded = move._extend_with_attachments(attachment, new=True)
        if not decoded or not move.invoice_line_ids:
            move.unlink()
            attachment.unlink()
            return False
        sign = -1 if move.move_type == "in_refund" else 1
        earlier = (
            self.sudo().search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("invoice_number", "=", move.ref),
                    ("state", "!=", "rejected"),
                ],
                limit=1,
            )
            if move.ref
            else self.browse()
        )
        if earlier:
            # Refused like a duplicate PDF at upload, but only now that Odoo has read the number.
            move.unlink()
            self.write({"state": "rejected", "reject_reason": self._pve_duplicate_message(earlier)})
            return True
        self.write(
            {
                "move_id": move.id,
                "read_source": "xml",
                "invoice_number": move.ref,
                "invoice_date": move.invoice_date,
                "due_date": move.invoice_date_due,
                "currency_id": move.currency_id.id,
                "po_reference": move.invoice_origin or self.po_reference,
                "vat": move.partner_id.vat,
                "vendor_name": move.partner_id.name,
                "amount_untaxed": sign * abs(move.amount_untaxed),
                "amount_tax": sign * abs(move.amount_tax),
                "amount_total": sign * abs(move.amount_total),
                "is_credit_note": move.move_type == "in_refund",
                "error_code": False,
                "error_message": False,
                "line_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "sequence": index,
                            "description": line.name or line.product_id.display_name or "-",
                            "product_code": line.product_id.default_code,
                            "quantity": line.quantity,
                            "unit_price": line.price_unit,
                            "amount": line.price_subtotal,
                        }
                    )
                    for index, line in enumerate(
                        move.invoice_line_ids.filtered(lambda ml: ml.display_type == "product"), start=1
                    )
                ],
            }
        )
        if not move.partner_id:
            move.partner_id = self.partner_id
        # Every field present in the XML is exact.
        self.write({"confidence": 1.0, "confidence_json": {name: 1.0 for name in self._pve_fields_present()}})
        return True

    def _pve_fields_present(self):
        """:return: the reading engine's FIELDS that this submission has a value for"""
        self.ensure_one()
        names = {"vendor": "vendor_name", "currency": "currency_id", "lines": "line_ids"}
        return [key for key in FIELDS if self[names.get(key, key)]]

    def _pve_purchase_journal(self):
        self.ensure_one()
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.company_id), ("type", "=", "purchase")], limit=1
        )
        if not journal:
            raise UserError(_("Company %s has no purchase journal.", self.company_id.name))
        return journal

    # === PROCESSING (job) === #

    def _job_process(self):
        """Read, match and bill this submission: the suite's job (queue_job, lane `CHANNEL_PROCESS`).

        E-invoice XML first (Odoo's decoders create the draft bill), else the PDF reading stored at upload; then
        the purchase orders are found, the lines matched and checked three ways against ordered, received and
        already billed quantities and PO prices, and the submission is Matched (a draft bill linked to the PO
        lines, posted if the vendor's auto-post setting says so) or Awaiting review with each difference.
        """
        self.ensure_one()
        if self.state != "processing":
            return  # reviewed or rejected meanwhile
        self._pve_decode_einvoice()
        if self.state == "rejected":
            return  # a duplicate e-invoice
        if self._pve_request_claude_reading():
            return  # Claude reads the PDF first; its answer queues this job again (_pve_after_claude_reading)
        self._pve_match()
        if self.difference_ids or self.confidence < SURE_CONFIDENCE:
            self.state = "review"
            return
        self._pve_create_bill()
        self.state = "matched"
        self.move_id._autopost_bill()
        if self.move_id.state == "posted":
            self.state = "approved"

    def _pve_tolerances(self):
        params = self.env["ir.config_parameter"].sudo()
        values = {}
        for key, attribute in TOLERANCE_PARAMS.items():
            value = params.get_param(key)
            if value not in (None, False, ""):
                values[attribute] = float(value)
        return po_matching.Tolerances(**values)

    def _pve_find_purchase_orders(self):
        """:return: the purchase orders invoiced: those the vendor chose; else those the reference read names;
        else, as Odoo's own bill-to-PO matching does last (`account.move._match_purchase_orders`), the only open
        order of this vendor whose total is the invoice's total"""
        self.ensure_one()
        Order = self.env["purchase.order"]
        if self.purchase_order_ids:
            return self.purchase_order_ids
        if self.po_reference:
            candidates = Order.search(
                [
                    ("partner_id", "child_of", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "in", ("purchase", "done")),
                ]
            )
            names = po_matching.rank_purchase_orders(self.po_reference, candidates.mapped("name"))
            if names:  # the reference may name several orders
                return candidates.filtered(lambda order: order.name in names)
        if not self.amount_total or self.is_credit_note:
            return Order
        bill = self.env["account.move"].new({"move_type": "in_invoice", "company_id": self.company_id.id})
        method, po_lines, _invoice_lines = bill._match_purchase_orders(
            [], self.partner_id.id, self.amount_total, False, ORDER_MATCH_TIMEOUT
        )
        return po_lines.order_id if method == "total_match" else Order

    def _pve_po_lines(self, orders):
        """:return: the orders' product lines as `po_matching.PoLine`: billed quantity net of other bills; what may
        be billed counted as Odoo's `qty_to_invoice` does (received quantity, or ordered quantity for products billed
        on ordered quantities); the vendor's own product code first; PO prices in the invoice's currency."""
        po_lines = []
        date = self.invoice_date or fields.Date.context_today(self)
        for line in orders.order_line.filtered(lambda po_line: not po_line.display_type):
            billed = 0.0
            for move_line in line.invoice_lines:
                if move_line.move_id == self.move_id or move_line.move_id.state == "cancel":
                    continue
                sign = -1 if move_line.move_id.move_type == "in_refund" else 1
                billed += sign * move_line.product_uom_id._compute_quantity(move_line.quantity, line.product_uom)
            vendor_code = line.product_id.seller_ids.filtered(
                lambda seller, line=line: (
                    seller.partner_id.commercial_partner_id == self.partner_id and seller.product_code
                )
            )[:1].product_code
            billable = line.product_qty if line.product_id.purchase_method == "purchase" else line.qty_received
            price_unit = line.price_unit
            if self.currency_id and line.currency_id != self.currency_id:
                price_unit = line.currency_id._convert(price_unit, self.currency_id, line.company_id, date, round=False)
            po_lines.append(
                po_matching.PoLine(
                    id=line.id,
                    product_code=vendor_code or line.product_id.default_code or None,
                    description=line.name,
                    ordered_qty=line.product_qty,
                    received_qty=billable,
                    billed_qty=billed,
                    price_unit=price_unit,
                )
            )
        return po_lines

    def _pve_match(self):
        """Match the lines to the purchase orders and record the differences."""
        self.ensure_one()
        self.difference_ids.unlink()
        differences = []
        if self.error_code == IMAGE_ONLY or not self.line_ids:
            differences.append({"kind": KIND_UNREADABLE})
        elif self.confidence < SURE_CONFIDENCE:
            differences.append({"kind": KIND_LOW_CONFIDENCE})
        orders = self._pve_find_purchase_orders()
        if not self.purchase_order_ids and orders:
            self.purchase_order_ids = orders
        lines = self.line_ids.sorted(lambda line: (line.sequence, line.id))
        po_lines = self._pve_po_lines(orders)
        matches = po_matching.match_lines(lines, po_lines) if lines else []
        for match in matches:
            lines[match.invoice_index].write({"purchase_line_id": match.po_line_id, "match_score": match.score})
        if lines or not orders:
            found = po_matching.three_way_check(
                lines,
                po_lines,
                matches,
                self._pve_tolerances(),
                amount_untaxed=self.amount_untaxed or None,
                amount_tax=self.amount_tax if self.amount_total else None,
                amount_total=self.amount_total or None,
            )
            differences += [self._pve_difference_values(difference, lines) for difference in found]
        self.difference_ids = [Command.create(values) for values in differences]

    def _pve_difference_values(self, difference, lines):
        values = {"kind": difference.kind, "purchase_line_id": difference.po_line_id or False}
        if difference.invoice_index is not None:
            values["line_id"] = lines[difference.invoice_index].id
        for name in ("ordered", "received", "invoiced", "po_price", "invoiced_price", "expected", "found"):
            if getattr(difference, name) is not None:
                values[name] = getattr(difference, name)
        return values

    # === THE BILL === #

    def _pve_create_bill(self):
        """Create the draft vendor bill of this submission, its lines linked to the PO lines they match, the file
        attached. An e-invoice already has its bill (decoding creates it): its lines are linked instead.

        :return: the bill (``account.move``)
        """
        self.ensure_one()
        if self.move_id:
            self._pve_link_bill_lines()
            return self.move_id
        move_type = "in_refund" if self.is_credit_note else "in_invoice"
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": move_type,
                    "journal_id": self._pve_purchase_journal().id,
                    "partner_id": self.partner_id.id,
                    "ref": self.invoice_number,
                    "invoice_date": self.invoice_date,
                    "invoice_date_due": self.due_date,
                    "currency_id": (self.currency_id or self.company_id.currency_id).id,
                    "invoice_origin": ", ".join(self.purchase_order_ids.mapped("name")) or False,
                    "invoice_line_ids": [Command.create(self._pve_bill_line_values(line)) for line in self.line_ids],
                }
            )
        )
        attachment = self.attachment_id.copy({"res_model": "account.move", "res_id": move.id})
        move.with_context(no_new_invoice=True).message_post(
            body=_("Created from the vendor's portal submission %s.", self._get_html_link()),
            attachment_ids=attachment.ids,
        )
        self.move_id = move
        return move

    def _pve_bill_line_values(self, line):
        """:return: the bill line of an invoice line: Odoo's PO line values when matched, quantity and price as
        invoiced"""
        quantity = abs(line.quantity if line.quantity is not False else 1.0)
        if line.purchase_line_id:
            values = line.purchase_line_id._prepare_account_move_line()
            values.update(quantity=quantity, price_unit=abs(line.unit_price))
            return values
        return {"name": line.description, "quantity": quantity, "price_unit": abs(line.unit_price)}

    def _pve_link_bill_lines(self):
        """Link the decoded e-invoice bill's product lines, in order, to the PO lines their submission lines
        match."""
        bill_lines = self.move_id.invoice_line_ids.filtered(lambda ml: ml.display_type == "product")
        for bill_line, line in zip(bill_lines, self.line_ids.sorted(lambda li: (li.sequence, li.id)), strict=False):
            if line.purchase_line_id:
                bill_line.purchase_line_id = line.purchase_line_id
        if self.purchase_order_ids and not self.move_id.invoice_origin:
            self.move_id.invoice_origin = ", ".join(self.purchase_order_ids.mapped("name"))

    # === ACTIONS (accounts payable) === #

    def action_create_bill(self):
        """Create (or open) the bill of a submission under review, as it is corrected, and approve it."""
        self.ensure_one()
        if self.state not in ("review", "matched"):
            raise UserError(_("Only a submission awaiting review or matched gets a bill."))
        self._pve_create_bill()
        self.state = "approved"
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    def action_recheck(self):
        """Match the corrected submission again and keep it for review or approve it."""
        for submission in self:
            if submission.state not in ("review", "matched"):
                raise UserError(_("Only a submission awaiting review can be checked again."))
            submission._pve_match()

    def action_reject(self):
        """Open the wizard asking accounts payable the reason the vendor will read."""
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject Vendor Invoice"),
            "res_model": "pve.vendor.invoice.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"active_ids": self.ids},
        }

    def _pve_reject(self, reason):
        """Reject these submissions with `reason`, which the vendor sees; a draft bill created for them is
        deleted.

        :raise UserError: without a reason, or for a submission whose bill is posted
        """
        if not (reason or "").strip():
            raise UserError(_("Tell the vendor why the invoice is rejected."))
        for submission in self:
            if submission.move_id.state == "posted":
                raise UserError(_("%s has a posted bill: reverse it instead.", submission.display_name))
            submission.move_id.filtered(lambda move: move.state == "draft").unlink()
            submission.write({"state": "rejected", "reject_reason": reason.strip()})
            submission.message_post(body=_("Rejected: %s", reason.strip()), subtype_xmlid="mail.mt_comment")

    def _pve_state_badge_class(self):
        """:return: the Bootstrap class of this submission's status badge in the portal"""
        self.ensure_one()
        return STATE_BADGES[self.state]

    def action_open_bill(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    # === CLAUDE READING (ai_bridge_core decision) === #

    def _pve_claude_unsure_fields(self):
        """:return: the FIELDS keys the bill needs that the deterministic reading missed or found not adding up;
        all of them for a PDF without text (a scan); none for an e-invoice (exact)"""
        self.ensure_one()
        if self.read_source == "xml":
            return []
        if self.error_code == IMAGE_ONLY:
            return list(BILL_FIELDS)
        if self.read_source != "pdf":
            return []
        confidence = self.confidence_json or {}
        return [name for name in BILL_FIELDS if confidence.get(name, 0.0) < CLAUDE_UNSURE_FIELD]

    def _pve_request_claude_reading(self):
        """Ask Claude, through an AI decision of ai_bridge_core, to read this submission's PDF when the deterministic
        reading misses fields the bill needs, has totals or lines that do not add up, or found no text (a scan).

        Asked once per submission, and only when Claude can answer (switched on, an API key, budget left): otherwise
        the deterministic reading is kept and processing goes on at once.

        :return: the decision asked (its answer queues the processing again), or an empty recordset
        """
        self.ensure_one()
        Decision = self.env["ai.bridge.decision"]
        unsure = self._pve_claude_unsure_fields()
        task = self.env["ai.bridge.task"].sudo().search([("code", "=", CLAUDE_TASK_CODE)], limit=1)
        if not unsure or not task or self.env["ai.bridge.client"]._unavailable_reason(task):
            return Decision
        asked = Decision.sudo().search_count(
            [("task_id", "=", task.id), ("res_model", "=", self._name), ("res_id", "=", self.id)]
        )
        if asked:
            return Decision
        return Decision._request(
            CLAUDE_TASK_CODE,
            self,
            apply_method="_ai_apply_vendor_invoice_reading",
            fallback_method="_ai_fallback_vendor_invoice_reading",
            user_content=self._pve_claude_prompt(unsure),
            input_summary=_("%(file)s: %(fields)s", file=self.file_name, fields=", ".join(unsure)),
            tool_schema=self._pve_claude_tool_schema(),
            attachment_ids=self.attachment_id,
        )

    def _pve_claude_prompt(self, unsure):
        """:return: what Claude is told besides the PDF: the deterministic reading and which fields to check"""
        self.ensure_one()
        if self.error_code == IMAGE_ONLY:
            found = _("No text could be extracted from this PDF (a scan): read every field from the pages.")
        else:
            confidence = self.confidence_json or {}
            reading = {key: self._pve_claude_current_value(key) for key in FIELDS}
            found = _(
                "A deterministic reader found these values (JSON, with its confidence per field):\n%(reading)s\n"
                "%(confidence)s\nMissing, or not adding up (untaxed + tax = total, the lines = untaxed): %(unsure)s.",
                reading=json.dumps(reading, ensure_ascii=False, default=str),
                confidence=json.dumps(confidence),
                unsure=", ".join(unsure),
            )
        return "\n".join(
            [
                _("Read the vendor invoice in the attached PDF, uploaded by %s.", self.partner_id.name),
                found,
                _(
                    "Give every field as printed on the invoice (dates as YYYY-MM-DD, the currency as its ISO 4217 "
                    "code, amounts as numbers, positive also on a credit note), null for what is not printed, and "
                    "in field_confidence how sure you are of each field, from 0 to 1."
                ),
            ]
        )

    def _pve_claude_current_value(self, key):
        """:return: a FIELDS value of the submission as the reading engine's JSON has it"""
        if key == "lines":
            return [
                {
                    "description": line.description,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "amount": line.amount,
                    "product_code": line.product_code or None,
                }
                for line in self.line_ids.sorted(lambda li: (li.sequence, li.id))
            ]
        if key == "currency":
            return self.currency_id.name
        return self[CLAUDE_FIELD_NAMES.get(key, key)] or None

    @api.model
    def _pve_claude_tool_schema(self):
        """:return: the JSON schema of Claude's reading: every field of the reading engine, null when not printed,
        and a confidence per field (ai_bridge_core adds the overall confidence and the reasoning)"""

        def nullable(kind, description):
            return {"type": [kind, "null"], "description": description}

        number = "Number as printed, without currency sign, positive (also on a credit note)."
        line = {
            "type": "object",
            "properties": {
                "description": {"type": "string"},
                "quantity": nullable("number", number),
                "unit_price": nullable("number", number),
                "amount": nullable("number", number),
                "product_code": nullable("string", "The product code printed on the line, if any."),
            },
            "required": ["description", "quantity", "unit_price", "amount"],
        }
        return {
            "type": "object",
            "properties": {
                "vendor": nullable("string", "The issuer's (seller's) company name, not the buyer's."),
                "vat": nullable("string", "The issuer's VAT or tax identification number."),
                "invoice_number": nullable("string", "The invoice (or credit note) number."),
                "invoice_date": nullable("string", "The invoice date, YYYY-MM-DD."),
                "due_date": nullable("string", "The due date, YYYY-MM-DD."),
                "currency": nullable("string", "ISO 4217 code of the invoice currency, e.g. EUR."),
                "po_reference": nullable("string", "The buyer's purchase order reference quoted on the invoice."),
                "amount_untaxed": nullable("number", number),
                "amount_tax": nullable("number", number),
                "amount_total": nullable("number", number),
                "lines": {"type": "array", "items": line, "description": "Every invoiced line, in order."},
                "is_credit_note": {"type": "boolean", "description": "Whether the document is a credit note."},
                "field_confidence": {
                    "type": "object",
                    "properties": {key: {"type": "number", "minimum": 0, "maximum": 1} for key in FIELDS},
                    "required": list(FIELDS),
                    "description": "How sure you are of each field, from 0 to 1.",
                },
            },
            "required": [*FIELDS, "is_credit_note", "field_confidence"],
        }

    def _pve_claude_values(self, key, value, credit_note):
        """Check and convert one field of Claude's reading.

        :param str key: a FIELDS key
        :param value: what Claude answered for it
        :param bool credit_note: whether Claude read a credit note (amounts kept positive, as the engine does)
        :return: the submission's values for it, or None when the answer is not a usable value
        """

        def amount(number):
            if number is None:
                return False
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise TypeError(number)
            return abs(number) if credit_note else number

        try:
            if key in ("invoice_date", "due_date"):
                return {key: fields.Date.to_date(value)} if value else None
            if key == "currency":
                currency = self._pve_currency(value) if isinstance(value, str) else None
                return {"currency_id": currency.id} if currency else None
            if key in ("amount_untaxed", "amount_tax", "amount_total"):
                return {key: amount(value)} if value is not None else None
            if key == "lines":
                lines = [
                    Command.create(
                        {
                            "sequence": index,
                            "description": line["description"].strip() or "-",
                            "product_code": line.get("product_code") or False,
                            "quantity": amount(line.get("quantity")),
                            "unit_price": amount(line.get("unit_price")),
                            "amount": amount(line.get("amount")),
                        }
                    )
                    for index, line in enumerate(value or [], start=1)
                ]
                return {"line_ids": [Command.clear(), *lines]} if lines else None
        except (AttributeError, KeyError, TypeError, ValueError):
            return None
        return {CLAUDE_FIELD_NAMES.get(key, key): value.strip()} if isinstance(value, str) and value.strip() else None

    def _pve_merge_claude_reading(self, output):
        """Take from Claude's reading each field it is surer of than the deterministic reading, with Claude's
        confidence; the overall confidence is then recomputed. A field Claude answers with an unusable value is
        left as read.

        :param dict output: the decision's output (`_pve_claude_tool_schema`)
        :return: the FIELDS keys taken from Claude
        """
        self.ensure_one()
        claude_confidence = output.get("field_confidence")
        if not isinstance(claude_confidence, dict):
            return []
        credit_note = output.get("is_credit_note") is True
        per_field = dict(self.confidence_json or {})
        values, taken = {}, []
        for key in FIELDS:
            confidence = claude_confidence.get(key)
            if isinstance(confidence, bool) or not isinstance(confidence, int | float):
                continue
            confidence = min(max(float(confidence), 0.0), 1.0)
            if confidence <= per_field.get(key, 0.0):
                continue
            field_values = self._pve_claude_values(key, output.get(key), credit_note)
            if field_values is None:
                continue
            values.update(field_values)
            per_field[key] = confidence
            taken.append(key)
        if not taken:
            return []
        if "amount_total" in taken:
            values["is_credit_note"] = credit_note
        self.write(
            {
                **values,
                "read_source": "claude",
                "confidence_json": per_field,
                "confidence": min(per_field.get(name, 0.0) for name in BILL_FIELDS),
                "error_code": False,
                "error_message": False,
            }
        )
        labels = [self._fields[CLAUDE_FIELD_NAMES.get(key, key)]._description_string(self.env) for key in taken]
        self.message_post(body=_("Read by Claude: %s.", ", ".join(labels)), subtype_xmlid="mail.mt_note")
        return taken

    @api.model
    def _ai_apply_vendor_invoice_reading(self, decision):
        """Apply method of the reading decisions: merge Claude's reading into the submission. A submission waiting
        for it goes on once the answer is in (`_pve_after_claude_reading`); one already in review (the decision was
        approved later) is matched again with the reading as it now is.

        :raise UserError: when the submission was decided meanwhile (the decision fails, nothing changes)
        """
        submission = decision._get_record()
        if not submission or submission.state not in ("processing", "review"):
            raise UserError(_("The vendor invoice was decided meanwhile: Claude's reading is not applied."))
        submission._pve_merge_claude_reading(decision.output or {})
        if submission.state == "review":
            submission._pve_match()

    @api.model
    def _ai_fallback_vendor_invoice_reading(self, decision):
        """Fallback method of the reading decisions (Claude switched off meanwhile, over budget or failing): the
        deterministic reading stays as it is, with its own confidence; the answer changes nothing."""
        submission = decision._get_record()
        return {
            "output": {},
            "confidence": 0.0,
            "reasoning": _(
                "Claude did not read the PDF: the deterministic reading is kept (confidence %s).",
                float_repr(submission.confidence, 2),
            ),
        }

    def _pve_after_claude_reading(self, decision):
        """Go on processing once the reading decision is answered, whatever the answer (applied, awaiting
        approval, only logged, failed): matching and the bill follow in a job of their own.

        :param decision: the answered ``ai.bridge.decision``
        """
        self.ensure_one()
        if self.state == "processing":
            self._pve_enqueue(idempotency_key=f"pve.vendor.invoice.process:{self.id}:reading:{decision.id}")
