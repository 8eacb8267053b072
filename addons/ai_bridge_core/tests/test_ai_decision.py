from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import AiBridgeCommon


class TestAiDecisionGating(AiBridgeCommon):
    def _decide(self, confidence, industry="Construction Works"):
        with self.mock_claude(self._answer(industry, confidence)):
            decision = self._run_action()
            self._run_jobs()
        return decision

    def test_at_the_auto_threshold_the_answer_is_applied(self):
        decision = self._decide(0.95)
        self.assertEqual(decision.state, "auto_applied")
        self.assertEqual(self.company_partner.industry_id, self.industry_construction)
        self.assertTrue(decision.applied_at)

    def test_just_below_the_auto_threshold_a_human_is_asked(self):
        decision = self._decide(0.9499)
        self.assertEqual(decision.state, "awaiting_approval")
        self.assertFalse(self.company_partner.industry_id)
        self.assertEqual(decision.activity_ids.user_id, self.approver)

    def test_at_the_approval_threshold_a_human_is_asked(self):
        self.assertEqual(self._decide(0.85).state, "awaiting_approval")

    def test_just_below_the_approval_threshold_it_is_only_logged(self):
        decision = self._decide(0.8499)
        self.assertEqual(decision.state, "logged")
        self.assertFalse(self.company_partner.industry_id)
        self.assertFalse(decision.activity_ids)

    def test_thresholds_are_per_task(self):
        self.task.write({"auto_threshold": 0.7, "approval_threshold": 0.5})
        self.assertEqual(self._decide(0.75).state, "auto_applied")

    def test_decision_records_the_call(self):
        decision = self._decide(0.9)
        self.assertEqual(decision.source, "claude")
        self.assertEqual(decision.output, {"industry_id": "Construction Works"})
        self.assertEqual(decision.reasoning, "Name says so.")
        self.assertEqual(decision.prompt_version_id, self.prompt.current_version_id)
        self.assertEqual(
            (decision.model, decision.input_tokens, decision.output_tokens), ("claude-sonnet-4-5", 5000, 200)
        )
        # 1000 input x $3 + 200 output x $15 + 4000 cache reads x $0.30, per million tokens
        self.assertAlmostEqual(decision.cost, 0.0072, places=6)
        self.assertEqual(decision.latency_ms, 321)
        usage = self.env["ai.bridge.usage"].search([("decision_id", "=", decision.id)])
        self.assertEqual((usage.status, usage.cost), ("ok", decision.cost))

    def test_the_request_asks_for_the_output_with_confidence(self):
        with self.mock_claude(self._answer("Food Retail", 0.99)) as claude:
            self._run_action()
            self._run_jobs()
        request = claude.requests[0]
        self.assertEqual(request.user_content, "Company: Acme Construction Works Ltd")
        self.assertEqual(request.system_stable, "Classify the company.")
        schema = request.tool.input_schema
        self.assertEqual(set(schema["required"]), {"industry_id", "confidence", "reasoning"})
        self.assertIn("Construction Works", schema["properties"]["industry_id"]["enum"])

    def test_the_business_record_chatter_shows_the_decision(self):
        decision = self._decide(0.9)
        note = self.company_partner.message_ids[:1]
        self.assertIn(f"/odoo/ai.bridge.decision/{decision.id}", note.body)
        self.assertIn("Awaiting approval", note.body)
        self.assertEqual(self.company_partner.ai_decision_count, 1)
        action = self.company_partner.action_view_ai_decisions()
        self.assertEqual(self.env["ai.bridge.decision"].search(action["domain"]), decision)
        back = decision.action_open_record()  # the decision's Record button
        self.assertEqual((back["res_model"], back["res_id"]), ("res.partner", self.company_partner.id))


