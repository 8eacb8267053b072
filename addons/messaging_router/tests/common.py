"""Fixtures for messaging_router and the modules that send through it.

`MockMessaging` fakes Slack and Teams *above* the seam (it patches `tools.slack_client.post_message` and
`tools.teams_client.post_card`), records every call and serves scripted answers or errors; the seams' own tests
use the real SDKs against `fake_slack` and `fake_teams` instead.
"""

import json
import time
from contextlib import contextmanager
from unittest.mock import patch
from urllib.parse import urlencode

from odoo.tests import new_test_user

from odoo.addons.ai_bridge_core.tests.common import run_due_jobs
from odoo.addons.base.tests.common import BaseCommon

from ..tools import slack_client, teams_client
from ..tools.slack_client import SlackError, SlackMessage
from ..tools.slack_signature import sign_request

SLACK_TOKEN = "xoxb-test-0123456789-secret"
SLACK_SIGNING_SECRET = "slack-signing-secret-for-tests"
TEAMS_WEBHOOK = "https://example.invalid/workflows/secret-webhook"
SLACK_INTERACTIVITY_URL = "/messaging/slack/interactivity"


def slack_signed_headers(
    secret: str, body: bytes, content_type: str = "application/x-www-form-urlencoded", timestamp: int | None = None
) -> dict[str, str]:
    """The headers Slack sends with a request to the app: signed with `secret` at `timestamp` (default: now)."""
    timestamp_header = str(timestamp or int(time.time()))
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp_header,
        "X-Slack-Signature": sign_request(secret, timestamp_header, body),
    }


def slack_click_body(slack_user: str, action_id: str, value: str, blocks: list[dict]) -> bytes:
    """The form body Slack posts when `slack_user` clicks the button `action_id` (carrying `value`) of a direct
    message made of `blocks` (message ts ``1700000000.000001`` in channel ``D0APPROVER``)."""
    payload = {
        "type": "block_actions",
        "user": {"id": slack_user, "username": slack_user.lower()},
        "team": {"id": "T0TEAM"},
        "container": {"type": "message", "message_ts": "1700000000.000001", "channel_id": "D0APPROVER"},
        "channel": {"id": "D0APPROVER", "name": "directmessage"},
        "message": {"type": "message", "ts": "1700000000.000001", "blocks": blocks},
        "response_url": "https://hooks.slack.invalid/actions/T0TEAM/1/abc",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "action_ts": "1700000001.000200",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


class ProviderRecorder:
    """What the mocks yield: the calls received, and a queue of errors to raise before succeeding."""

    def __init__(self, errors):
        self.errors = list(errors)
        self.calls: list[dict] = []
        self.updates: list[dict] = []
        self.responses: list[dict] = []

    def next_error(self):
        return self.errors.pop(0) if self.errors else None


class MockMessaging:
    @contextmanager
    def mock_slack(self, *errors):
        """Answer every chat.postMessage, after raising `errors` (SlackError instances) in order, and every
        chat.update."""
        recorder = ProviderRecorder(errors)

        def post_message(token, channel, text, blocks=None, thread_ts=None, **kwargs):
            assert token == SLACK_TOKEN
            recorder.calls.append({"channel": channel, "text": text, "blocks": blocks, "thread_ts": thread_ts})
            error = recorder.next_error()
            if error:
                raise error
            return SlackMessage(channel=channel, ts=f"1700000000.{len(recorder.calls):06d}")

        def update_message(token, channel, ts, text, blocks=None, **kwargs):
            assert token == SLACK_TOKEN
            recorder.updates.append({"channel": channel, "ts": ts, "text": text, "blocks": blocks})
            return SlackMessage(channel=channel, ts=ts)

        def respond(response_url, text, blocks=None, **kwargs):
            recorder.responses.append({"response_url": response_url, "text": text, "blocks": blocks})

        with (
            patch.object(slack_client, "post_message", post_message),
            patch.object(slack_client, "update_message", update_message),
            patch.object(slack_client, "respond", respond),
        ):
            yield recorder

    @contextmanager
    def mock_teams(self, *errors):
        recorder = ProviderRecorder(errors)

        def post_card(webhook_url, card, **kwargs):
            assert webhook_url == TEAMS_WEBHOOK
            recorder.calls.append({"card": card})
            error = recorder.next_error()
            if error:
                raise error

        with patch.object(teams_client, "post_card", post_card):
            yield recorder

    @staticmethod
    def configure_slack(env):
        """The bot token and the signing secret the mocks and the signed test requests use."""
        params = env["ir.config_parameter"].sudo()
        params.set_param("messaging_router.slack_bot_token", SLACK_TOKEN)
        params.set_param("messaging_router.slack_signing_secret", SLACK_SIGNING_SECRET)

    @staticmethod
    def slack_outage(retry_after=None):
        return SlackError("Slack is down (503)", retryable=True, retry_after=retry_after, error_code=None)


class MessagingCommon(BaseCommon, MockMessaging):
    """A customer contact, an employee mapped to a Slack user, a manager; Slack and Teams configured."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("messaging_router.slack_bot_token", SLACK_TOKEN)
        params.set_param("messaging_router.teams_webhook_url", TEAMS_WEBHOOK)
        cls.customer = cls.env["res.partner"].create({"name": "Router Customer", "email": "buyer@customer.example"})
        cls.employee = new_test_user(cls.env, login="router_employee", groups="base.group_user", email="emp@ex.com")
        cls.employee.messaging_slack_user_id = "U0EMPLOYEE"
        cls.manager = new_test_user(
            cls.env, login="router_manager", groups="messaging_router.group_messaging_router_manager"
        )

    def _deliveries(self, partner):
        return self.env["messaging.delivery"].search([("partner_id", "=", partner.id)], order="id")

    def _run_jobs(self):
        return run_due_jobs(self.env)
