"""Tests of the Claude seam with the real ``anthropic`` SDK talking HTTP to a local fake Messages API.

Nothing is mocked between the seam and the socket: retries, ``retry-after`` waits, timeouts and error parsing are
the SDK's real behaviour. ``only_local_http`` makes any request to another host fail, so no test can reach the
internet even if it forgot ``base_url``. Every wait is kept short: the whole file runs in a few seconds.
"""

from __future__ import annotations

import base64
import logging
import pickle
import time
from typing import Any

from odoo.tests import BaseCase

from odoo.addons.ai_bridge_core.tests.fake_anthropic import (
    FakeAnthropic,
    error_reply,
    only_local_http,
    raw_reply,
    tool_reply,
)
from odoo.addons.ai_bridge_core.tests.local_server import free_port, without_proxies
from odoo.addons.ai_bridge_core.tools.anthropic_client import (
    ERROR_CLIENT,
    ERROR_CONFIGURATION,
    ERROR_CONNECTION,
    ERROR_MALFORMED,
    ERROR_TIMEOUT,
    ClaudeError,
    ClaudeRequest,
    ClaudeResult,
    ClaudeTool,
    call_tool,
    check_connection,
)
from odoo.addons.ai_bridge_core.tools.schema_check import schema_errors

API_KEY = "sk-ant-test-0123456789abcdef"
MODEL = "claude-test-model"

TRIAGE_TOOL = ClaudeTool(
    name="triage",
    description="Record the triage decision for one customer message.",
    input_schema={
        "type": "object",
        "properties": {
            "category": {"type": "string", "enum": ["billing", "delivery", "other"]},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "summary": {"type": "string"},
        },
        "required": ["category", "confidence"],
    },
)
GOOD_INPUT = {"category": "delivery", "confidence": 0.92, "summary": "Parcel late"}


