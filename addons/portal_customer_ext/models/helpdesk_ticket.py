from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # === FIELDS: what the ticket is about (opened from a portal order, invoice or product page) === #

    pce_sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Sales Order",
        index="btree_not_null",
        ondelete="set null",
        help="The customer's order this ticket is about.",
    )
    pce_invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        index="btree_not_null",
        ondelete="set null",
        domain=[("move_type", "in", ("out_invoice", "out_refund"))],
        help="The customer's invoice or credit note this ticket is about.",
    )
    pce_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        index="btree_not_null",
        ondelete="set null",
        help="The product this ticket is about.",
    )
