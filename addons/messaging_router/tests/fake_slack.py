"""A fake Slack Web API server for tests: the real ``slack_sdk.WebClient`` talks HTTP to it on 127.0.0.1.

Why a server and not a mock: the seam's value is in what the SDK does on the wire (how it encodes each method,
how it reports 429 and 5xx, timeouts, ``ok: false`` bodies). Pointing the real
``WebClient(base_url=fake.api_url)`` at this server tests the SDK itself. Tests of models should patch the seam
instead (``tests/common.py``).

Usage::

    from odoo.addons.messaging_router.tests.fake_slack import FakeSlack

    with FakeSlack(expected_token="xoxb-test") as fake:
        fake.add_user("ann@example.com", "U0ANN")
        fake.reply_rate_limited(retry_after=30)  # the first request: 429, Retry-After: 30
        ...  # seam calls with base_url=fake.api_url
        assert fake.requests[0].api_method == "chat.postMessage" and fake.requests[0].params["channel"] == "C1"

How the SDK builds URLs: ``WebClient`` appends a ``/`` to ``base_url`` when missing and joins the method name
with ``urljoin``, so the base URL must end with ``/api/`` (:attr:`FakeSlack.api_url`) for requests to reach
``/api/chat.postMessage``. The SDK POSTs every method: ``chat.*`` as JSON, ``users.lookupByEmail`` as a form.

Replies come from a FIFO queue; when it is empty, the automatic reply answers like Slack:

- ``chat.postMessage``: ``{"ok": true, "channel", "ts", "message"}``, a new ``ts`` each time; the message is
  remembered for ``chat.update``. Without ``channel``: ``channel_not_found``; without ``text`` and ``blocks``:
  ``no_text``; when ``channels`` is set, a channel outside it: ``channel_not_found``.
- ``chat.update``: ``{"ok": true, "channel", "ts", "text", "message"}`` for a remembered message, else
  ``message_not_found`` (``channel_not_found`` for an unknown channel).
- ``users.lookupByEmail``: ``{"ok": true, "user": {...}}`` for an address added with :meth:`FakeSlack.add_user`,
  else ``users_not_found``.

Scripted replies: ``ok_reply``/``error_reply`` (any Slack body, HTTP 200 by default), ``rate_limited_reply``
(429 with ``Retry-After``), ``raw_reply`` (a bare 500/503 page, malformed JSON), ``disconnect_reply`` (the
connection closed without an answer) and ``auto_reply``; each takes a ``delay`` to outlast a client timeout.

Checked before the queue (so they do not consume scripted replies): the route (``POST /api/<method>``, else 404
``unknown_method``), the token (``Authorization: Bearer``; none: ``not_authed``; another than ``expected_token``,
when set: ``invalid_auth``; both with HTTP 200, as Slack does). Every request is recorded first, rejected or not.
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from unittest import mock
from urllib.error import URLError
from urllib.parse import parse_qsl, urlsplit

from odoo.addons.ai_bridge_core.tests.local_server import FakeServiceHandler, LocalHttpServer

__all__ = [
    "BOT_ID",
    "BOT_USER_ID",
    "FakeReply",
    "FakeSlack",
    "RecordedRequest",
    "auto_reply",
    "disconnect_reply",
    "error_reply",
    "ok_reply",
    "only_local_urllib",
    "rate_limited_reply",
    "raw_reply",
]

BOT_USER_ID = "U0FAKEBOT"
BOT_ID = "B0FAKEBOT"
TEAM_ID = "T0FAKE"
KNOWN_METHODS = ("chat.postMessage", "chat.update", "users.lookupByEmail")

# Process-wide, so message timestamps stay unique across fake instances within one run.
_ts_counter = itertools.count(100)


def next_ts() -> str:
    """A Slack message timestamp (``"1700000000.000100"``), unique and increasing."""
    return f"1700000000.{next(_ts_counter):06d}"


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request as the fake received it."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    raw_body: bytes
    params: dict[str, Any]  # the JSON body, or the form (and query string) fields; {} when neither
    received_at: float  # time.monotonic() on arrival

    @property
    def api_method(self) -> str:
        """The Web API method, e.g. ``chat.postMessage``, from ``/api/chat.postMessage``."""
        path = urlsplit(self.path).path
        return path.removeprefix("/api/")

    @property
    def token(self) -> str | None:
        """The token of the ``Authorization: Bearer`` header (the SDK sends it so), or a ``token`` field."""
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token:
            return token
        token = self.params.get("token")
        return token if isinstance(token, str) else None

    @property
    def is_json(self) -> bool:
        return self.headers.get("content-type", "").startswith("application/json")


ReplyBody = dict[str, Any] | bytes | Callable[["FakeSlack", RecordedRequest], dict[str, Any] | bytes]


@dataclass(frozen=True)
class FakeReply:
    """One scripted HTTP reply; build it with the ``*_reply`` helpers rather than by hand."""

    status: int = 200
    body: ReplyBody = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering; a client timeout shorter than this fires
    content_type: str = "application/json; charset=utf-8"
    disconnect: bool = False  # close the connection without answering (a dropped connection)

    def render(self, fake: FakeSlack, request: RecordedRequest) -> dict[str, Any] | bytes:
        return self.body(fake, request) if callable(self.body) else self.body


def ok_reply(
    fields: Mapping[str, Any] | None = None, *, headers: Mapping[str, str] | None = None, delay: float = 0.0
) -> FakeReply:
    """A 200 ``{"ok": true, **fields}`` sent as is (no automatic behaviour, nothing remembered)."""
    return FakeReply(body={"ok": True, **(fields or {})}, headers=dict(headers or {}), delay=delay)


def error_reply(
    error: str,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    delay: float = 0.0,
    **fields: Any,
) -> FakeReply:
    """Slack's error answer ``{"ok": false, "error": error, **fields}``, with HTTP 200 as Slack sends most errors.

    :param fields: extra body fields, e.g. ``needed="chat:write"`` for ``missing_scope``.
    """
    return FakeReply(
        status=status, body={"ok": False, "error": error, **fields}, headers=dict(headers or {}), delay=delay
    )


def rate_limited_reply(retry_after: float | None = 1, *, delay: float = 0.0) -> FakeReply:
    """Slack's rate limit answer: HTTP 429, ``Retry-After: <seconds>``, ``{"ok": false, "error": "ratelimited"}``.

    :param retry_after: the header's value; None to leave the header out.
    """
    headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
    return error_reply("ratelimited", status=429, headers=headers, delay=delay)


def raw_reply(
    status: int,
    body: bytes = b"",
    *,
    headers: Mapping[str, str] | None = None,
    content_type: str = "text/html",
    delay: float = 0.0,
) -> FakeReply:
    """Bytes sent verbatim: a 500 or 503 page from Slack's edge, malformed JSON..."""
    return FakeReply(status=status, body=body, headers=dict(headers or {}), delay=delay, content_type=content_type)


