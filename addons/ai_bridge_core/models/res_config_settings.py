from odoo import _, api, fields, models

from ..tools.anthropic_client import ClaudeError
from .ai_bridge_client import DEFAULT_FAST_MODEL, DEFAULT_MAX_RETRIES, DEFAULT_MODEL, DEFAULT_TIMEOUT
from .queue_job import DEFAULT_MAX_ATTEMPTS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ai_bridge_api_key = fields.Char(
        string="Anthropic API Key",
        config_parameter="ai_bridge_core.api_key",
        groups="base.group_system",
        help="Leave empty to run every AI feature on its deterministic fallback.",
    )
    ai_bridge_model = fields.Char(
        string="Default Model", config_parameter="ai_bridge_core.model", default=DEFAULT_MODEL
    )
    ai_bridge_fast_model = fields.Char(
        string="Fast Model",
        config_parameter="ai_bridge_core.fast_model",
        default=DEFAULT_FAST_MODEL,
        help="A cheaper model for short, high-volume tasks.",
    )
    ai_bridge_timeout = fields.Integer(
        string="Request Timeout (s)", config_parameter="ai_bridge_core.timeout", default=DEFAULT_TIMEOUT
    )
    ai_bridge_max_retries = fields.Integer(
        string="Max Retries",
        config_parameter="ai_bridge_core.max_retries",
        default=DEFAULT_MAX_RETRIES,
        help="Immediate retries of one call on 429/5xx (honouring retry-after); its job retries later on top.",
    )
    ai_bridge_requests_per_minute = fields.Integer(
        string="Requests per Minute",
        config_parameter="ai_bridge_core.requests_per_minute",
        help="Claude requests per minute for the whole deployment, all workers and servers together (your "
        "organisation's rate limit); over it, jobs wait for the next minute without losing an attempt. 0 = no limit.",
    )
    ai_bridge_monthly_budget = fields.Float(
        string="Monthly Budget (USD)",
        config_parameter="ai_bridge_core.monthly_budget",
        help="Hard stop: once this month's calls cost this much, Claude is not called and fallbacks answer. "
        "0 = no limit.",
    )
    ai_bridge_spent_this_month = fields.Float(
        string="Spent This Month (USD)", compute="_compute_ai_bridge_spent_this_month"
    )
    ai_bridge_job_max_attempts = fields.Integer(
        string="Job Attempts",
        config_parameter="ai_bridge_core.job_max_attempts",
        default=DEFAULT_MAX_ATTEMPTS,
        help="Attempts of a job of the suite (a call to an outside service) before it is declared failed.",
    )
    # Seeded True in data/ir_config_parameter_data.xml: a config boolean with default=True could never be switched
    # off (unticking deletes the parameter, and reading falls back to the default). Modules that bring an AI feature
    # add its switch the same way, in their own settings block.
    ai_bridge_feature_server_action = fields.Boolean(
        string="Claude in AI Server Actions", config_parameter="ai_bridge_core.feature_server_action"
    )

    @api.model
    def default_get(self, fields):
        # EXTENDS base: res.config.settings reads every config_parameter field as superuser, whatever the field's
        # groups, and default_get is callable over RPC by any logged-in user (onchange calls it too). Fields the
        # user may not read (the suite's API keys and secrets) are left out here, for every module at once.
        if not self.env.su:
            fields = [name for name in fields if name not in self._fields or self._fields[name].is_accessible(self.env)]
        return super().default_get(fields)

    def _compute_ai_bridge_spent_this_month(self):
        self.ai_bridge_spent_this_month = self.env["ai.bridge.usage"]._spent_this_month()

    def action_ai_bridge_test_connection(self):
        """Save the settings, then send one tiny request and say exactly what happened."""
        self.execute()
        try:
            message, kind = self.env["ai.bridge.client"]._check_connection(), "success"
        except ClaudeError as error:
            message, kind = _("Connection to Claude failed: %s", error), "danger"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Claude"),
                "message": message,
                "type": kind,
                "sticky": kind == "danger",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
