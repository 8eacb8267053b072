from lxml import etree

from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

SLACK_SECRETS = ("messaging_slack_bot_token", "messaging_slack_signing_secret")


class TestMessagingSettings(BaseCommon):
    def _settings_arch(self):
        return etree.fromstring(self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"])

    def test_messaging_settings_have_their_own_heading(self):
        arch = self._settings_arch()
        (app,) = arch.xpath("//app[@name='messaging_router']")
        self.assertEqual(app.get("string"), "Messaging")
        for name in SLACK_SECRETS:
            self.assertTrue(app.xpath(f".//field[@name='{name}']"), name)
            self.assertFalse(arch.xpath(f"//app[@name='ai_bridge_core']//field[@name='{name}']"), name)
        action = self.env.ref("messaging_router.messaging_router_menu_settings").action
        self.assertIn("'module': 'messaging_router'", action.context)

    def test_slack_secrets_never_reach_non_admins_through_default_get(self):
        self.env["ir.config_parameter"].sudo().set_param("messaging_router.slack_bot_token", "xoxb-do-not-leak")
        for groups in ("base.group_portal", "base.group_user", "messaging_router.group_messaging_router_manager"):
            user = new_test_user(self.env, login=f"slack_{groups}", groups=groups)
            defaults = self.env["res.config.settings"].with_user(user).default_get(list(SLACK_SECRETS))
            self.assertFalse(set(SLACK_SECRETS) & defaults.keys(), groups)
        self.assertEqual(
            self.env["res.config.settings"].default_get(list(SLACK_SECRETS))["messaging_slack_bot_token"],
            "xoxb-do-not-leak",
        )
