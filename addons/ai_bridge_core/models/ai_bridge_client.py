import logging

from odoo import _, api, models

from ..tools import anthropic_client
from ..tools.anthropic_client import ClaudeError, ClaudeRequest, ClaudeResult

_logger = logging.getLogger(__name__)

# Used when a setting was never saved; the settings fields show the same values as their defaults.
DEFAULT_MODEL = "claude-sonnet-4-5"
DEFAULT_FAST_MODEL = "claude-haiku-4-5"
DEFAULT_TIMEOUT = 60  # seconds
DEFAULT_MAX_RETRIES = 2


class AiBridgeClient(models.AbstractModel):
    """The suite's only way to Claude: configuration, budget, cost accounting around the client seam."""

    _name = "ai.bridge.client"
    _description = "Claude Client"

    @api.model
    def _config(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        return {
            "api_key": get("ai_bridge_core.api_key") or "",
            "model": get("ai_bridge_core.model") or DEFAULT_MODEL,
            "fast_model": get("ai_bridge_core.fast_model") or DEFAULT_FAST_MODEL,
            "timeout": float(get("ai_bridge_core.timeout") or DEFAULT_TIMEOUT),
            "max_retries": int(get("ai_bridge_core.max_retries") or DEFAULT_MAX_RETRIES),
            "monthly_budget": float(get("ai_bridge_core.monthly_budget") or 0.0),
            "base_url": get("ai_bridge_core.base_url") or None,
        }

    @api.model
    def _unavailable_reason(self, task=None):
        """Why Claude cannot be called now for `task` (a sentence for people), or False when it can."""
        config = self._config()
        if not config["api_key"]:
            return _("No Anthropic API key is configured.")
        if task and not task._claude_enabled():
            return _(
                "Claude is switched off for %(feature)s in the settings.",
                feature=dict(task._fields["feature"]._description_selection(self.env))[task.feature],
            )
        budget = config["monthly_budget"]
        if budget and self.env["ai.bridge.usage"]._spent_this_month() >= budget:
            return _("The monthly AI budget of %(budget)s USD is spent.", budget=budget)
        return False

    @api.model
    def _model_for(self, task):
        config = self._config()
        return config["fast_model"] if task.model_tier == "fast" else config["model"]

    @api.model
    def _call(self, task, request: ClaudeRequest, decision=None) -> tuple[ClaudeResult, models.Model]:
        """Call Claude through the seam and record the call's usage and cost, successful or not.

        :return: the seam's result and the `ai.bridge.usage` row recorded for it

        :raise ClaudeError: as the seam does; the usage row is written either way
        """
        config = self._config()
        Usage = self.env["ai.bridge.usage"].sudo()
        values = {
            "task_id": task.id,
            "decision_id": decision.id if decision else False,
            "model": request.model,
            "company_id": (decision.company_id if decision else self.env.company).id,
        }
        try:
            result = anthropic_client.call_tool(
                config["api_key"],
                request,
                timeout=config["timeout"],
                max_retries=config["max_retries"],
                base_url=config["base_url"],
            )
        except ClaudeError as error:
            Usage.create({**values, "status": "error", "error_type": error.error_type, "request_id": error.request_id})
            raise
        usage = Usage.create(
            {
                **values,
                "model": result.model,
                "status": "ok",
                "input_tokens": result.input_tokens,
                "output_tokens": result.output_tokens,
                "cache_write_tokens": result.cache_creation_input_tokens,
                "cache_read_tokens": result.cache_read_input_tokens,
                "cost": self.env["ai.bridge.model.price"]._cost(
                    result.model,
                    result.input_tokens,
                    result.output_tokens,
                    result.cache_creation_input_tokens,
                    result.cache_read_input_tokens,
                ),
                "latency_ms": result.latency_ms,
                "request_id": result.request_id,
            }
        )
        return result, usage

    @api.model
    def _check_connection(self):
        """Ask the API for one token with the configured key and model; returns a sentence, raises ClaudeError."""
        config = self._config()
        if not config["api_key"]:
            raise ClaudeError(
                _("No Anthropic API key is configured."),
                retryable=False,
                error_type=anthropic_client.ERROR_CONFIGURATION,
            )
        return anthropic_client.check_connection(
            config["api_key"], config["model"], timeout=config["timeout"], base_url=config["base_url"]
        )
