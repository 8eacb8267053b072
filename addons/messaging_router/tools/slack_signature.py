"""Verification of Slack's signed requests (Events API, interactivity, slash commands), in plain Python.

Slack signs each request it sends to the app: ``X-Slack-Signature: v0=<hex>`` is the HMAC-SHA256, keyed with the
app's signing secret, of ``v0:<X-Slack-Request-Timestamp>:<raw body>``
(https://api.slack.com/authentication/verifying-requests-from-slack). :func:`verify_request` checks it and raises
:class:`SlackSignatureError` saying *why* a request is refused, so a controller can log the reason (a wrong
secret and a clock drift call for different fixes) while answering the caller a plain 401.

``slack_sdk.signature.SignatureVerifier`` does the same check but answers only True/False; the few lines it would
save are not worth losing the reason, and this module then needs no SDK (``slack_client`` stays its only importer).

What this module leaves to the models: **replay protection**. A signature is valid for ``max_age`` seconds, so an
attacker who captured a request could send it again within that window. The verified signature string is the
natural replay key (it is unique per timestamp and body): store it when a request is accepted, refuse a request
whose signature is already stored, and forget entries older than :data:`REPLAY_WINDOW` seconds, after which
:func:`verify_request` refuses the request by its timestamp anyway. Slack's own redeliveries
(``X-Slack-Retry-Num``) are signed again; deduplicate those by the event's ``event_id``, not here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time

__all__ = [
    "DEFAULT_MAX_AGE",
    "REASON_BAD_SIGNATURE",
    "REASON_BAD_TIMESTAMP",
    "REASON_EXPIRED",
    "REASON_FUTURE",
    "REASON_MISSING_SIGNATURE",
    "REASON_MISSING_TIMESTAMP",
    "REASON_NO_SECRET",
    "REPLAY_WINDOW",
    "SIGNATURE_HEADER",
    "SIGNATURE_VERSION",
    "TIMESTAMP_HEADER",
    "SlackSignatureError",
    "sign_request",
    "verify_request",
]

SIGNATURE_HEADER = "X-Slack-Signature"
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_VERSION = "v0"
DEFAULT_MAX_AGE = 300  # seconds either side of now, as Slack recommends
REPLAY_WINDOW = 2 * DEFAULT_MAX_AGE  # how long a replay store must remember a signature (past and future skew)

_DIGITS = re.compile(r"[0-9]{1,15}")  # str.isdigit() would accept "²" and other Unicode digits

# ``SlackSignatureError.reason`` values
REASON_NO_SECRET = "no_secret"
REASON_MISSING_TIMESTAMP = "missing_timestamp"
REASON_MISSING_SIGNATURE = "missing_signature"
REASON_BAD_TIMESTAMP = "bad_timestamp"
REASON_EXPIRED = "expired"
REASON_FUTURE = "future"
REASON_BAD_SIGNATURE = "bad_signature"


class SlackSignatureError(Exception):
    """A request that cannot be proven to come from Slack.

    :ivar reason: a stable code (``REASON_*`` of this module) for tests and logs; the message says it in English.
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message, reason)
        self.message = message
        self.reason = reason

    def __str__(self) -> str:
        return self.message


def sign_request(signing_secret: str, timestamp: str | int, body: bytes | str) -> str:
    """The ``X-Slack-Signature`` value Slack sends for this timestamp and body.

    Used by :func:`verify_request`, by tests to forge valid requests, and as executable documentation of the
    scheme.

    :param signing_secret: the app's signing secret (Slack app settings, *Basic Information*).
    :param timestamp: the ``X-Slack-Request-Timestamp`` value, exactly as sent (Unix seconds).
    :param body: the raw request body, byte for byte (a re-encoded form or JSON would not match).
    :return: ``v0=`` followed by 64 lowercase hex digits.
    """
    raw = body.encode() if isinstance(body, str) else body
    base = f"{SIGNATURE_VERSION}:{timestamp}:".encode() + raw
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def verify_request(
    signing_secret: str,
    timestamp: str | None,
    body: bytes | str,
    signature: str | None,
    now: float | None = None,
    max_age: int = DEFAULT_MAX_AGE,
) -> None:
    """Check that a request comes from Slack and is recent; return quietly or raise why not.

    The checks run from the cheapest to the HMAC, and the signature is compared in constant time so that its
    timing reveals nothing about the expected value.

    :param signing_secret: the app's signing secret; an empty one refuses every request (never accept unsigned
        requests because the secret is not configured yet).
    :param timestamp: the ``X-Slack-Request-Timestamp`` header; None or "" when absent.
    :param body: the raw request body, byte for byte.
    :param signature: the ``X-Slack-Signature`` header; None or "" when absent.
    :param now: the current Unix time; None for ``time.time()`` (tests pass a fixed value).
    :param max_age: seconds the timestamp may be off from ``now``, in the past or in the future.
    :raise SlackSignatureError: with ``reason`` ``no_secret``, ``missing_timestamp``, ``missing_signature``,
        ``bad_timestamp`` (not an integer), ``expired``, ``future`` or ``bad_signature``.
    """
    if not signing_secret:
        raise SlackSignatureError("No Slack signing secret is configured.", REASON_NO_SECRET)
    if not timestamp:
        raise SlackSignatureError(f"The {TIMESTAMP_HEADER} header is missing.", REASON_MISSING_TIMESTAMP)
    if not signature:
        raise SlackSignatureError(f"The {SIGNATURE_HEADER} header is missing.", REASON_MISSING_SIGNATURE)
    if not _DIGITS.fullmatch(timestamp):
        raise SlackSignatureError(
            f"The {TIMESTAMP_HEADER} header is not a Unix time in seconds: {timestamp[:20]!r}.", REASON_BAD_TIMESTAMP
        )
    now = time.time() if now is None else now
    age = now - int(timestamp)
    if age > max_age:
        raise SlackSignatureError(
            f"The request is too old: signed {age:.0f} s ago, more than {max_age} s (replayed, or a clock is off).",
            REASON_EXPIRED,
        )
    if -age > max_age:
        raise SlackSignatureError(
            f"The request is signed {-age:.0f} s in the future, more than {max_age} s (a clock is off).",
            REASON_FUTURE,
        )
    expected = sign_request(signing_secret, timestamp, body)
    # compare bytes: hmac.compare_digest refuses non-ASCII str, and a forged header may contain anything
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        hint = (
            "" if signature.startswith(f"{SIGNATURE_VERSION}=") else f" (it does not start with {SIGNATURE_VERSION}=)"
        )
        raise SlackSignatureError(
            f"The {SIGNATURE_HEADER} does not match the body and the signing secret{hint}.", REASON_BAD_SIGNATURE
        )
