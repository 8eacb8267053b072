"""What the suite's fake services (Anthropic, Slack, Teams) share: an HTTP server on 127.0.0.1, on a free port,
served from a daemon thread, that a test starts and stops or uses with ``with``; a queue of scripted replies and
the requests received."""

import json
import logging
import os
import socket
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from unittest import TestCase, mock

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def without_proxies(test_class: type, *dropped_prefixes: str) -> None:
    """For the rest of a test class (call it in ``setUpClass``): no proxy between the clients and 127.0.0.1. SDKs
    read ``HTTPS_PROXY`` when their client is built, and a proxy of the machine would answer for the fake.

    :param dropped_prefixes: environment variables also left out, e.g. ``ANTHROPIC_`` (they redirect the SDK)
    """
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in PROXY_VARIABLES and not name.startswith(dropped_prefixes)
    }
    environ.update(NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    test_class.startClassPatcher(mock.patch.dict(os.environ, environ, clear=True))


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


def json_or_none(raw_body: bytes) -> Any:
    """A request's JSON body, or None when it is empty or not JSON."""
    try:
        return json.loads(raw_body) if raw_body else None
    except ValueError:
        return None


class FakeServiceServer(ThreadingHTTPServer):
    daemon_threads = True  # a handler still sleeping in a slow reply never blocks stop()
    fake: "LocalHttpServer"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out closed its socket; the failed write is expected


class FakeServiceHandler(BaseHTTPRequestHandler):
    """Reads requests and writes replies for a fake; subclasses decide what to answer (``_serve``)."""

    server: FakeServiceServer

    def _read(self) -> tuple[dict[str, str], bytes]:
        """:return: the request's headers (names lower-cased) and its raw body"""
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        return {name.lower(): value for name, value in self.headers.items()}, raw_body

    def _write(self, status: int, payload: bytes, headers: Mapping[str, str]) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the client is gone (it timed out): nothing to answer

    def log_message(self, format: str, *args: Any) -> None:  # stdlib signature
        pass  # keep test output clean; tests assert on the fake's recorded requests


class LocalHttpServer:
    """Subclasses set `handler_class` (its handlers reach the fake as ``self.server.fake``), `server_class` and
    `thread_name`, and call ``super().__init__()``; replies that sleep wait on ``self._stopping``. Handlers record
    requests in ``self._requests`` and take scripted replies from ``self._queue``, under ``self._lock``."""

    handler_class: type[BaseHTTPRequestHandler]
    server_class: type[ThreadingHTTPServer] = FakeServiceServer
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
