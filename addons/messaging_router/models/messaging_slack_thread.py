import logging

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext, plaintext2html

from odoo.addons.ai_bridge_core.models.ai_bridge_audit_mixin import with_audited_writes
from odoo.addons.ai_bridge_core.models.queue_job import CHANNEL_MESSAGING

from ..tools import slack_client, slack_threads
from ..tools.slack_blocks import notification_blocks
from ..tools.slack_client import ERROR_CONFIGURATION, SlackError
from .messaging_delivery import SLACK_MESSAGES_PER_SECOND

_logger = logging.getLogger(__name__)

THREAD_STATES = [("pending", "Starting"), ("open", "Open"), ("failed", "Failed")]


class MessagingSlackThread(models.Model):
    """A Slack thread tied to a record: replies in the thread are posted in the record's chatter, and the notes and
    messages people post in the chatter are posted in the thread.

    Each message exists once on each side: a chatter message stores the ``ts`` of its Slack twin
    (``mail.message.messaging_slack_ts``, unique per thread), whichever side it was written on. That link stops
    loops (a message that came from Slack is not sent back; Slack's echo of the bot's post is already known) and
    duplicates (an event Slack sends again, a job run again).
    """

    _name = "messaging.slack.thread"
    _description = "Slack Thread"
    _order = "id desc"

    # === FIELDS === #
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", required=True, readonly=True)
    res_name = fields.Char(string="Record", readonly=True)
    slack_channel = fields.Char(
        required=True, readonly=True, help="The channel the thread is in: its Slack ID once the thread is started."
    )
    slack_ts = fields.Char(
        string="Slack Thread", readonly=True, copy=False, help="The ts of the thread's first message."
    )
    state = fields.Selection(THREAD_STATES, required=True, default="pending", readonly=True)
    error = fields.Char(readonly=True, copy=False)
    user_id = fields.Many2one("res.users", string="Started By", readonly=True, default=lambda self: self.env.user)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        ("record_uniq", "unique(res_model, res_id)", "A record has one Slack thread."),
        ("slack_thread_uniq", "unique(slack_channel, slack_ts)", "This Slack thread belongs to another record."),
    ]

    # === COMPUTES === #
    @api.depends("res_name", "slack_channel")
    def _compute_display_name(self):
        for thread in self:
            thread.display_name = f"{thread.res_name} ({thread.slack_channel})"

    # === ACTIONS === #
    def action_open_record(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id).get_formview_action()

    # === BUSINESS === #
    @api.model
    def _start(self, record, channel):
        """Tie `record` to a new thread in the Slack `channel`; a job posts the thread's first message.

        The user must be able to read the record: the thread shows its name and link in Slack, and the record's
        chatter follows the thread. A failed thread is started again; an open one is refused.

        :param record: a record of a model with a chatter
        :param str channel: a Slack channel ID or ``#name`` the bot is a member of
        :return: the thread, in state "pending"
        :raise AccessError: when the user cannot read the record
        :raise UserError: no chatter, no channel, no bot token, or a thread already
        """
        record = record.with_env(self.env)  # checked as the user starting the thread, whoever browsed it
        record.ensure_one()
        record.check_access("read")
        if not isinstance(record, self.pool["mail.thread"]):
            raise UserError(_("%s records have no chatter: they cannot have a Slack thread.", record._description))
        channel = (channel or "").strip()
        if not channel:
            raise UserError(_("Enter the Slack channel of the thread."))
        if not self.env["ir.config_parameter"].sudo().get_param("messaging_router.slack_bot_token"):
            raise UserError(_("No Slack bot token is configured: an administrator sets it in Settings > Messaging."))
        thread = self.sudo().search([("res_model", "=", record._name), ("res_id", "=", record.id)])
        if thread and thread.state != "failed":
            raise UserError(
                _(
                    "%(record)s has a Slack thread already, in %(channel)s.",
                    record=thread.res_name,
                    channel=thread.slack_channel,
                )
            )
        values = {
            "slack_channel": channel,
            "slack_ts": False,
            "state": "pending",
            "error": False,
            "res_name": record.display_name,
            "user_id": self.env.user.id,
        }
        if thread:
            thread.write(values)
        else:
            company = self.env["ai.bridge.client"]._company_for(record)
            thread = self.sudo().create(
                {**values, "res_model": record._name, "res_id": record.id, "company_id": company.id}
            )
        self.env["queue.job"].sudo()._ai_bridge_enqueue(
            thread, "_job_post_root", channel=CHANNEL_MESSAGING, description=_("Slack thread: %s", thread.res_name)
        )
        return thread

    @api.model
    def _find(self, channel, thread_ts):
        """The open thread a Slack reply belongs to (sudo), or an empty recordset."""
        return self.sudo().search(
            [("slack_channel", "=", channel), ("slack_ts", "=", thread_ts), ("state", "=", "open")], limit=1
        )

    def _record(self):
        self.ensure_one()
        if self.res_model not in self.env:
            return None
        return self.env[self.res_model].browse(self.res_id).exists()

    # --- Odoo to Slack (jobs on the root.messaging lane) --- #
    def _job_post_root(self):
        """Post the thread's first message (the record's name and a link back to Odoo) and note it in the chatter;
        the thread is open from then on. A job run again after that changes nothing."""
        thread = self.sudo().exists()
        if thread.state != "pending":
            return f"skipped: thread {thread.state or 'deleted'}"
        record = thread._record()
        if not record:
            thread.write({"state": "failed", "error": _("The record no longer exists.")})
            return "failed: no record"
        blocks = notification_blocks(
            thread.res_name,
            _(
                "Thread started from Odoo by %s. Replies here are posted in the record's chatter, and its notes and "
                "messages are posted here.",
                thread.user_id.name,
            ),
            self.env["messaging.slack.request"]._record_url(record),
        )
        try:
            message = thread._post(thread.res_name, blocks=blocks)
        except SlackError as error:
            thread.write({"state": "failed", "error": str(error)})
            record.message_post(
                body=_(
                    "The Slack thread could not be started in %(channel)s: %(error)s",
                    channel=thread.slack_channel,
                    error=error,
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
            return f"failed: {error}"
        thread.write({"slack_channel": message.channel, "slack_ts": message.ts, "state": "open"})
        record.message_post(
            body=_(
                "A Slack thread was started in %(channel)s by %(user)s: replies there are posted here, and notes and "
                "messages posted here are posted there.",
                channel=thread.slack_channel,
                user=thread.user_id.name,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        return f"open: {message.channel} {message.ts}"

    def _job_post_reply(self, message):
        """Post a chatter message in the thread, once: a message that has its Slack ts is not posted again."""
        thread, message = self.sudo().exists(), message.sudo().exists()
        if not message or message.messaging_slack_ts:
            return "skipped: deleted, or already in Slack"
        if thread.state == "pending":
            self.env["queue.job"]._ai_bridge_retry_later(_("The Slack thread is not started yet."))
        if thread.state != "open":
            return f"skipped: thread {thread.state or 'deleted'}"
        author = message.author_id.name or message.author_guest_id.name or message.email_from or _("Someone")
        text = slack_threads.reply_text(
            author, html2plaintext(message.body or ""), message.attachment_ids.mapped("name")
        )
        posted = thread._post(text, thread_ts=thread.slack_ts)
        message._write_audited({"messaging_slack_thread_id": thread.id, "messaging_slack_ts": posted.ts})
        return f"posted: {posted.ts}"

    def _post(self, text, blocks=None, thread_ts=None):
        """Post in the thread's channel; a passing failure retries the job, at Slack's per-channel pace.

        :raise SlackError: when Slack refuses for good, or after the job's last attempt
        """
        params = self.env["ir.config_parameter"].sudo()
        token = params.get_param("messaging_router.slack_bot_token")
        if not token:
            raise SlackError(_("No Slack bot token is configured."), False, error_code=ERROR_CONFIGURATION)
        self.env["ai.bridge.rate.window"]._take_slot(
            f"slack:{self.slack_channel}", SLACK_MESSAGES_PER_SECOND, seconds=1
        )
        try:
            return slack_client.post_message(
                token,
                self.slack_channel,
                text,
                blocks=blocks,
                thread_ts=thread_ts,
                base_url=params.get_param("messaging_router.slack_base_url") or None,
            )
        except SlackError as error:
            Job = self.env["queue.job"]
            if error.retryable and Job._ai_bridge_attempts_left():
                Job._ai_bridge_retry_later(str(error), error.retry_after)
            raise

    @api.model
    def _forward_chatter_message(self, message):
        """Queue the post of a chatter message in its record's thread, if the record has one."""
        thread = self.sudo().search(
            [("res_model", "=", message.model), ("res_id", "=", message.res_id), ("state", "!=", "failed")], limit=1
        )
        if thread:
            self.env["queue.job"].sudo()._ai_bridge_enqueue(
                thread,
                "_job_post_reply",
                message,
                channel=CHANNEL_MESSAGING,
                idempotency_key=f"messaging.slack.thread.reply:{message.id}",
                description=_("Slack thread reply: %s", thread.res_name),
            )

    # --- Slack to Odoo (in the job of the Slack event) --- #
    def _receive_reply(self, reply, user):
        """Post a Slack reply in the record's chatter, once, as an internal note.

        :param slack_threads.ThreadReply reply: the reply
        :param user: the Odoo user mapped to the Slack user; without one, OdooBot posts it and names the Slack user
        :return: what happened, for the job's result
        """
        self.ensure_one()
        Message = self.env["mail.message"].sudo()
        if Message.search_count([("messaging_slack_thread_id", "=", self.id), ("messaging_slack_ts", "=", reply.ts)]):
            return "skipped: already in the chatter"  # Slack's echo of a chatter message, or a reply seen before
        record = self._record()
        if not record:
            return "ignored: the record no longer exists"
        body = plaintext2html(slack_threads.mrkdwn_to_text(reply.text, self._slack_user_name))
        author = user.partner_id
        if not user:
            author = self.env.ref("base.partner_root")
            body = Markup("<p>%s</p>%s") % (_("Slack user %s wrote:", reply.user), body)
        with_audited_writes(record).with_context(mail_create_nosubscribe=True).message_post(
            body=body,
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            messaging_slack_thread_id=self.id,
            messaging_slack_ts=reply.ts,
        )
        return f"posted by {author.name}"

    @api.model
    def _slack_user_name(self, slack_user_id):
        user = self.env["res.users"].sudo().search([("messaging_slack_user_id", "=", slack_user_id)], limit=1)
        return user.name or None
