"""The whole path with the real anthropic SDK: server action, its job, HTTP to a local fake API, gating."""

import logging

from .common import TEST_API_KEY, AiBridgeCommon
from .fake_anthropic import FakeAnthropic, tool_reply


class TestAiEndToEnd(AiBridgeCommon):
    def setUp(self):
        super().setUp()
        self.fake = FakeAnthropic(expected_api_key=TEST_API_KEY)
        self.fake.start()
        self.addCleanup(self.fake.stop)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("ai_bridge_core.base_url", self.fake.url)
        params.set_param("ai_bridge_core.timeout", 2)
        params.set_param("ai_bridge_core.max_retries", 1)

    def test_server_action_to_applied_decision_over_http(self):
        self.fake.reply_tool(
            "test_industry",
            {"industry_id": "Construction Works", "confidence": 0.97, "reasoning": "The name says construction works."},
            usage={"input_tokens": 900, "output_tokens": 60, "cache_read_input_tokens": 2000},
        )
        decision = self._run_action()
        self._run_jobs()
        self.assertEqual(decision.state, "auto_applied")
        self.assertEqual(self.company_partner.industry_id, self.industry_construction)
        body = self.fake.last_request.body
        self.assertEqual(body["tool_choice"], {"type": "tool", "name": "test_industry"})
        self.assertEqual(body["model"], "claude-sonnet-4-5")
        self.assertEqual(body["system"][0]["cache_control"], {"type": "ephemeral"})
        self.assertIn("Construction Works", body["tools"][0]["input_schema"]["properties"]["industry_id"]["enum"])
        self.assertEqual(
            body["messages"][0]["content"][0]["text"]
            if isinstance(body["messages"][0]["content"], list)
            else body["messages"][0]["content"],
            "Company: Acme Construction Works Ltd",
        )
        self.assertAlmostEqual(decision.cost, (900 * 3 + 60 * 15 + 2000 * 0.3) / 1e6, places=8)

    def test_rate_limit_then_success_within_one_attempt(self):
        self.fake.reply_error(429, retry_after=0.1)
        self.fake.reply_tool("test_industry", {"industry_id": "Food Retail", "confidence": 0.9, "reasoning": "r"})
        decision = self._run_action()
        self._run_jobs()
        self.assertEqual(len(self.fake.requests), 2)
        self.assertEqual(decision.state, "awaiting_approval")

    def test_malformed_tool_input_falls_back(self):
        self.fake.reply_tool("test_industry", {"industry_id": "Construction Works", "confidence": "very"})
        decision = self._run_action()
        self._run_jobs()
        self.assertEqual(decision.source, "fallback")
        self.assertIn("Claude failed", decision.fallback_reason)
        self.assertEqual(decision.state, "awaiting_approval")

    def test_the_api_key_never_reaches_logs_or_records(self):
        self.fake.reply_error(401, message=f"invalid x-api-key {TEST_API_KEY}")
        with self.assertLogs(level=logging.DEBUG) as logs:
            logging.getLogger("odoo.addons.ai_bridge_core").debug("capture starts")
            decision = self._run_action()
            self._run_jobs()
        self.assertEqual(decision.source, "fallback")
        self.assertTrue(self.fake.requests and self.fake.last_request.api_key == TEST_API_KEY)
        self.assertNotIn(TEST_API_KEY, "\n".join(logs.output))
        for record in (
            decision,
            decision.job_id,
            *self.env["ai.bridge.usage"].search([("decision_id", "=", decision.id)]),
        ):
            values = record.read()[0]
            self.assertNotIn(TEST_API_KEY, repr(values), record._name)
        self.assertIn("[redacted]", decision.fallback_reason)

    def test_test_connection_button_reports_success_and_exact_errors(self):
        settings = self.env["res.config.settings"].create({})
        result = settings.action_ai_bridge_test_connection()["params"]
        self.assertEqual(result["type"], "success")
        self.assertIn("Connection to Claude OK", result["message"])
        self.assertEqual(self.fake.last_request.body["max_tokens"], 1)
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.api_key", "sk-ant-wrong-key")
        result = self.env["res.config.settings"].create({}).action_ai_bridge_test_connection()["params"]
        self.assertEqual(result["type"], "danger")
        self.assertIn("invalid x-api-key", result["message"])
        self.assertNotIn("sk-ant-wrong-key", result["message"])


class TestAiBenchmarkStub(AiBridgeCommon):
    def test_default_reply_answers_every_forced_tool(self):
        with FakeAnthropic(
            default_reply=tool_reply(None, {"industry_id": "Food Retail", "confidence": 0.5, "reasoning": "x"})
        ) as fake:
            self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.base_url", fake.url)
            partners = self.env["res.partner"].create([{"name": f"Partner {n}"} for n in range(3)])
            decisions = self._run_action(partners)
            self._run_jobs()
        self.assertEqual(set(decisions.mapped("state")), {"logged"})
        self.assertEqual(len(fake.requests), 3)
