from odoo import fields, models


class MailMessage(models.Model):
    _name = "mail.message"
    _inherit = ["mail.message", "ai.bridge.audit.mixin"]
    _audit_whole_record = False  # only the link to Slack below

    # The message's twin in a Slack thread tied to its record (messaging.slack.thread): set when the message came
    # from Slack, or once it was posted there, by the sync only (an audit trail: a forged link would keep a message
    # from Slack, or a reply out of the chatter); read by administrators only.
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

    def _audited_fields(self):
        # EXTENDS ai_bridge_core
        return super()._audited_fields() | {"messaging_slack_thread_id", "messaging_slack_ts"}
