"""What the suite's fake services (Anthropic, Slack, Teams) share: an HTTP server on 127.0.0.1, on a free port,
served from a daemon thread, that a test starts and stops or uses with ``with``; a queue of scripted replies and
the requests received."""

import logging
import socket
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from unittest import TestCase


def free_port() -> int:
    """A port of 127.0.0.1 where nothing listens: free a moment ago, closed again."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def debug_logs(test: TestCase, logger_names: Iterable[str]) -> Iterator[list[str]]:
    """Capture every log line at DEBUG, those of `logger_names` included whatever level Odoo gave them (an SDK's,
    ``urllib3``'s), to check that a secret appears in none."""
    loggers = [logging.getLogger(name) for name in logger_names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    try:
        with test.assertLogs(level=logging.DEBUG) as logs:
            yield logs.output
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class LocalHttpServer:
    """Subclasses set `handler_class` (its handlers reach the fake as ``self.server.fake``), `server_class` and
    `thread_name`, and call ``super().__init__()``; replies that sleep wait on ``self._stopping``. Handlers record
    requests in ``self._requests`` and take scripted replies from ``self._queue``, under ``self._lock``."""

    handler_class: type[BaseHTTPRequestHandler]
    server_class: type[ThreadingHTTPServer] = ThreadingHTTPServer
    thread_name = "fake-service"

    def __init__(self) -> None:
        self._queue: deque = deque()
        self._requests: list = []
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Bind a free port on 127.0.0.1 and serve in a daemon thread."""
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = self.server_class(("127.0.0.1", 0), self.handler_class)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=self.thread_name, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port; replies still sleeping are dropped."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The root of the running server, e.g. ``http://127.0.0.1:40123``."""
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # --- scripting and inspection ----------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget the recorded requests and the queued replies (the default reply stays)."""
        with self._lock:
            self._queue.clear()
            self._requests.clear()

    def enqueue(self, *replies) -> None:
        """Queue replies; each request the fake answers consumes the oldest one."""
        with self._lock:
            self._queue.extend(replies)

    @property
    def requests(self) -> list:
        """A copy of the requests received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def last_request(self):
        """The most recent request; fails loudly when none arrived."""
        requests = self.requests
        if not requests:
            raise AssertionError(f"{type(self).__name__} received no request")
        return requests[-1]

    @property
    def pending(self) -> int:
        """How many queued replies are still unused (assert 0 to prove every scripted reply was consumed)."""
        with self._lock:
            return len(self._queue)
