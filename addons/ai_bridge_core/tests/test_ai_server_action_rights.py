"""AI server actions run with the rights of the user who runs them, although Odoo runs server actions as superuser."""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user

from .common import AiBridgeCommon

SALES_GROUPS = "base.group_user,base.group_partner_manager"  # may edit contacts, nothing of AI Bridge


class TestAiServerActionRights(AiBridgeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.restricted_group = cls.env["res.groups"].create({"name": "No food industry"})
        cls.env["ir.rule"].create(
            {
                "name": "Food Retail hidden",
                "model_id": cls.env.ref("base.model_res_partner_industry").id,
                "domain_force": [("id", "!=", cls.industry_food.id)],
                "groups": [Command.link(cls.restricted_group.id)],
            }
        )
        cls.salesperson = new_test_user(cls.env, login="ai_sales", groups=SALES_GROUPS)
        cls.restricted_salesperson = new_test_user(cls.env, login="ai_sales_restricted", groups=SALES_GROUPS)
        cls.restricted_salesperson.groups_id += cls.restricted_group

    def _run_action_as(self, user, partners=None):
        partners = partners or self.company_partner
        self.action.with_user(user).with_context(active_model="res.partner", active_ids=partners.ids).run()
        return self.env["ai.bridge.decision"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        )

    def test_rich_template_expressions_need_a_template_editor_to_run_them(self):
        # "Restrict template rendering" on: employees are no longer template editors
        self.env.ref("base.group_user").implied_ids -= self.env.ref("mail.group_mail_template_editor")
        plain_user = new_test_user(self.env, login="ai_plain_sales", groups=SALES_GROUPS)
        self.prompt.user_template = (
            "Key: {{ object.env['ir.config_parameter'].sudo().get_param('ai_bridge_core.api_key') }}"
        )
        with self.assertRaises(AccessError):
            self._run_action_as(plain_user)
        self.assertFalse(self.env["ai.bridge.decision"].search([("user_content", "ilike", "sk-ant")]))

    def test_record_template_reads_with_the_runners_rights(self):
        self.company_partner.industry_id = self.industry_food
        self.prompt.user_template = "Company: {{ object.name }} in {{ object.industry_id.name }}"
        with self.assertRaises(AccessError):
            self._run_action_as(self.restricted_salesperson)
        decision = self._run_action_as(self.salesperson)
        self.assertEqual(decision.user_content, "Company: Acme Construction Works Ltd in Food Retail")

    def test_many2one_choices_are_those_the_runner_can_see(self):
        decision = self._run_action_as(self.restricted_salesperson)
        choices = decision.tool_schema["properties"]["industry_id"]["enum"]
        self.assertIn("Construction Works", choices)
        self.assertNotIn("Food Retail", choices)
        other_partner = self.env["res.partner"].create({"name": "Other Food Co", "is_company": True})
        decision_by_salesperson = self._run_action_as(self.salesperson, other_partner)
        self.assertIn("Food Retail", decision_by_salesperson.tool_schema["properties"]["industry_id"]["enum"])

    def test_an_answer_naming_a_record_the_runner_cannot_see_is_not_applied(self):
        with self.mock_claude(self._answer("Food Retail", 0.99)):
            decision = self._run_action_as(self.restricted_salesperson)
            self._run_jobs()
        self.assertEqual(decision.state, "failed")
        self.assertFalse(self.company_partner.industry_id)

    def test_the_fallback_chooses_among_what_the_runner_can_see(self):
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.api_key", "")
        food_partner = self.env["res.partner"].create({"name": "Food Retail Wholesalers", "is_company": True})
        decision = self._run_action_as(self.restricted_salesperson, food_partner)
        self._run_jobs()
        self.assertEqual(decision.source, "fallback")
        self.assertNotEqual(decision.output.get("industry_id"), "Food Retail")
        self.assertNotEqual(food_partner.industry_id, self.industry_food)

    def test_the_runner_follows_the_chatter_link_to_their_decision(self):
        with self.mock_claude(self._answer("Construction Works", 0.97)):
            decision = self._run_action_as(self.salesperson)
            self._run_jobs()
        self.assertEqual(decision.requested_by_id, self.salesperson)
        link = f"/odoo/ai.bridge.decision/{decision.id}"
        log = self.company_partner.message_ids.filtered(lambda message: link in message.body)
        self.assertTrue(log, "the record's chatter links to the decision")
        self.assertEqual(decision.with_user(self.salesperson).read(["state", "reasoning"])[0]["state"], "auto_applied")
        with self.assertRaises(AccessError):
            decision.with_user(self.restricted_salesperson).read(["state"])
        self.assertFalse(
            self.env["ai.bridge.decision"].with_user(self.restricted_salesperson).search([("id", "=", decision.id)])
        )

    def test_asking_again_while_a_decision_is_open_returns_it(self):
        jobs_before = self.env["queue.job"].search_count([("method_name", "=", "_job_resolve")])
        first = self._run_action_as(self.salesperson)
        self.assertEqual(self._run_action_as(self.salesperson), first, "pending: no second decision")
        with self.mock_claude(self._answer("Construction Works", 0.9)):
            self._run_jobs()
        self.assertEqual(first.state, "awaiting_approval")
        self.assertEqual(self._run_action_as(self.salesperson), first, "awaiting approval: no second decision")
        jobs_after = self.env["queue.job"].search_count([("method_name", "=", "_job_resolve")])
        self.assertEqual(jobs_after - jobs_before, 1, "one job for the three requests")
        first._reject(reason="Not that one")
        decisions = self._run_action_as(self.salesperson)
        self.assertEqual(len(decisions), 2, "a closed decision does not stop a new question")

    def test_the_database_keeps_one_open_decision_per_task_and_record(self):
        first = self._run_action_as(self.salesperson)
        with self.mock_claude(self._answer("Construction Works", 0.5)):
            self._run_jobs()
        self.assertEqual(first.state, "logged")
        second = self._run_action_as(self.salesperson) - first
        # two transactions racing past the search in _request both insert: the partial unique index refuses one
        with self.assertRaises(Exception) as caught, self.env.cr.savepoint():
            first._write_audited({"state": "proposed"})
            first.flush_recordset()
        self.assertIn("ai_bridge_decision_open_uniq", str(caught.exception))
        self.assertEqual(second.state, "proposed")
