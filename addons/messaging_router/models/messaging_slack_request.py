import json
import logging
from datetime import timedelta

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.ai_bridge_core.models.queue_job import CHANNEL_MESSAGING

from ..tools import slack_client, slack_commands, slack_threads
from ..tools.slack_blocks import outcome_blocks
from ..tools.slack_client import SlackError
from ..tools.slack_signature import REPLAY_WINDOW

_logger = logging.getLogger(__name__)

APPROVAL_ACTIONS = {"messaging_approve": "approve", "messaging_reject": "reject"}


class MessagingSlackRequest(models.Model):
    """A signed request Slack sent us (a button click, a command, an event), kept to refuse replays and to act on
    it in a job."""

    _name = "messaging.slack.request"
    _description = "Slack Request"
    _order = "id desc"

    signature = fields.Char(required=True, readonly=True, index=True)
    kind = fields.Char(required=True, readonly=True)
    payload = fields.Json(readonly=True)
    slack_user_id = fields.Char(readonly=True)
    outcome = fields.Char(readonly=True)
    slack_event_id = fields.Char(readonly=True, help="Slack retries an event with a new signature and the same id.")

    _sql_constraints = [
        ("signature_uniq", "unique(signature)", "This Slack request was received already."),
        ("slack_event_id_uniq", "unique(slack_event_id)", "This Slack event was received already."),
    ]

    @api.model
    def _accept(self, signature, kind, payload):
        """Record a verified request and queue its handling; None when it is a replay of one already received.

        Slack gives an app 3 seconds to answer: the work happens in a job on the messaging lane.
        """
        # past the window the timestamp check refuses a replay; requests still waiting for their job are kept
        cutoff = fields.Datetime.now() - timedelta(seconds=REPLAY_WINDOW)
        self.sudo().search([("create_date", "<", cutoff), ("outcome", "!=", False)]).unlink()
        try:
            with self.env.cr.savepoint():
                request = self.sudo().create(
                    {
                        "signature": signature,
                        "kind": kind,
                        "payload": payload,
                        "slack_user_id": (payload.get("user") or {}).get("id")
                        or payload.get("user_id")
                        or (payload.get("event") or {}).get("user"),
                        "slack_event_id": payload.get("event_id"),
                    }
                )
        except psycopg2.errors.UniqueViolation:
            return None
        self.env["queue.job"]._ai_bridge_enqueue(
            request, "_job_handle", channel=CHANNEL_MESSAGING, description=_("Slack: %s", kind)
        )
        return request

    def _job_handle(self):
        """Act on a button click or a slash command as the Odoo user mapped to the Slack user, with their rights."""
        request = self.sudo()
        if request.kind == "slash_command":
            return request._handle_command()
        if request.kind == "event_callback":
            return request._handle_event()
        action = (request.payload.get("actions") or [{}])[0]
        verb = APPROVAL_ACTIONS.get(action.get("action_id"))
        if not verb:
            request.outcome = "ignored"
            return "ignored: not an approval button"
        user = request._mapped_user()
        if not user:
            return request._refuse(_("Your Slack account is not linked to an Odoo user: nothing was changed."))
        model_name, _sep, res_id = (action.get("value") or "").partition(":")
        if model_name not in self.env or not res_id.isdigit():
            return request._refuse(_("This button does not point to an Odoo record: nothing was changed."))
        record = self.env[model_name].with_user(user).browse(int(res_id)).exists()
        if not record or not hasattr(record, "_messaging_approve"):
            return request._refuse(_("This record cannot be approved from Slack: nothing was changed."))
        reason = _("From Slack, by %s", user.name)
        try:
            with self.env.cr.savepoint():
                if verb == "approve":
                    record._messaging_approve(reason)
                else:
                    record._messaging_reject(reason)
        except (AccessError, UserError) as error:
            return request._refuse(_("%(user)s cannot do this: %(error)s", user=user.name, error=error))
        outcome = _("Approved by %s", user.name) if verb == "approve" else _("Rejected by %s", user.name)
        request._replace_buttons(outcome)
        request.outcome = outcome
        return outcome

    def _mapped_user(self):
        return (
            self.env["res.users"]
            .sudo()
            .search([("messaging_slack_user_id", "=", self.slack_user_id), ("share", "=", False)], limit=1)
        )

    def _handle_event(self):
        """A reply in a Slack thread tied to a record: posted in the record's chatter (messaging.slack.thread)."""
        reply = slack_threads.thread_reply(self.payload.get("event"))
        thread = reply and self.env["messaging.slack.thread"]._find(reply.channel, reply.thread_ts)
        self.outcome = thread._receive_reply(reply, self._mapped_user()) if thread else "ignored: not a thread reply"
        return self.outcome

    def _handle_command(self):
        """Answer ``/odoo ...`` through the command's response_url, with what the mapped user may see."""
        response_url = self.payload.get("response_url")
        user = self._mapped_user()
        command = slack_commands.parse(self.payload.get("text"))
        if not user:
            text = _("Your Slack account is not linked to an Odoo user.")
            blocks = slack_commands.text_blocks(text)
        elif command.name in ("help", "unknown"):
            text = slack_commands.HELP
            blocks = slack_commands.text_blocks(text)
        else:
            text, blocks = getattr(self.with_user(user), f"_command_{command.name}")(command.argument)
        self.outcome = f"{command.name}: {text[:200]}"
        if response_url:
            slack_client.respond(response_url, text, blocks)
        return self.outcome

    def _record_url(self, record):
        return f"{record.get_base_url()}/odoo/{record._name}/{record.id}"

    def _command_search_customer(self, needle):
        Partner = self.env["res.partner"]
        domain = ["|", "|", ("name", "ilike", needle), ("email", "ilike", needle), ("ref", "=ilike", needle)]
        partners = Partner.search(domain, limit=slack_commands.MAX_ROWS + 1)
        title = _("Customers matching “%s”", needle)
        rows = [(partner.display_name, partner.email or "", self._record_url(partner)) for partner in partners]
        return title, slack_commands.rows_blocks(title, rows, _("No customer you can see matches."))

    def _command_order(self, reference):
        if "sale.order" not in self.env:
            text = _("Sales is not installed in this Odoo.")
            return text, slack_commands.text_blocks(text)
        order = self.env["sale.order"].search([("name", "=ilike", reference)], limit=1)
        if not order:
            text = _("No sales order %s that you can see.", reference)
            return text, slack_commands.text_blocks(text)
        state = dict(order._fields["state"]._description_selection(self.env))[order.state]
        text = _(
            "%(order)s for %(customer)s: %(state)s, %(amount)s %(currency)s",
            order=order.name,
            customer=order.partner_id.display_name,
            state=state,
            amount=order.amount_total,
            currency=order.currency_id.name,
        )
        return text, slack_commands.rows_blocks(order.name, [(text, "", self._record_url(order))], "")

    def _command_pipeline_summary(self, _argument):
        if "sale.order" not in self.env:
            text = _("Sales is not installed in this Odoo.")
            return text, slack_commands.text_blocks(text)
        month_start = fields.Date.today().replace(day=1)
        Order = self.env["sale.order"]
        quotations = Order._read_group([("state", "in", ("draft", "sent"))], [], ["__count", "amount_untaxed:sum"])
        confirmed = Order._read_group(
            [("state", "=", "sale"), ("date_order", ">=", month_start)], [], ["__count", "amount_untaxed:sum"]
        )
        currency = self.env.company.currency_id.name
        text = _(
            "Open quotations: %(quotes)s (%(quotes_amount)s %(currency)s untaxed). Confirmed this month: %(orders)s "
            "(%(orders_amount)s %(currency)s untaxed).",
            quotes=quotations[0][0],
            quotes_amount=round(quotations[0][1] or 0.0, 2),
            orders=confirmed[0][0],
            orders_amount=round(confirmed[0][1] or 0.0, 2),
            currency=currency,
        )
        return text, slack_commands.text_blocks(text)

    def _slack_params(self):
        params = self.env["ir.config_parameter"].sudo()
        return params.get_param("messaging_router.slack_bot_token"), params.get_param(
            "messaging_router.slack_base_url"
        ) or None

    def _refuse(self, message):
        """Tell the Slack user why nothing happened, in a direct message; the click changed nothing in Odoo."""
        self.outcome = f"refused: {message}"
        token, base_url = self._slack_params()
        if token and self.slack_user_id:
            try:
                slack_client.post_message(token, self.slack_user_id, message, base_url=base_url)
            except SlackError as error:  # nothing changed in Odoo: only the explanation is lost
                _logger.info("Slack refusal not delivered: %s", error)
        return self.outcome

    def _replace_buttons(self, outcome):
        """Show the outcome in place of the buttons, so that nobody clicks an answered request again."""
        token, base_url = self._slack_params()
        channel = (self.payload.get("channel") or self.payload.get("container") or {}).get("id") or (
            self.payload.get("container") or {}
        ).get("channel_id")
        message = self.payload.get("message") or {}
        if not (token and channel and message.get("ts")):
            return
        try:
            slack_client.update_message(
                token,
                channel,
                message["ts"],
                outcome,
                blocks=outcome_blocks(message.get("blocks") or [], outcome),
                base_url=base_url,
            )
        except SlackError as error:  # the answer is in Odoo already; the message only keeps its buttons
            _logger.info("Slack message not updated after %s: %s", outcome, error)

    @api.model
    def _payload_from_form(self, form_payload):
        """Slack sends interactions as a form field ``payload`` holding JSON."""
        try:
            payload = json.loads(form_payload or "")
        except ValueError as error:
            raise UserError(_("The Slack payload is not JSON.")) from error
        if not isinstance(payload, dict):
            raise UserError(_("The Slack payload is not an object."))
        return payload
