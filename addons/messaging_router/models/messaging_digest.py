from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools.misc import format_date

from odoo.addons.ai_bridge_core.models.queue_job import CHANNEL_AI
from odoo.addons.ai_bridge_core.tools.anthropic_client import ClaudeError, ClaudeRequest, ClaudeTool

from ..tools.digest import DigestLine, DigestSection, prompt_data, render_plain

DIGEST_TASK = "messaging_router.ai_bridge_task_digest"
# The roles that get a digest, in the order of its sections, and the group that makes a user one of them.
ROLE_GROUPS = [
    ("sales", "sales_team.group_sale_salesman"),
    ("purchase", "purchase.group_purchase_user"),
    ("accounting", "account.group_account_invoice"),
]
AI_REVIEWER_GROUP = "ai_bridge_core.group_ai_bridge_user"  # who may approve AI decisions
OPEN_QUOTATION_STATES = ("draft", "sent")
UNPAID_STATES = ("not_paid", "partial")
DIGEST_INSTRUCTIONS = (
    "You write the morning digest of one person of a company, from figures of their ERP (Odoo). The figures come "
    "as JSON: sections (sales, purchase, accounting, AI decisions) of lines with a count and amounts per currency, "
    "all read with the reader's own access rights. Write a short, friendly digest in the reader's language: what "
    "happened yesterday, then what needs their attention today (orders or AI decisions awaiting their approval, "
    "overdue invoices, late receipts). Use only the figures given, never invent or recompute one, and leave out "
    "zero figures. Plain text for Slack: short paragraphs or bullets, *bold* for emphasis, at most 12 lines, no "
    "greeting line (it is added for you). Answer with the tool."
)
DIGEST_TOOL = ClaudeTool(
    name="write_digest",
    description="Record the digest text to send to the reader.",
    input_schema={
        "type": "object",
        "properties": {"text": {"type": "string", "description": "The digest, plain text with Slack *bold*."}},
        "required": ["text"],
    },
)


