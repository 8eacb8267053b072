from odoo import _, api, fields, models
from odoo.tools import float_repr

from ..tools import po_matching

# Kinds found by the submission itself rather than by the three-way check of tools/po_matching.py.
KIND_UNREADABLE = "unreadable"
KIND_LOW_CONFIDENCE = "low_confidence"
DIFFERENCE_KINDS = [
    (po_matching.UNMATCHED_LINE, "Line not on the order"),
    (po_matching.QTY_OVER_RECEIVED, "More than received"),
    (po_matching.QTY_OVER_ORDERED, "More than ordered"),
    (po_matching.PRICE, "Price"),
    (po_matching.TOTALS, "Totals"),
    (po_matching.NO_PO, "No purchase order"),
    (KIND_UNREADABLE, "Unreadable file"),
    (KIND_LOW_CONFIDENCE, "Uncertain reading"),
]


class PveVendorInvoiceDifference(models.Model):
    _name = "pve.vendor.invoice.difference"
    _description = "Vendor Invoice Difference"
    _order = "invoice_id, id"

    # === FIELDS === #

    invoice_id = fields.Many2one(
        "pve.vendor.invoice", string="Submission", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="invoice_id.company_id", store=True)
    kind = fields.Selection(DIFFERENCE_KINDS, required=True)
    line_id = fields.Many2one("pve.vendor.invoice.line", string="Invoice Line", ondelete="cascade")
    purchase_line_id = fields.Many2one("purchase.order.line", string="Purchase Order Line", ondelete="set null")
    ordered = fields.Float(digits="Product Unit of Measure")
    received = fields.Float(digits="Product Unit of Measure")
    invoiced = fields.Float(digits="Product Unit of Measure")
    po_price = fields.Float(string="PO Price", digits="Product Price")
    invoiced_price = fields.Float(digits="Product Price")
    expected = fields.Float()
    found = fields.Float()
    message = fields.Text(compute="_compute_message", help="The difference in plain words, as the vendor reads it.")

    # === COMPUTES === #

    @api.depends_context("lang")
    @api.depends(
        "kind", "line_id", "ordered", "received", "invoiced", "po_price", "invoiced_price", "expected", "found"
    )
    def _compute_message(self):
        for difference in self:
            difference.message = difference._pve_describe()

    def _pve_describe(self):
        """:return: this difference in plain words, in the user's language"""
        self.ensure_one()
        line = self.line_id
        what = (
            _("Line %(number)s (%(description)s)", number=line.sequence, description=line.description) if line else ""
        )
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        currency = self.invoice_id.currency_id or self.invoice_id.company_id.currency_id

        def qty(value):
            return f"{value:g}"

        def price(value):
            return float_repr(value, price_digits)

        if self.kind == po_matching.UNMATCHED_LINE:
            return _("%(line)s matches no line of the purchase order(s).", line=what)
        if self.kind == po_matching.QTY_OVER_RECEIVED:
            return _(
                "%(line)s: %(invoiced)s invoiced, but %(received)s received so far (%(ordered)s ordered).",
                line=what,
                invoiced=qty(self.invoiced),
                received=qty(self.received),
                ordered=qty(self.ordered),
            )
        if self.kind == po_matching.QTY_OVER_ORDERED:
            return _(
                "%(line)s: %(invoiced)s invoiced, but only %(ordered)s ordered.",
                line=what,
                invoiced=qty(self.invoiced),
                ordered=qty(self.ordered),
            )
        if self.kind == po_matching.PRICE:
            return _(
                "%(line)s: unit price %(invoiced)s invoiced, %(po)s on the purchase order.",
                line=what,
                invoiced=price(self.invoiced_price),
                po=price(self.po_price),
            )
        if self.kind == po_matching.TOTALS:
            return _(
                "The amounts do not add up: %(expected)s expected, %(found)s on the invoice.",
                expected=currency.format(self.expected),
                found=currency.format(self.found),
            )
        if self.kind == po_matching.NO_PO:
            return _("No purchase order of yours was found for this invoice.")
        if self.kind == KIND_UNREADABLE:
            return _("The file holds no readable text (a scan?): accounts payable reads it by hand.")
        return _("Some fields could not be read with certainty: accounts payable checks them.")
