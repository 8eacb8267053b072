"""Fixtures for ai_bridge_core and the modules that use it.

`MockClaude.mock_claude()` fakes Claude *above* the seam (it patches `tools.anthropic_client.call_tool`), records
every request and serves scripted answers or errors; tests of the seam itself use the real SDK against
`fake_anthropic.FakeAnthropic` instead.
"""

import json
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from functools import partial
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.fields import Command
from odoo.service.model import retrying
from odoo.tests import get_db_name, new_test_user
from odoo.tools import SQL

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from ..models.queue_job import is_suite_channel
from ..tools import anthropic_client
from ..tools.anthropic_client import ClaudeError, ClaudeRequest, ClaudeResult
from .fake_anthropic import only_local_http

TEST_API_KEY = "sk-ant-test-0123456789-secret"


class ClaudeRecorder:
    """What `mock_claude` yields: the requests received, and a queue of answers (dicts) or errors to serve."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.requests: list[ClaudeRequest] = []

    def __call__(self, api_key, request, *, timeout, max_retries, base_url=None):
        assert api_key == TEST_API_KEY
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else {"confidence": 0.0, "reasoning": "no answer scripted"}
        if isinstance(answer, Exception):
            raise answer
        return ClaudeResult(
            tool_input=answer,
            model=request.model,
            input_tokens=1000,
            output_tokens=200,
            cache_creation_input_tokens=0,
            cache_read_input_tokens=4000,
            latency_ms=321,
            request_id="req_test",
            stop_reason="tool_use",
        )


class MockClaude:
    @contextmanager
    def mock_claude(self, *answers):
        """Serve `answers` (tool inputs as dicts, or ClaudeError instances) in order to every Claude call."""
        recorder = ClaudeRecorder(answers)
        with patch.object(anthropic_client, "call_tool", recorder):
            yield recorder

    @staticmethod
    def retryable_error(message="Overloaded", retry_after=None):
        return ClaudeError(message, retryable=True, status=529, retry_after=retry_after, error_type="overloaded_error")

    @staticmethod
    def final_error(message="messages: invalid model"):
        return ClaudeError(message, retryable=False, status=400, error_type="invalid_request_error")


def run_due_jobs(env: api.Environment) -> int:
    """Perform the pending jobs of the suite's channels whose ETA is past, in the current transaction, handling
    each outcome as queue_job's ``/queue_job/runjob`` does: a retryable error postpones the job (its writes rolled
    back), any other error fails it, success marks it done. Jobs postponed into the future are left for later.

    :return: the number of jobs performed
    """
    now = fields.Datetime.now()
    records = (
        env["queue.job"]
        .sudo()
        .search(
            [("state", "=", "pending"), ("channel", "=like", "root.%"), "|", ("eta", "=", False), ("eta", "<=", now)],
            order="priority, date_created, id",
        )
    )
    for record in records.filtered(lambda job: is_suite_channel(job.channel)):
        job = Job.load(env, record.uuid)
        job.set_started()
        try:
            with env.cr.savepoint():
                job.perform()
        except RetryableJobError as error:
            job.postpone(result=str(error), seconds=error.seconds)
            job.set_pending(reset_retry=False)
        except Exception as error:  # noqa: BLE001 - recorded on the job, as runjob does
            job.set_failed(exc_name=type(error).__name__, exc_message=str(error), exc_info=repr(error))
        else:
            job.set_done()
        job.store()
    return len(records)


class ConcurrentTransactionsCase(BaseCommon):
    """Real, separate PostgreSQL connections: what several Odoo workers (or servers) do at once.

    Subclasses tag themselves post_install: worker threads open their own environments, which need the registry
    fully loaded and the schema committed. They commit on their own connections, never on the test's cursor (the
    test transaction cannot show uncommitted rows to another connection), and delete what they committed.
    """

    LOCK_WAIT_TIMEOUT = 30  # seconds a worker may take to reach the lock before the race is declared lost

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = sql_db.db_connect(get_db_name())

    @classmethod
    def connection_env(cls, cr, uid: int = SUPERUSER_ID) -> api.Environment:
        """An environment on one of `cls.db`'s cursors, as a worker has on its own connection."""
        # The loaded registry is handed over directly: looking it up by name takes Registry._lock, which Odoo's
        # own test runner holds for the whole run, so a worker thread would wait forever.
        cr.transaction = api.Transaction(cls.registry)
        return api.Environment(cr, uid, {})

    def _is_waiting_for_a_lock(self, pid: int) -> bool:
        # A fresh connection each time: statistics views are read once per transaction.
        with self.db.cursor() as cr:
            cr.execute(SQL("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", pid))
            return cr.fetchone()[0] == "Lock"

    def race_behind_a_lock(
        self,
        cr_a,
        env_b: api.Environment,
        request_b: Callable[[api.Environment], object],
        *,
        retried: bool = True,
        b_waits: Callable[[], bool] | None = None,
    ):
        """Run `request_b(env_b)` in a thread, retried as Odoo retries an HTTP request (serialization failures
        start it again on a fresh snapshot), while `cr_a` holds its locks; commit `cr_a` once B waits for them.

        :param retried: False to run B once and see its first error (a serialization failure, for instance)
        :param b_waits: tells whether B waits for a lock, for a B that works on connections of its own; by
            default, whether env_b's connection waits
        :return: (B's results, B's errors as repr strings, whether B was seen waiting for a lock)
        """
        if b_waits is None:
            env_b.cr.execute(SQL("SELECT pg_backend_pid()"))
            pid_b = env_b.cr.fetchone()[0]
            b_waits = partial(self._is_waiting_for_a_lock, pid_b)
        results, errors, waited = [], [], False

        def run_b():
            try:
                results.append(retrying(partial(request_b, env_b), env_b) if retried else request_b(env_b))
            except Exception as error:  # noqa: BLE001 - reported to the caller
                errors.append(repr(error))

        thread = threading.Thread(target=run_b)
        thread.start()
        try:
            deadline = time.monotonic() + self.LOCK_WAIT_TIMEOUT
            while thread.is_alive() and time.monotonic() < deadline and not waited:
                waited = b_waits()
                time.sleep(0.05)
        finally:
            cr_a.commit()  # pylint: disable=invalid-commit
            thread.join(timeout=2 * self.LOCK_WAIT_TIMEOUT)
        return results, errors, waited


