import json

from odoo import _, _lt, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.message_template import SLACK, TEAMS, TemplateError, check_template

CHANNELS = [("slack", "Slack"), ("email", "Email"), ("inapp", "In-app"), ("teams", "Microsoft Teams")]
LAST_RESORT_CHANNEL = "inapp"  # always reachable: the recipient's Odoo inbox
# The suite's notification types and their default routes (type, name, main channel, fallback, critical).
DEFAULT_ROUTES = [
    ("payment.reminder", _lt("Payment reminder / collection"), "email", False, False),
    ("approval.request", _lt("Approval request"), "slack", "email", False),
    ("order.confirmation", _lt("Order confirmation"), "email", False, False),
    ("delivery.update", _lt("Delivery update"), "email", False, False),
    ("digest.daily", _lt("Daily AI digest"), "slack", "inapp", False),
    ("alert.critical", _lt("Critical alert (stock-out, fraud, AI anomaly)"), "slack", "email", True),
    ("sales.followup", _lt("Sales follow-up reminder"), "email", False, False),
    ("invoice.delivery", _lt("Invoice delivery"), "email", False, False),
]
# Templates the suite ships for types that stand out; administrators edit them on the route.
DEFAULT_SLACK_TEMPLATES = {
    "alert.critical": [
        {"type": "header", "text": {"type": "plain_text", "text": ":rotating_light: {{subject}}", "emoji": True}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "{{body}}"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "{{type}} · {{record}}"}]},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "style": "danger",
                    "text": {"type": "plain_text", "text": "Open in Odoo"},
                    "url": "{{url}}",
                },
            ],
        },
    ],
}
DEFAULT_TEAMS_TEMPLATES = {
    "alert.critical": {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {
                "type": "TextBlock",
                "text": "⚠ {{subject}}",
                "weight": "Bolder",
                "size": "Medium",
                "color": "Attention",
                "wrap": True,
            },
            {"type": "TextBlock", "text": "{{body}}", "wrap": True},
            {"type": "TextBlock", "text": "{{type}} · {{record}}", "isSubtle": True, "size": "Small", "wrap": True},
        ],
        "actions": [{"type": "Action.OpenUrl", "title": "Open in Odoo", "url": "{{url}}"}],
    },
}


def _template_json(template):
    return json.dumps(template, indent=2, ensure_ascii=False) if template else False


class MessagingRoute(models.Model):
    """How one notification type reaches people in one company: a channel, a fallback, and the inbox last."""

    _name = "messaging.route"
    _description = "Notification Route"
    _order = "notification_type, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    notification_type = fields.Char(
        required=True, index=True, help="Technical code the sending module uses, e.g. approval.request."
    )
    channel = fields.Selection(CHANNELS, required=True, default="email")
    fallback_channel = fields.Selection(
        CHANNELS, help="Used when the main channel is not configured or its delivery fails after its retries."
    )
    critical = fields.Boolean(help="Sent at once, even during the recipient's quiet hours.")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        help="Subject and body of the e-mails of this type; without one, the sender's subject and text are used.",
    )
    slack_channel = fields.Char(
        help="Slack channel (ID or #name) for this type; empty: a direct message to each recipient's Slack user."
    )
    slack_template = fields.Text(
        string="Slack Blocks",
        help="Block Kit blocks (a JSON list) for this type's Slack messages, with the placeholders {{subject}}, "
        "{{body}}, {{url}}, {{record}}, {{recipient}} and {{type}}. Empty: a header, the text and an Open in Odoo "
        "button.",
    )
    teams_template = fields.Text(
        string="Teams Card",
        help="An Adaptive Card (a JSON object) for this type's Teams messages, with the same placeholders as the "
        "Slack blocks. Empty: a title, the text and an Open in Odoo button.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    _sql_constraints = [
        (
            "notification_type_company_uniq",
            "unique(notification_type, company_id)",
            "A notification type has one route per company.",
        ),
    ]

    @api.constrains("slack_template", "teams_template")
    def _check_templates(self):
        for route in self:
            for template, kind, label in (
                (route.slack_template, SLACK, _("Slack blocks")),
                (route.teams_template, TEAMS, _("Teams card")),
            ):
                if not (template or "").strip():
                    continue
                try:
                    check_template(template, kind)
                except TemplateError as error:
                    raise ValidationError(
                        _("%(type)s, %(template)s: %(error)s", type=route.name, template=label, error=error)
                    ) from None

    @api.model
    def _get_route(self, notification_type):
        return self.search(
            [("notification_type", "=", notification_type), ("company_id", "=", self.env.company.id)], limit=1
        )

    @api.model
    def _get_channels(self, notification_type):
        """Return the channels to try, in order, for a notification type in the current company.

        The main channel, then the route's fallback, then the in-app inbox, so that nothing is ever dropped even
        for a type nobody configured.

        :param str notification_type: the sender's technical code
        :return: list of channel codes without duplicates
        """
        route = self._get_route(notification_type)
        channels = [route.channel, route.fallback_channel, LAST_RESORT_CHANNEL]
        return list(dict.fromkeys(channel for channel in channels if channel))

    @api.model
    def _default_routes(self):
        """:return: the notification types a new company gets a route for, as tuples (type, name, main channel,
        fallback, critical); modules that send their own types extend it and call `_ensure_default_routes` when
        they are installed."""
        return list(DEFAULT_ROUTES)

    @api.model
    def _ensure_default_routes(self, companies=None):
        """Give each company the suite's default route of every notification type it lacks (editable after)."""
        companies = companies or self.env["res.company"].search([])
        default_routes = self._default_routes()
        existing = {
            (route.company_id.id, route.notification_type)
            for route in self.with_context(active_test=False).sudo().search([("company_id", "in", companies.ids)])
        }
        self.sudo().create(
            [
                {
                    "name": name._translate(self.env.lang or "en_US"),
                    "notification_type": code,
                    "channel": channel,
                    "fallback_channel": fallback,
                    "critical": critical,
                    "slack_template": _template_json(DEFAULT_SLACK_TEMPLATES.get(code)),
                    "teams_template": _template_json(DEFAULT_TEAMS_TEMPLATES.get(code)),
                    "company_id": company.id,
                }
                for company in companies
                for code, name, channel, fallback, critical in default_routes
                if (company.id, code) not in existing
            ]
        )
