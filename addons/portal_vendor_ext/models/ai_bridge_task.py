from odoo import fields, models


class AiBridgeTask(models.Model):
    _inherit = "ai.bridge.task"

    feature = fields.Selection(
        selection_add=[("vendor_invoice_reading", "Vendor invoice reading")],
        ondelete={"vendor_invoice_reading": "set default"},
    )
