"""A fake Microsoft Teams incoming webhook (a Workflows trigger URL) for tests, on 127.0.0.1.

The real ``requests`` posts to it, so the seam's timeouts, status handling and URL secrecy are tested on the wire.

Usage::

    from odoo.addons.messaging_router.tests.fake_teams import FakeTeams

    with FakeTeams() as fake:
        fake.reply_rate_limited(retry_after=5)  # the first post: 429, Retry-After: 5
        post_card(fake.webhook_url, card, timeout=2)  # raises TeamsError(retryable=True, retry_after=5.0)
        post_card(fake.webhook_url, card, timeout=2)  # the automatic reply: 202 Accepted
        assert fake.last_request.card == card

:attr:`FakeTeams.webhook_url` looks like a Workflows URL (``/workflows/<id>/triggers/manual/paths/invoke`` with
``api-version``, ``sp``, ``sv`` and a secret ``sig``). Replies come from a FIFO queue; when it is empty the
automatic reply is what Workflows answer: ``202`` with an empty body for a JSON message envelope, ``400`` with a
``{"error": {"code", "message"}}`` body for a body that is not JSON or not a message with attachments. Checked
before the queue (without consuming it): the path (else 404) and the ``sig`` (else 401), as Workflows do.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from odoo.addons.ai_bridge_core.tests.local_server import FakeServiceHandler, LocalHttpServer, json_or_none

__all__ = ["FakeReply", "FakeTeams", "RecordedRequest", "error_reply", "rate_limited_reply"]

WORKFLOW_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
WEBHOOK_PATH = f"/workflows/{WORKFLOW_ID}/triggers/manual/paths/invoke"


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request as the fake received it."""

    method: str
    path: str  # with the query string
    headers: dict[str, str]  # names lower-cased
    raw_body: bytes
    body: Any  # the parsed JSON body, or None when the body is empty or not JSON
    received_at: float  # time.monotonic() on arrival

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.path).query))

    @property
    def card(self) -> Any:
        """The ``content`` of the first attachment: the Adaptive Card; None when the body has none."""
        try:
            return self.body["attachments"][0]["content"]
        except (KeyError, IndexError, TypeError):
            return None


@dataclass(frozen=True)
class FakeReply:
    """One scripted HTTP reply."""

    status: int = 202
    body: bytes | dict[str, Any] = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering; a client timeout shorter than this fires
    content_type: str = "application/json; charset=utf-8"


def error_reply(
    status: int,
    code: str = "FakeError",
    message: str = "Fake error",
    *,
    headers: Mapping[str, str] | None = None,
    delay: float = 0.0,
) -> FakeReply:
    """A Workflows-style error: ``{"error": {"code": code, "message": message}}`` with ``status``."""
    body = {"error": {"code": code, "message": message}}
    return FakeReply(status=status, body=body, headers=dict(headers or {}), delay=delay)


def rate_limited_reply(retry_after: float | None = 1, *, delay: float = 0.0) -> FakeReply:
    """HTTP 429 with ``Retry-After: <seconds>`` (None leaves the header out), as Workflows throttle."""
    headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
    return error_reply(429, "WorkflowRequestsThrottled", "Rate limit is exceeded.", headers=headers, delay=delay)


_AUTO = FakeReply(status=-1)  # marker: answer like Workflows (see the module docstring)


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
        if reply.delay and fake._stopping.wait(reply.delay):
            return  # the fake is stopping: drop the reply
        if reply.status == _AUTO.status:
            reply = replace(_workflow_answer(request), headers=reply.headers)
        payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
        content_type = {"Content-Type": reply.content_type} if payload else {}
        self._write(reply.status, payload, {**content_type, **reply.headers})

    do_GET = do_POST = do_PUT = do_DELETE = _serve


def _workflow_answer(request: RecordedRequest) -> FakeReply:
    """What the *Post to a channel when a webhook request is received* flow answers."""
    if not isinstance(request.body, dict):
        return error_reply(400, "InvalidRequestContent", "The request content is not valid JSON.")
    attachments = request.body.get("attachments")
    if request.body.get("type") != "message" or not isinstance(attachments, list) or not attachments:
        return error_reply(400, "TriggerInputSchemaMismatch", "The input body does not match the trigger schema.")
    return FakeReply(status=202)


class FakeTeams(LocalHttpServer):
    """A local HTTP server acting as a Teams Workflows webhook, with scripted replies and recorded requests.

    Same style as ``FakeSlack``: ``start()``/``stop()`` or ``with``, ``reset()`` in ``setUp``, ``enqueue()`` and
    the ``reply_*`` helpers, ``requests``/``last_request``/``pending`` to assert.
    """

    handler_class = _Handler
    thread_name = "fake-teams"

    def __init__(self, *, default_reply: FakeReply | None = None) -> None:
        """:param default_reply: served when the queue is empty; None to answer like Workflows."""
        super().__init__()
        self.default_reply = default_reply
        self.sig = secrets.token_urlsafe(32)  # the secret part of the URL, new for each fake

    @property
    def webhook_url(self) -> str:
        """The full webhook URL, ``sig`` included: what a channel owner would paste in the settings."""
        query = urlencode({"api-version": "1", "sp": "/triggers/manual/run", "sv": "1.0", "sig": self.sig})
        return f"{self.url}{WEBHOOK_PATH}?{query}"

    # --- scripting -------------------------------------------------------------------------------------------

    def reply_status(
        self, status: int, body: bytes | dict[str, Any] = b"", *, headers: Mapping[str, str] | None = None
    ) -> None:
        """Queue a reply with this status and body (a dict is sent as JSON)."""
        self.enqueue(FakeReply(status=status, body=body, headers=dict(headers or {})))

    def reply_error(self, status: int, code: str = "FakeError", message: str = "Fake error", **kwargs: Any) -> None:
        """Queue a Workflows-style error; see :func:`error_reply`."""
        self.enqueue(error_reply(status, code, message, **kwargs))

    def reply_rate_limited(self, retry_after: float | None = 1, **kwargs: Any) -> None:
        """Queue a 429 with ``Retry-After``; see :func:`rate_limited_reply`."""
        self.enqueue(rate_limited_reply(retry_after, **kwargs))

    def reply_slow(self, seconds: float, reply: FakeReply | None = None) -> None:
        """Queue ``reply`` (None: the automatic answer) sent only after ``seconds``, to trigger timeouts."""
        self.enqueue(replace(reply or _AUTO, delay=seconds))

    # --- serving ---------------------------------------------------------------------------------------------

    def _record_and_choose(self, request: RecordedRequest) -> FakeReply:
        with self._lock:
            self._requests.append(request)
            if request.method != "POST" or urlsplit(request.path).path != WEBHOOK_PATH:
                return error_reply(404, "TriggerNotFound", "The workflow trigger could not be found.")
            if request.query.get("sig") != self.sig:
                return error_reply(
                    401, "DirectApiInvalidAuthorizationSignature", "The provided signature is not valid."
                )
            if self._queue:
                return self._queue.popleft()
        return self.default_reply or _AUTO