def disconnect_reply(*, delay: float = 0.0) -> FakeReply:
    """No answer at all: the connection is closed once the request is read (a crashed edge, a reset)."""
    return FakeReply(disconnect=True, delay=delay)


def auto_reply(*, delay: float = 0.0, headers: Mapping[str, str] | None = None) -> FakeReply:
    """What Slack would answer (see the module docstring); the default reply, and a way to delay it."""
    return FakeReply(body=lambda fake, request: fake._answer(request), headers=dict(headers or {}), delay=delay)


class _Handler(FakeServiceHandler):
    def _serve(self) -> None:
        headers, raw_body = self._read()
        request = RecordedRequest(
            method=self.command,
            path=self.path,
            headers=headers,
            raw_body=raw_body,
            params=_parse_params(self.path, headers.get("content-type", ""), raw_body),
            received_at=time.monotonic(),
        )
        fake = self.server.fake
        reply = fake._record_and_choose(request)
        if reply.delay and fake._stopping.wait(reply.delay):
            return  # the fake is stopping: drop the reply
        if reply.disconnect:
            self.close_connection = True
            return
        body = reply.render(fake, request)
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        self._write(reply.status, payload, {"Content-Type": reply.content_type, **reply.headers})

    do_GET = do_POST = do_PUT = do_DELETE = _serve


def _parse_params(path: str, content_type: str, raw_body: bytes) -> dict[str, Any]:
    """The request's arguments as Slack reads them: query string, then a JSON or form body."""
    params: dict[str, Any] = dict(parse_qsl(urlsplit(path).query))
    if content_type.startswith("application/json"):
        try:
            body = json.loads(raw_body or b"{}")
        except ValueError:
            body = None
        if isinstance(body, dict):
            params.update(body)
    elif content_type.startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl(raw_body.decode("utf-8", "replace"), keep_blank_values=True))
    return params


