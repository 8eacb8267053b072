"""Approvals from Slack: buttons on approval requests, and clicks sent exactly as Slack sends them (a form-encoded
``payload``, signed headers, over real HTTP), acted on as the mapped Odoo user."""

import json
import time
from urllib.parse import urlencode

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ai_bridge_core.tests.common import AiBridgeCommon, run_due_jobs

from .common import SLACK_INTERACTIVITY_URL as URL
from .common import SLACK_SIGNING_SECRET, MockMessaging, slack_click_body, slack_signed_headers


@tagged("post_install", "-at_install")
class TestSlackApprovals(AiBridgeCommon, HttpCase, MockMessaging):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.configure_slack(cls.env)
        cls.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.api_key", "")  # fallback: 90 %, to approve
        cls.approver.messaging_slack_user_id = "U0APPROVER"
        cls.stranger = new_test_user(cls.env, login="slack_stranger", groups="base.group_user")
        cls.stranger.messaging_slack_user_id = "U0STRANGER"

    def setUp(self):
        super().setUp()
        with self.mock_slack() as slack:
            self.decision = self._run_action()
            run_due_jobs(self.env)  # the decision: awaiting approval, its approval request queued
            run_due_jobs(self.env)  # the approval request, on Slack
        self.assertEqual(self.decision.state, "awaiting_approval")
        self.request_message = slack.calls[-1]

    def _click(self, slack_user, action="messaging_approve", *, timestamp=None, secret=SLACK_SIGNING_SECRET, body=None):
        value = f"ai.bridge.decision:{self.decision.id}"
        body = body if body is not None else slack_click_body(slack_user, action, value, self.request_message["blocks"])
        return self.url_open(URL, data=body, headers=slack_signed_headers(secret, body, timestamp=timestamp))

    def _handle_clicks(self):
        with self.mock_slack() as slack:
            run_due_jobs(self.env)
        return slack

    def test_the_approver_gets_buttons_that_name_the_decision(self):
        actions = next(block for block in self.request_message["blocks"] if block["type"] == "actions")
        buttons = {element.get("action_id"): element.get("value") for element in actions["elements"]}
        value = f"ai.bridge.decision:{self.decision.id}"
        self.assertEqual(buttons["messaging_approve"], value)
        self.assertEqual(buttons["messaging_reject"], value)
        self.assertEqual(self.request_message["channel"], "U0APPROVER")

    def test_a_click_approves_as_the_mapped_user_and_replaces_the_buttons(self):
        self.assertEqual(self._click("U0APPROVER").status_code, 200)
        self.assertEqual(self.decision.state, "awaiting_approval", "the click only queues the work")
        slack = self._handle_clicks()
        self.assertEqual((self.decision.state, self.decision.reviewed_by_id), ("approved", self.approver))
        self.assertEqual(self.company_partner.industry_id, self.industry_construction)
        self.assertTrue(self.decision.message_ids.filtered(lambda m: "Approved in Slack by" in (m.body or "")))
        (update,) = slack.updates
        self.assertEqual((update["channel"], update["ts"]), ("D0APPROVER", "1700000000.000001"))
        self.assertNotIn("actions", [block["type"] for block in update["blocks"]], "no buttons left")
        self.assertIn(f"Approved by {self.approver.name}", update["text"])

    def test_reject(self):
        self._click("U0APPROVER", "messaging_reject")
        self._handle_clicks()
        self.assertEqual(self.decision.state, "rejected")
        self.assertFalse(self.company_partner.industry_id)

    def test_an_unmapped_slack_user_is_refused_in_slack_and_nothing_changes(self):
        self._click("U0NOBODY")
        slack = self._handle_clicks()
        self.assertEqual(self.decision.state, "awaiting_approval")
        self.assertEqual(slack.calls[0]["channel"], "U0NOBODY")
        self.assertIn("not linked to an Odoo user", slack.calls[0]["text"])
        self.assertFalse(slack.updates)

    def test_a_user_without_the_rights_is_refused_in_slack_and_nothing_changes(self):
        self._click("U0STRANGER")
        slack = self._handle_clicks()
        self.assertEqual(self.decision.state, "awaiting_approval")
        self.assertIn(f"{self.stranger.name} cannot do this", slack.calls[0]["text"])

    def test_two_clicks_apply_once(self):
        now = int(time.time())
        self._click("U0APPROVER", timestamp=now)
        self._click("U0APPROVER", timestamp=now - 5)  # a second, distinct request (another signature)
        slack = self._handle_clicks()
        self.assertEqual(self.decision.state, "approved")
        self.assertEqual(len(slack.updates), 1)
        self.assertIn("awaiting approval", slack.calls[0]["text"], "the second click is told why nothing happened")
        applied = self.decision.message_ids.filtered(lambda m: "Approved in Slack by" in (m.body or ""))
        self.assertEqual(len(applied), 1)

    def test_bad_signatures_old_requests_and_replays_are_refused(self):
        Request = self.env["messaging.slack.request"]
        self.assertEqual(self._click("U0APPROVER", secret="not-the-secret").status_code, 401)
        self.assertEqual(self._click("U0APPROVER", timestamp=int(time.time()) - 600).status_code, 401)
        self.assertFalse(Request.search([]))
        body = urlencode({"payload": json.dumps({"type": "block_actions", "user": {"id": "U0APPROVER"}})}).encode()
        headers = slack_signed_headers(SLACK_SIGNING_SECRET, body)
        self.assertEqual(self.url_open(URL, data=body, headers=headers).status_code, 200)
        self.assertEqual(self.url_open(URL, data=body, headers=headers).status_code, 200, "a replay is ignored")
        self.assertEqual(len(Request.search([])), 1)

    def test_a_payload_that_is_not_slacks_json_is_refused(self):
        self.assertEqual(self._click("U0APPROVER", body=b"payload=not-json").status_code, 400)
        self.assertFalse(self.env["messaging.slack.request"].search([]))
