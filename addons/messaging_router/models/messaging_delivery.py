import logging

from markupsafe import Markup, escape

from odoo import _, api, fields, models

from odoo.addons.ai_bridge_core.models.queue_job import CHANNEL_MESSAGING

from ..tools import slack_client, teams_client
from ..tools.message_template import SLACK, TEAMS, render_template
from ..tools.remote_error import RemoteServiceError
from ..tools.slack_blocks import notification_blocks, with_approval_buttons
from .messaging_route import CHANNELS

_logger = logging.getLogger(__name__)

DELIVERY_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("fell_back", "Fell back"),
    ("failed", "Failed"),
]
SLACK_MESSAGES_PER_SECOND = 1  # per Slack channel: Slack allows about one message per second and channel


class ChannelUnavailable(Exception):
    """The channel cannot reach this recipient at all (not configured, no address): fall back at once."""


class MessagingDelivery(models.Model):
    """One notification to one recipient on one channel, and what became of it.

    A delivery whose channel fails after its retries is marked "fell back" and the next channel of its chain gets
    a delivery of its own, so the log shows every channel tried; the recipient's Odoo inbox comes last and
    cannot fail for a recipient Odoo knows.
    """

    _name = "messaging.delivery"
    _description = "Notification Delivery"
    _inherit = ["ai.bridge.audit.mixin"]
    _order = "id desc"

    notification_type = fields.Char(required=True, index=True, readonly=True)
    res_model = fields.Char(string="Record Model", index=True, readonly=True)
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", index=True, readonly=True)
    res_name = fields.Char(string="Record", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Recipient", required=True, index=True, readonly=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    remaining_channels = fields.Json(readonly=True, help="The channels still to try, in order, if this one fails.")
    state = fields.Selection(DELIVERY_STATES, required=True, default="queued", index=True, readonly=True)
    subject = fields.Char(readonly=True)
    body = fields.Text(readonly=True, help="The notification's text; e-mail and Slack templates start from it.")
    url = fields.Char(string="Link", readonly=True)
    approval = fields.Boolean(readonly=True, help="An approval request: on Slack, with Approve and Reject buttons.")
    email_to = fields.Char(readonly=True)
    provider_ref = fields.Char(string="Provider Reference", readonly=True, help="Slack channel and ts, mail id...")
    slack_channel = fields.Char(readonly=True)
    slack_ts = fields.Char(string="Slack Message", readonly=True)
    mail_id = fields.Many2one("mail.mail", string="E-mail", readonly=True, ondelete="set null")
    message_id = fields.Many2one("mail.message", string="Inbox Message", readonly=True, ondelete="set null")
    error = fields.Text(readonly=True)
    attempts = fields.Integer(readonly=True)
    fallback_of_id = fields.Many2one("messaging.delivery", string="Falls Back From", readonly=True, index=True)
    job_id = fields.Many2one("queue.job", string="Job", readonly=True, ondelete="set null")
    date_sent = fields.Datetime(readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )

    @api.depends("notification_type", "partner_id", "channel")
    def _compute_display_name(self):
        for delivery in self:
            delivery.display_name = f"{delivery.notification_type} → {delivery.partner_id.name} ({delivery.channel})"

    # === SENDER API (the suite's modules) === #
    @api.model
    def _send(self, notification_type, records, recipients, values=None):
        """Notify `recipients` about each of `records`; returns at once, the deliveries happen in jobs.

        :param str notification_type: a route's code, e.g. "approval.request"
        :param records: the business records the notification is about (any model; may be empty)
        :param recipients: `res.partner` or `res.users` records
        :param dict values: ``subject``, ``body`` (text), ``url`` (a link back to Odoo); defaults from the record.
            ``approval``: Approve and Reject buttons on Slack, answered by the record's ``_messaging_approve`` /
            ``_messaging_reject`` as the clicking user
        :return: the queued `messaging.delivery` records, one per record and recipient
        """
        values = values or {}
        partners = recipients.partner_id if recipients._name == "res.users" else recipients
        Route = self.env["messaging.route"]
        route = Route._get_route(notification_type)
        route_channels = Route._get_channels(notification_type)
        deliveries = self.browse()
        for record in records or [None]:
            url = values.get("url")
            if not url and record:
                url = f"{record.get_base_url()}/odoo/{record._name}/{record.id}"
            for partner in partners:
                channels = self._channels_for(notification_type, partner, route_channels)
                deliveries |= self._create_delivery(
                    {
                        "notification_type": notification_type,
                        "res_model": record._name if record else False,
                        "res_id": record.id if record else False,
                        "res_name": record.display_name if record else False,
                        "partner_id": partner.id,
                        "subject": values.get("subject") or (record.display_name if record else notification_type),
                        "body": values.get("body") or "",
                        "url": url or False,
                        "approval": bool(values.get("approval")) and bool(record),
                        "company_id": self.env["ai.bridge.client"]._company_for(record).id,
                    },
                    channels,
                    eta=None if route.critical else partner._messaging_quiet_until(),
                )
        return deliveries

    @api.model
    def _channels_for(self, notification_type, partner, route_channels=None):
        """The channels to try for this recipient: their own preference first, then the type's route, inbox last.

        :param list route_channels: the type's channels in the current company, when the caller has them already
        """
        preference = (
            self.env["messaging.preference"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("notification_type", "=", notification_type)], limit=1)
        )
        if route_channels is None:
            route_channels = self.env["messaging.route"]._get_channels(notification_type)
        channels = [preference.channel, *route_channels]
        return list(dict.fromkeys(channel for channel in channels if channel))

    @api.model
    def _create_delivery(self, values, channels, eta=None, fallback_of=None):
        delivery = self._create_audited(
            {
                **values,
                "channel": channels[0],
                "remaining_channels": channels[1:],
                "fallback_of_id": fallback_of.id if fallback_of else False,
            }
        )
        job = self.env["queue.job"]._ai_bridge_enqueue(
            delivery,
            "_job_deliver",
            channel=CHANNEL_MESSAGING,
            idempotency_key=f"messaging.delivery:{delivery.id}",
            description=_("%(channel)s: %(name)s", channel=delivery.channel, name=delivery.display_name),
            eta=eta,
        )
        delivery._write_audited({"job_id": job.id})
        return delivery

    # === DELIVERY (job on the root.messaging lane) === #
    def _job_deliver(self):
        """Deliver on this delivery's channel; passing failures are retried by the job, then the next channel is
        tried. Runs as superuser: the sender's request was checked when it asked."""
        delivery = self.sudo().exists()
        if not delivery or delivery.state != "queued":
            return "skipped: already handled"  # a job run again changes nothing
        Job = self.env["queue.job"]
        try:
            handler = getattr(delivery, f"_deliver_{delivery.channel}")
            handler()
        except ChannelUnavailable as error:
            return delivery._fall_back(str(error))
        except RemoteServiceError as error:
            if error.retryable and Job._ai_bridge_attempts_left():
                Job._ai_bridge_retry_later(str(error), error.retry_after)
            return delivery._fall_back(str(error))
        return delivery.state

    def _fall_back(self, reason):
        """Mark this delivery fallen back and queue the next channel (the inbox at the latest)."""
        self.ensure_one()
        remaining = self.remaining_channels or []
        if not remaining:
            self._write_audited({"state": "failed", "error": reason})
            return "failed"
        self._write_audited({"state": "fell_back", "error": reason, "attempts": self.job_id.retry + 1})
        self._create_delivery(
            {
                name: self[name]
                for name in (
                    "notification_type",
                    "res_model",
                    "res_id",
                    "res_name",
                    "subject",
                    "body",
                    "url",
                    "approval",
                )
            }
            | {"partner_id": self.partner_id.id, "company_id": self.company_id.id},
            remaining,
            fallback_of=self,
        )
        return "fell back"

    def _mark_sent(self, state="sent", **values):
        self._write_audited({"state": state, "date_sent": fields.Datetime.now(), "error": False, **values})

    def _get_record(self):
        return self.env[self.res_model].browse(self.res_id).exists() if self.res_model else self.browse()

    def _html_body(self):
        body = escape(self.body or "").replace("\n", Markup("<br/>"))
        link = Markup('<p><a href="%s">%s</a></p>') % (self.url, _("Open in Odoo")) if self.url else ""
        return Markup("<p>%s</p>%s") % (body, link)

    def _template_values(self, route):
        """The values of the placeholders of the route's Slack and Teams templates."""
        return {
            "subject": self.subject or "",
            "body": self.body or "",
            "url": self.url or "",
            "record": self.res_name or "",
            "recipient": self.partner_id.name or "",
            "type": route.name or self.notification_type,
        }

    def _deliver_email(self):
        preference = self.env["messaging.preference"].search(
            [("partner_id", "=", self.partner_id.id), ("notification_type", "=", self.notification_type)], limit=1
        )
        email_to = preference.email or self.partner_id.email
        if not email_to:
            raise ChannelUnavailable(_("%s has no e-mail address.", self.partner_id.display_name))
        route = self.env["messaging.route"].with_company(self.company_id)._get_route(self.notification_type)
        record = self._get_record()
        if route.mail_template_id and record and route.mail_template_id.model == record._name:
            mail_id = route.mail_template_id.send_mail(
                record.id, email_values={"email_to": email_to, "recipient_ids": []}, force_send=False
            )
            mail = self.env["mail.mail"].browse(mail_id)
        else:
            mail = self.env["mail.mail"].create(
                {
                    "subject": self.subject,
                    "body_html": self._html_body(),
                    "email_to": email_to,
                    "model": record._name if record else False,
                    "res_id": record.id if record else False,
                    "auto_delete": False,
                }
            )
        self._mark_sent(email_to=email_to, mail_id=mail.id, provider_ref=f"mail.mail:{mail.id}")

    def _deliver_inapp(self):
        record = self._get_record()
        message = self.env["mail.thread"].message_notify(
            partner_ids=self.partner_id.ids,
            subject=self.subject,
            body=self._html_body(),
            model=record._name if record and hasattr(record, "message_post") else False,
            res_id=record.id if record and hasattr(record, "message_post") else False,
        )
        self._mark_sent("delivered", message_id=message.id, provider_ref=f"mail.message:{message.id}")

    def _deliver_slack(self):
        params = self.env["ir.config_parameter"].sudo()
        token = params.get_param("messaging_router.slack_bot_token")
        if not token:
            raise ChannelUnavailable(_("No Slack bot token is configured."))
        route = self.env["messaging.route"].with_company(self.company_id)._get_route(self.notification_type)
        channel = route.slack_channel or self.partner_id.user_ids[:1].messaging_slack_user_id
        if not channel:
            raise ChannelUnavailable(
                _("%s has no Slack user and the type has no Slack channel.", self.partner_id.display_name)
            )
        self.env["ai.bridge.rate.window"]._take_slot(f"slack:{channel}", SLACK_MESSAGES_PER_SECOND, seconds=1)
        text = f"*{self.subject}*\n{self.body or ''}".strip()
        if route.slack_template:
            blocks = render_template(route.slack_template, SLACK, self._template_values(route))
        else:
            blocks = notification_blocks(self.subject, self.body, self.url)
        if self.approval:
            blocks = with_approval_buttons(blocks, f"{self.res_model}:{self.res_id}")
        message = slack_client.post_message(
            token,
            channel,
            text,
            blocks=blocks,
            base_url=params.get_param("messaging_router.slack_base_url") or None,
        )
        self._mark_sent(
            slack_channel=message.channel, slack_ts=message.ts, provider_ref=f"{message.channel}:{message.ts}"
        )

    def _deliver_teams(self):
        webhook_url = self.env["ir.config_parameter"].sudo().get_param("messaging_router.teams_webhook_url")
        if not webhook_url:
            raise ChannelUnavailable(_("No Microsoft Teams webhook is configured."))
        route = self.env["messaging.route"].with_company(self.company_id)._get_route(self.notification_type)
        if route.teams_template:
            card = render_template(route.teams_template, TEAMS, self._template_values(route))
        else:
            card = teams_client.adaptive_card(self.subject, self.body or "", url=self.url)
        teams_client.post_card(webhook_url, card)
        self._mark_sent()
