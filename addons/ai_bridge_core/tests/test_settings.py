from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class TestAiBridgeSettings(BaseCommon):
    def test_settings_are_stored_as_system_parameters(self):
        settings = self.env["res.config.settings"].create(
            {"ai_bridge_api_key": "sk-ant-test-key", "ai_bridge_model": "claude-test-model", "ai_bridge_timeout": 15}
        )
        settings.execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("ai_bridge_core.api_key"), "sk-ant-test-key")
        self.assertEqual(params.get_param("ai_bridge_core.model"), "claude-test-model")
        self.assertEqual(params.get_param("ai_bridge_core.timeout"), "15")
        self.assertEqual(self.env["res.config.settings"].create({}).ai_bridge_api_key, "sk-ant-test-key")

    def test_api_key_is_hidden_from_non_admins(self):
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.api_key", "sk-ant-secret")
        manager = new_test_user(self.env, login="ai_manager", groups="ai_bridge_core.group_ai_bridge_manager")
        with self.assertRaises(AccessError):
            self.env["ir.config_parameter"].with_user(manager).search([("key", "=", "ai_bridge_core.api_key")]).read(
                ["value"]
            )
        self.assertEqual(self.env["res.config.settings"]._fields["ai_bridge_api_key"].groups, "base.group_system")

    def test_only_features_that_exist_have_a_claude_switch(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        switches = {
            name: field.config_parameter.removeprefix("ai_bridge_core.feature_")
            for name, field in self.env["res.config.settings"]._fields.items()
            if (getattr(field, "config_parameter", None) or "").startswith("ai_bridge_core.feature_")
        }
        self.assertEqual(switches["ai_bridge_feature_server_action"], "server_action")
        features = dict(self.env["ai.bridge.task"]._fields["feature"]._description_selection(self.env))
        self.assertEqual(features["server_action"], "AI server actions")
        # modules that bring a feature (selection_add) bring its switch, shown in the settings
        self.assertEqual(set(switches.values()), set(features))
        for name in switches:
            self.assertIn(f'name="{name}"', arch)
        for code in features:
            self.assertTrue(self.env["ir.config_parameter"].sudo().get_param(f"ai_bridge_core.feature_{code}"), code)

    def test_settings_page_shows_the_ai_section_masked(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="ai_bridge_core"', arch)
        self.assertRegex(arch, r'<field name="ai_bridge_api_key"[^>]*password="True"')
