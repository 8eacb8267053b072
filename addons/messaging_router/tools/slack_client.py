"""The Slack seam: the only module of the suite that imports ``slack_sdk``.

Models post, update and look up through the three functions below and get plain values back
(:class:`SlackMessage`, a user id) or one exception, :class:`SlackError`, whose ``retryable`` flag tells the
delivery job whether to try again later. Models never see SDK objects or SDK exceptions, so an SDK upgrade touches
this file only, and tests above the seam patch these functions instead of an HTTP library.

Design choices, and why:

- **No retries here**: the ``WebClient`` is built with ``retry_handlers=[]`` (the SDK's default retries connection
  errors once, in the worker). The job queue owns retries: it spaces them out, counts them and falls back to the
  next channel, so a 429 comes back at once as a retryable error carrying Slack's ``Retry-After`` in seconds.
- **Explicit timeout**: every call passes ``timeout`` (seconds for the connection and for each socket read);
  ``slack_sdk`` would otherwise wait 30 s.
- **One client per (token, base_url, timeout)**, kept for the life of the process: a ``WebClient`` holds no socket
  (it opens one ``urllib`` connection per call) but reads the proxy environment and builds its headers once.
- **The bot token never leaves this module in text**: SDK exceptions (whose response holds the request arguments)
  are not chained onto :class:`SlackError`, and every message is scrubbed of the token and of anything shaped
  like a Slack token, should Slack, a proxy or a library ever echo one. The SDK logs through a child logger of
  this module whose filter scrubs token-shaped strings (the SDK itself redacts only the ``Authorization`` header
  in its debug log, not the response bodies it quotes).
- **Failures are logged once, at INFO**, by this module; the job that retries or falls back reports the outcome.
"""

from __future__ import annotations

import http.client
import logging
import re
import socket
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.webhook import WebhookClient

from .remote_error import RemoteServiceError, retry_after_seconds

_logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_TIMEOUT",
    "ERROR_CONFIGURATION",
    "ERROR_CONNECTION",
    "ERROR_MALFORMED",
    "ERROR_TIMEOUT",
    "RETRYABLE_ERROR_CODES",
    "SlackError",
    "SlackMessage",
    "lookup_user_by_email",
    "post_message",
    "update_message",
]

DEFAULT_TIMEOUT = 10.0  # seconds

# ``SlackError.error_code`` values for failures without a Slack error code; Slack's own codes are kept as they are
# ("channel_not_found", "invalid_auth", "ratelimited"...).
ERROR_TIMEOUT = "timeout"
ERROR_CONNECTION = "connection_error"
ERROR_MALFORMED = "malformed_reply"
ERROR_CONFIGURATION = "configuration_error"

