from odoo import fields, models


class PveVendorInvoiceLine(models.Model):
    _name = "pve.vendor.invoice.line"
    _description = "Vendor Invoice Submission Line"
    _order = "invoice_id, sequence, id"

    # === FIELDS === #

    invoice_id = fields.Many2one(
        "pve.vendor.invoice", string="Submission", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="invoice_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    description = fields.Char(required=True)
    product_code = fields.Char()
    quantity = fields.Float(digits="Product Unit of Measure")
    unit_price = fields.Float(digits="Product Price")
    amount = fields.Float()
    purchase_line_id = fields.Many2one(
        "purchase.order.line", string="Purchase Order Line", index="btree_not_null", ondelete="set null"
    )
    match_score = fields.Float(string="Match Score", help="How sure the line match is, from 0 to 1.")
