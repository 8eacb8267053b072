from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    pve_asn_qty = fields.Float(
        string="Shipped (Vendor)",
        digits="Product Unit of Measure",
        readonly=True,
        copy=False,
        help="Quantity the vendor announced as shipped in its advance shipping notice.",
    )
