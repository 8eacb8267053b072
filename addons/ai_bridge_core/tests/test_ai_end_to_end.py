"""The whole path with the real anthropic SDK: server action, its job, HTTP to a local fake API, gating."""

import base64
import logging

from odoo.exceptions import UserError

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

    def test_attachments_of_a_decision_reach_claude_as_documents(self):
        """A decision asked with a PDF attachment: its job loads the file and the request on the wire carries it as
        a document block before the prompt; other files are refused when asking."""
        pdf = self.env["ir.attachment"].create(
            {"name": "letter.pdf", "raw": b"%PDF-1.4 a letter", "mimetype": "application/pdf"}
        )
        self.fake.reply_tool("test_industry", {"industry_id": "Food Retail", "confidence": 0.5, "reasoning": "r"})
        decision = self.env["ai.bridge.decision"]._request(
            "test_industry",
            self.company_partner,
            callback_model="ir.actions.server",
            apply_method="_ai_apply_server_action",
            fallback_method="_ai_fallback_server_action",
            user_content="Which industry does this letter show?",
            context_data={"action_id": self.action.id},
            attachment_ids=pdf,
        )
        self._run_jobs()
        self.assertEqual((decision.source, decision.state), ("claude", "logged"))
        self.assertEqual(decision.attachment_ids, pdf)
        content = self.fake.last_request.body["messages"][0]["content"]
        self.assertEqual([block["type"] for block in content], ["document", "text"])
        self.assertEqual(content[0]["source"]["media_type"], "application/pdf")
        self.assertEqual(base64.b64decode(content[0]["source"]["data"]), b"%PDF-1.4 a letter")
        self.assertEqual(content[1]["text"], "Which industry does this letter show?")

        text = self.env["ir.attachment"].create({"name": "notes.txt", "raw": b"notes", "mimetype": "text/plain"})
        with self.assertRaisesRegex(UserError, "notes.txt"):
            self.env["ai.bridge.decision"]._request(
                "test_industry",
                self.env["res.partner"].create({"name": "Other Partner"}),
                callback_model="ir.actions.server",
                apply_method="_ai_apply_server_action",
                fallback_method="_ai_fallback_server_action",
                attachment_ids=text,
            )

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
