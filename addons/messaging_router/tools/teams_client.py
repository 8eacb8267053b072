"""The Microsoft Teams seam: Adaptive Cards posted to an incoming webhook (a Teams *Workflows* URL), with
``requests``.

Teams has no SDK worth its weight for this: one POST of a JSON envelope to the webhook URL that the channel's
owner created (*Workflows > Post to a channel when a webhook request is received*). Workflows answer
``202 Accepted`` (the older Office 365 connectors answered ``200``); any 2xx is a success.

Design choices, and why:

- **The webhook URL is the credential**: whoever has it can post to the channel (Workflows URLs carry a ``sig``
  query parameter, the older connectors a secret path). It never appears in a :class:`TeamsError` (``requests``
  exceptions quote the URL, so their text is not used and they are not chained) nor in a log line: while a post
  is in flight, a filter on ``urllib3``'s loggers redacts the URL, its path and its query, which ``urllib3``
  otherwise logs at DEBUG with every request.
- **No retries here**, like the Slack seam: one attempt with an explicit ``timeout``; 429 (with its
  ``Retry-After``), 408, 5xx, timeouts and connection errors come back as retryable for the job queue.
- **No redirects**: a webhook does not redirect; following one would send the message elsewhere.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

from .remote_error import RemoteServiceError, retry_after_seconds

_logger = logging.getLogger(__name__)

__all__ = [
    "ADAPTIVE_CARD_VERSION",
    "CARD_CONTENT_TYPE",
    "DEFAULT_TIMEOUT",
    "MAX_PAYLOAD_BYTES",
    "TeamsError",
    "adaptive_card",
    "message_payload",
    "post_card",
]

DEFAULT_TIMEOUT = 10.0  # seconds
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
ADAPTIVE_CARD_VERSION = "1.4"  # the newest version every Teams client renders
ADAPTIVE_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_PAYLOAD_BYTES = 28 * 1024  # Teams refuses larger messages; fail before sending, without retries

# loggers that quote request URLs; the redacting filter sits on each (filters do not apply to child loggers)
_URL_LOGGERS = ("urllib3.connectionpool", "urllib3.poolmanager", "urllib3.util.retry", "requests")


class TeamsError(RemoteServiceError):
    """Any failure of a post to Teams (see :class:`RemoteServiceError`); the message never contains the webhook URL.

    ``retryable`` is True for 408, 429, 5xx, timeouts and connection errors, False otherwise.
    """


# === CARDS =============================================================================================== #


def adaptive_card(
    title: str,
    text: str,
    facts: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    url: str | None = None,
    *,
    url_title: str = "Open in Odoo",
) -> dict[str, Any]:
    """An Adaptive Card 1.4 with a bold title, the text, optional facts and an optional link button.

    Version 1.4 because Teams clients (desktop, web, mobile) all render it; newer elements would be dropped.

    :param title: the card's title.
    :param text: the body; Adaptive Cards render a subset of Markdown (bold, italic, lists, links). Omitted when
        empty.
    :param facts: label/value pairs shown as a two-column ``FactSet`` (a mapping or pairs, in order); values are
        turned into text.
    :param url: a link shown as an ``Action.OpenUrl`` button.
    :param url_title: the button's label.
    :return: the card (the ``content`` of the message's attachment, see :func:`message_payload`).
    """
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": True}
    ]
    if text:
        body.append({"type": "TextBlock", "text": text, "wrap": True})
    pairs = list(facts.items() if isinstance(facts, Mapping) else facts or ())
    if pairs:
        body.append({"type": "FactSet", "facts": [{"title": str(name), "value": str(value)} for name, value in pairs]})
    card: dict[str, Any] = {
        "$schema": ADAPTIVE_CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": ADAPTIVE_CARD_VERSION,
        "body": body,
    }
    if url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": url_title, "url": url}]
    return card


def message_payload(card: Mapping[str, Any]) -> dict[str, Any]:
    """The message envelope Teams webhooks expect around an Adaptive Card.

    :param card: an Adaptive Card, e.g. from :func:`adaptive_card`.
    :return: ``{"type": "message", "attachments": [{"contentType": ..., "content": card}]}``.
    """
    return {
        "type": "message",
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": dict(card)}],
    }


# === POST ================================================================================================ #


def post_card(webhook_url: str, card: Mapping[str, Any], *, timeout: float = DEFAULT_TIMEOUT) -> int:
    """Post an Adaptive Card to a Teams channel through its incoming webhook, once.

    :param webhook_url: the Workflows (or connector) webhook URL; a secret, never logged nor put in any message.
    :param card: the Adaptive Card (:func:`adaptive_card`); wrapped by :func:`message_payload`.
    :param timeout: seconds for the connection and for each read.
    :return: the HTTP status of the success (202 for Workflows, 200 for connectors).
    :raise TeamsError: on any failure; see :class:`TeamsError` for ``retryable``.
    """
    if not webhook_url or not webhook_url.strip():
        raise TeamsError("No Microsoft Teams webhook URL is configured.", False)
    payload = json.dumps(message_payload(card)).encode()
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise TeamsError(
            f"The Teams card is too large: {len(payload)} bytes, Teams accepts {MAX_PAYLOAD_BYTES}.", False
        )
    secrets = _url_secrets(webhook_url)
    started = time.monotonic()
    with _redacting(secrets):
        try:
            response = requests.post(
                webhook_url,
                data=payload,
                headers={"Content-Type": "application/json"},
                timeout=timeout,
                allow_redirects=False,
            )
            status = response.status_code
            if 200 <= status < 300:
                _logger.debug("Teams card posted: HTTP %s in %d ms", status, round((time.monotonic() - started) * 1000))
                return status
            error = _status_error(response, secrets)
        except requests.Timeout:  # before ConnectionError: a connect timeout is both
            error = TeamsError(f"The Teams webhook did not answer within {timeout:g} s.", True)
        except requests.ConnectionError as exc:
            # the exception's text quotes the URL: only its type is reported
            error = TeamsError(f"Could not connect to the Teams webhook ({type(exc).__name__}).", True)
        except requests.RequestException as exc:  # an invalid URL...
            error = TeamsError(f"The Teams webhook URL cannot be used ({type(exc).__name__}).", False)
    _logger.info("Teams post failed (status %s, retryable %s): %s", error.status, error.retryable, error)
    # ``from None``: requests exceptions hold the request and its URL
    raise error from None


def _status_error(response: requests.Response, secrets: list[str]) -> TeamsError:
    """A :class:`TeamsError` for a non-2xx answer, quoting the error Workflows give, URL redacted."""
    status = response.status_code
    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
    retryable = status in (408, 429) or status >= 500
    detail = _error_detail(response)
    message = f"The Teams webhook answered HTTP {status}" + (f": {detail}" if detail else "")
    if retryable and retry_after is not None:
        message += f"; retry after {retry_after:g} s"
    return TeamsError(_redact(message, secrets), retryable, retry_after, status)


def _error_detail(response: requests.Response) -> str:
    """``code: message`` of a Workflows error body (``{"error": {"code", "message"}}``), else the start of the text."""
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        parts = [str(error[key]) for key in ("code", "message") if error.get(key)]
        return ": ".join(parts)[:300]
    return " ".join(response.text.split())[:300]


# === SECRECY ============================================================================================= #


def _url_secrets(url: str) -> list[str]:
    """The parts of a webhook URL that must not be shown, longest first: the URL, its path and query as
    ``urllib3`` logs them, the query, the path, and each long query value (the ``sig``)."""
    parts = urlsplit(url.strip())
    secrets = {url, url.strip()}
    if parts.query:
        secrets |= {f"{parts.path}?{parts.query}", parts.query}
        secrets |= {value for _name, value in parse_qsl(parts.query) if len(value) >= 8}
    if len(parts.path) >= 8:  # a short path ("/", "/hook") is no secret and would redact common words
        secrets.add(parts.path)
    return sorted((secret for secret in secrets if secret), key=len, reverse=True)


def _redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return text


class _RedactingFilter(logging.Filter):
    """Rewrites log records that contain a secret registered by an ongoing post (several threads may post)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._secrets: dict[str, int] = {}  # secret -> number of posts in flight using it

    def add(self, secrets: Iterable[str]) -> None:
        with self._lock:
            for secret in secrets:
                self._secrets[secret] = self._secrets.get(secret, 0) + 1

    def discard(self, secrets: Iterable[str]) -> None:
        with self._lock:
            for secret in secrets:
                if self._secrets.get(secret, 0) <= 1:
                    self._secrets.pop(secret, None)
                else:
                    self._secrets[secret] -= 1

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        if secrets:
            message = record.getMessage()
            redacted = _redact(message, secrets)
            if redacted != message:
                record.msg, record.args = redacted, None
        return True  # redact, never drop


def _install_filter() -> _RedactingFilter:
    """The process-wide filter, attached to each logger that quotes URLs."""
    redactor = _RedactingFilter()
    for name in _URL_LOGGERS:
        logging.getLogger(name).addFilter(redactor)
    return redactor


_filter = _install_filter()


@contextmanager
def _redacting(secrets: list[str]) -> Iterator[None]:
    _filter.add(secrets)
    try:
        yield
    finally:
        _filter.discard(secrets)
