"""The asset system seam: the only module of ov_outlet that imports ``requests``.

The delivery job (``ov.outlet.webhook.delivery._job_send``) posts a signed, already serialized event here and gets
the asset system's JSON reply back as a dict, or one exception, :class:`AssetSystemError`, whose ``retryable`` flag
tells the job whether to try again later. No retries here: the job queue owns them (backoff, attempts, the admin
view), so a 429 comes back at once with the asset system's ``Retry-After``.

Messages never quote the request headers (they carry the signature) nor the URL's query string (it may carry a
token of the receiver); the reply's body is quoted, shortened, to help the administrator.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from odoo.addons.messaging_router.tools.remote_error import RemoteServiceError, retry_after_seconds

_logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0  # seconds, for the connection and for each read of the reply
MAX_QUOTED_BODY = 200  # characters of an error reply quoted in a message


class AssetSystemError(RemoteServiceError):
    """A call to the asset system failed (messaging_router's failure type of remote services: `message`, never
    containing the shared secret or a signature; `retryable` for timeouts, refused connections, 429 and 5xx; the
    asked `retry_after`; the HTTP `status`)."""


class AssetReply(dict):
    """The asset system's JSON object, with the HTTP ``status`` it came with (200, 201...)."""

    def __init__(self, values: dict[str, Any], status: int) -> None:
        super().__init__(values)
        self.status = status


def post_event(url: str, body: bytes, headers: Mapping[str, str], timeout: float = DEFAULT_TIMEOUT) -> AssetReply:
    """POST an event to the asset system and return its JSON reply.

    :param url: the asset system's webhook URL (http or https)
    :param body: the JSON body, exactly as signed
    :param headers: signature, timestamp, ``Idempotency-Key`` (``Content-Type`` is added when absent)
    :param timeout: seconds for the connection and for each read; always explicit
    :return: the reply's JSON object (empty for a reply without body, e.g. 204), with its ``status``
    :raise AssetSystemError: on any failure, see the class
    """
    where = safe_url(url)
    if not where:
        raise AssetSystemError(f"The asset system URL {url!r} is not an http(s) URL.", retryable=False)
    headers = {"Content-Type": "application/json", **headers}
    try:
        response = requests.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
    except requests.Timeout:
        _logger.info("Asset system %s did not answer within %s s", where, timeout)
        raise AssetSystemError(
            f"The asset system at {where} did not answer within {timeout:g} seconds.", retryable=True
        ) from None
    except requests.RequestException as error:
        _logger.info("Asset system %s unreachable: %s", where, type(error).__name__)
        raise AssetSystemError(f"The asset system at {where} cannot be reached (connection failed).", True) from None
    status = response.status_code
    if status == 429 or status >= 500:
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        _logger.info("Asset system %s answered %s (retry after %s s)", where, status, retry_after)
        raise AssetSystemError(_status_message(where, response), True, retry_after, status)
    if status >= 300:
        _logger.info("Asset system %s refused the event with %s", where, status)
        raise AssetSystemError(_status_message(where, response), False, status=status)
    if not response.content.strip():
        return AssetReply({}, status)
    try:
        reply = json.loads(response.content)
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        raise AssetSystemError(
            f"The asset system at {where} answered {status} with a body that is not a JSON object: "
            f"{_quote(response.text)}",
            retryable=False,
            status=status,
        )
    return AssetReply(reply, status)


def safe_url(url: str | None) -> str:
    """``scheme://host[:port]/path`` of `url` (no credentials, no query string), or "" when it is no http(s) URL."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path}"


def _status_message(where: str, response: requests.Response) -> str:
    reason = f"{response.status_code} {response.reason or ''}".strip()
    body = _quote(response.text)
    return f"The asset system at {where} answered {reason}" + (f": {body}" if body else ".")


def _quote(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_QUOTED_BODY else text[: MAX_QUOTED_BODY - 1] + "…"
