from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.gating import DEFAULT_APPROVAL_THRESHOLD, DEFAULT_AUTO_THRESHOLD

MODEL_TIERS = [("default", "Default model"), ("fast", "Fast model")]


class AiBridgeTask(models.Model):
    """One kind of AI work (invoice reading, ticket triage, an AI server action...), with its gating thresholds."""

    _name = "ai.bridge.task"
    _description = "AI Task"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True, help="Technical name used by the calling module.")
    active = fields.Boolean(default=True)
    feature = fields.Selection(
        [("server_action", "AI server actions")],
        default="server_action",
        help="The settings switch that turns Claude on or off for this task; off means the fallback only. Modules "
        "that bring an AI feature add theirs (selection_add) with its switch in their own settings.",
    )
    prompt_id = fields.Many2one("ai.bridge.prompt", ondelete="restrict")
    model_tier = fields.Selection(MODEL_TIERS, required=True, default="default")
    max_tokens = fields.Integer(default=1024)
    auto_threshold = fields.Float(
        string="Apply at or above",
        default=DEFAULT_AUTO_THRESHOLD,
        digits=(3, 2),
        help="Answers at least this confident are applied without a human.",
    )
    approval_threshold = fields.Float(
        string="Ask a human at or above",
        default=DEFAULT_APPROVAL_THRESHOLD,
        digits=(3, 2),
        help="Answers at least this confident (and below the first threshold) wait for approval; "
        "lower ones are only logged.",
    )
    approver_id = fields.Many2one(
        "res.users",
        string="Approver",
        domain=[("share", "=", False)],
        help="Gets an activity for each decision waiting for approval.",
    )
    decision_ids = fields.One2many("ai.bridge.decision", "task_id")
    decision_count = fields.Integer(compute="_compute_decision_count")

    _sql_constraints = [("code_uniq", "unique(code)", "A task code must be unique.")]

    @api.depends("decision_ids")
    def _compute_decision_count(self):
        counts = dict(
            self.env["ai.bridge.decision"]._read_group([("task_id", "in", self.ids)], ["task_id"], ["__count"])
        )
        for task in self:
            task.decision_count = counts.get(task, 0)

    @api.constrains("auto_threshold", "approval_threshold")
    def _check_thresholds(self):
        for task in self:
            if not 0 <= task.approval_threshold <= task.auto_threshold <= 1:
                raise ValidationError(_("Thresholds must satisfy 0 ≤ ask a human ≤ apply ≤ 1 (task %s).", task.name))

    def _claude_enabled(self):
        """False when the settings switched Claude off for this task's feature."""
        self.ensure_one()
        if not self.feature:
            return True
        return bool(self.env["ir.config_parameter"].sudo().get_param(f"ai_bridge_core.feature_{self.feature}"))

    def action_view_decisions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ai_bridge_core.ai_bridge_decision_action")
        action["domain"] = [("task_id", "=", self.id)]
        return action
