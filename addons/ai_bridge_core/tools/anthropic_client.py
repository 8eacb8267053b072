"""The Claude seam: the only module of the suite that imports ``anthropic``.

Everything the suite asks of Claude is a *structured decision*: one request, one forced tool, and the tool's
``input`` is the answer. This module turns a :class:`ClaudeRequest` into that call and returns a
:class:`ClaudeResult` made of plain values, or raises one exception, :class:`ClaudeError`, whose ``retryable``
flag tells the job whether to try again later. Models never see SDK objects or SDK exceptions, so an SDK
upgrade touches this file only, and tests above the seam patch two functions instead of an HTTP library.

Design choices, and why:

- **Retries are the SDK's own** (``max_retries``): it retries connection errors, timeouts, 408, 409, 429 and
  5xx/529 with exponential backoff, and waits what ``retry-after-ms``/``retry-after`` say. The SDK does not cap
  that wait (upstream SDKs ignored values above 60 s; 2.x waits any value), so :data:`MAX_RETRY_WAIT` is enforced
  here: a longer requested wait ends the call at once with a retryable error carrying ``retry_after``, and the
  job is retried later instead of blocking a worker for minutes.
- **Prompt caching**: the tool definition and the stable system block carry ``cache_control: ephemeral``, so
  repeated decisions pay the long instructions once per cache lifetime; the variable system block comes after
  the cached prefix and is never cached.
- **One client per call**: ``anthropic.Anthropic`` is cheap to build, holds the API key and a connection pool,
  and Odoo forks workers; a per-call client (closed at once) never shares sockets across processes or leaks
  one company's key into another's call.
- **The API key never leaves this module in text**: SDK exceptions (which hold the request and its
  ``Authorization`` header) are not chained onto :class:`ClaudeError`, and every message is scrubbed of the key
  in case an API or proxy echoes it.
"""

from __future__ import annotations

import base64
import email.utils
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import anthropic

from .schema_check import schema_errors

_logger = logging.getLogger(__name__)

__all__ = [
    "DOCUMENT_MEDIA_TYPES",
    "ERROR_CLIENT",
    "ERROR_CONFIGURATION",
    "ERROR_CONNECTION",
    "ERROR_MALFORMED",
    "ERROR_TIMEOUT",
    "MAX_RETRY_WAIT",
    "ClaudeError",
    "ClaudeRequest",
    "ClaudeResult",
    "ClaudeTool",
    "call_tool",
    "check_connection",
]

MAX_RETRY_WAIT = 30.0  # seconds: longest server-requested wait honoured inside one call
CONNECTION_CHECK_PROMPT = "ping"
# Files Claude reads as ``document`` content blocks (base64); anything else is refused before any call.
DOCUMENT_MEDIA_TYPES = frozenset({"application/pdf"})

# ``ClaudeError.error_type`` values for failures without an API error body; API errors keep the API's own
# ``error.type`` ("rate_limit_error", "overloaded_error", ...).
ERROR_TIMEOUT = "timeout"
ERROR_CONNECTION = "connection_error"
ERROR_MALFORMED = "malformed_reply"
ERROR_CONFIGURATION = "configuration_error"
ERROR_CLIENT = "client_error"

_EPHEMERAL = {"type": "ephemeral"}


# === VALUES ============================================================================================== #


@dataclass(frozen=True)
class ClaudeTool:
    """The one tool Claude must call; its ``input_schema`` is the shape of the answer."""

    name: str
    description: str
    input_schema: dict[str, Any]


@dataclass(frozen=True)
class ClaudeRequest:
    """One structured decision to ask Claude for.

    ``system_stable`` is the long, rarely changing instructions block: it is sent first and cached.
    ``system_variable`` holds per-call context that would break the cache (dates, company name...).
    ``documents`` are files Claude reads with the text, as ``(media_type, content)`` pairs (a PDF to read), sent
    as ``document`` blocks before ``user_content``, media types among :data:`DOCUMENT_MEDIA_TYPES`.
    """

    model: str
    system_stable: str
    user_content: str
    tool: ClaudeTool
    max_tokens: int = 1024
    system_variable: str = ""
    documents: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True)