class TestAiDecisionReview(AiBridgeCommon):
    def setUp(self):
        super().setUp()
        with self.mock_claude(self._answer("Construction Works", 0.9)):
            self.decision = self._run_action()
            self._run_jobs()
        self.assertEqual(self.decision.state, "awaiting_approval")

    def test_approve_applies_once(self):
        wizard = (
            self.env["ai.bridge.decision.review"]
            .with_user(self.approver)
            .create({"decision_ids": self.decision.ids, "action": "approve", "reason": "Checked their website"})
        )
        wizard.action_confirm()
        self.assertEqual(self.decision.state, "approved")
        self.assertEqual(self.decision.reviewed_by_id, self.approver)
        self.assertEqual(self.decision.review_reason, "Checked their website")
        self.assertEqual(self.company_partner.industry_id, self.industry_construction)
        self.assertFalse(self.decision.activity_ids)
        with self.assertRaises(UserError):
            self.decision.with_user(self.approver)._approve()
        self.assertFalse(self.decision._apply("approved"), "a second apply does nothing")

    def test_reject_keeps_the_record_unchanged(self):
        self.decision.with_user(self.approver)._reject(reason="Wrong industry")
        self.assertEqual(self.decision.state, "rejected")
        self.assertEqual(self.decision.review_reason, "Wrong industry")
        self.assertFalse(self.company_partner.industry_id)

    def test_a_failing_apply_fails_the_decision_and_changes_nothing(self):
        self.decision._write_audited({"output": {"industry_id": "No Such Industry"}})
        self.company_partner.comment = "kept"
        self.decision.with_user(self.approver)._approve()
        self.assertEqual(self.decision.state, "failed")
        self.assertIn("No Such Industry", self.decision.error)
        self.assertFalse(self.company_partner.industry_id)
        self.assertEqual(self.company_partner.comment, "<p>kept</p>")

    def test_only_ai_users_review_and_nobody_writes_decisions_directly(self):
        employee = new_test_user(self.env, login="not_ai", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.decision.with_user(employee)._approve()
        with self.assertRaises(AccessError):
            self.decision.with_user(self.approver).write({"state": "approved"})
        self.assertEqual(self.decision.state, "awaiting_approval")

    def test_decisions_of_other_companies_are_invisible(self):
        other = self._create_company(name="AI Co B")
        user_b = new_test_user(
            self.env,
            login="ai_user_b",
            groups="ai_bridge_core.group_ai_bridge_user",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(self.env["ai.bridge.decision"].with_user(user_b).search([("id", "=", self.decision.id)]))
        self.assertEqual(
            self.env["ai.bridge.decision"].with_user(self.approver).search([("id", "=", self.decision.id)]),
            self.decision,
        )


class TestAiBridgeCompanyRules(AiBridgeCommon):
    def test_jobs_and_costs_of_other_companies_are_invisible(self):
        other = self._create_company(name="AI Co C")
        manager_b = new_test_user(
            self.env,
            login="ai_manager_b",
            groups="ai_bridge_core.group_ai_bridge_manager",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        with self.mock_claude(self._answer("Construction Works", 0.5)):
            decision = self._run_action()
            self._run_jobs()
        usage = self.env["ai.bridge.usage"].search([("decision_id", "=", decision.id)])
        self.assertTrue(usage and decision.job_id)
        self.assertEqual(decision.job_id.company_id, self.env.company)
        Job = self.env["queue.job"].with_user(manager_b)
        self.assertFalse(Job.search([("id", "=", decision.job_id.id)]))
        self.assertFalse(self.env["ai.bridge.usage"].with_user(manager_b).search([("id", "=", usage.id)]))
        partner_b = self.env["res.partner"].create({"name": "Company B Builders", "company_id": other.id})
        decision_b = self._run_action(partner_b)
        self.assertEqual(decision_b.job_id.company_id, other, "the job runs in its record's company")
        self.assertEqual(Job.search([("id", "in", (decision.job_id | decision_b.job_id).ids)]), decision_b.job_id)

    def test_only_managers_see_the_jobs_and_costs(self):
        self.assertFalse(self.approver.has_group("ai_bridge_core.group_ai_bridge_manager"))
        with self.assertRaises(AccessError):
            self.env["queue.job"].with_user(self.approver).search([])
        with self.assertRaises(AccessError):
            self.env["ai.bridge.usage"].with_user(self.approver).search([])