class MessagingDigest(models.AbstractModel):
    """The daily digest of each person of the sales, purchase and accounting roles, sent as `digest.daily`."""

    _name = "messaging.digest"
    _description = "Daily Digest"

    @api.model
    def _cron_send_daily_digests(self):
        """Queue, for each internal user of a digest role, a job that sends them yesterday's digest.

        One job per user on the AI lane: Claude writes each digest, and its calls must neither run in the cron's
        single thread nor wait behind one another's failures. The idempotency key makes a second run of the cron
        on the same day queue nothing. "Yesterday" is each reader's own, in their timezone (the one their digest's
        day bounds are read in), not the cron user's.
        """
        Job = self.env["queue.job"]
        for user in self._digest_recipients():
            day = self._digest_today(user) - timedelta(days=1)
            Job.with_company(user.company_id)._ai_bridge_enqueue(
                self,
                "_job_send_digest",
                user,
                day,
                channel=CHANNEL_AI,
                idempotency_key=f"messaging.digest:{user.id}:{day}",
                description=self.env._("Daily digest: %s", user.name),
            )

    @api.model
    def _digest_role_groups(self):
        """:return: list of (role, group) of the roles installed here (purchase only when it is)"""
        return [
            (role, self.env.ref(xmlid))
            for role, xmlid in ROLE_GROUPS
            if role != "purchase" or "purchase.order" in self.env
        ]

    @api.model
    def _digest_today(self, user):
        """:return: today's date for `user`, in their timezone (UTC without one, as `_digest_day_bounds`)"""
        return fields.Date.context_today(self.with_context(tz=user.tz or "UTC"))

    @api.model
    def _digest_recipients(self):
        groups = self.env["res.groups"].union(*(group for _role, group in self._digest_role_groups()))
        return self.env["res.users"].search([("share", "=", False), ("groups_id", "in", groups.ids)])

    # === THE JOB (root.ai lane) === #

    def _job_send_digest(self, user, day):
        """Send `user` the digest of `day`: their figures, read with their rights, in their words when Claude may
        write digests, else the plain summary.

        :return: "claude", or why the plain summary was sent (the job's result)
        """
        user = user.sudo()
        if not user.active or user.share:
            return "skipped: not an active internal user"
        reader = self.with_user(user).with_company(user.company_id).with_context(lang=user.lang, tz=user.tz)
        sections = reader._digest_sections(day)
        if not sections:
            return "skipped: no digest role"
        greeting = reader.env._("Your digest for %s", format_date(reader.env, day))
        text = render_plain(greeting, sections, reader.env._("Nothing to report."))
        claude_text, source = self.with_company(user.company_id)._digest_claude_text(user, day, sections)
        self.env["messaging.delivery"].with_company(user.company_id)._send(
            "digest.daily",
            self.browse(),
            user,
            {"subject": greeting, "body": f"{greeting}\n\n{claude_text}" if claude_text else text},
        )
        return source

    # === FIGURES (as the reader: with_user) === #

    def _digest_sections(self, day):
        """The current user's figures of `day`, one section per role of theirs, each line one `_read_group` (or
        `search_count`) with their access rights: a salesperson's digest counts their own orders only."""
        user = self.env.user
        start, end = self._digest_day_bounds(day)
        sections = [
            getattr(self, f"_digest_{role}")(start, end, day)
            for role, group in self._digest_role_groups()
            if group in user.groups_id
        ]
        if sections and user.has_group(AI_REVIEWER_GROUP):
            sections.append(self._digest_ai())
        return sections

    def _digest_day_bounds(self, day):
        """:return: (start, end) of `day` in the reader's timezone, as naive UTC datetimes"""
        tz = pytz.timezone(self.env.user.tz or "UTC")

        def utc(date):
            return tz.localize(datetime.combine(date, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        return utc(day), utc(day + timedelta(days=1))

    def _digest_line(self, key, label, model, domain, amount_field=None):
        """One figure: the count of `model`'s records in `domain` and, with `amount_field`, their amounts per
        currency, in one query with the current user's rights."""
        Model = self.env[model]
        if not amount_field:
            return DigestLine(key, label, Model.search_count(domain))
        groups = Model._read_group(domain, ["currency_id"], ["__count", f"{amount_field}:sum"])
        return DigestLine(
            key,
            label,
            sum(count for _currency, count, _amount in groups),
            tuple((currency.name, amount) for currency, _count, amount in groups),
        )

    def _digest_sales(self, start, end, day):
        _ = self.env._
        period = [("date_order", ">=", start), ("date_order", "<", end)]
        return DigestSection(
            "sales",
            _("Sales"),
            (
                self._digest_line(
                    "quotations_new",
                    _("Quotations created yesterday"),
                    "sale.order",
                    [("state", "in", OPEN_QUOTATION_STATES), ("create_date", ">=", start), ("create_date", "<", end)],
                    "amount_total",
                ),
                self._digest_line(
                    "orders_confirmed",
                    _("Orders confirmed yesterday"),
                    "sale.order",
                    [("state", "=", "sale"), *period],
                    "amount_total",
                ),
                self._digest_line(
                    "pipeline",
                    _("Open quotations (pipeline)"),
                    "sale.order",
                    [("state", "in", OPEN_QUOTATION_STATES)],
                    "amount_total",
                ),
                self._digest_line(
                    "orders_awaiting_approval",
                    _("Orders awaiting a sales manager's approval"),
                    "sale.order",
                    [("messaging_approval_state", "=", "awaiting")],
                    "amount_total",
                ),
            ),
        )

    def _digest_purchase(self, start, end, day):
        _ = self.env._
        return DigestSection(
            "purchase",
            _("Purchase"),
            (
                self._digest_line(
                    "purchase_confirmed",
                    _("Purchase orders confirmed yesterday"),
                    "purchase.order",
                    [("state", "in", ("purchase", "done")), ("date_approve", ">=", start), ("date_approve", "<", end)],
                    "amount_total",
                ),
                self._digest_line(
                    "purchase_to_approve",
                    _("Purchase orders to approve"),
                    "purchase.order",
                    [("state", "=", "to approve")],
                    "amount_total",
                ),
                self._digest_line(
                    "receipts_late",
                    _("Late receipts"),
                    "purchase.order",
                    [
                        ("state", "in", ("purchase", "done")),
                        ("receipt_status", "in", ("pending", "partial")),
                        ("date_planned", "<", end),
                    ],
                    "amount_total",
                ),
            ),
        )

    def _digest_accounting(self, start, end, day):
        _ = self.env._
        today = day + timedelta(days=1)
        unpaid = [("state", "=", "posted"), ("payment_state", "in", UNPAID_STATES)]
        return DigestSection(
            "accounting",
            _("Accounting"),
            (
                self._digest_line(
                    "invoices_overdue",
                    _("Overdue customer invoices"),
                    "account.move",
                    [("move_type", "=", "out_invoice"), ("invoice_date_due", "<", today), *unpaid],
                    "amount_residual",
                ),
                self._digest_line(
                    "bills_to_pay",
                    _("Vendor bills to pay"),
                    "account.move",
                    [("move_type", "=", "in_invoice"), *unpaid],
                    "amount_residual",
                ),
                self._digest_line(
                    "payments_received",
                    _("Customer payments received yesterday"),
                    "account.payment",
                    [("payment_type", "=", "inbound"), ("date", "=", day), ("state", "in", ("in_process", "paid"))],
                    "amount",
                ),
            ),
        )

    def _digest_ai(self):
        _ = self.env._
        domain = [("state", "=", "awaiting_approval"), ("task_id.approver_id", "=", self.env.uid)]
        return DigestSection(
            "ai",
            _("AI decisions"),
            (self._digest_line("ai_awaiting_approval", _("Awaiting your approval"), "ai.bridge.decision", domain),),
        )

    # === TEXT (Claude, or the plain summary) === #

    def _digest_claude_text(self, user, day, sections):
        """Claude's digest text, when Claude may write digests; its usage and cost are recorded like every call.

        Passing failures are retried by the job while it has attempts left; then, as when Claude is off, has no
        key or is over budget, the plain summary is sent.

        :return: (text or None, "claude" or why not)
        """
        client = self.env["ai.bridge.client"]
        task = self.env.ref(DIGEST_TASK, raise_if_not_found=False)
        reason = client._unavailable_reason(task) if task and task.active else self.env._("No active digest task.")
        if reason:
            return None, reason
        request = ClaudeRequest(
            model=client._model_for(task),
            system_stable=DIGEST_INSTRUCTIONS,
            system_variable=f"Reader: {user.name}. Language: {user.lang}. Day: {day}.",
            user_content=prompt_data(sections),
            tool=DIGEST_TOOL,
            max_tokens=task.max_tokens or 1024,
        )
        try:
            result, _cost = client._call(task, request)
        except ClaudeError as error:
            Job = self.env["queue.job"]
            if error.retryable and Job._ai_bridge_attempts_left():
                Job._ai_bridge_retry_later(str(error), error.retry_after)
            return None, self.env._("Claude failed: %s", error)
        text = (result.tool_input.get("text") or "").strip()
        return (text, "claude") if text else (None, self.env._("Claude wrote no text."))
