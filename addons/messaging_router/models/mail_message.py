from odoo import fields, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    # The message's twin in a Slack thread tied to its record (messaging.slack.thread): set when the message came
    # from Slack, or once it was posted there. Written by the sync (superuser); read and written over RPC by
    # administrators only.
    messaging_slack_thread_id = fields.Many2one(
        "messaging.slack.thread", string="Slack Thread", ondelete="set null", groups="base.group_system"
    )
    messaging_slack_ts = fields.Char(string="Slack Message", copy=False, groups="base.group_system")

    _sql_constraints = [
        (
            "messaging_slack_ts_uniq",
            "unique(messaging_slack_thread_id, messaging_slack_ts)",
            "This Slack message is in the chatter already.",
        ),
    ]
