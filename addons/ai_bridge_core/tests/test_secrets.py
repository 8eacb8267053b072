"""No secret of the suite reaches a user who is not a settings administrator, by any RPC path."""

import json

from odoo.tests import HttpCase, new_test_user, tagged

from .common import JsonRpcMixin

SECRET_GROUP = "base.group_system"


@tagged("post_install", "-at_install")
class TestSecretsOverRpc(HttpCase, JsonRpcMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Settings = cls.env["res.config.settings"]
        # Every text settings field stored as a system parameter and reserved to administrators: the suite's API
        # keys and secrets (ai_bridge_core, messaging_router, ...) and those of any other installed module. (Flags
        # and numbers reserved to administrators, such as portal_customer_ext's, cannot hold a text secret.)
        cls.secret_fields = sorted(
            name
            for name, field in Settings._fields.items()
            if field.type == "char"
            and getattr(field, "config_parameter", None)
            and field.groups
            and SECRET_GROUP in field.groups.split(",")
        )
        # shaped as URLs, which every such field accepts (ov_outlet's asset system URL must be one)
        cls.secrets = {
            name: f"https://secret-{index}.example.com/{name}-do-not-leak"
            for index, name in enumerate(cls.secret_fields)
        }
        params = cls.env["ir.config_parameter"].sudo()
        for name, value in cls.secrets.items():
            params.set_param(Settings._fields[name].config_parameter, value)
        cls.settings_record = Settings.create({})
        cls.users = {
            "portal customer": new_test_user(cls.env, login="sec_portal", groups="base.group_portal"),
            "vendor": new_test_user(cls.env, login="sec_vendor", groups="base.group_portal"),
            "internal user": new_test_user(cls.env, login="sec_employee", groups="base.group_user"),
            "AI manager (not a settings admin)": new_test_user(
                cls.env, login="sec_ai_manager", groups="ai_bridge_core.group_ai_bridge_manager"
            ),
        }

    def _rpc_paths(self):
        fields = self.secret_fields
        spec = {name: {} for name in fields}
        record_ids = self.settings_record.ids
        return {
            "default_get": ("res.config.settings", "default_get", [fields]),
            "onchange": ("res.config.settings", "onchange", [{}, [], spec]),
            "web_read": ("res.config.settings", "web_read", [record_ids, spec]),
            "read": ("res.config.settings", "read", [record_ids, fields]),
            "search_read": ("res.config.settings", "search_read", [[], fields]),
            "web_search_read": ("res.config.settings", "web_search_read", [[], spec]),
            "export_data": ("res.config.settings", "export_data", [record_ids, fields]),
            "create then read": ("res.config.settings", "web_save", [[], {}, spec]),
            "system parameters": ("ir.config_parameter", "search_read", [[], ["key", "value"]]),
        }

    def test_the_suite_secrets_are_covered(self):
        self.assertIn("ai_bridge_api_key", self.secret_fields)

    def test_no_rpc_path_returns_a_secret_to_a_non_admin(self):
        for who, user in self.users.items():
            self.authenticate(user.login, user.login)
            for path, (model, method, args) in self._rpc_paths().items():
                with self.subTest(user=who, path=path):
                    text = json.dumps(self.call_kw(model, method, args))
                    leaked = [name for name, value in self.secrets.items() if value in text]
                    self.assertFalse(leaked, f"{who} read {leaked} through {path}")

    def test_settings_administrators_still_see_and_keep_them(self):
        self.authenticate("admin", "admin")
        defaults = self.call_kw("res.config.settings", "default_get", [self.secret_fields])["result"]
        self.assertEqual({name: defaults.get(name) for name in self.secret_fields}, self.secrets)
        # Saving the page as an administrator leaves the secrets as they were.
        self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")).create({}).execute()
        params = self.env["ir.config_parameter"].sudo()
        for name, value in self.secrets.items():
            self.assertEqual(params.get_param(self.env["res.config.settings"]._fields[name].config_parameter), value)
