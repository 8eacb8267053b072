from odoo import fields, models


class AiBridgeTask(models.Model):
    _inherit = "ai.bridge.task"

    feature = fields.Selection(
        selection_add=[("quotation_matching", "Quotation request matching")],
        ondelete={"quotation_matching": "set default"},
    )
