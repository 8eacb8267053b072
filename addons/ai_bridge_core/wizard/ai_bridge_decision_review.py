from odoo import fields, models


class AiBridgeDecisionReview(models.TransientModel):
    _name = "ai.bridge.decision.review"
    _description = "Review AI Decisions"

    decision_ids = fields.Many2many("ai.bridge.decision", required=True)
    action = fields.Selection([("approve", "Approve"), ("reject", "Reject")], required=True, default="approve")
    reason = fields.Text(help="Why: kept on the decision for the record.")

    def action_confirm(self):
        self.ensure_one()
        if self.action == "approve":
            self.decision_ids._approve(reason=self.reason)
        else:
            self.decision_ids._reject(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
