from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.asset_client import safe_url


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

    @api.constrains("ov_asset_webhook_url", "ov_asset_webhook_secret")
    def _check_ov_asset_webhook(self):
        for settings in self:
            url = (settings.ov_asset_webhook_url or "").strip()
            if url and not safe_url(url):
                raise ValidationError(
                    _(
                        "The asset system URL must start with http:// or https:// and name a host, e.g. %(example)s.",
                        example="https://assets.example.com/webhooks/odoo",
                    )
                )
            if url and not settings.ov_asset_webhook_secret:
                raise ValidationError(_("Set the shared secret too: the asset system refuses unsigned webhooks."))
