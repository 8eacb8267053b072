from functools import partial

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import AiBridgeCommon


class TestAiPromptVersions(AiBridgeCommon):
    def test_editing_the_text_makes_a_new_version(self):
        self.assertEqual(self.prompt.version, 1)
        self.prompt.name = "Renamed"
        self.assertEqual(self.prompt.version, 1, "the name is not part of the prompt")
        self.prompt.system_text = "Classify the company carefully."
        self.assertEqual(self.prompt.version, 2)
        self.assertEqual(
            self.prompt.version_ids.mapped("system_text"), ["Classify the company carefully.", "Classify the company."]
        )

    def test_decisions_keep_the_version_they_used(self):
        with self.mock_claude(self._answer("Food Retail", 0.5)):
            first = self._run_action()
            self._run_jobs()
        self.prompt.user_template = "Company name: {{ object.name }}"
        other = self.env["res.partner"].create({"name": "Other Co"})
        with self.mock_claude(self._answer("Food Retail", 0.5)) as claude:
            second = self._run_action(other)
            self._run_jobs()
        self.assertEqual((first.prompt_version_id.version, second.prompt_version_id.version), (1, 2))
        self.assertEqual(claude.requests[0].user_content, "Company name: Other Co")
        self.assertEqual(first.user_content, "Company: Acme Construction Works Ltd")

    def test_a_redelivered_job_changes_nothing(self):
        with self.mock_claude(self._answer("Construction Works", 0.97)) as claude:
            decision = self._run_action()
            self._run_jobs()
            result = decision._job_resolve()
        self.assertEqual(result, "skipped: already resolved")
        self.assertEqual(len(claude.requests), 1)

    def test_record_templates_render_with_the_asking_users_rights(self):
        # "Restrict template rendering" on: employees are no longer template editors
        self.env.ref("base.group_user").implied_ids -= self.env.ref("mail.group_mail_template_editor")
        user = new_test_user(self.env, login="ai_plain", groups="base.group_user")
        request = partial(
            self.env["ai.bridge.decision"].with_user(user)._request,
            "test_industry",
            callback_model="ir.actions.server",
            apply_method="_ai_apply_server_action",
            fallback_method="_ai_fallback_server_action",
            context_data={"action_id": self.action.id},
        )
        self.assertEqual(
            request(self.company_partner.with_user(user)).user_content, "Company: Acme Construction Works Ltd"
        )
        self.prompt.user_template = "Logins: {{ object.env['res.users'].sudo().search([]).mapped('login') }}"
        other_partner = self.env["res.partner"].create({"name": "Other Co"}).with_user(user)
        with self.assertRaises(AccessError):
            request(other_partner)
