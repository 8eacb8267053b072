from odoo import fields, models


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
        help="Verifies that button clicks and slash commands really come from Slack.",
    )
    messaging_teams_webhook_url = fields.Char(
        string="Teams Webhook URL",
        config_parameter="messaging_router.teams_webhook_url",
        groups="base.group_system",
        help="Incoming webhook (Workflows) of the Teams channel that receives Teams notifications; it is a secret.",
    )
