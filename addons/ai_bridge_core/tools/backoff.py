"""Retry delays for the suite's jobs: exponential, capped, jittered, and never shorter than the server asked."""

import random
from collections.abc import Callable

BASE_DELAY = 30  # seconds before the first retry
MAX_DELAY = 6 * 3600  # seconds
JITTER = 0.25  # +/- 25 %, so that jobs failed together do not retry together


def retry_delay(
    attempt: int,
    retry_after: float | None = None,
    *,
    base: float = BASE_DELAY,
    cap: float = MAX_DELAY,
    jitter: float = JITTER,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retrying a job that has failed `attempt` times (1 for the first failure).

    :param attempt: failures so far, at least 1
    :param retry_after: what the remote service asked for (Retry-After), if anything
    :param rand: a source of floats in [0, 1), for tests
    :return: base * 2^(attempt-1) capped at `cap`, jittered by +/- `jitter`, and at least `retry_after`
    """
    exponential = min(cap, base * 2 ** max(attempt - 1, 0))
    jittered = exponential * (1 + jitter * (2 * rand() - 1))
    return max(jittered, retry_after or 0.0)