class FakeSlack(LocalHttpServer):
    """A local HTTP server speaking the Slack Web API, with scripted replies and recorded requests.

    Start it with ``with FakeSlack() as fake:`` or ``start()``/``stop()`` (e.g. in ``setUpClass`` with
    ``addClassCleanup(fake.stop)``, then ``reset()`` in ``setUp``). It listens on 127.0.0.1 on a free port;
    :attr:`api_url` is the ``base_url`` to give the ``WebClient``.
    """

    handler_class = _Handler
    thread_name = "fake-slack"

    def __init__(
        self,
        *,
        expected_token: str | None = None,
        channels: Mapping[str, str] | None = None,
        default_reply: FakeReply | None = None,
    ) -> None:
        """:param expected_token: when set, another token gets ``invalid_auth``.
        :param channels: when set, the channels that exist, as ``{name or id: channel id}`` (e.g.
            ``{"#general": "C0GENERAL", "C0GENERAL": "C0GENERAL"}``); posting elsewhere gets ``channel_not_found``
            and answers carry the id. None accepts any channel and echoes it.
        :param default_reply: served when the queue is empty; None for :func:`auto_reply`.
        """
        super().__init__()
        self.expected_token = expected_token
        self.channels = dict(channels) if channels is not None else None
        self.default_reply = default_reply
        self.users: dict[str, dict[str, Any]] = {}  # lower-cased email -> Slack user object
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}  # (channel id, ts) -> message

    @property
    def api_url(self) -> str:
        """The ``base_url`` for ``WebClient``: :attr:`url` + ``/api/``."""
        return f"{self.url}/api/"

    def reset(self) -> None:
        """Forget requests, queued replies, users and posted messages (settings given to ``__init__`` stay)."""
        with self._lock:
            super().reset()
            self.users.clear()
            self.messages.clear()

    # --- scripting -------------------------------------------------------------------------------------------

    def reply_error(self, error: str, **kwargs: Any) -> None:
        """Queue ``{"ok": false, "error": error}``; keyword arguments as in :func:`error_reply`."""
        self.enqueue(error_reply(error, **kwargs))

    def reply_rate_limited(self, retry_after: float | None = 1, **kwargs: Any) -> None:
        """Queue a 429 with ``Retry-After``; see :func:`rate_limited_reply`."""
        self.enqueue(rate_limited_reply(retry_after, **kwargs))

    def reply_status(self, status: int, body: bytes = b"", **kwargs: Any) -> None:
        """Queue a bare HTTP status (500, 503...) with an optional raw body; see :func:`raw_reply`."""
        self.enqueue(raw_reply(status, body, **kwargs))

    def reply_slow(self, seconds: float, reply: FakeReply | None = None) -> None:
        """Queue ``reply`` (None: the automatic reply) answered only after ``seconds``, to trigger timeouts."""
        self.enqueue(replace(reply or auto_reply(), delay=seconds))

    def reply_disconnect(self) -> None:
        """Queue a dropped connection: the request is read, then the socket closed without a reply."""
        self.enqueue(disconnect_reply())

    def add_user(self, email: str, user_id: str, *, name: str | None = None) -> dict[str, Any]:
        """Make ``users.lookupByEmail`` find ``email``; returns the user object it will answer."""
        name = name or email.split("@")[0]
        user = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "deleted": False,
            "real_name": name.title(),
            "tz": "Europe/Brussels",
            "is_bot": False,
            "profile": {"email": email, "real_name": name.title(), "display_name": name},
        }
        with self._lock:
            self.users[email.lower()] = user
        return user

    # --- serving ---------------------------------------------------------------------------------------------

    def _record_and_choose(self, request: RecordedRequest) -> FakeReply:
        with self._lock:
            self._requests.append(request)
            if request.method != "POST" or request.api_method not in KNOWN_METHODS:
                return error_reply("unknown_method", status=404, req_method=request.api_method)
            if not request.token:
                return error_reply("not_authed")
            if self.expected_token is not None and request.token != self.expected_token:
                return error_reply("invalid_auth")
            if self._queue:
                return self._queue.popleft()
        return self.default_reply or auto_reply()

    def _answer(self, request: RecordedRequest) -> dict[str, Any]:
        """Slack's answer to a request that passed the route and token checks."""
        handler = {
            "chat.postMessage": self._post_message,
            "chat.update": self._update_message,
            "users.lookupByEmail": self._lookup_by_email,
        }[request.api_method]
        with self._lock:
            return handler(request.params)

    def _channel_id(self, channel: Any) -> str | None:
        if not isinstance(channel, str) or not channel:
            return None
        if self.channels is None:
            return channel
        return self.channels.get(channel)

    def _post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(params.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        ts = next_ts()
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": "A0FAKEAPP",
            "team": TEAM_ID,
            "text": params.get("text", ""),
            "ts": ts,
        }
        if params.get("blocks"):
            message["blocks"] = params["blocks"]
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _update_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(params.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        message = self.messages.get((channel, params.get("ts")))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        message.update(text=params.get("text", ""), edited={"user": BOT_USER_ID, "ts": next_ts()})
        if "blocks" in params:
            message["blocks"] = params["blocks"]
        else:
            message.pop("blocks", None)
        return {"ok": True, "channel": channel, "ts": message["ts"], "text": message["text"], "message": message}

    def _lookup_by_email(self, params: dict[str, Any]) -> dict[str, Any]:
        email = params.get("email")
        if not email:
            return {"ok": False, "error": "invalid_arguments"}
        user = self.users.get(str(email).lower())
        if user is None:
            return {"ok": False, "error": "users_not_found"}
        return {"ok": True, "user": user}


@contextmanager
def only_local_urllib() -> Iterator[None]:
    """Make every ``urllib`` request (the transport of ``slack_sdk``) to a host other than 127.0.0.1 or localhost
    fail with ``URLError``, so that a test that forgot ``base_url`` (the SDK then targets slack.com) fails loudly
    instead of reaching the internet. Odoo's test base guards ``requests`` only.
    """
    original = urllib.request.AbstractHTTPHandler.do_open

    def guarded(handler: Any, http_class: Any, request: urllib.request.Request, **kwargs: Any) -> Any:
        if urlsplit(request.full_url).hostname not in ("127.0.0.1", "localhost"):
            raise URLError(f"External HTTP blocked in tests: {request.full_url}")
        return original(handler, http_class, request, **kwargs)

    with mock.patch.object(urllib.request.AbstractHTTPHandler, "do_open", guarded):
        yield