class JsonRpcMixin:
    """For HttpCase: call model methods over JSON-RPC exactly as the web client does, as the authenticated user."""

    def call_kw(self, model: str, method: str, args: list, kwargs: dict | None = None) -> dict:
        """:return: the decoded JSON-RPC response: ``{"result": ...}`` or ``{"error": {...}}``"""
        payload = {
            "id": 1,
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def assert_rpc_done(self, response: dict):
        self.assertNotIn("error", response, response.get("error", {}).get("data", {}).get("message"))

    def assert_rpc_refused(self, response: dict, error_name: str = "odoo.exceptions.AccessError"):
        self.assertNotIn("result", response, "the call went through")
        self.assertEqual(response["error"]["data"]["name"], error_name, response["error"]["data"]["message"])


class AiBridgeCommon(BaseCommon, MockClaude):
    """An industry-tagging AI server action on partners, with an API key set, and AI users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.enterClassContext(only_local_http())
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("ai_bridge_core.api_key", TEST_API_KEY)
        params.set_param("ai_bridge_core.model", "claude-sonnet-4-5")
        params.set_param("ai_bridge_core.monthly_budget", 0)
        cls.industry_food = cls.env["res.partner.industry"].create({"name": "Food Retail", "full_name": "Food Retail"})
        cls.industry_construction = cls.env["res.partner.industry"].create({"name": "Construction Works"})
        cls.prompt = cls.env["ai.bridge.prompt"].create(
            {
                "name": "Industry",
                "system_text": "Classify the company.",
                "user_template": "Company: {{ object.name }}",
            }
        )
        cls.approver = new_test_user(cls.env, login="ai_approver", groups="ai_bridge_core.group_ai_bridge_user")
        cls.task = cls.env["ai.bridge.task"].create(
            {
                "name": "Test industry",
                "code": "test_industry",
                "prompt_id": cls.prompt.id,
                "approver_id": cls.approver.id,
            }
        )
        cls.action = cls.env["ir.actions.server"].create(
            {
                "name": "Tag industry",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "state": "ai_claude",
                "ai_task_id": cls.task.id,
                "ai_output_mode": "fields",
                "ai_output_field_ids": [Command.set([cls.env.ref("base.field_res_partner__industry_id").id])],
            }
        )
        cls.company_partner = cls.env["res.partner"].create({"name": "Acme Construction Works Ltd", "is_company": True})

    def _run_action(self, partners=None):
        """Run the AI server action on `partners` and return the decisions it queued."""
        partners = partners or self.company_partner
        self.action.with_context(active_model="res.partner", active_ids=partners.ids).run()
        return self.env["ai.bridge.decision"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        )

    def _run_jobs(self):
        """Run the suite's due jobs in this test's transaction, as queue_job's runner and runjob would."""
        return run_due_jobs(self.env)

    @staticmethod
    def _answer(industry, confidence, reasoning="Name says so."):
        return {"industry_id": industry, "confidence": confidence, "reasoning": reasoning}
