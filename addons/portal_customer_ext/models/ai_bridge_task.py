from odoo import fields, models


class AiBridgeTask(models.Model):
    _inherit = "ai.bridge.task"

    feature = fields.Selection(
        selection_add=[
            ("quotation_matching", "Quotation request matching"),
            ("ticket_triage", "Helpdesk ticket triage"),
        ],
        ondelete={"quotation_matching": "set default", "ticket_triage": "set default"},
    )
