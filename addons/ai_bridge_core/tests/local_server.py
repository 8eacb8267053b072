"""The lifecycle shared by the suite's fake services (Anthropic, Slack, Teams): an HTTP server on 127.0.0.1, on a
free port, served from a daemon thread, that a test starts and stops or uses with ``with``."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LocalHttpServer:
    """Subclasses set `handler_class` (its handlers reach the fake as ``self.server.fake``), `server_class` and
    `thread_name`, and call ``super().__init__()``; replies that sleep wait on ``self._stopping``."""

    handler_class: type[BaseHTTPRequestHandler]
    server_class: type[ThreadingHTTPServer] = ThreadingHTTPServer
    thread_name = "fake-service"

    def __init__(self) -> None:
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
