from odoo import api, fields, models

CHANNELS = [("slack", "Slack"), ("email", "Email"), ("inapp", "In-app"), ("teams", "Microsoft Teams")]
LAST_RESORT_CHANNEL = "inapp"  # always reachable: the recipient's Odoo inbox


class MessagingRoute(models.Model):
    _name = "messaging.route"
    _description = "Notification Route"
    _order = "notification_type, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    notification_type = fields.Char(
        required=True, index=True, help="Technical code the sending module uses, e.g. ai.approval or sale.order.late."
    )
    channel = fields.Selection(CHANNELS, required=True, default="email")
    fallback_channel = fields.Selection(
        CHANNELS, help="Used when the main channel is not configured or its delivery fails."
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

    @api.model
    def _get_channels(self, notification_type):
        """Return the channels to try, in order, for a notification type in the current company.

        The main channel, then the route's fallback, then the in-app inbox, so that nothing is ever dropped even
        for a type nobody configured.

        :param str notification_type: the sender's technical code
        :return: list of channel codes without duplicates
        """
        route = self.search(
            [("notification_type", "=", notification_type), ("company_id", "=", self.env.company.id)], limit=1
        )
        channels = [route.channel, route.fallback_channel, LAST_RESORT_CHANNEL]
        return list(dict.fromkeys(channel for channel in channels if channel))
