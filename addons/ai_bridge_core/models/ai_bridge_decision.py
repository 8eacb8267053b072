import json
import logging
import re

import psycopg2.errors
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import SQL

from ..tools import gating
from ..tools.answer_schema import split_answer, with_answer_fields
from ..tools.anthropic_client import DOCUMENT_MEDIA_TYPES, ClaudeError, ClaudeRequest, ClaudeTool
from .ir_qweb import PROMPT_RENDERING, PROMPT_RENDERING_KEY
from .queue_job import CHANNEL_AI

_logger = logging.getLogger(__name__)

DECISION_STATES = [
    ("proposed", "Proposed"),
    ("auto_applied", "Auto-applied"),
    ("awaiting_approval", "Awaiting approval"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("failed", "Failed"),
    ("logged", "Logged only"),
]
GATE_TO_STATE = {gating.AUTO_APPLY: "auto_applied", gating.ASK_HUMAN: "awaiting_approval", gating.LOG_ONLY: "logged"}
OPEN_STATES = ("proposed", "awaiting_approval")  # at most one open decision per task and record
CALLBACK_PREFIX = "_ai_"  # apply and fallback methods of calling modules start with this


class AiBridgeDecision(models.Model):
    """One AI answer about one business record: what was asked, what came back, how sure, and what was done."""

    _name = "ai.bridge.decision"
    _description = "AI Decision"
    _inherit = ["mail.thread", "mail.activity.mixin", "ai.bridge.audit.mixin"]
    _order = "id desc"

    # === FIELDS ===#
    name = fields.Char(compute="_compute_name", store=True)
    task_id = fields.Many2one("ai.bridge.task", required=True, index=True, readonly=True, ondelete="restrict")
    res_model = fields.Char(string="Record Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, index=True, readonly=True
    )
    res_name = fields.Char(string="Record", readonly=True)
    callback_model = fields.Char(required=True, readonly=True)
    apply_method = fields.Char(required=True, readonly=True)
    fallback_method = fields.Char(required=True, readonly=True)
    context_data = fields.Json(readonly=True, help="Data the calling module keeps for its apply and fallback methods.")
    input_summary = fields.Text(readonly=True)
    user_content = fields.Text(string="Prompt Sent", readonly=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Documents Sent",
        readonly=True,
        help="Files sent to Claude with the prompt (PDF documents it reads).",
    )
    tool_schema = fields.Json(readonly=True)
    output = fields.Json(string="Output Data", readonly=True)
    output_display = fields.Text(string="Output", compute="_compute_output_display")
    confidence = fields.Float(digits=(3, 2), readonly=True, aggregator="avg")
    reasoning = fields.Text(readonly=True)
    source = fields.Selection([("claude", "Claude"), ("fallback", "Fallback")], readonly=True)
    fallback_reason = fields.Char(readonly=True)
    prompt_version_id = fields.Many2one("ai.bridge.prompt.version", readonly=True, ondelete="set null")
    model = fields.Char(string="AI Model", readonly=True)
    input_tokens = fields.Integer(readonly=True)
    output_tokens = fields.Integer(readonly=True)
    cost = fields.Float(string="Cost (USD)", digits=(12, 6), readonly=True)
    latency_ms = fields.Integer(string="Latency (ms)", readonly=True, aggregator="avg")
    state = fields.Selection(
        DECISION_STATES, required=True, default="proposed", index=True, readonly=True, tracking=True
    )
    error = fields.Text(readonly=True)
    applied_at = fields.Datetime(readonly=True, copy=False)
    reviewed_by_id = fields.Many2one("res.users", string="Reviewed By", readonly=True)
    reviewed_at = fields.Datetime(readonly=True)
    review_reason = fields.Text(readonly=True)
    job_id = fields.Many2one("queue.job", string="Job", readonly=True, ondelete="set null")
    requested_by_id = fields.Many2one(
        "res.users",
        string="Requested By",
        readonly=True,
        index=True,
        help="Who asked: the prompt was rendered with their rights, and they can follow this decision.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )

    def init(self):
        # Asking again while a decision of the same task on the same record is open returns that one (_request);
        # this index keeps that true for two requests racing in separate transactions.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS ai_bridge_decision_open_uniq "
                "ON ai_bridge_decision (task_id, res_model, res_id) WHERE state IN %s",
                OPEN_STATES,
            )
        )

    # === COMPUTES ===#
    @api.depends("task_id.name", "res_name")
    def _compute_name(self):
        for decision in self:
            decision.name = (
                f"{decision.task_id.name}: {decision.res_name}" if decision.res_name else decision.task_id.name
            )

    @api.depends("output")
    def _compute_output_display(self):
        for decision in self:
            decision.output_display = (
                json.dumps(decision.output, indent=2, ensure_ascii=False) if decision.output else False
            )

    # === REQUEST API (for calling modules) ===#
    @api.model
    def _request(
        self,
        task_code,
        record,
        *,
        apply_method,
        fallback_method,
        callback_model=None,
        user_content=None,
        input_summary=None,
        tool_schema=None,
        context_data=None,
        attachment_ids=None,
    ):
        """Ask for an AI decision about `record`; the answer comes later, from a job on the root.ai lane.

        :param str task_code: code of an ai.bridge.task
        :param record: the business record the decision is about
        :param str apply_method: ``_ai_...`` method of `callback_model` applying a decision: ``apply(decision)``;
            it raises to refuse, and then changes nothing
        :param str fallback_method: ``_ai_...`` method returning ``{"output", "confidence", "reasoning"}`` without
            Claude (no key, budget spent, feature off, or Claude failing)
        :param str callback_model: model holding both methods (default: the record's model)
        :param str user_content: the text describing the record (default: the task's prompt template rendered on it)
        :param dict tool_schema: the output's JSON schema (default: the task's prompt's)
        :param dict context_data: JSON data kept on the decision for the callbacks
        :param attachment_ids: ``ir.attachment`` records Claude reads with the prompt, as documents (PDF); kept on
            the decision and loaded by its job. The caller has checked that the user may read them.
        :return: the decision, state "proposed"
        """
        record.ensure_one()
        task = self.env["ai.bridge.task"].sudo().search([("code", "=", task_code)], limit=1)
        if not task:
            raise UserError(_("Unknown AI task %s.", task_code))
        callback_model = callback_model or record._name
        for method in (apply_method, fallback_method):
            self._check_callback(callback_model, method)
        attachments = attachment_ids or self.env["ir.attachment"]
        unreadable = attachments.filtered(lambda attachment: attachment.mimetype not in DOCUMENT_MEDIA_TYPES)
        if unreadable:
            raise UserError(
                _(
                    "Claude reads only PDF documents, not %(files)s.",
                    files=", ".join(unreadable.mapped("name")),
                )
            )
        open_decision = self.sudo().search(
            [("task_id", "=", task.id), ("res_model", "=", record._name), ("res_id", "=", record.id)]
            + [("state", "in", OPEN_STATES)],
            limit=1,
        )
        if open_decision:
            return open_decision.with_env(self.env)
        version = task.prompt_id.current_version_id
        if user_content is None and version.user_template:
            user_content = self._render_record_template(version.user_template, record)
        try:
            with self.env.cr.savepoint():
                decision = self._create_audited(
                    {
                        "task_id": task.id,
                        "res_model": record._name,
                        "res_id": record.id,
                        "res_name": record.display_name,
                        "callback_model": callback_model,
                        "apply_method": apply_method,
                        "fallback_method": fallback_method,
                        "context_data": context_data or {},
                        "input_summary": input_summary or (user_content or "")[:500],
                        "user_content": user_content or "",
                        "attachment_ids": [Command.set(attachments.ids)],
                        "tool_schema": tool_schema or version.tool_schema or {},
                        "prompt_version_id": version.id,
                        "requested_by_id": self.env.user.id,
                        "company_id": self.env["ai.bridge.client"]._company_for(record).id,
                    }
                )
        except psycopg2.errors.UniqueViolation as error:
            raise UserError(
                _("%(task)s is already being decided for %(record)s.", task=task.name, record=record.display_name)
            ) from error
        job = self.env["queue.job"]._ai_bridge_enqueue(
            decision.with_env(self.env),
            "_job_resolve",
            channel=CHANNEL_AI,
            idempotency_key=f"ai.decision:{decision.id}",
            description=_("AI: %s", decision.name),
        )
        decision._write_audited({"job_id": job.id})
        return decision.with_env(self.env)

    @api.model
    def _render_record_template(self, template, record):
        """Fill a prompt's record template as the user asking, with their read rights.

        Plain field paths (``{{ object.partner_id.name ||| default }}``) render for everyone, reading each field as
        that user; richer expressions need the template editor group, as in mail templates, so a prompt cannot
        read what its user cannot.
        """
        renderer = self.env["mail.render.mixin"].with_context(**{PROMPT_RENDERING_KEY: PROMPT_RENDERING})
        return renderer._render_template(template, record._name, record.ids, engine="inline_template")[record.id]

    def _get_record(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id).exists()

    def _requester_env(self):
        """The environment of the user who asked, for callbacks that choose among records with their rights."""
        self.ensure_one()
        return self.with_user(self.requested_by_id or self.env.user).with_company(self.company_id).env

    @api.model
    def _check_callback(self, model_name, method_name):
        """Refuse anything but an ``_ai_`` method of an installed model, wherever a callback is stored or run.

        :raise ValueError: for any other name
        """
        if not (
            model_name in self.env
            and (method_name or "").startswith(CALLBACK_PREFIX)
            and callable(getattr(self.env[model_name], method_name, None))
        ):
            raise ValueError(f"invalid AI callback {model_name}.{method_name}")

    def _get_callback(self, method_name):
        """The calling module's apply or fallback method, checked again here: stored names are never trusted."""
        self._check_callback(self.callback_model, method_name)
        return getattr(self.env[self.callback_model].sudo().with_company(self.company_id), method_name)

    # === RESOLUTION (job on the root.ai channel) ===#
    def _job_resolve(self):
        """Get the answer from Claude, or from the fallback, then gate it.

        The job runs as the user who asked; what follows is the suite's own work on a decision whose request was
        checked then, so it runs as superuser.
        """
        decision = self.sudo().exists()
        if not decision or decision.state != "proposed":
            return "skipped: already resolved"  # a job run again changes nothing
        decision._resolve()
        return f"{decision.state} ({decision.source})"

    def _resolve(self):
        """Claude's answer, or the fallback's: passing Claude failures are retried by the job while it has
        attempts left (backoff never sooner than retry-after), then the fallback answers."""
        self.ensure_one()
        client = self.env["ai.bridge.client"]
        reason = client._unavailable_reason(self.task_id)
        if reason:
            return self._resolve_with_fallback(reason)
        Job = self.env["queue.job"]
        try:
            result, cost = client._call(self.task_id, self._build_request(), decision=self)
        except ClaudeError as error:
            if error.retryable and Job._ai_bridge_attempts_left():
                Job._ai_bridge_retry_later(str(error), error.retry_after)
            return self._resolve_with_fallback(_("Claude failed: %s", error))
        output, confidence, reasoning = split_answer(result.tool_input)
        self._write_audited(
            {
                "source": "claude",
                "model": result.model,
                "input_tokens": result.input_tokens
                + result.cache_creation_input_tokens
                + result.cache_read_input_tokens,
                "output_tokens": result.output_tokens,
                "cost": cost,
                "latency_ms": result.latency_ms,
            }
        )
        return self._set_answer(output, confidence, reasoning)

    def _build_request(self):
        version = self.prompt_version_id
        tool_name = re.sub(r"[^a-zA-Z0-9_-]", "_", self.task_id.code)[:64]
        return ClaudeRequest(
            model=self.env["ai.bridge.client"]._model_for(self.task_id),
            system_stable=version.system_text or _("You help run a company's ERP. Answer with the tool."),
            user_content=self.user_content or self.res_name,
            tool=ClaudeTool(
                name=tool_name,
                description=_("Record your answer for the task: %s", self.task_id.name),
                input_schema=with_answer_fields(self.tool_schema),
            ),
            max_tokens=self.task_id.max_tokens or 1024,
            documents=tuple((attachment.mimetype, attachment.raw) for attachment in self.sudo().attachment_ids),
        )

    def _resolve_with_fallback(self, reason):
        answer = self._get_callback(self.fallback_method)(self)
        self._write_audited({"source": "fallback", "fallback_reason": reason})
        return self._set_answer(answer.get("output") or {}, answer.get("confidence", 0.0), answer.get("reasoning", ""))

    def _set_answer(self, output, confidence, reasoning):
        """Record the answer and act on it: apply, ask a human, or only log, as the task's thresholds say."""
        self._write_audited({"output": output, "confidence": confidence, "reasoning": reasoning})
        gate = gating.gate(confidence, self.task_id.auto_threshold, self.task_id.approval_threshold)
        if gate == gating.AUTO_APPLY:
            self._apply("auto_applied")
        else:
            self._write_audited({"state": GATE_TO_STATE[gate]})
            if gate == gating.ASK_HUMAN:
                self._notify_awaiting_approval()
        self._post_on_record()

    # === APPLY ===#
    def _apply(self, state):
        """Apply once, in a savepoint: a failing apply marks the decision failed and changes nothing else.

        The row is locked first, so two approvals racing (a click in Odoo and one in Slack) apply only once.
        """
        self.ensure_one()
        self.flush_recordset(["applied_at"])
        self.env.cr.execute(SQL("SELECT applied_at FROM ai_bridge_decision WHERE id = %s FOR NO KEY UPDATE", self.id))
        if self.env.cr.fetchone()[0]:
            return False
        try:
            with self.env.cr.savepoint():
                self._get_callback(self.apply_method)(self)
                self.env.flush_all()
        except Exception as error:  # noqa: BLE001 - any refusal of the calling module fails this decision only
            _logger.info("AI decision %s could not be applied: %s", self.id, error)
            self._write_audited({"state": "failed", "error": str(error) or error.__class__.__name__})
            return False
        self._write_audited({"state": state, "applied_at": fields.Datetime.now(), "error": False})
        return True

    # === REVIEW (Odoo UI and messaging_router's Slack buttons) ===#
    def _approve(self, user=None, reason=None):
        """Approve and apply decisions waiting for a human; returns those actually applied.

        :param user: who approves (default: the current user; messaging_router passes the user behind a Slack click)
        :param str reason: kept on the decision
        """
        decisions = self._check_reviewable(user)
        applied = self.browse()
        for decision in decisions:
            decision._write_audited(
                {
                    "reviewed_by_id": (user or self.env.user).id,
                    "reviewed_at": fields.Datetime.now(),
                    "review_reason": reason or False,
                }
            )
            if decision._apply("approved"):
                applied |= decision
        decisions._close_approval_activities()
        return applied.with_env(self.env)

    def _reject(self, user=None, reason=None):
        decisions = self._check_reviewable(user)
        decisions._write_audited(
            {
                "state": "rejected",
                "reviewed_by_id": (user or self.env.user).id,
                "reviewed_at": fields.Datetime.now(),
                "review_reason": reason or False,
            }
        )
        decisions._close_approval_activities()
        return self

    def _check_reviewable(self, user=None):
        """Check that `user` may review these decisions and that they wait for a review; return them as superuser.

        Reviewers only read decisions (no write access): a review is a state transition checked here, so that
        nobody can write a state or an output directly.
        """
        reviewer = user or self.env.user
        self.with_user(reviewer).check_access("read")
        if not reviewer.has_group("ai_bridge_core.group_ai_bridge_user"):
            raise AccessError(self.env._("Only AI Bridge users can review AI decisions."))
        not_waiting = self.filtered(lambda decision: decision.state != "awaiting_approval")
        if not_waiting:
            raise UserError(
                self.env._(
                    "Only decisions awaiting approval can be reviewed: %s.", ", ".join(not_waiting.mapped("name"))
                )
            )
        return self.sudo()

    def action_review(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Review AI Decisions"),
            "res_model": "ai.bridge.decision.review",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_decision_ids": self.ids,
                "default_action": self.env.context.get("review_action", "approve"),
            },
        }

    def action_open_record(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id).get_formview_action()

    # === NOTIFICATIONS (extended by messaging_router) ===#
    def _notify_awaiting_approval(self):
        """Tell the task's approver; messaging_router adds Slack buttons on top."""
        for decision in self.filtered("task_id.approver_id"):
            decision.activity_schedule(
                "ai_bridge_core.mail_activity_type_ai_approval",
                user_id=decision.task_id.approver_id.id,
                summary=_("Approve or reject: %s", decision.name),
            )

    def _close_approval_activities(self):
        self.activity_unlink(["ai_bridge_core.mail_activity_type_ai_approval"])

    def _post_on_record(self):
        """Log the outcome in the business record's chatter, when it has one.

        A log line by OdooBot, not a person's comment: prompts read the messages of people
        (`ai.bridge.decision.mixin.ai_last_message`) and must not take the suite's own lines for one.
        """
        record = self._get_record()
        if not record or not hasattr(record, "message_post"):
            return
        state = dict(self._fields["state"]._description_selection(self.env))[self.state]
        source = dict(self._fields["source"]._description_selection(self.env)).get(self.source, "")
        record.sudo().message_post(
            body=Markup("%s <a href='/odoo/ai.bridge.decision/%s'>%s</a>: %s (%s, %s %.2f)")
            % (_("AI decision"), self.id, self.task_id.name, state, source, _("confidence"), self.confidence),
            author_id=self.env.ref("base.partner_root").id,
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
