from odoo import _, fields, models

from ..tools.anthropic_client import ClaudeError
from .ai_bridge_client import DEFAULT_FAST_MODEL, DEFAULT_MAX_RETRIES, DEFAULT_MODEL, DEFAULT_TIMEOUT
from .ai_bridge_job import DEFAULT_MAX_ATTEMPTS


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
        help="Immediate retries of one call on 429/5xx (honouring retry-after); the outbox retries later on top.",
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
        help="Attempts of an outbox job before it is declared dead.",
    )
    # Toggles seeded True in data/ir_config_parameter_data.xml: a config boolean with default=True could never be
    # switched off (unticking deletes the parameter, and reading falls back to the default).
    ai_bridge_feature_rfq_matching = fields.Boolean(
        string="RFQ Matching", config_parameter="ai_bridge_core.feature_rfq_matching"
    )
    ai_bridge_feature_ticket_triage = fields.Boolean(
        string="Ticket Triage", config_parameter="ai_bridge_core.feature_ticket_triage"
    )
    ai_bridge_feature_invoice_reading = fields.Boolean(
        string="Invoice Reading", config_parameter="ai_bridge_core.feature_invoice_reading"
    )
    ai_bridge_feature_digest = fields.Boolean(string="Digest", config_parameter="ai_bridge_core.feature_digest")
    ai_bridge_feature_alerts = fields.Boolean(string="Alerts", config_parameter="ai_bridge_core.feature_alerts")

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
