"""Signatures of the webhooks exchanged with the asset system: HMAC-SHA256 over "<timestamp>.<body>".

The sender puts the Unix time in seconds in ``X-OV-Timestamp`` and ``sha256=<hex digest>`` in ``X-OV-Signature``.
The receiver recomputes the digest with the shared secret, compares it in constant time and refuses a timestamp
further than `TOLERANCE` from its own clock, so a captured request cannot be replayed later; within that window the
receiver refuses a signature it has already accepted.
"""

import hashlib
import hmac
import time
from collections.abc import Mapping

SIGNATURE_HEADER = "X-OV-Signature"
TIMESTAMP_HEADER = "X-OV-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
SIGNATURE_PREFIX = "sha256="
TOLERANCE = 300  # seconds a signed request stays valid, either way of the receiver's clock


class SignatureError(ValueError):
    """A request whose signature does not hold; `reason` is one of "missing", "malformed", "expired", "mismatch"."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """:return: the ``X-OV-Signature`` value of `body` sent at `timestamp` (Unix seconds)"""
    if not secret:
        raise ValueError("a webhook secret is required to sign")
    message = str(int(timestamp)).encode() + b"." + body
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    """:return: the timestamp and signature headers for sending `body` now"""
    timestamp = int(time.time() if now is None else now)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret, timestamp, body)}


def verify(
    secret: str, headers: Mapping[str, str], body: bytes, now: float | None = None, tolerance: int = TOLERANCE
) -> str:
    """Check the signature of a received request.

    :param headers: the request's headers; looked up as given and in lower case (HTTP header names are
                    case-insensitive, and some frameworks hand them over lower-cased)
    :return: the verified signature (for the caller's replay check)
    :raise SignatureError: when a header is missing or malformed, the timestamp is out of `tolerance`, or the
                           signature does not match (or no secret is configured)
    """

    def header(name):
        return headers.get(name) or headers.get(name.lower())

    signature, timestamp = header(SIGNATURE_HEADER), header(TIMESTAMP_HEADER)
    if not signature or not timestamp:
        raise SignatureError("missing", f"The {SIGNATURE_HEADER} and {TIMESTAMP_HEADER} headers are required.")
    if not timestamp.isdigit() or not signature.startswith(SIGNATURE_PREFIX):
        raise SignatureError("malformed", f"{TIMESTAMP_HEADER} must be Unix seconds, {SIGNATURE_HEADER} sha256=<hex>.")
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        raise SignatureError("expired", f"The request is older than {tolerance // 60} minutes (or from the future).")
    if not secret or not hmac.compare_digest(sign(secret, int(timestamp), body), signature):
        raise SignatureError("mismatch", "The signature does not match the body.")
    return signature
