from odoo import fields, models

DEFAULT_MODEL = "claude-sonnet-4-5"
DEFAULT_FAST_MODEL = "claude-haiku-4-5"


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
        string="Request Timeout (s)", config_parameter="ai_bridge_core.timeout", default=60
    )
    ai_bridge_max_retries = fields.Integer(
        string="Max Retries", config_parameter="ai_bridge_core.max_retries", default=2
    )
