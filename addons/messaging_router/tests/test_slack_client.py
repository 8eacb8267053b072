"""Tests of the Slack seam with the real ``slack_sdk`` talking HTTP to a local fake Web API.

Nothing is mocked between the seam and the socket: how the SDK encodes each method, reports 429/5xx/``ok: false``
and times out is its real behaviour. ``only_local_urllib`` makes any request to another host fail, so no test can
reach slack.com even if it forgot ``base_url``. Waits are short: the file runs in a few seconds.
"""

from __future__ import annotations

import logging
import pickle
import time
from typing import Any

from odoo.tests import BaseCase

from odoo.addons.ai_bridge_core.tests.local_server import debug_logs, free_port, without_proxies
from odoo.addons.messaging_router.tests.fake_slack import (
    FakeSlack,
    ok_reply,
    only_local_urllib,
    raw_reply,
)
from odoo.addons.messaging_router.tools import slack_client
from odoo.addons.messaging_router.tools.slack_client import (
    ERROR_CONFIGURATION,
    ERROR_CONNECTION,
    ERROR_MALFORMED,
    ERROR_TIMEOUT,
    SlackError,
    SlackMessage,
    lookup_user_by_email,
    post_message,
    update_message,
)

TOKEN = "xoxb-1234567890-0987654321-FakeBotTokenForTests"
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Invoice 42* is overdue"}}]


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens: the port was free a moment ago and is closed again."""
    return f"http://127.0.0.1:{free_port()}/api/"


class TestSlackClient(BaseCase):
    """``post_message``, ``update_message`` and ``lookup_user_by_email`` against the fake, through the real SDK."""

    fake: FakeSlack

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        without_proxies(cls)
        cls.enterClassContext(only_local_urllib())
        cls.fake = FakeSlack(expected_token=TOKEN).start()
        cls.addClassCleanup(cls.fake.stop)

    def setUp(self) -> None:
        super().setUp()
        self.fake.reset()

    def options(self, **overrides: Any) -> dict[str, Any]:
        return {"base_url": self.fake.api_url, "timeout": 5, **overrides}

    def post_error(self, token: str = TOKEN, **overrides: Any) -> SlackError:
        with self.assertRaises(SlackError) as caught:
            post_message(token, "C0ALERTS", "Invoice 42 is overdue", **self.options(**overrides))
        return caught.exception

    # --- success ---------------------------------------------------------------------------------------------

    def test_post_message_sends_json_and_returns_channel_and_ts(self) -> None:
        """The wire request: POST /api/chat.postMessage, JSON, the bearer token; the answer's channel and ts."""
        message = post_message(TOKEN, "C0ALERTS", "Invoice 42 is overdue", blocks=BLOCKS, **self.options())

        [sent] = self.fake.requests
        self.assertEqual(
            (sent.method, sent.path, sent.api_method), ("POST", "/api/chat.postMessage", "chat.postMessage")
        )
        self.assertTrue(sent.is_json, sent.headers.get("content-type"))
        self.assertEqual(sent.headers["authorization"], f"Bearer {TOKEN}")
        self.assertEqual(sent.params, {"channel": "C0ALERTS", "text": "Invoice 42 is overdue", "blocks": BLOCKS})
        self.assertIsInstance(message, SlackMessage)
        self.assertEqual(message.channel, "C0ALERTS")
        self.assertRegex(message.ts, r"^1700000000\.\d{6}$")
        self.assertIn(("C0ALERTS", message.ts), self.fake.messages)

    def test_post_message_in_a_thread(self) -> None:
        parent = post_message(TOKEN, "C0ALERTS", "Parent", **self.options())

        reply = post_message(TOKEN, "C0ALERTS", "Reply", thread_ts=parent.ts, **self.options())

        first, second = self.fake.requests
        self.assertNotIn("thread_ts", first.params)
        self.assertNotIn("blocks", first.params)
        self.assertEqual(second.params["thread_ts"], parent.ts)
        self.assertEqual(self.fake.messages[("C0ALERTS", reply.ts)]["thread_ts"], parent.ts)
        self.assertNotEqual(reply.ts, parent.ts)

    def test_channel_name_comes_back_as_its_id(self) -> None:
        """Slack answers with the channel id, which ``chat.update`` needs, even when posting to ``#name``."""
        self.fake.channels = {"#alerts": "C0ALERTS", "C0ALERTS": "C0ALERTS"}
        self.addCleanup(setattr, self.fake, "channels", None)

        message = post_message(TOKEN, "#alerts", "Hello", **self.options())

        self.assertEqual(message.channel, "C0ALERTS")

    def test_update_message(self) -> None:
        posted = post_message(TOKEN, "C0ALERTS", "Invoice 42 is overdue", blocks=BLOCKS, **self.options())
        new_blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "~Invoice 42~ paid"}}]

        updated = update_message(TOKEN, posted.channel, posted.ts, "Invoice 42 paid", new_blocks, **self.options())

        self.assertEqual(updated, SlackMessage(channel="C0ALERTS", ts=posted.ts))
        sent = self.fake.last_request
        self.assertEqual((sent.api_method, sent.is_json), ("chat.update", True))
        self.assertEqual(
            sent.params, {"channel": "C0ALERTS", "ts": posted.ts, "text": "Invoice 42 paid", "blocks": new_blocks}
        )
        self.assertEqual(self.fake.messages[("C0ALERTS", posted.ts)]["text"], "Invoice 42 paid")

    def test_update_unknown_message_is_final(self) -> None:
        with self.assertRaises(SlackError) as caught:
            update_message(TOKEN, "C0ALERTS", "1600000000.000001", "New text", **self.options())

        error = caught.exception
        self.assertEqual((error.retryable, error.error_code, error.status), (False, "message_not_found", 200))
        self.assertEqual(error.message, "Slack refused chat.update: message_not_found")

    def test_lookup_user_by_email_found(self) -> None:
        """users.lookupByEmail is sent as a form (as the SDK does) and answers the user id."""
        self.fake.add_user("ann@example.com", "U123")

        user_id = lookup_user_by_email(TOKEN, "ann@example.com", **self.options())

        self.assertEqual(user_id, "U123")
        sent = self.fake.last_request
        self.assertEqual(sent.api_method, "users.lookupByEmail")
        self.assertFalse(sent.is_json)
        self.assertEqual(sent.params, {"email": "ann@example.com"})

    def test_lookup_user_by_email_not_found_is_none(self) -> None:
        self.fake.add_user("ann@example.com", "U123")

        user_id = lookup_user_by_email(TOKEN, "bob@example.com", **self.options())

        self.assertIsNone(user_id)
        self.assertEqual(self.fake.last_request.params, {"email": "bob@example.com"})

    def test_lookup_empty_email_sends_nothing(self) -> None:
        self.assertIsNone(lookup_user_by_email(TOKEN, "  ", **self.options()))
        self.assertEqual(self.fake.requests, [])

    def test_lookup_other_errors_are_raised(self) -> None:
        self.fake.reply_error("missing_scope", needed="users:read.email", provided="chat:write")

        with self.assertRaises(SlackError) as caught:
            lookup_user_by_email(TOKEN, "ann@example.com", **self.options())

        error = caught.exception
        self.assertEqual((error.retryable, error.error_code), (False, "missing_scope"))
        self.assertEqual(error.message, "Slack refused users.lookupByEmail: missing_scope (needed: users:read.email)")

    # --- rate limits and server errors -----------------------------------------------------------------------

    def test_429_is_retryable_with_retry_after_and_not_retried_here(self) -> None:
        """The job queue retries: the seam answers at once with Slack's Retry-After, after a single request."""
        self.fake.reply_rate_limited(retry_after=30)

        started = time.monotonic()
        error = self.post_error()

        self.assertLess(time.monotonic() - started, 2.0)
        self.assertEqual(len(self.fake.requests), 1)
        self.assertEqual(
            (error.retryable, error.retry_after, error.error_code, error.status), (True, 30.0, "ratelimited", 429)
        )
        self.assertEqual(error.message, "Slack refused chat.postMessage: ratelimited (HTTP 429); retry after 30 s")

    def test_429_without_retry_after(self) -> None:
        self.fake.reply_rate_limited(retry_after=None)

        error = self.post_error()

        self.assertEqual((error.retryable, error.retry_after, error.status), (True, None, 429))

    def test_5xx_is_retryable(self) -> None:
        """Slack's edge answers 5xx with an HTML page, not a Slack body: the status and the text are reported."""
        for status in (500, 502, 503):
            with self.subTest(status=status):
                self.fake.reset()
                self.fake.reply_status(status, b"<html><body>Internal error</body></html>")

                error = self.post_error()

                self.assertEqual(len(self.fake.requests), 1)
                self.assertEqual(
                    (error.retryable, error.status, error.error_code, error.retry_after),
                    (True, status, f"http_{status}", None),
                )
                self.assertIn(f"Slack answered chat.postMessage with HTTP {status}", error.message)
                self.assertIn("Internal error", error.message)

    def test_5xx_with_a_slack_body_keeps_the_code(self) -> None:
        self.fake.reply_error("service_unavailable", status=503, headers={"Retry-After": "4"})

        error = self.post_error()

        self.assertEqual(
            (error.retryable, error.status, error.error_code, error.retry_after),
            (True, 503, "service_unavailable", 4.0),
        )

    def test_transient_ok_false_codes_are_retryable(self) -> None:
        for code in ("internal_error", "fatal_error", "request_timeout"):
            with self.subTest(code=code):
                self.fake.reset()
                self.fake.reply_error(code)

                error = self.post_error()

                self.assertEqual((error.retryable, error.error_code, error.status), (True, code, 200))

    # --- final errors ----------------------------------------------------------------------------------------

    def test_slack_errors_are_final_with_their_code(self) -> None:
        """``ok: false`` answers other than transient ones: not retryable, Slack's code kept."""
        for code in ("channel_not_found", "not_in_channel", "is_archived", "msg_too_long"):
            with self.subTest(code=code):
                self.fake.reset()
                self.fake.reply_error(code)

                error = self.post_error()

                self.assertEqual((error.retryable, error.error_code, error.status), (False, code, 200))
                self.assertEqual(str(error), f"Slack refused chat.postMessage: {code}")

    def test_channel_not_found_from_the_fake_channels(self) -> None:
        """Not scripted: the fake knows its channels, like Slack."""
        self.fake.channels = {"C0ALERTS": "C0ALERTS"}
        self.addCleanup(setattr, self.fake, "channels", None)

        with self.assertRaises(SlackError) as caught:
            post_message(TOKEN, "#nowhere", "Hello", **self.options())

        self.assertEqual((caught.exception.retryable, caught.exception.error_code), (False, "channel_not_found"))

    def test_invalid_auth_is_final(self) -> None:
        """A revoked or wrong token: the fake checks the bearer token and answers ``invalid_auth`` (HTTP 200)."""
        other_token = "xoxb-1111111111-2222222222-RevokedTokenValue"

        error = self.post_error(token=other_token)

        self.assertEqual((error.retryable, error.error_code, error.status), (False, "invalid_auth", 200))
        self.assertEqual(self.fake.last_request.token, other_token)

    def test_missing_token_sends_nothing(self) -> None:
        error = self.post_error(token="")

        self.assertEqual((error.retryable, error.error_code), (False, ERROR_CONFIGURATION))
        self.assertEqual(self.fake.requests, [])

    def test_malformed_success_is_final(self) -> None:
        """``ok: true`` without ts: the message may be posted, so retrying could post it twice."""
        self.fake.enqueue(ok_reply({"channel": "C0ALERTS"}))

        error = self.post_error()

        self.assertEqual((error.retryable, error.error_code), (False, ERROR_MALFORMED))

        self.fake.enqueue(ok_reply({"user": {"name": "ann"}}))
        with self.assertRaises(SlackError) as caught:
            lookup_user_by_email(TOKEN, "ann@example.com", **self.options())
        self.assertEqual((caught.exception.retryable, caught.exception.error_code), (False, ERROR_MALFORMED))

    def test_unknown_route_is_final(self) -> None:
        """A base_url without ``/api/``: the fake answers 404 ``unknown_method``, as Slack does for a bad path."""
        error = self.post_error(base_url=self.fake.url)

        self.assertEqual((error.retryable, error.status, error.error_code), (False, 404, "unknown_method"))
        self.assertEqual(self.fake.last_request.path, "/chat.postMessage")

    # --- transport failures ----------------------------------------------------------------------------------

    def test_timeout_is_retryable(self) -> None:
        """A reply slower than the timeout: one request, then a retryable timeout well before the reply."""
        self.fake.reply_slow(3.0)

        started = time.monotonic()
        with self.assertLogs(level=logging.INFO) as logs:
            error = self.post_error(timeout=0.3)

        self.assertLess(time.monotonic() - started, 2.0)
        # reported once by the seam, at INFO; the SDK's own ERROR line is lowered to INFO (retried, not an error)
        self.assertFalse([line for line in logs.output if not line.startswith("INFO:")], logs.output)
        self.assertTrue(any("Failed to send a request to Slack API server" in line for line in logs.output))
        self.assertEqual(len(self.fake.requests), 1)
        self.assertEqual((error.retryable, error.error_code, error.status), (True, ERROR_TIMEOUT, None))
        self.assertEqual(error.message, "Slack did not answer chat.postMessage within 0.3 s.")

    def test_dropped_connection_is_retryable_and_not_retried_by_the_sdk(self) -> None:
        """The SDK's default handlers would retry a dropped connection once; the seam disables them."""
        self.fake.reply_disconnect()
        self.fake.reply_disconnect()

        error = self.post_error()

        self.assertEqual(len(self.fake.requests), 1)
        self.assertEqual(self.fake.pending, 1)
        self.assertEqual((error.retryable, error.error_code), (True, ERROR_CONNECTION))
        self.assertIn("RemoteDisconnected", error.message)

    def test_connection_refused_is_retryable(self) -> None:
        error = self.post_error(base_url=closed_port_url())

        self.assertEqual((error.retryable, error.error_code, error.status), (True, ERROR_CONNECTION, None))
        self.assertIn("Could not connect to Slack (chat.postMessage)", error.message)

    def test_network_guard_blocks_slack_com(self) -> None:
        """Without ``base_url`` the SDK targets slack.com: the guard of this test class blocks it."""
        error = self.post_error(base_url=None)

        self.assertEqual(error.error_code, ERROR_CONNECTION)
        self.assertIn("External HTTP blocked in tests: https://slack.com/api/chat.postMessage", error.message)
        self.assertEqual(self.fake.requests, [])

    # --- the token stays secret ------------------------------------------------------------------------------

    def test_token_never_in_errors_or_logs(self) -> None:
        """Success, Slack errors, a 5xx page and an error field echoing the token, 429, timeout, dropped and
        refused connections: the token appears in no message, repr or log line (the SDK's debug logging
        included), and no SDK exception (which holds the request) is chained onto the error."""
        scenarios = [
            ("success", lambda: None, {}),
            ("channel_not_found", lambda: self.fake.reply_error("channel_not_found"), {}),
            ("echoed in a page", lambda: self.fake.reply_status(500, f"bad token {TOKEN}".encode()), {}),
            ("echoed in a field", lambda: self.fake.reply_error("missing_scope", needed=TOKEN), {}),
            ("429", lambda: self.fake.reply_rate_limited(retry_after=2), {}),
            ("timeout", lambda: self.fake.reply_slow(3.0), {"timeout": 0.2}),
            ("dropped", lambda: self.fake.reply_disconnect(), {}),
            ("refused", lambda: None, {"base_url": closed_port_url()}),
        ]
        for label, queue, overrides in scenarios:
            with self.subTest(label):
                self.fake.reset()
                queue()
                texts = []
                with debug_logs(self, ("slack_sdk", "urllib3", "odoo.addons.messaging_router")) as output:
                    try:
                        post_message(TOKEN, "C0ALERTS", "Invoice 42 is overdue", **self.options(**overrides))
                    except SlackError as error:
                        texts += [str(error), repr(error), error.message]
                        self.assertIsNone(error.__cause__)
                        self.assertIsNone(error.__context__)
                    else:
                        self.assertEqual(label, "success")

                self.assertEqual(bool(texts), label != "success")
                self.assertNotIn(TOKEN, "\n".join(texts + output))
                self.assertNotIn("xoxb-", "\n".join(texts + output))
                # the SDK's debug line was captured (with the Authorization header redacted by the SDK)
                self.assertTrue(any("Sending a request" in line for line in output), output)
        self.assertEqual(self.fake.requests[-1:], [])  # the last scenario never reached the fake

    def test_token_echoed_in_a_page_is_redacted(self) -> None:
        self.fake.enqueue(raw_reply(502, f"upstream rejected {TOKEN}".encode()))

        error = self.post_error()

        self.assertEqual(self.fake.last_request.token, TOKEN)  # really sent, yet never shown
        self.assertIn("upstream rejected [redacted]", error.message)

    # --- the error and the client cache ----------------------------------------------------------------------

    def test_slack_error_survives_pickling(self) -> None:
        error = SlackError("Slack refused chat.postMessage: ratelimited", True, 30.0, "ratelimited", 429)

        copy = pickle.loads(pickle.dumps(error))

        self.assertEqual(repr(copy), repr(error))
        self.assertEqual((copy.retryable, copy.retry_after, copy.error_code), (True, 30.0, "ratelimited"))

    def test_one_client_per_token_base_url_and_timeout(self) -> None:
        client = slack_client._client(TOKEN, self.fake.api_url, 5)

        self.assertIs(slack_client._client(TOKEN, self.fake.api_url, 5), client)
        self.assertIsNot(slack_client._client(TOKEN, self.fake.api_url, 6), client)
        self.assertIsNot(slack_client._client("xoxb-other-token-000", self.fake.api_url, 5), client)
        self.assertEqual(client.retry_handlers, [])
        self.assertEqual((client.base_url, client.timeout), (self.fake.api_url, 5))
