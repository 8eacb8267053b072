"""Real background work for end-to-end tests and benchmarks: Odoo servers, a load balancer and queue_job's runner.

- :class:`OdooServer`: an Odoo server process on the database under test, on 127.0.0.1 (threaded, no cron, no job
  runner of its own), that can be stopped or killed like a crashed worker.
- :class:`RoundRobinProxy`: the load balancer in front of several servers, which a deployment puts between the
  runner and the workers; it counts what each server was given and skips servers that are down.
- :class:`JobRunner`: queue_job's own ``QueueJobRunner`` in a thread, with chosen channel capacities, sending its
  ``/queue_job/runjob`` requests to a server or to the proxy.

Everything listens on 127.0.0.1 only and stops by itself when the test ends.
"""

import itertools
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

import requests

import odoo.tools

from odoo.addons.ai_bridge_core.tests.local_server import free_port

_logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[3]  # addons/ai_bridge_core/tests/job_runner.py
BOOT_TIMEOUT = 120  # seconds for a server to answer /web/health
FORWARD_TIMEOUT = 120  # seconds a proxied runjob may take (it lasts as long as its job)


class OdooServer:
    """An Odoo server process serving one database on 127.0.0.1, as the suite's scripts start it.

    :param odoo_args: the configuration file, addons path and data directory of the process under test
    """

    def __init__(
        self, database: str, *, config_file: str, addons_path: str, data_dir: str, log_dir: Path, port: int = 0
    ):
        """:param port: the HTTP port to serve on; 0 for a free one"""
        self.database = database
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"odoo-{self.port}.log"
        self._command = [
            sys.executable, "-m", "odoo", "-c", config_file, "--addons-path", addons_path, "--data-dir", data_dir,
            "-d", database, "--db-filter", f"^{database}$", "--http-port", str(self.port),
            "--workers", "0", "--max-cron-threads", "0", "--log-level", "warn", "--logfile", str(self.log_path),
        ]  # fmt: skip
        self.process: subprocess.Popen | None = None

    @classmethod
    def of_project(cls, database: str, addons_path: str, log_prefix: str, port: int = 0) -> Self:
        """A server as the project's scripts run one (its odoo.conf, Odoo's data directory), logging to a temporary
        directory: what the benchmarks measure."""
        return cls(
            database,
            config_file=str(PROJECT_ROOT / "odoo.conf"),
            addons_path=addons_path,
            data_dir=odoo.tools.config["data_dir"],
            log_dir=Path(tempfile.mkdtemp(prefix=log_prefix)),
            port=port,
        )

    def start(self) -> Self:
        env = {**os.environ, "ODOO_QUEUE_JOB_CHANNELS": "root:0", "TZ": "UTC"}  # its runner is the test's
        self.process = subprocess.Popen(self._command, env=env, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + BOOT_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo server exited with {self.process.returncode}: see {self.log_path}")
            try:
                if requests.get(f"{self.url}/web/health", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"Odoo server did not answer within {BOOT_TIMEOUT} s: see {self.log_path}")

    def kill(self) -> None:
        """Kill the process at once, as a crash or the OOM killer would: no cleanup, no rollback by Odoo."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def alive(self) -> bool:
        return bool(self.process) and self.process.poll() is None


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True


class RoundRobinProxy:
    """Forwards each GET to the next server that answers, as a load balancer does; remembers who got which job."""

    def __init__(self, servers: list[OdooServer]):
        self.servers = servers
        self.served = Counter()  # server port -> runjob requests forwarded to it
        self.job_server: dict[str, OdooServer] = {}  # job uuid -> server that was asked to run it last
        self._cycle = itertools.cycle(range(len(servers)))
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status = proxy._forward(self.path)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args):  # stdlib signature
                pass

        self._server = _ProxyServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _forward(self, path: str) -> int:
        for _attempt in range(len(self.servers)):
            with self._lock:
                server = self.servers[next(self._cycle)]
            if not server.alive:
                continue
            job_uuid = requests.utils.urlparse(path).query.partition("job_uuid=")[2].partition("&")[0]
            with self._lock:
                self.served[server.port] += 1
                self.job_server[job_uuid] = server
            try:
                return requests.get(f"{server.url}{path}", timeout=FORWARD_TIMEOUT).status_code
            except requests.RequestException:
                return 502  # the server died while running the job: the runner does not wait for an answer
        return 503


class JobRunner:
    """queue_job's runner in a thread, as a server started with queue_job server-wide runs it."""

    def __init__(self, *, port: int, channels: str):
        from odoo.addons.queue_job.jobrunner.runner import QueueJobRunner

        self.runner = QueueJobRunner(scheme="http", host="127.0.0.1", port=port, channel_config_string=channels)
        self._thread = threading.Thread(target=self._run, daemon=True, name="queue_job runner (test)")

    def _run(self) -> None:
        try:
            self.runner.run()
        except Exception:
            _logger.exception("queue_job runner stopped")

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.runner.stop()
        self._thread.join(timeout=30)
