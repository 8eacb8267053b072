"""What the messaging seams (Slack, Teams) share: their failure type, which tells a delivery job what to do, and
the reading of ``Retry-After``."""

import email.utils
import time


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header value, in seconds or as an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        date = email.utils.parsedate_tz(value)
        return max(email.utils.mktime_tz(date) - time.time(), 0.0) if date else None


class RemoteServiceError(Exception):
    """A call to a remote service failed; ``retryable`` decides between "try again later" and "give up / fall back".

    :ivar message: human-readable, English, never containing a credential.
    :ivar retryable: whether trying again later may succeed (429, 5xx, timeouts, connection errors...).
    :ivar retry_after: seconds the service asked to wait (``Retry-After``), when it said so.
    :ivar status: the HTTP status, when a response arrived.
    """

    def __init__(self, message: str, retryable: bool, retry_after: float | None = None, status: int | None = None):
        super().__init__(message, retryable, retry_after, status)  # args: pickling rebuilds from them
        self.message = message
        self.retryable = retryable
        self.retry_after = retry_after
        self.status = status

    def __str__(self) -> str:
        return self.message

    def _repr_fields(self) -> str:
        return f"retryable={self.retryable}, retry_after={self.retry_after}, status={self.status}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, {self._repr_fields()})"
