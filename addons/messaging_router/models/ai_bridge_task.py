from odoo import fields, models


class AiBridgeTask(models.Model):
    _inherit = "ai.bridge.task"

    feature = fields.Selection(selection_add=[("digest", "Daily digests")], ondelete={"digest": "set default"})
