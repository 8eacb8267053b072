from odoo import fields, models


class AiBridgeDecisionMixin(models.AbstractModel):
    """For business models: the count of their AI decisions and the action behind a smart button."""

    _name = "ai.bridge.decision.mixin"
    _description = "AI Decisions Mixin"

    ai_decision_count = fields.Integer(compute="_compute_ai_decision_count", string="AI Decisions")

    def _compute_ai_decision_count(self):
        counts = dict(
            self.env["ai.bridge.decision"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"], ["__count"]
            )
        )
        for record in self:
            record.ai_decision_count = counts.get(record.id, 0)

    def action_view_ai_decisions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ai_bridge_core.ai_bridge_decision_action")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {}
        return action