def triage_request(**overrides: Any) -> ClaudeRequest:
    values: dict[str, Any] = {
        "model": MODEL,
        "system_stable": "You triage customer messages. Long, stable instructions.",
        "system_variable": "Company: OV Test. Today: 2025-01-15.",
        "user_content": "Where is my parcel?",
        "tool": TRIAGE_TOOL,
        "max_tokens": 512,
    }
    return ClaudeRequest(**{**values, **overrides})


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: the port was free a moment ago and is closed again."""
    return f"http://127.0.0.1:{free_port()}"


class TestSchemaCheck(BaseCase):
    """The tiny validator that guards tool input."""

    def test_valid_input_has_no_error(self) -> None:
        self.assertEqual(schema_errors(GOOD_INPUT, TRIAGE_TOOL.input_schema), [])
        self.assertEqual(schema_errors({"category": "other", "confidence": 1}, TRIAGE_TOOL.input_schema), [])

    def test_every_violation_is_reported(self) -> None:
        errors = schema_errors({"category": "spam", "confidence": 1.5, "summary": 3}, TRIAGE_TOOL.input_schema)
        self.assertEqual(len(errors), 3, errors)
        self.assertIn("'category' must be one of", errors[0])
        self.assertIn("'confidence' must be <= 1", errors[1])
        self.assertIn("'summary' must be of type string", errors[2])
        self.assertEqual(
            schema_errors({}, TRIAGE_TOOL.input_schema),
            ["missing required property 'category'", "missing required property 'confidence'"],
        )
        self.assertEqual(schema_errors([], TRIAGE_TOOL.input_schema), ["tool input must be an object, got list"])

    def test_types_follow_json_not_python(self) -> None:
        schema = {
            "type": "object",
            "properties": {"n": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}},
            "additionalProperties": False,
        }
        self.assertEqual(schema_errors({"n": 2.0, "tags": ["a"]}, schema), [])  # 2.0 is a JSON integer
        self.assertEqual(len(schema_errors({"n": True}, schema)), 1)  # a boolean is not a number in JSON
        self.assertEqual(schema_errors({"tags": ["a", 1]}, schema), ["'tags' items [1] must be of type string"])
        self.assertEqual(schema_errors({"x": 1}, schema), ["unexpected property 'x'"])


class TestAnthropicClient(BaseCase):
    """``call_tool`` and ``check_connection`` against the fake server, through the real SDK."""

    fake: FakeAnthropic

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        without_proxies(cls, "ANTHROPIC_")
        cls.enterClassContext(only_local_http())
        cls.fake = FakeAnthropic().start()
        cls.addClassCleanup(cls.fake.stop)

    def setUp(self) -> None:
        super().setUp()
        self.fake.reset()

    def call(self, request: ClaudeRequest | None = None, **kwargs: Any) -> ClaudeResult:
        options = {"timeout": 5.0, "max_retries": 2, "base_url": self.fake.url, **kwargs}
        return call_tool(API_KEY, request or triage_request(), **options)

    def call_error(self, request: ClaudeRequest | None = None, **kwargs: Any) -> ClaudeError:
        with self.assertRaises(ClaudeError) as caught:
            self.call(request, **kwargs)
        return caught.exception

    # --- success ---------------------------------------------------------------------------------------------

    def test_call_tool_sends_cached_forced_tool_request(self) -> None:
        """The wire request: forced tool, prompt-caching breakpoints on the tool and the stable system block only,
        the key, the API version and the explicit timeout."""
        self.fake.reply_tool("triage", GOOD_INPUT)

        self.call(timeout=7.5)

        [sent] = self.fake.requests
        self.assertEqual((sent.method, sent.path), ("POST", "/v1/messages"))
        self.assertEqual(
            sent.body,
            {
                "model": MODEL,
                "max_tokens": 512,
                "system": [
                    {
                        "type": "text",
                        "text": "You triage customer messages. Long, stable instructions.",
                        "cache_control": {"type": "ephemeral"},
                    },
                    {"type": "text", "text": "Company: OV Test. Today: 2025-01-15."},
                ],
                "messages": [{"role": "user", "content": "Where is my parcel?"}],
                "tools": [
                    {
                        "name": "triage",
                        "description": TRIAGE_TOOL.description,
                        "input_schema": TRIAGE_TOOL.input_schema,
                        "cache_control": {"type": "ephemeral"},
                    }
                ],
                "tool_choice": {"type": "tool", "name": "triage"},
            },
        )
        self.assertEqual(sent.api_key, API_KEY)
        self.assertTrue(sent.headers.get("anthropic-version"))
        self.assertEqual(sent.headers["x-stainless-timeout"], "7.5")
        self.assertEqual(sent.headers["x-stainless-retry-count"], "0")

    def test_documents_go_before_the_text_as_base64_blocks(self) -> None:
        """A request with PDF documents: the user message is a list of ``document`` blocks (base64 of the exact
        bytes, in order) followed by the text; the rest of the request is unchanged."""
        first, second = b"%PDF-1.4 first page", b"%PDF-1.7 \x00\xff binary"
        self.fake.reply_tool("triage", GOOD_INPUT)

        result = self.call(triage_request(documents=(("application/pdf", first), ("application/pdf", second))))

        self.assertEqual(result.tool_input, GOOD_INPUT)
        [message] = self.fake.last_request.body["messages"]
        self.assertEqual(message["role"], "user")
        self.assertEqual(
            message["content"],
            [
                {
                    "type": "document",
                    "source": {
                        "type": "base64",
                        "media_type": "application/pdf",
                        "data": base64.b64encode(first).decode(),
                    },
                },
                {
                    "type": "document",
                    "source": {
                        "type": "base64",
                        "media_type": "application/pdf",
                        "data": base64.b64encode(second).decode(),
                    },
                },
                {"type": "text", "text": "Where is my parcel?"},
            ],
        )
        self.assertEqual(base64.b64decode(message["content"][1]["source"]["data"]), second)
        self.assertEqual(self.fake.last_request.body["tool_choice"], {"type": "tool", "name": "triage"})

    def test_document_of_another_type_is_refused_before_any_call(self) -> None:
        """Claude reads PDFs as documents; any other media type ends the call at once, final, nothing sent."""
        error = self.call_error(triage_request(documents=(("image/tiff", b"II*\x00"),)))

        self.assertEqual(self.fake.requests, [])
        self.assertFalse(error.retryable)
        self.assertEqual(error.error_type, ERROR_CLIENT)
        self.assertIn("'image/tiff'", error.message)

    def test_call_tool_returns_input_usage_and_metadata(self) -> None:
        """A reply with a text block before the tool call: the tool input and every usage counter come back."""
        usage = {
            "input_tokens": 120,
            "output_tokens": 45,
            "cache_creation_input_tokens": 2048,
            "cache_read_input_tokens": 0,
        }
        self.fake.reply_tool("triage", GOOD_INPUT, usage=usage, text="Let me record that.", model="claude-x-2")

        result = self.call()

        self.assertEqual(result.tool_input, GOOD_INPUT)
        self.assertEqual(result.model, "claude-x-2")
        self.assertEqual(
            (
                result.input_tokens,
                result.output_tokens,
                result.cache_creation_input_tokens,
                result.cache_read_input_tokens,
            ),
            (120, 45, 2048, 0),
        )
        self.assertEqual(result.stop_reason, "tool_use")
        self.assertRegex(result.request_id or "", r"^req_fake_\d+$")
        self.assertGreaterEqual(result.latency_ms, 0)
        self.assertLess(result.latency_ms, 5000)

    def test_null_cache_counters_and_no_variable_block(self) -> None:
        """Null usage counters count as 0; an empty variable system block is not sent (the API rejects empty
        text blocks)."""
        self.fake.reply_tool(input=GOOD_INPUT, usage={"cache_read_input_tokens": None})

        result = self.call(triage_request(system_variable=""))

        self.assertEqual(result.cache_read_input_tokens, 0)
        self.assertEqual(len(self.fake.last_request.body["system"]), 1)

    # --- retries (the SDK's own loop) ------------------------------------------------------------------------

    def test_429_retry_after_is_honoured(self) -> None:
        """A 429 with ``retry-after: 1`` is retried after at least 1 s (the SDK's own backoff would wait at most
        0.5 s before the first retry), then the call succeeds."""
        self.fake.reply_error(429, message="Rate limited", retry_after=1)
        self.fake.reply_tool("triage", GOOD_INPUT)

        result = self.call(max_retries=2)

        first, second = self.fake.requests
        self.assertEqual(result.tool_input, GOOD_INPUT)
        self.assertEqual(
            [first.headers["x-stainless-retry-count"], second.headers["x-stainless-retry-count"]], ["0", "1"]
        )
        self.assertGreaterEqual(second.received_at - first.received_at, 0.95)
        self.assertLess(second.received_at - first.received_at, 2.0)
        self.assertGreaterEqual(result.latency_ms, 950)  # the latency includes the wait

    def test_529_retry_after_ms_wins_over_retry_after(self) -> None:
        """``retry-after-ms`` (more precise) takes precedence over ``retry-after``, as the SDK documents."""
        self.fake.reply_error(529, message="Overloaded", headers={"retry-after-ms": "200", "retry-after": "5"})
        self.fake.reply_tool("triage", GOOD_INPUT)

        self.call(max_retries=1)

        first, second = self.fake.requests
        self.assertGreaterEqual(second.received_at - first.received_at, 0.19)
        self.assertLess(second.received_at - first.received_at, 1.0)

    def test_5xx_exhausted_retries_raise_retryable_error(self) -> None:
        """``max_retries=2`` means three attempts; the last error is returned with the API's exact message."""
        for _attempt in range(3):
            self.fake.reply_error(500, message="Internal server error", headers={"retry-after-ms": "20"})

        error = self.call_error(max_retries=2)

        self.assertEqual(len(self.fake.requests), 3)
        self.assertEqual(self.fake.pending, 0)
        self.assertTrue(error.retryable)
        self.assertEqual((error.status, error.error_type, error.message), (500, "api_error", "Internal server error"))
        self.assertAlmostEqual(error.retry_after or 0, 0.02)
        self.assertRegex(error.request_id or "", r"^req_fake_\d+$")

    def test_429_without_retries_carries_retry_after(self) -> None:
        """The job is retried later with ``retry_after`` when the SDK may not retry."""
        self.fake.reply_error(429, message="Number of request tokens has exceeded your rate limit", retry_after=7)

        error = self.call_error(max_retries=0)

        self.assertEqual(len(self.fake.requests), 1)
        self.assertEqual(
            (error.retryable, error.status, error.error_type, error.retry_after, error.message),
            (True, 429, "rate_limit_error", 7.0, "Number of request tokens has exceeded your rate limit"),
        )

    def test_long_retry_after_ends_the_call_instead_of_sleeping(self) -> None:
        """The SDK would sleep a whole hour on ``retry-after: 3600``; the seam stops at once, retryable."""
        self.fake.reply_error(429, retry_after=3600)

        started = time.monotonic()
        error = self.call_error(max_retries=2)

        self.assertLess(time.monotonic() - started, 2.0)
        self.assertEqual(len(self.fake.requests), 1)
        self.assertEqual((error.retryable, error.status, error.retry_after), (True, 429, 3600.0))

    def test_x_should_retry_false_is_obeyed(self) -> None:
        """The API can veto a retry with ``x-should-retry: false``: the SDK stops and the error is final."""
        self.fake.reply_error(500, message="Do not retry", headers={"x-should-retry": "false"})

        error = self.call_error(max_retries=2)

        self.assertEqual(len(self.fake.requests), 1)
        self.assertFalse(error.retryable)

    def test_client_errors_are_final_with_the_exact_api_message(self) -> None:
        """400/401/403/404/413/422 are never retried and keep the API's wording."""
        cases = [
            (400, "invalid_request_error", "messages: at least one message is required"),
            (401, "authentication_error", "invalid x-api-key"),
            (403, "permission_error", "Your API key does not have permission to use the specified resource."),
            (404, "not_found_error", "model: claude-nope"),
            (413, "request_too_large", "Request exceeds the maximum allowed number of bytes."),
            (422, "invalid_request_error", "Unprocessable entity"),
        ]
        for status, error_type, message in cases:
            with self.subTest(status=status):
                self.fake.reset()
                self.fake.reply_error(status, error_type, message)

                error = self.call_error(max_retries=2)

                self.assertEqual(len(self.fake.requests), 1)
                self.assertEqual(
                    (error.retryable, error.status, error.error_type, error.message, str(error)),
                    (False, status, error_type, message, message),
                )

    def test_non_api_error_body_is_quoted(self) -> None:
        """A proxy's HTML 502 has no API error body: the status and the start of the text are reported."""
        self.fake.enqueue(raw_reply(502, b"<html>Bad gateway</html>", content_type="text/html"))

        error = self.call_error(max_retries=0)

        self.assertEqual((error.retryable, error.status, error.error_type), (True, 502, None))
        self.assertEqual(error.message, "HTTP 502 from the Claude API: <html>Bad gateway</html>")

    # --- transport failures ----------------------------------------------------------------------------------

    def test_timeout_is_retried_then_retryable(self) -> None:
        """A reply slower than the timeout: the SDK retries it once (two requests), then a retryable timeout."""
        self.fake.reply_slow(3.0)
        self.fake.reply_slow(3.0)

        started = time.monotonic()
        error = self.call_error(timeout=0.3, max_retries=1)

        self.assertLess(time.monotonic() - started, 2.5)
        self.assertEqual(len(self.fake.requests), 2)
        self.assertEqual((error.retryable, error.error_type, error.status), (True, ERROR_TIMEOUT, None))

    def test_connection_refused_is_retryable(self) -> None:
        error = self.call_error(base_url=closed_port_url(), max_retries=0)

        self.assertEqual((error.retryable, error.error_type, error.status), (True, ERROR_CONNECTION, None))
        self.assertIn("Could not connect to the Claude API", error.message)

    def test_network_guard_blocks_the_real_api(self) -> None:
        """Without ``base_url`` the SDK targets api.anthropic.com: the guard of this test class blocks it."""
        error = self.call_error(base_url=None, max_retries=0)

        self.assertEqual(error.error_type, ERROR_CONNECTION)
        self.assertIn("External HTTP blocked in tests: https://api.anthropic.com/v1/messages", error.message)
        self.assertEqual(self.fake.requests, [])

    def test_missing_api_key_sends_nothing(self) -> None:
        with self.assertRaises(ClaudeError) as caught:
            call_tool("", triage_request(), timeout=1, max_retries=0, base_url=self.fake.url)

        self.assertEqual((caught.exception.retryable, caught.exception.error_type), (False, ERROR_CONFIGURATION))
        self.assertEqual(self.fake.requests, [])

    # --- malformed replies -----------------------------------------------------------------------------------

    def test_malformed_replies_are_final(self) -> None:
        """Whatever is wrong with a 200 reply, the error is ``malformed_reply``, not retryable, and says why."""
        cases = [
            ("invalid JSON", raw_reply(200, b'{"type": "message", "content": [')),
            ("not JSON at all", raw_reply(200, b"<html>maintenance</html>", content_type="text/html")),
            ("a JSON array", raw_reply(200, b"[]")),
            ("no content list", raw_reply(200, b'{"type": "message", "id": "msg_1"}')),
        ]
        for label, reply in cases:
            with self.subTest(label):
                self.fake.reset()
                self.fake.enqueue(reply)

                error = self.call_error(max_retries=2)

                self.assertEqual(len(self.fake.requests), 1)
                self.assertEqual((error.retryable, error.error_type), (False, ERROR_MALFORMED))
                self.assertIn("not a message", error.message)

    def test_reply_without_the_tool_call_is_malformed(self) -> None:
        for label, queue in [
            ("text only", lambda: self.fake.reply_text("I'd rather chat.")),
            ("another tool", lambda: self.fake.reply_tool("other_tool", GOOD_INPUT)),
        ]:
            with self.subTest(label):
                self.fake.reset()
                queue()

                error = self.call_error()

                self.assertEqual((error.retryable, error.error_type), (False, ERROR_MALFORMED))
                self.assertIn("did not call the tool 'triage'", error.message)

    def test_tool_input_violating_the_schema_is_malformed(self) -> None:
        self.fake.reply_tool("triage", {"category": "spam", "confidence": 3})

        error = self.call_error()

        self.assertEqual((error.retryable, error.error_type), (False, ERROR_MALFORMED))
        self.assertIn("does not match its schema", error.message)
        self.assertIn("'category' must be one of", error.message)
        self.assertIn("'confidence' must be <= 1", error.message)

    def test_tool_input_cut_by_max_tokens_says_so(self) -> None:
        self.fake.reply_tool("triage", {}, stop_reason="max_tokens")

        error = self.call_error()

        self.assertIn("missing required property 'category'", error.message)
        self.assertIn("cut by max_tokens", error.message)

    # --- the API key stays secret ----------------------------------------------------------------------------

    def test_api_key_never_in_errors_or_logs(self) -> None:
        """401 (even one that echoes the key), timeout, connection error and malformed reply: the key appears in
        no message, repr or log line (SDK and httpx debug logging included), and no SDK exception (which holds
        the request and its Authorization header) is chained onto the error."""
        scenarios = [
            ("401", lambda: self.fake.reply_error(401, message=f"invalid x-api-key: {API_KEY}"), {}),
            ("timeout", lambda: self.fake.reply_slow(3.0), {"timeout": 0.2}),
            ("connection", lambda: None, {"base_url": closed_port_url()}),
            ("malformed", lambda: self.fake.reply_raw(200, b"oops"), {}),
            ("retried 500", lambda: self.fake.enqueue(*[error_reply(500, headers={"retry-after-ms": "10"})] * 2), {}),
        ]
        for label, queue, options in scenarios:
            with self.subTest(label):
                self.fake.reset()
                queue()
                with self.assertLogs(level=logging.DEBUG) as logs:
                    error = self.call_error(**{"max_retries": 1, **options})

                text = "\n".join([str(error), repr(error), error.message, *logs.output])
                self.assertNotIn(API_KEY, text)
                self.assertIsNone(error.__cause__)
                self.assertIsNone(error.__context__)
                self.assertTrue(any(line.startswith("DEBUG:") for line in logs.output), "debug logs not captured")

    def test_api_key_echoed_by_the_api_is_redacted(self) -> None:
        self.fake.reply_error(401, message=f"invalid x-api-key: {API_KEY}")

        error = self.call_error(max_retries=0)

        self.assertEqual(self.fake.last_request.api_key, API_KEY)  # the key was really sent, yet never shown
        self.assertEqual(error.message, "invalid x-api-key: [redacted]")

    def test_claude_error_survives_pickling(self) -> None:
        error = ClaudeError("Overloaded", retryable=True, status=529, retry_after=2.0, error_type="overloaded_error")

        copy = pickle.loads(pickle.dumps(error))

        self.assertEqual(repr(copy), repr(error))

    # --- check_connection ------------------------------------------------------------------------------------

    def test_check_connection_success(self) -> None:
        text = check_connection(API_KEY, MODEL, timeout=2, base_url=self.fake.url)

        self.assertIn(MODEL, text)
        [sent] = self.fake.requests
        self.assertEqual(sent.body["max_tokens"], 1)
        self.assertEqual(sent.body["model"], MODEL)
        self.assertNotIn("tools", sent.body)

    def test_check_connection_wrong_key_gives_the_api_message(self) -> None:
        fake = FakeAnthropic(expected_api_key="sk-ant-the-right-key-000").start()
        self.addCleanup(fake.stop)

        with self.assertRaises(ClaudeError) as caught:
            check_connection(API_KEY, MODEL, timeout=2, base_url=fake.url)

        error = caught.exception
        self.assertEqual((error.status, error.retryable, error.message), (401, False, "invalid x-api-key"))
        self.assertEqual(len(fake.requests), 1)

    def test_check_connection_does_not_retry(self) -> None:
        """The user waits in front of the button: an overloaded API answers at once."""
        self.fake.reply_error(529, message="Overloaded", retry_after=1)

        with self.assertRaises(ClaudeError) as caught:
            check_connection(API_KEY, MODEL, timeout=2, base_url=self.fake.url)

        self.assertEqual((caught.exception.status, caught.exception.message), (529, "Overloaded"))
        self.assertEqual(len(self.fake.requests), 1)

    def test_fake_tool_reply_builder_is_reusable(self) -> None:
        """``default_reply`` answers every request once the queue is empty."""
        self.fake.default_reply = tool_reply("triage", GOOD_INPUT)
        self.addCleanup(setattr, self.fake, "default_reply", None)

        results = [self.call().tool_input for _call in range(2)]

        self.assertEqual(results, [GOOD_INPUT, GOOD_INPUT])
