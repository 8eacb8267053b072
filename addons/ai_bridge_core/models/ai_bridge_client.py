import logging
import threading
from contextlib import contextmanager

from odoo import _, api, models

from ..tools import anthropic_client
from ..tools.anthropic_client import ClaudeError, ClaudeRequest, ClaudeResult

_logger = logging.getLogger(__name__)

# Used when a setting was never saved; the settings fields show the same values as their defaults.
DEFAULT_MODEL = "claude-sonnet-4-5"
DEFAULT_FAST_MODEL = "claude-haiku-4-5"
DEFAULT_TIMEOUT = 60  # seconds
DEFAULT_MAX_RETRIES = 2
RATE_LIMITED_SERVICE = "anthropic"  # the counter of ai.bridge.rate.window shared by every Claude call


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
            "requests_per_minute": int(get("ai_bridge_core.requests_per_minute") or 0),
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
    def _call(self, task, request: ClaudeRequest, decision=None) -> tuple[ClaudeResult, float]:
        """Call Claude through the seam and record the call's usage and cost, successful or not.

        The usage row is committed in its own transaction (`ai.bridge.usage._record`): the caller's transaction,
        whose snapshot predates it, cannot read it back, so the cost is returned instead.

        :return: the seam's result and the call's cost in USD

        :raise ClaudeError: as the seam does; the usage row is written either way
        """
        config = self._config()
        Usage = self.env["ai.bridge.usage"]
        values = {
            "task_id": task.id,
            "decision_id": decision.id if decision else False,
            "model": request.model,
            "company_id": (decision.company_id if decision else self.env.company).id,
        }
        self.env["ai.bridge.rate.window"]._take_slot(RATE_LIMITED_SERVICE, config["requests_per_minute"])
        try:
            result = anthropic_client.call_tool(
                config["api_key"],
                request,
                timeout=config["timeout"],
                max_retries=config["max_retries"],
                base_url=config["base_url"],
            )
        except ClaudeError as error:
            Usage._record({**values, "status": "error", "error_type": error.error_type, "request_id": error.request_id})
            raise
        cost = self.env["ai.bridge.model.price"]._cost(
            result.model,
            result.input_tokens,
            result.output_tokens,
            result.cache_creation_input_tokens,
            result.cache_read_input_tokens,
        )
        Usage._record(
            {
                **values,
                "model": result.model,
                "status": "ok",
                "input_tokens": result.input_tokens,
                "output_tokens": result.output_tokens,
                "cache_write_tokens": result.cache_creation_input_tokens,
                "cache_read_tokens": result.cache_read_input_tokens,
                "cost": cost,
                "latency_ms": result.latency_ms,
                "request_id": result.request_id,
            }
        )
        return result, cost

    @api.model
    @contextmanager
    def _committed_env(self):
        """An environment on a transaction of its own, committed on exit, as superuser: for what must survive the
        caller's rollback (the cost of an answered call, a rate-limit counter).

        Tests run in one transaction rolled back at the end: there, the current environment is used.
        """
        if getattr(threading.current_thread(), "testing", False):
            yield self.env(su=True)
            return
        with self.env.registry.cursor() as cr:
            yield self.env(cr=cr, su=True)

    @api.model
    def _company_for(self, record):
        """The company a record's outside calls belong to: its own, or the current one for shared records."""
        if record and "company_id" in record and record.company_id:
            return record.company_id
        return self.env.company

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