# ``ok: false`` codes that Slack documents as transient: the same call may succeed later.
RETRYABLE_ERROR_CODES = frozenset(
    {"ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)

_SLACK_TOKEN = re.compile(r"xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")
_ERROR_CODE = re.compile(r"[a-z][a-z0-9_]*")  # what Slack's error codes look like; anything else is not one


# === VALUES ============================================================================================== #


@dataclass(frozen=True)
class SlackMessage:
    """A message as Slack stored it: ``channel`` is the channel *id* Slack answered (even when the call named
    the channel ``#general`` or a user id), ``ts`` the message's id within that channel, needed to update it or to
    reply in its thread."""

    channel: str
    ts: str


class SlackError(RemoteServiceError):
    """Any failure of a Slack call (see :class:`RemoteServiceError`); the message never contains the token.

    ``retryable`` is True for 429, 5xx, timeouts, connection errors and Slack's transient codes
    (:data:`RETRYABLE_ERROR_CODES`), False for other ``ok: false`` answers and configuration errors.

    :ivar error_code: Slack's ``error`` code (``channel_not_found``...), or one of the ``ERROR_*`` constants.
    """

    def __init__(
        self,
        message: str,
        retryable: bool,
        retry_after: float | None = None,
        error_code: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, retryable, retry_after, status)
        self.args = (message, retryable, retry_after, error_code, status)  # pickling rebuilds from them
        self.error_code = error_code

    def _repr_fields(self) -> str:
        return (
            f"retryable={self.retryable}, retry_after={self.retry_after}, error_code={self.error_code!r}, "
            f"status={self.status}"
        )


# === PUBLIC API ========================================================================================== #


def post_message(
    token: str,
    channel: str,
    text: str,
    blocks: Sequence[Mapping[str, Any]] | None = None,
    thread_ts: str | None = None,
    *,
    base_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> SlackMessage:
    """Post a message (``chat.postMessage``), once: a retry is the job's decision, not this function's.

    ``text`` is always sent, even with ``blocks``: Slack shows it in notifications and screen readers, and warns
    when it is missing.

    :param token: the bot token (``xoxb-...``); never logged nor put in any message.
    :param channel: a channel id, a ``#name``, or a user id (the bot's direct message with that user).
    :param text: the message text (Slack mrkdwn), or the fallback text of ``blocks``.
    :param blocks: Block Kit blocks, if any.
    :param thread_ts: the ``ts`` of a parent message, to reply in its thread.
    :param base_url: the Web API root ending in ``/api/``; None for ``https://slack.com/api/``. Tests point it at
        the fake server.
    :param timeout: seconds for the connection and for each read.
    :return: the channel id and ``ts`` Slack gave the message.
    :raise SlackError: on any failure; see :class:`SlackError` for ``retryable``.
    """
    params: dict[str, Any] = {"channel": channel, "text": text}
    if blocks is not None:
        params["blocks"] = [dict(block) for block in blocks]
    if thread_ts:
        params["thread_ts"] = thread_ts
    data = _call(token, "chat.postMessage", params, base_url=base_url, timeout=timeout)
    return _message(data, "chat.postMessage")


def update_message(
    token: str,
    channel: str,
    ts: str,
    text: str,
    blocks: Sequence[Mapping[str, Any]] | None = None,
    *,
    base_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> SlackMessage:
    """Replace the text (and blocks) of a message the bot posted (``chat.update``), e.g. to mark it handled.

    :param token: the bot token; never logged nor put in any message.
    :param channel: the channel *id* of the message (as :func:`post_message` returned it; a ``#name`` fails).
    :param ts: the ``ts`` of the message.
    :param text: the new text.
    :param blocks: the new blocks; None keeps Slack's default (the message's blocks are replaced by the text).
    :param base_url: the Web API root ending in ``/api/``; None for Slack's.
    :param timeout: seconds for the connection and for each read.
    :return: the channel id and ``ts`` of the updated message (the same ``ts``).
    :raise SlackError: on any failure, e.g. ``message_not_found`` or ``cant_update_message``, not retryable.
    """
    params: dict[str, Any] = {"channel": channel, "ts": ts, "text": text}
    if blocks is not None:
        params["blocks"] = [dict(block) for block in blocks]
    data = _call(token, "chat.update", params, base_url=base_url, timeout=timeout)
    return _message(data, "chat.update")


def lookup_user_by_email(
    token: str,
    email: str,
    *,
    base_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> str | None:
    """The Slack user id of a workspace member (``users.lookupByEmail``), to message them directly.

    "No such member" is an answer, not a failure: Slack's ``users_not_found`` returns None, so callers can store
    "no Slack user" and fall back. The app needs the ``users:read.email`` scope, else ``missing_scope`` is raised.

    :param token: the bot token; never logged nor put in any message.
    :param email: the address to look up; an empty one returns None without calling Slack.
    :param base_url: the Web API root ending in ``/api/``; None for Slack's.
    :param timeout: seconds for the connection and for each read.
    :return: the user id (``U...``/``W...``), or None when no member has that address.
    :raise SlackError: on any other failure.
    """
    email = (email or "").strip()
    if not email:
        return None
    try:
        data = _call(token, "users.lookupByEmail", {"email": email}, base_url=base_url, timeout=timeout)
    except SlackError as error:
        if error.error_code == "users_not_found":
            return None
        raise
    user = data.get("user")
    user_id = user.get("id") if isinstance(user, dict) else None
    if not isinstance(user_id, str) or not user_id:
        raise SlackError(
            "Slack answered users.lookupByEmail without a user id.", False, error_code=ERROR_MALFORMED, status=200
        )
    return user_id


# === CALL ================================================================================================ #


class _SdkLogFilter(logging.Filter):
    """Scrubs anything shaped like a Slack token from the SDK's log records (its debug log quotes whole response
    bodies, should one ever echo a token; the ``Authorization`` header the SDK redacts itself), and lowers its
    "Failed to send a request" ERROR to INFO: the failure is the seam's to report (:func:`_call` logs it, and the
    job retries it), and a Slack outage should not fill the log with errors for something that is retried."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = _SLACK_TOKEN.sub("[redacted]", message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.levelno == logging.ERROR and message.startswith("Failed to send a request to Slack API server"):
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        return True  # redact, never drop


# the SDK logs through this child logger (not ``slack_sdk.web.base_client``), so the filter applies to it alone
_sdk_logger = logging.getLogger(f"{__name__}.sdk")
_sdk_logger.addFilter(_SdkLogFilter())


def respond(
    response_url: str,
    text: str,
    blocks: Sequence[Mapping[str, Any]] | None = None,
    *,
    ephemeral: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
) -> None:
    """Answer a slash command or a click through its ``response_url`` (valid 30 minutes, 5 answers), once.

    :param ephemeral: shown to the user who typed the command only (``in_channel`` otherwise)
    :raise SlackError: retryable for 429, 5xx, timeouts and connection failures; the URL, which is a credential
        for that conversation, never appears in its message
    """
    try:
        response = WebhookClient(url=response_url, timeout=int(max(timeout, 1)), retry_handlers=[]).send(
            text=text, blocks=list(blocks) if blocks else None, response_type="ephemeral" if ephemeral else "in_channel"
        )
    except TimeoutError:
        raise _timeout_error("response_url", timeout) from None
    except (URLError, http.client.HTTPException, OSError) as exc:
        detail = _scrub(f"{type(exc).__name__}: {exc}", response_url).replace(response_url, "[response_url]")
        raise SlackError(f"Could not answer Slack: {detail}", True, error_code=ERROR_CONNECTION) from None
    if response.status_code != 200:
        retry_after = _retry_after(response.headers or {})
        retryable = response.status_code in (408, 429) or response.status_code >= 500
        raise SlackError(
            f"Slack refused the answer (HTTP {response.status_code}): {str(response.body)[:200]}",
            retryable,
            retry_after,
            f"http_{response.status_code}",
            response.status_code,
        )


_clients: dict[tuple[str, str | None, float], WebClient] = {}
_clients_lock = threading.Lock()
_MAX_CLIENTS = 8  # configurations kept at once; the oldest is dropped beyond that


def _client(token: str, base_url: str | None, timeout: float) -> WebClient:
    """One ``WebClient`` per configuration, shared by the threads of the process (it keeps no per-call state)."""
    key = (token, base_url, timeout)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            if len(_clients) >= _MAX_CLIENTS:
                _clients.pop(next(iter(_clients)))
            options: dict[str, Any] = {"base_url": base_url} if base_url else {}
            # retry_handlers=[]: no retry inside the call, the job queue retries (module docstring)
            client = _clients[key] = WebClient(
                token=token, timeout=timeout, retry_handlers=[], logger=_sdk_logger, **options
            )
        return client


def _call(token: str, method: str, params: dict[str, Any], *, base_url: str | None, timeout: float) -> dict[str, Any]:
    """Call one Web API method through the SDK and return Slack's ``ok: true`` body as a dict.

    :param method: the Web API method name (``chat.postMessage``); its SDK method is the same with ``_``.
    :param params: its arguments.
    :raise SlackError: on any failure, logged once at INFO without the token.
    """
    if not token or not token.strip():
        raise SlackError("No Slack bot token is configured.", False, error_code=ERROR_CONFIGURATION)
    started = time.monotonic()
    try:
        # the SDK's typed method (chat_postMessage...) encodes each method as Slack documents it: JSON for chat.*,
        # a form for users.lookupByEmail
        response = getattr(_client(token, base_url, timeout), method.replace(".", "_"))(**params)
    except SlackApiError as exc:
        error = _api_error(method, exc.response, token)
    except TimeoutError:  # a read timed out (socket.timeout is TimeoutError)
        error = _timeout_error(method, timeout)
    except URLError as exc:  # connection failures, wrapped by urllib; a connect timeout among them
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            error = _timeout_error(method, timeout)
        else:
            reason = exc.reason
            detail = f"{type(reason).__name__}: {reason}" if isinstance(reason, BaseException) else str(reason)
            detail = _scrub(detail, token)
            error = SlackError(f"Could not connect to Slack ({method}): {detail}", True, error_code=ERROR_CONNECTION)
    except (http.client.HTTPException, OSError) as exc:  # the connection broke mid-reply
        detail = _scrub(f"{type(exc).__name__}: {exc}", token)
        error = SlackError(f"The connection to Slack broke ({method}): {detail}", True, error_code=ERROR_CONNECTION)
    except SlackClientError as exc:  # a bad base_url, a bad proxy setting...
        detail = _scrub(f"{type(exc).__name__}: {exc}", token)
        error = SlackError(f"The Slack client failed ({method}): {detail}", False, error_code=ERROR_CONFIGURATION)
    else:
        data = response.data
        if not isinstance(data, dict):  # only file downloads answer bytes
            raise SlackError(f"Slack answered {method} with no JSON object.", False, error_code=ERROR_MALFORMED)
        _logger.debug("Slack %s OK in %d ms", method, round((time.monotonic() - started) * 1000))
        return data
    _logger.info(
        "Slack %s failed (status %s, %s, retryable %s, retry after %s): %s",
        method,
        error.status,
        error.error_code,
        error.retryable,
        error.retry_after,
        error,
    )
    # ``from None``: the SDK exception holds the response and the request arguments
    raise error from None


def _api_error(method: str, response: Any, token: str) -> SlackError:
    """A :class:`SlackError` for an HTTP error or an ``ok: false`` answer, keeping Slack's error code."""
    status = response.status_code
    headers = response.headers or {}
    data = response.data if isinstance(response.data, dict) else {}
    code = data.get("error")
    retry_after = _retry_after(headers)
    if isinstance(code, str) and _ERROR_CODE.fullmatch(code):
        message = f"Slack refused {method}: {code}"
        if data.get("needed"):  # missing_scope says which scope the app lacks
            message += f" (needed: {data['needed']})"
        if status != 200:
            message += f" (HTTP {status})"
    else:
        # not a Slack body (the SDK replaced a non-JSON body by a description): a proxy or load balancer answered
        code = f"http_{status}"
        message = f"Slack answered {method} with HTTP {status}"
        if isinstance(data.get("error"), str):
            message += f": {data['error'][:300]}"
    retryable = status in (408, 429) or status >= 500 or code in RETRYABLE_ERROR_CODES
    if retryable and retry_after is not None:
        message += f"; retry after {retry_after:g} s"
    return SlackError(_scrub(message, token), retryable, retry_after, code, status)


def _timeout_error(method: str, timeout: float) -> SlackError:
    return SlackError(f"Slack did not answer {method} within {timeout:g} s.", True, error_code=ERROR_TIMEOUT)


def _message(data: dict[str, Any], method: str) -> SlackMessage:
    channel, ts = data.get("channel"), data.get("ts")
    if not isinstance(channel, str) or not channel or not isinstance(ts, str) or not ts:
        # the message may well be posted: retrying could post it twice, so this error is final
        raise SlackError(
            f"Slack answered {method} without channel or ts.", False, error_code=ERROR_MALFORMED, status=200
        )
    return SlackMessage(channel=channel, ts=ts)


def _retry_after(headers: Mapping[str, Any]) -> float | None:
    """Seconds from ``Retry-After``, in seconds (what Slack sends) or as an HTTP date; header names any case."""
    return retry_after_seconds(next((str(v) for k, v in headers.items() if k.lower() == "retry-after"), None))


def _scrub(text: str, token: str) -> str:
    """Remove the token, and anything shaped like a Slack token, from a message."""
    if token and len(token) >= 8:
        text = text.replace(token, "[redacted]")
    return _SLACK_TOKEN.sub("[redacted]", text)
