"""A fake Anthropic Messages API server for tests: the real SDK talks HTTP to it on 127.0.0.1.

Why a server and not a mock: the seam's value is in what the SDK does on the wire (retries, ``retry-after``,
timeouts, error bodies, headers). Patching the SDK would test our assumptions about it; pointing the real
``anthropic.Anthropic(base_url=fake.url)`` at this server tests the SDK itself. Tests of models and crons should
not use this server: they patch the seam (``tests/common.py``), which is faster and does not depend on the SDK.

Usage::

    from odoo.addons.ai_bridge_core.tests.fake_anthropic import FakeAnthropic

    with FakeAnthropic() as fake:
        fake.reply_error(429, retry_after=1)  # first request: rate limited
        fake.reply_tool("classify", {"label": "spam"}, usage={"input_tokens": 50})  # second: a tool_use reply
        result = call_tool("sk-test", request, timeout=5, max_retries=2, base_url=fake.url)
        assert len(fake.requests) == 2 and fake.requests[0].body["model"] == request.model

Replies are served from a FIFO queue; when it is empty, the default reply answers (by default: a ``tool_use``
block for the tool that the request's ``tool_choice`` forces, with an empty input, or a short text block when
the request forces no tool). Every request is recorded (method, path, lower-cased headers, parsed JSON body and
arrival time) before its reply is chosen, including the requests that the fake rejects itself.

What the fake checks by itself, like the real API: the route (only ``POST /v1/messages``, else 404
``not_found_error``), the ``anthropic-version`` header and the ``model``/``max_tokens``/``messages`` body fields
(else 400 ``invalid_request_error``), and, when ``expected_api_key`` is set, the key (else 401
``authentication_error``). Those checks run before the queue, so they do not consume scripted replies.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from unittest import mock

from .local_server import FakeServiceHandler, LocalHttpServer, json_or_none

__all__ = [
    "ERROR_TYPES",
    "FakeAnthropic",
    "FakeReply",
    "RecordedRequest",
    "error_reply",
    "message_body",
    "only_local_http",
    "raw_reply",
    "text_reply",
    "tool_reply",
]

# The error ``type`` the real API sends with each status (https://docs.anthropic.com/en/api/errors).
ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}

DEFAULT_MODEL = "claude-fake-1"
DEFAULT_USAGE: dict[str, int] = {
    "input_tokens": 25,
    "output_tokens": 10,
    "cache_creation_input_tokens": 0,
    "cache_read_input_tokens": 0,
}

# Process-wide counters, so ids stay unique across fake instances within one test run.
_message_ids = itertools.count(1)
_request_ids = itertools.count(1)


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request as the fake received it."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    raw_body: bytes
    body: Any  # the parsed JSON body, or None when the body is empty or not JSON
    received_at: float  # time.monotonic() on arrival, to measure the waits between retries

    @property
    def api_key(self) -> str | None:
        """The credential sent, from ``x-api-key`` or an ``Authorization: Bearer`` header (SDK 2.x sends the latter)."""
        if "x-api-key" in self.headers:
            return self.headers["x-api-key"]
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        return token if scheme.lower() == "bearer" and token else None

    @property
    def forced_tool(self) -> str | None:
        """The tool name that ``tool_choice`` forces, if any."""
        choice = self.body.get("tool_choice") if isinstance(self.body, dict) else None
        return choice.get("name") if isinstance(choice, dict) and choice.get("type") == "tool" else None


# A reply body: a JSON-able dict, raw bytes sent verbatim, or a callable building either from the request.
ReplyBody = dict[str, Any] | bytes | Callable[[RecordedRequest], dict[str, Any] | bytes]


@dataclass(frozen=True)
class FakeReply:
    """One scripted HTTP reply; build it with the ``*_reply`` helpers rather than by hand."""

    status: int = 200
    body: ReplyBody = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering; a client timeout shorter than this fires
    content_type: str = "application/json"

    def render(self, request: RecordedRequest) -> dict[str, Any] | bytes:
        """The body to send for ``request``."""
        return self.body(request) if callable(self.body) else self.body


def _usage(overrides: Mapping[str, int] | None) -> dict[str, int]:
    return {**DEFAULT_USAGE, **(overrides or {})}


def message_body(
    content: list[dict[str, Any]],
    *,
    model: str = DEFAULT_MODEL,
    stop_reason: str | None = "end_turn",
    usage: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """A complete Messages API response body (``type: "message"``) around the given content blocks."""
    return {
        "id": f"msg_fake_{next(_message_ids):06d}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": _usage(usage),
    }


def tool_reply(
    name: str | None = None,
    input: Mapping[str, Any] | None = None,  # the wire name
    *,
    usage: Mapping[str, int] | None = None,
    text: str | None = None,
    model: str | None = None,
    stop_reason: str = "tool_use",
    headers: Mapping[str, str] | None = None,
    delay: float = 0.0,
) -> FakeReply:
    """A 200 reply with one ``tool_use`` block, optionally preceded by a text block (as Claude often does).

    :param name: the tool name; None answers with the tool that the request's ``tool_choice`` forces.
    :param model: the model reported; None echoes the request's ``model``.
    """

    def build(request: RecordedRequest) -> dict[str, Any]:
        block = {
            "type": "tool_use",
            "id": f"toolu_fake_{next(_message_ids):06d}",
            "name": name or request.forced_tool or "tool",
            "input": dict(input or {}),
        }
        content = ([{"type": "text", "text": text}] if text else []) + [block]
        return message_body(content, model=model or _request_model(request), stop_reason=stop_reason, usage=usage)

    return FakeReply(body=build, headers=dict(headers or {}), delay=delay)


def text_reply(
    text: str = "OK",
    *,
    usage: Mapping[str, int] | None = None,
    model: str | None = None,
    stop_reason: str = "end_turn",
    delay: float = 0.0,
) -> FakeReply:
    """A 200 reply with a single text block and no ``tool_use`` (what a tool-less request gets)."""

    def build(request: RecordedRequest) -> dict[str, Any]:
        content = [{"type": "text", "text": text}]
        return message_body(content, model=model or _request_model(request), stop_reason=stop_reason, usage=usage)

    return FakeReply(body=build, delay=delay)


def error_reply(
    status: int,
    error_type: str | None = None,
    message: str | None = None,
    headers: Mapping[str, str] | None = None,
    *,
    retry_after: float | None = None,
    delay: float = 0.0,
) -> FakeReply:
    """An error reply with the real body ``{"type": "error", "error": {"type": ..., "message": ...}}``.

    :param error_type: defaults to the type the real API uses for ``status`` (see ``ERROR_TYPES``).
    :param retry_after: seconds for the ``retry-after`` header. A 429 without one (and without a ``retry-after``
        or ``retry-after-ms`` in ``headers``) gets ``retry-after: 1``, as the real API always sends it.
    """
    error_type = error_type or ERROR_TYPES.get(status, "api_error")
    all_headers = dict(headers or {})
    has_retry_header = {"retry-after", "retry-after-ms"} & {name.lower() for name in all_headers}
    if retry_after is not None:
        all_headers["retry-after"] = f"{retry_after:g}"
    elif status == 429 and not has_retry_header:
        all_headers["retry-after"] = "1"
    body = {"type": "error", "error": {"type": error_type, "message": message or f"Fake {error_type}"}}
    return FakeReply(status=status, body=body, headers=all_headers, delay=delay)


def raw_reply(
    status: int,
    body: bytes,
    *,
    headers: Mapping[str, str] | None = None,
    content_type: str = "application/json",
    delay: float = 0.0,
) -> FakeReply:
    """Bytes sent verbatim, e.g. malformed JSON, or an HTML page from a proxy in front of the API."""
    return FakeReply(status=status, body=body, headers=dict(headers or {}), delay=delay, content_type=content_type)


def _request_model(request: RecordedRequest) -> str:
    model = request.body.get("model") if isinstance(request.body, dict) else None
    return model if isinstance(model, str) else DEFAULT_MODEL


def _auto_reply(request: RecordedRequest) -> FakeReply:
    """The default reply: the forced tool with an empty input, or a text block when no tool is forced."""
    return tool_reply() if request.forced_tool else text_reply()


class _Handler(FakeServiceHandler):
    def _serve(self) -> None:
        headers, raw_body = self._read()
        request = RecordedRequest(
            method=self.command,
            path=self.path,
            headers=headers,
            raw_body=raw_body,
            body=json_or_none(raw_body),
            received_at=time.monotonic(),
        )
        fake = self.server.fake
        reply = fake._record_and_choose(request)
        generation = fake._enter_flight()
        try:
            if reply.delay and fake._stopping.wait(reply.delay):
                return  # the fake is stopping: drop the reply
            body = reply.render(request)
            payload = body if isinstance(body, bytes) else json.dumps(body).encode()
            request_id = {"request-id": f"req_fake_{next(_request_ids):06d}"}
            self._write(reply.status, payload, {"Content-Type": reply.content_type, **request_id, **reply.headers})
        finally:
            fake._leave_flight(generation)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


class FakeAnthropic(LocalHttpServer):
    """A local HTTP server speaking the Anthropic Messages API, with scripted replies and recorded requests.

    Start it with ``with FakeAnthropic() as fake:`` or ``start()``/``stop()`` (e.g. in ``setUpClass`` with
    ``addClassCleanup(fake.stop)``, then ``reset()`` in ``setUp``). It listens on 127.0.0.1 on a free port;
    ``url`` is the ``base_url`` to give the SDK.
    """

    handler_class = _Handler
    thread_name = "fake-anthropic"

    def __init__(self, *, expected_api_key: str | None = None, default_reply: FakeReply | None = None) -> None:
        """:param expected_api_key: when set, requests with another key get the real 401 ``authentication_error``.
        :param default_reply: served when the queue is empty; None for the automatic reply (see module doc).
        """
        super().__init__()
        self.expected_api_key = expected_api_key
        self.default_reply = default_reply
        self.in_flight = 0  # requests received since the last reset() and being answered now
        self.max_in_flight = 0  # the most of those answered at once
        self._generation = 0  # bumped by reset(): replies still sleeping from before no longer count

    def _enter_flight(self) -> int:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            return self._generation

    def _leave_flight(self, generation: int) -> None:
        with self._lock:
            if generation == self._generation:
                self.in_flight -= 1

    def reset(self) -> None:
        """Forget the recorded requests and the queued replies (the default reply stays); count flights anew."""
        with self._lock:
            super().reset()
            self._generation += 1
            self.in_flight = self.max_in_flight = 0

    # --- scripting -------------------------------------------------------------------------------------------

    def reply_tool(
        self,
        name: str | None = None,
        input: Mapping[str, Any] | None = None,  # the wire name
        **kwargs: Any,
    ) -> None:
        """Queue a ``tool_use`` reply; keyword arguments as in :func:`tool_reply` (usage, text, model, ...)."""
        self.enqueue(tool_reply(name, input, **kwargs))

    def reply_text(self, text: str = "OK", **kwargs: Any) -> None:
        """Queue a text-only reply (no ``tool_use`` block); keyword arguments as in :func:`text_reply`."""
        self.enqueue(text_reply(text, **kwargs))

    def reply_error(
        self,
        status: int,
        error_type: str | None = None,
        message: str | None = None,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        """Queue an API error reply; see :func:`error_reply` (``retry_after=`` sets the ``retry-after`` header)."""
        self.enqueue(error_reply(status, error_type, message, headers, **kwargs))

    def reply_slow(self, seconds: float, reply: FakeReply | None = None) -> None:
        """Queue ``reply`` answered only after ``seconds``, to trigger client timeouts.

        :param reply: None for what the default reply would answer.
        """
        if reply is None:
            reply = self.default_reply or FakeReply(body=lambda request: _auto_reply(request).render(request))
        self.enqueue(replace(reply, delay=seconds))

    def reply_raw(self, status: int, body: bytes, **kwargs: Any) -> None:
        """Queue bytes sent verbatim (malformed JSON, HTML...); see :func:`raw_reply`."""
        self.enqueue(raw_reply(status, body, **kwargs))

    # --- serving ---------------------------------------------------------------------------------------------

    def _record_and_choose(self, request: RecordedRequest) -> FakeReply:
        with self._lock:
            self._requests.append(request)
            rejection = self._reject(request)
            if rejection is not None:
                return rejection
            if self._queue:
                return self._queue.popleft()
        return self.default_reply or _auto_reply(request)

    def _reject(self, request: RecordedRequest) -> FakeReply | None:
        """The replies the real API gives before looking at the request's content."""
        if request.method != "POST" or request.path.split("?")[0] != "/v1/messages":
            return error_reply(404, message=f"Not found: {request.method} {request.path}")
        if self.expected_api_key is not None and request.api_key != self.expected_api_key:
            return error_reply(401, message="invalid x-api-key")
        if "anthropic-version" not in request.headers:
            return error_reply(400, message="anthropic-version: header is required")
        if not isinstance(request.body, dict):
            return error_reply(400, message="There was an error parsing the body of your request")
        missing = [key for key in ("model", "max_tokens", "messages") if key not in request.body]
        if missing:
            return error_reply(400, message=f"{missing[0]}: Field required")
        return None


@contextmanager
def only_local_http() -> Iterator[None]:
    """Make every ``httpx2`` request (the transport of the ``anthropic`` SDK) to a host other than 127.0.0.1 or
    localhost fail with ``ConnectError``, so that a test that forgot ``base_url`` (the SDK then falls back to
    ``ANTHROPIC_BASE_URL`` or api.anthropic.com) fails loudly instead of reaching the internet.

    The SDK wraps the error as ``APIConnectionError``; the message names the blocked URL.
    """
    import httpx2  # imported here: the fake server itself needs no HTTP library

    original = httpx2.HTTPTransport.handle_request

    def guarded(transport: Any, request: Any) -> Any:
        if request.url.host not in ("127.0.0.1", "localhost"):
            raise httpx2.ConnectError(f"External HTTP blocked in tests: {request.url}", request=request)
        return original(transport, request)

    with mock.patch.object(httpx2.HTTPTransport, "handle_request", guarded):
        yield
