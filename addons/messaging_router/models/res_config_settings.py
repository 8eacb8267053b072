from odoo import fields, models
from odoo.exceptions import UserError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    messaging_slack_bot_token = fields.Char(
        string="Slack Bot Token",
        config_parameter="messaging_router.slack_bot_token",
        groups="base.group_system",
        help="Bot User OAuth Token (xoxb-...) of the Slack app. Without it, Slack routes use their fallback.",
    )
    messaging_slack_signing_secret = fields.Char(
        string="Slack Signing Secret",
        config_parameter="messaging_router.slack_signing_secret",
        groups="base.group_system",
        help="Verifies that button clicks, slash commands and thread replies really come from Slack.",
    )
    messaging_slack_thread_channel = fields.Char(
        string="Slack Threads Channel",
        config_parameter="messaging_router.slack_thread_channel",
        help="Channel (ID or #name) proposed when starting a Slack thread from a record; empty: the channel of the "
        "approval requests' route.",
    )
    messaging_teams_webhook_url = fields.Char(
        string="Teams Webhook URL",
        config_parameter="messaging_router.teams_webhook_url",
        groups="base.group_system",
        help="Incoming webhook (Workflows) of the Teams channel that receives Teams notifications; it is a secret.",
    )
    # Seeded True in data/ir_config_parameter_data.xml, like ai_bridge_core's feature switches.
    messaging_feature_digest = fields.Boolean(
        string="Claude in Daily Digests", config_parameter="ai_bridge_core.feature_digest"
    )
    messaging_sale_approval_amount = fields.Monetary(
        related="company_id.messaging_sale_approval_amount", currency_field="currency_id", readonly=False
    )

    def action_messaging_sync_slack_users(self):
        """Save the settings (the token may just have been typed), then map users to Slack by e-mail and say
        exactly what happened. The work is :meth:`res.users._messaging_sync_slack_ids`; this only reports it."""
        self.execute()
        users = self.env["res.users"]._messaging_slack_sync_candidates()
        if not users:
            return self._messaging_slack_notification(
                self.env._("Every active internal user with an e-mail already has a Slack user ID."), "info"
            )
        try:
            result = users._messaging_sync_slack_ids()
        except UserError as error:
            return self._messaging_slack_notification(error.args[0], "warning")
        message = self.env._(
            "%(mapped)s user(s) mapped to Slack, %(not_found)s not found by e-mail.",
            mapped=result["mapped"],
            not_found=result["not_found"],
        )
        if result["conflicts"]:
            message += " " + self.env._(
                "%(conflicts)s user(s) left unmapped: their Slack user is already another user's (same e-mail).",
                conflicts=result["conflicts"],
            )
        if result["error"]:
            message += " " + self.env._(
                "Slack stopped the sync: %(error)s. %(not_tried)s user(s) not looked up yet: run it again later.",
                error=result["error"].rstrip("."),
                not_tried=result["not_tried"],
            )
            return self._messaging_slack_notification(message, "danger")
        return self._messaging_slack_notification(
            message, "warning" if result["not_found"] or result["conflicts"] else "success"
        )

    def _messaging_slack_notification(self, message, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Slack users"),
                "message": message,
                "type": kind,
                "sticky": kind == "danger",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
