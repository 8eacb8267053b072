"""Integrations read customers with every field: what the suite adds to contacts never breaks that."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ai_bridge_core.tests.common import AiBridgeCommon, JsonRpcMixin


@tagged("post_install", "-at_install")
class TestPartnerReadsWithoutAiGroup(AiBridgeCommon, HttpCase, JsonRpcMixin):
    def test_a_salesperson_without_ai_bridge_reads_and_exports_contacts_with_all_fields(self):
        groups = "sales_team.group_sale_salesman,base.group_allow_export"
        if "on_time_rate" in self.env["res.partner"]._fields:
            # purchase_stock's own partner fields read purchase lines: with it, core needs Purchase rights to read
            # every field of a contact, suite or not
            groups += ",purchase.group_purchase_user"
        salesperson = new_test_user(self.env, login="pce_integration", groups=groups)
        self.authenticate(salesperson.login, salesperson.login)
        for method, args in {
            "read": [self.company_partner.ids],
            "search_read": [[("id", "=", self.company_partner.id)]],
        }.items():
            with self.subTest(method=method):
                response = self.call_kw("res.partner", method, args)
                self.assert_rpc_done(response)
                self.assertEqual(response["result"][0]["name"], "Acme Construction Works Ltd")
                self.assertNotIn("ai_decision_count", response["result"][0])
        fields = self.call_kw("res.partner", "fields_get", [], {"attributes": ["type"]})["result"]
        self.assertNotIn("ai_decision_count", fields)
        exported = self.call_kw("res.partner", "export_data", [self.company_partner.ids, sorted(fields)])
        self.assert_rpc_done(exported)
        self.assertIn("Acme Construction Works Ltd", exported["result"]["datas"][0])

    def test_ai_users_see_the_decision_count(self):
        self.env["ai.bridge.decision"]._request(
            self.task.code,
            self.company_partner,
            callback_model="ir.actions.server",
            apply_method="_ai_apply_server_action",
            fallback_method="_ai_fallback_server_action",
            context_data={"action_id": self.action.id},
        )
        self.authenticate(self.approver.login, self.approver.login)
        response = self.call_kw("res.partner", "read", [self.company_partner.ids, ["ai_decision_count"]])
        self.assertEqual(response["result"][0]["ai_decision_count"], 1)