class ClaudeResult:
    """The tool input Claude returned, with what the decision records for cost and support."""

    tool_input: dict[str, Any]
    model: str  # the model that answered, as reported by the API
    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    latency_ms: int  # wall time of the whole call, retries and their waits included
    request_id: str | None  # the API's ``request-id`` header, to quote to Anthropic support
    stop_reason: str | None


class ClaudeError(Exception):
    """Any failure of a Claude call; ``retryable`` decides between "try again later" and "fail now".

    :ivar message: human-readable; for API errors, the API's exact ``error.message``.
    :ivar retryable: True for timeouts, connection errors, 408/409/429/5xx/529 (or when the API says so with
        ``x-should-retry``); False for other 4xx, configuration errors and malformed replies.
    :ivar status: the HTTP status, when a response arrived.
    :ivar retry_after: seconds the API asked to wait (``retry-after-ms``/``retry-after``), when it said so.
    :ivar error_type: the API's ``error.type``, or one of the ``ERROR_*`` constants of this module.
    :ivar request_id: the API's ``request-id`` header, when a response arrived.
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        status: int | None = None,
        retry_after: float | None = None,
        error_type: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after
        self.error_type = error_type
        self.request_id = request_id

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"ClaudeError({self.message!r}, retryable={self.retryable}, status={self.status}, "
            f"error_type={self.error_type!r}, retry_after={self.retry_after}, request_id={self.request_id!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # keyword-only arguments: the default Exception pickling would lose them
        return _restore_error, (self.message, self.__dict__)


def _restore_error(message: str, state: dict[str, Any]) -> ClaudeError:
    error = ClaudeError(message, retryable=bool(state.get("retryable")))
    error.__dict__.update(state)
    return error


# === PUBLIC API ========================================================================================== #


def call_tool(
    api_key: str,
    request: ClaudeRequest,
    *,
    timeout: float,
    max_retries: int,
    base_url: str | None = None,
) -> ClaudeResult:
    """Ask Claude for a structured decision: one request forcing ``request.tool``, its input validated.

    Called from a job, once per attempt; the SDK retries transient failures within the call and the
    job retries the rest later, so a :class:`ClaudeError` with ``retryable=True`` is not a failure yet.

    :param api_key: the Anthropic API key; never logged nor put in any message.
    :param request: what to ask.
    :param timeout: seconds for each network operation (connect, send, each read), per attempt; httpx semantics,
        so a server trickling bytes can exceed it in total, the SDK's retries add more.
    :param max_retries: retries of the SDK after the first attempt (0 = a single attempt).
    :param base_url: the API root; None for the SDK's default (``ANTHROPIC_BASE_URL`` or api.anthropic.com).
        Tests point it at the fake server.
    :return: the tool input and the call's usage and metadata.
    :raise ClaudeError: on any failure, including a reply without the tool call or with an input that does not
        match ``request.tool.input_schema`` (``error_type="malformed_reply"``, not retryable: the same prompt
        would most likely fail the same way, and retries cost tokens), and a document of a media type Claude does
        not read (``error_type="client_error"``, nothing sent).
    """
    started = time.monotonic()
    raw = _create(api_key, _message_params(request), timeout=timeout, max_retries=max_retries, base_url=base_url)
    latency_ms = round((time.monotonic() - started) * 1000)
    request_id = raw.headers.get("request-id")
    body = _decode_message(raw.content, request_id)
    tool_input = _extract_tool_input(body, request.tool, request_id)
    usage = body.get("usage")
    if not isinstance(usage, dict):
        usage = {}
    result = ClaudeResult(
        tool_input=tool_input,
        model=str(body.get("model") or request.model),
        input_tokens=_int(usage.get("input_tokens")),
        output_tokens=_int(usage.get("output_tokens")),
        cache_creation_input_tokens=_int(usage.get("cache_creation_input_tokens")),
        cache_read_input_tokens=_int(usage.get("cache_read_input_tokens")),
        latency_ms=latency_ms,
        request_id=request_id,
        stop_reason=body.get("stop_reason"),
    )
    _logger.info(
        "Claude %s called tool %s: %s input tokens (cache write %s, cache read %s), %s output tokens, %s ms, "
        "request %s",
        result.model,
        request.tool.name,
        result.input_tokens,
        result.cache_creation_input_tokens,
        result.cache_read_input_tokens,
        result.output_tokens,
        result.latency_ms,
        result.request_id,
    )
    return result


def check_connection(api_key: str, model: str, *, timeout: float, base_url: str | None = None) -> str:
    """Send the smallest possible request (``max_tokens=1``), for the settings' "Test connection" button.

    It proves what a real call needs (the key is valid, the model exists for this key, the API is reachable)
    at the cost of a few tokens. No retries: the user waits in front of the button and should see the first
    error as the API worded it.

    :param api_key: the key to test; never logged nor put in any message.
    :param model: the model to test, as configured.
    :param timeout: seconds for each network operation, as in :func:`call_tool`.
    :param base_url: the API root; None for the SDK's default.
    :return: a short English success text naming the model that answered.
    :raise ClaudeError: with the API's exact error message (e.g. ``invalid x-api-key``) on failure.
    """
    params = {"model": model, "max_tokens": 1, "messages": [{"role": "user", "content": CONNECTION_CHECK_PROMPT}]}
    raw = _create(api_key, params, timeout=timeout, max_retries=0, base_url=base_url)
    request_id = raw.headers.get("request-id")
    body = _decode_message(raw.content, request_id)
    answered_by = body.get("model") or model
    return f"Connection to Claude OK: model {answered_by} answered (request {request_id or 'without id'})."


# === REQUEST ============================================================================================= #


def _message_params(request: ClaudeRequest) -> dict[str, Any]:
    """The ``messages.create`` arguments: the forced tool and two system blocks, the first one cached.

    Cache order on the API side is tools, then system, then messages; a ``cache_control`` breakpoint on the tool
    and on the stable system block caches both, and the variable block after them stays outside the prefix.
    """
    tool = request.tool
    system = []
    if request.system_stable:
        system.append({"type": "text", "text": request.system_stable, "cache_control": _EPHEMERAL})
    if request.system_variable:
        # the API rejects empty text blocks, so each block is sent only when it has text
        system.append({"type": "text", "text": request.system_variable})
    params: dict[str, Any] = {
        "model": request.model,
        "max_tokens": request.max_tokens,
        "messages": [{"role": "user", "content": request.user_content}],
        "tools": [
            {
                "name": tool.name,
                "description": tool.description,
                "input_schema": tool.input_schema,
                "cache_control": _EPHEMERAL,
            }
        ],
        "tool_choice": {"type": "tool", "name": tool.name},
    }
    if system:
        params["system"] = system
    if request.documents:
        # the API reads documents best placed before the question about them
        params["messages"][0]["content"] = [
            *(_document_block(media_type, content) for media_type, content in request.documents),
            {"type": "text", "text": request.user_content},
        ]
    return params


def _document_block(media_type: str, content: bytes) -> dict[str, Any]:
    """A ``document`` content block carrying a file inline, base64-encoded.

    :raise ClaudeError: for a media type Claude does not read as a document (not retryable)
    """
    if media_type not in DOCUMENT_MEDIA_TYPES:
        raise ClaudeError(
            f"Claude cannot read a document of type {media_type!r} (only {', '.join(sorted(DOCUMENT_MEDIA_TYPES))}).",
            retryable=False,
            error_type=ERROR_CLIENT,
        )
    return {
        "type": "document",
        "source": {"type": "base64", "media_type": media_type, "data": base64.b64encode(content).decode("ascii")},
    }


_clients: dict[tuple[str, str | None, float, int], Any] = {}
_clients_lock = threading.Lock()
_MAX_CLIENTS = 8  # configurations kept at once; the oldest client is closed beyond that


def _client(api_key: str, base_url: str | None, timeout: float, max_retries: int) -> Any:
    """One SDK client per configuration, kept for the life of the process and shared by its threads.

    Its connection pool then serves every call: no client set-up (about 50 ms) and no new TLS handshake per
    call. httpx clients are thread-safe, so cron threads may share one.
    """
    key = (api_key, base_url, timeout, max_retries)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            if len(_clients) >= _MAX_CLIENTS:
                _clients.pop(next(iter(_clients))).close()
            client = _clients[key] = anthropic.Anthropic(
                api_key=api_key,
                base_url=base_url,
                timeout=timeout,
                max_retries=max_retries,
                middleware=[_retry_wait_guard(MAX_RETRY_WAIT)],
            )
        return client


def _create(api_key: str, params: dict[str, Any], *, timeout: float, max_retries: int, base_url: str | None) -> Any:
    """POST /v1/messages through the SDK; returns the raw ``httpx2.Response`` of the successful attempt.

    The raw response (not the SDK's parsed ``Message``) is used so that a malformed or unexpected body becomes
    a clear :class:`ClaudeError` here instead of a lenient half-parsed model or a bare ``JSONDecodeError``, and
    so the ``request-id`` header is at hand.
    """
    if not api_key:
        raise ClaudeError("No Anthropic API key is configured.", retryable=False, error_type=ERROR_CONFIGURATION)
    try:
        client = _client(api_key, base_url, timeout, max_retries)
        return client.messages.with_raw_response.create(**params, timeout=timeout).http_response
    except _RetryWaitTooLongError as exc:
        error = _status_error(exc.response, _response_body(exc.response), api_key)
    except anthropic.APITimeoutError:
        error = ClaudeError(
            f"The Claude API did not answer within {timeout:g} s (attempts: {max_retries + 1}).",
            retryable=True,
            error_type=ERROR_TIMEOUT,
        )
    except anthropic.APIConnectionError as exc:
        cause = exc.__cause__
        detail = f": {type(cause).__name__}: {cause}" if cause else ""
        error = ClaudeError(
            _scrub(f"Could not connect to the Claude API{detail}", api_key),
            retryable=True,
            error_type=ERROR_CONNECTION,
        )
    except anthropic.APIStatusError as exc:
        error = _status_error(exc.response, exc.body, api_key)
    except anthropic.APIResponseValidationError as exc:
        error = ClaudeError(
            _scrub(f"The Claude API returned an unexpected reply: {exc.message}", api_key),
            retryable=False,
            status=exc.status_code,
            error_type=ERROR_MALFORMED,
            request_id=exc.response.headers.get("request-id"),
        )
    except anthropic.AnthropicError as exc:
        error = ClaudeError(
            _scrub(f"The Claude client failed: {type(exc).__name__}: {exc}", api_key),
            retryable=False,
            error_type=ERROR_CLIENT,
        )
    _logger.info(
        "Claude call failed (status %s, %s, retryable %s): %s", error.status, error.error_type, error.retryable, error
    )
    # ``from None``: the SDK exception holds the request, whose headers carry the key
    raise error from None


# === RETRY POLICY ======================================================================================== #


class _RetryWaitTooLongError(Exception):
    """Raised by the middleware to leave the SDK's retry loop; not an SDK error, so the SDK re-raises it as-is."""

    def __init__(self, response: Any) -> None:
        super().__init__("retry-after exceeds MAX_RETRY_WAIT")
        self.response = response


def _retry_wait_guard(max_wait: float) -> Callable[[Any, Callable[[Any], Any]], Any]:
    """SDK middleware (run once per attempt, inside the SDK's retry loop) that stops a retry when the server asks
    for a wait longer than ``max_wait``: the SDK would otherwise sleep that long, whatever it is.
    """

    def guard(api_request: Any, call_next: Callable[[Any], Any]) -> Any:
        response = call_next(api_request)
        http_response = response.http_response
        if _is_retryable(http_response.status_code, http_response.headers):
            wait = _retry_after(http_response.headers)
            if wait is not None and wait > max_wait:
                http_response.read()
                raise _RetryWaitTooLongError(http_response)
        return response

    return guard


def _is_retryable(status: int, headers: Mapping[str, str]) -> bool:
    """The SDK's own retry policy, so that ``ClaudeError.retryable`` matches what the SDK retried."""
    should_retry = headers.get("x-should-retry")
    if should_retry in ("true", "false"):
        return should_retry == "true"
    return status in (408, 409, 429) or status >= 500


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait per ``retry-after-ms``, or ``retry-after`` in seconds or as an HTTP date (the SDK's order)."""
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        try:
            return max(float(headers[name]) / scale, 0.0)
        except (KeyError, TypeError, ValueError):
            continue
    date = email.utils.parsedate_tz(headers.get("retry-after") or "")
    return max(email.utils.mktime_tz(date) - time.time(), 0.0) if date else None


# === RESPONSE ============================================================================================ #


def _status_error(response: Any, body: object, api_key: str) -> ClaudeError:
    """A :class:`ClaudeError` for an HTTP error response, keeping the API's exact ``error.message``."""
    status = response.status_code
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        message, error_type = error["message"], error.get("type")
    else:
        # not an API error body: a proxy or load balancer answered; quote the start of what it said
        text = (body if isinstance(body, str) else json.dumps(body) if body is not None else "").strip()
        message = f"HTTP {status} from the Claude API" + (f": {text[:300]}" if text else "")
        error_type = None
    return ClaudeError(
        _scrub(message, api_key),
        retryable=_is_retryable(status, response.headers),
        status=status,
        retry_after=_retry_after(response.headers),
        error_type=error_type,
        request_id=response.headers.get("request-id"),
    )


def _response_body(response: Any) -> object:
    """The JSON body of an error response, or its text when it is not JSON."""
    try:
        return json.loads(response.content)
    except ValueError:
        return response.text


def _decode_message(content: bytes, request_id: str | None) -> dict[str, Any]:
    """The decoded Messages API body; anything but a JSON object with a ``content`` list is malformed."""
    try:
        body = json.loads(content)
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("content"), list):
        raise _malformed(f"The Claude API returned a reply that is not a message: {content[:200]!r}", request_id)
    return body


def _extract_tool_input(body: dict[str, Any], tool: ClaudeTool, request_id: str | None) -> dict[str, Any]:
    """The ``input`` of the ``tool_use`` block for ``tool``, checked against the tool's schema."""
    stop_reason = body.get("stop_reason")
    blocks = [
        block
        for block in body["content"]
        if isinstance(block, dict) and block.get("type") == "tool_use" and block.get("name") == tool.name
    ]
    if not blocks:
        raise _malformed(f"Claude did not call the tool '{tool.name}' (stop_reason: {stop_reason}).", request_id)
    tool_input = blocks[0].get("input")
    errors = schema_errors(tool_input, tool.input_schema)
    if errors:
        hint = " The reply was cut by max_tokens." if stop_reason == "max_tokens" else ""
        raise _malformed(
            f"Claude's input for the tool '{tool.name}' does not match its schema: {'; '.join(errors)}.{hint}",
            request_id,
        )
    return cast(dict[str, Any], tool_input)  # schema_errors() rejected anything but a dict


def _malformed(message: str, request_id: str | None) -> ClaudeError:
    _logger.info("Claude reply rejected (request %s): %s", request_id, message)
    return ClaudeError(message, retryable=False, status=200, error_type=ERROR_MALFORMED, request_id=request_id)


def _int(value: object) -> int:
    """Token counts are optional in the API (null when not applicable): count them as 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _scrub(text: str, api_key: str) -> str:
    """Remove the API key from a message, should an API, proxy or library ever echo it."""
    return text.replace(api_key, "[redacted]") if api_key and len(api_key) >= 8 else text
