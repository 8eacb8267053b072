from odoo.tests import freeze_time

from .common import AiBridgeCommon


class TestAiFallbacks(AiBridgeCommon):
    def _assert_fallback_answer(self, decision, reason_fragment):
        self.assertEqual(decision.source, "fallback")
        self.assertIn(reason_fragment, decision.fallback_reason)
        # "Acme Construction Works Ltd" contains "Construction Works": a fuzzy match asks a human, never acts alone
        self.assertEqual(decision.output, {"industry_id": "Construction Works"})
        self.assertEqual(decision.state, "awaiting_approval")
        self.assertLessEqual(decision.confidence, 0.9)

    def test_without_api_key_the_fallback_answers_and_nothing_is_sent(self):
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.api_key", "")
        with self.mock_claude() as claude:
            decision = self._run_action()
            self._run_jobs()
        self.assertEqual(claude.requests, [])
        self._assert_fallback_answer(decision, "No Anthropic API key")

    def test_budget_hard_stop(self):
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.monthly_budget", 0.01)
        other = self.env["res.partner"].create({"name": "Second Construction Works"})
        with self.mock_claude(*[self._answer("Construction Works", 0.97)] * 2) as claude:
            first = self._run_action()
            self._run_jobs()
            self.assertEqual(first.source, "claude")  # 0.0072 USD spent: under budget
            self.env["ai.bridge.usage"].create({"model": "claude-sonnet-4-5", "status": "ok", "cost": 0.005})
            second = self._run_action(other)
            self._run_jobs()
        self.assertEqual(len(claude.requests), 1)
        self._assert_fallback_answer(second, "monthly AI budget")

    def test_budget_counts_only_this_month(self):
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.monthly_budget", 1.0)
        with freeze_time("2026-10-15"):
            self.env["ai.bridge.usage"].create({"model": "claude-sonnet-4-5", "status": "ok", "cost": 5.0})
        with freeze_time("2026-11-02"), self.mock_claude(self._answer("Construction Works", 0.97)) as claude:
            self._run_action()
            self._run_jobs()
        self.assertEqual(len(claude.requests), 1)

    def test_feature_switched_off_uses_the_fallback(self):
        self.assertEqual(self.task.feature, "server_action")
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.ai_bridge_feature_server_action)
        settings.ai_bridge_feature_server_action = False
        settings.execute()
        with self.mock_claude() as claude:
            decision = self._run_action()
            self._run_jobs()
        self.assertEqual(claude.requests, [])
        self._assert_fallback_answer(decision, "switched off")

    def test_final_claude_error_falls_back_at_once(self):
        with self.mock_claude(self.final_error("messages.0: bad request")) as claude:
            decision = self._run_action()
            self._run_jobs()
        self.assertEqual(len(claude.requests), 1)
        self._assert_fallback_answer(decision, "messages.0: bad request")
        self.assertEqual(decision.job_id.state, "done")
        error_call = self.env["ai.bridge.usage"].search([("decision_id", "=", decision.id)])
        self.assertEqual((error_call.status, error_call.error_type), ("error", "invalid_request_error"))

    def test_passing_errors_retry_with_backoff_then_fall_back(self):
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.job_max_attempts", 3)
        with (
            freeze_time("2026-11-20 10:00:00"),
            self.mock_claude(*[self.retryable_error(retry_after=120)] * 3) as claude,
        ):
            decision = self._run_action()
            self._run_jobs()
            job = decision.job_id
            self.assertEqual((job.state, job.retry, decision.state), ("pending", 1, "proposed"))
            self.assertEqual(job.result, "Overloaded")
            self.assertGreaterEqual(job.eta.strftime("%H:%M:%S"), "10:02:00")  # retry-after honoured
            self._run_jobs()
            self.assertEqual(len(claude.requests), 1, "not due yet")
        with freeze_time("2026-11-20 10:05:00"), self.mock_claude(self.retryable_error()) as claude:
            self._run_jobs()
            self.assertEqual((job.state, job.retry), ("pending", 2))
        with freeze_time("2026-11-20 12:00:00"), self.mock_claude(self.retryable_error()) as claude:
            self._run_jobs()
        self.assertEqual(len(claude.requests), 1, "the last attempt still asks Claude")
        self.assertEqual(job.state, "done")
        self._assert_fallback_answer(decision, "Overloaded")

    def test_free_text_has_no_fallback_and_is_only_logged(self):
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.api_key", "")
        self.action.write({"ai_output_mode": "note", "ai_output_field_ids": [(5, 0, 0)]})
        decision = self._run_action()
        self._run_jobs()
        self.assertEqual((decision.source, decision.state, decision.confidence), ("fallback", "logged", 0.0))
