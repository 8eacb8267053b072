from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ov_asset_webhook_url = fields.Char(
        string="Asset System URL",
        config_parameter="ov_outlet.asset_webhook_url",
        groups="base.group_system",
        help="Confirmed orders are posted to this URL; empty: no webhook.",
    )
    ov_asset_webhook_secret = fields.Char(
        string="Asset System Shared Secret",
        config_parameter="ov_outlet.asset_webhook_secret",
        groups="base.group_system",
        help="Signs the webhooks sent to the asset system and verifies those it sends back.",
    )
