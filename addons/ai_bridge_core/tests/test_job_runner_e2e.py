"""The suite's jobs end to end: queue_job's real runner, two real Odoo server processes behind a load balancer, the
real anthropic SDK talking HTTP to the local fake API. Data is committed (the servers are other processes) and
deleted afterwards."""

import tempfile
import time
from pathlib import Path

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import config

from .common import TEST_API_KEY, ConcurrentTransactionsCase
from .fake_anthropic import FakeAnthropic, error_reply, tool_reply
from .job_runner import JobRunner, OdooServer, RoundRobinProxy

CAPACITY = 8  # root.ai in these tests
JOBS = 300
WAIT = 120  # seconds for a batch of jobs to finish
PARAMS = {
    "ai_bridge_core.api_key": TEST_API_KEY,
    "ai_bridge_core.timeout": "10",
    "ai_bridge_core.max_retries": "0",  # the SDK gives passing errors straight back: the job retries them
    "ai_bridge_core.job_max_attempts": "5",
    "ai_bridge_core.monthly_budget": "0",
    "ai_bridge_core.requests_per_minute": "0",
}


def answer(confidence=0.5):
    return {"industry_id": "Construction", "confidence": confidence, "reasoning": "end to end"}


@tagged("post_install", "-at_install")
class TestJobsEndToEnd(ConcurrentTransactionsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeAnthropic(expected_api_key=TEST_API_KEY, default_reply=tool_reply(None, answer())).start()
        cls.addClassCleanup(cls.fake.stop)
        cls._commit_fixtures()
        cls.addClassCleanup(cls._delete_fixtures)
        log_dir = Path(tempfile.mkdtemp(prefix="ai_bridge_e2e_"))
        server_args = {
            "config_file": config.rcfile,
            "addons_path": config["addons_path"],
            "data_dir": config["data_dir"],
            "log_dir": log_dir,
        }
        cls.servers = [OdooServer(cls.db.dbname, **server_args) for _ in range(2)]
        for server in cls.servers:
            cls.addClassCleanup(server.stop)
            server.start()
        cls.proxy = RoundRobinProxy(cls.servers).start()
        cls.addClassCleanup(cls.proxy.stop)
        channels = f"root:{CAPACITY},root.ai:{CAPACITY},root.messaging:2,root.webhook:2"
        cls.runner = JobRunner(port=cls.proxy.port, channels=channels).start()
        cls.addClassCleanup(cls.runner.stop)

    @classmethod
    def _commit_fixtures(cls):
        with cls.db.cursor() as cr:
            env = cls.connection_env(cr)
            params = env["ir.config_parameter"]
            cls.saved_params = {key: params.get_param(key) for key in (*PARAMS, "ai_bridge_core.base_url")}
            for key, value in {**PARAMS, "ai_bridge_core.base_url": cls.fake.url}.items():
                params.set_param(key, value)
            prompt = env["ai.bridge.prompt"].create(
                {"name": "E2E", "system_text": "Classify.", "user_template": "Company: {{ object.name }}"}
            )
            task = env["ai.bridge.task"].create(
                {"name": "E2E industry", "code": "e2e_industry", "prompt_id": prompt.id}
            )
            action = env["ir.actions.server"].create(
                {
                    "name": "E2E tag industry",
                    "model_id": env.ref("base.model_res_partner").id,
                    "state": "ai_claude",
                    "ai_task_id": task.id,
                    "ai_output_field_ids": [Command.set([env.ref("base.field_res_partner__industry_id").id])],
                }
            )
            cr.commit()  # pylint: disable=invalid-commit
            cls.prompt_id, cls.task_id, cls.action_id = prompt.id, task.id, action.id
        cls.partner_ids = []

    @classmethod
    def _delete_fixtures(cls):
        with cls.db.cursor() as cr:
            env = cls.connection_env(cr)
            decisions = env["ai.bridge.decision"].search([("task_id", "=", cls.task_id)])
            env["ai.bridge.usage"].search([("task_id", "=", cls.task_id)]).unlink()
            decisions.job_id.unlink()
            decisions.unlink()
            env["res.partner"].browse(cls.partner_ids).unlink()
            env["ir.actions.server"].browse(cls.action_id).unlink()
            env["ai.bridge.task"].browse(cls.task_id).unlink()
            env["ai.bridge.prompt"].browse(cls.prompt_id).unlink()
            for key, value in cls.saved_params.items():
                env["ir.config_parameter"].set_param(key, value or False)
            cr.commit()  # pylint: disable=invalid-commit

    def setUp(self):
        super().setUp()
        self.fake.reset()

    def _ask(self, count, prefix):
        """Run the AI action on `count` new partners, committed: the runner sees the jobs at once."""
        with self.db.cursor() as cr:
            env = self.connection_env(cr)
            partners = env["res.partner"].create([{"name": f"{prefix} {n:04d}"} for n in range(count)])
            env["ir.actions.server"].browse(self.action_id).with_context(
                active_model="res.partner", active_ids=partners.ids
            ).run()
            cr.commit()  # pylint: disable=invalid-commit
            type(self).partner_ids += partners.ids
            return (
                env["ai.bridge.decision"].search([("res_id", "in", partners.ids), ("task_id", "=", self.task_id)]).ids
            )

    def _jobs(self, decision_ids):
        """{decision id: (job state, job retry, decision state)} as committed now."""
        with self.db.cursor() as cr:
            decisions = self.connection_env(cr)["ai.bridge.decision"].browse(decision_ids)
            return {d.id: (d.job_id.state, d.job_id.retry, d.state) for d in decisions}

    def _wait_until_done(self, decision_ids, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            jobs = self._jobs(decision_ids)
            if all(state in ("done", "failed") for state, _retry, _decision in jobs.values()):
                return jobs
            time.sleep(0.2)
        self.fail(f"jobs still running after {timeout} s: {sorted(set(jobs.values()))[:5]}")

    def _requeue_dead_jobs(self):
        with self.db.cursor() as cr:
            self.connection_env(cr)["queue.job"]._cron_ai_bridge_requeue_dead_jobs()
            cr.commit()  # pylint: disable=invalid-commit

    def test_jobs_run_concurrently_up_to_the_capacity_on_both_servers_each_exactly_once(self):
        self.fake.default_reply = tool_reply(None, answer(), delay=0.3)
        served_before = dict(self.proxy.served)
        decision_ids = self._ask(JOBS, "E2E Concurrent")
        jobs = self._wait_until_done(decision_ids)
        self.assertEqual({(state, decision) for state, _retry, decision in jobs.values()}, {("done", "logged")})
        prompts = [request.body["messages"][0]["content"] for request in self.fake.requests]
        self.assertEqual(len(prompts), JOBS, "one Claude call per job")
        self.assertEqual(len({str(prompt) for prompt in prompts}), JOBS, "every job exactly once")
        self.assertEqual(self.fake.max_in_flight, CAPACITY, "as many calls at once as the lane's capacity")
        for server in self.servers:
            self.assertGreater(self.proxy.served[server.port] - served_before.get(server.port, 0), 0, server.url)

    def test_a_rate_limited_call_waits_for_retry_after_and_its_cost_is_kept(self):
        self.fake.enqueue(error_reply(429, retry_after=1), tool_reply(None, answer()))
        (decision_id,) = self._ask(1, "E2E Rate Limited")
        deadline = time.monotonic() + WAIT
        while self._jobs([decision_id])[decision_id][:2] != ("pending", 1) and time.monotonic() < deadline:
            time.sleep(0.2)
        with self.db.cursor() as cr:
            env = self.connection_env(cr)
            decision = env["ai.bridge.decision"].browse(decision_id)
            job = decision.job_id
            self.assertEqual((job.state, job.retry, decision.state), ("pending", 1, "proposed"))
            waited = (job.eta - job.date_created).total_seconds()
            self.assertGreaterEqual(waited, 1, "never sooner than retry-after")
            self.assertEqual(
                env["ai.bridge.usage"].search([("decision_id", "=", decision_id)]).mapped("status"),
                ["error"],
                "the failed call is recorded although its job was rolled back",
            )
            job.write({"eta": False})  # skip the rest of the backoff (~30 s) instead of sleeping through it
            cr.commit()  # pylint: disable=invalid-commit
        self._wait_until_done([decision_id])
        with self.db.cursor() as cr:
            env = self.connection_env(cr)
            decision = env["ai.bridge.decision"].browse(decision_id)
            self.assertEqual((decision.source, decision.state), ("claude", "logged"))
            usage = env["ai.bridge.usage"].search([("decision_id", "=", decision_id)], order="id")
            self.assertEqual(usage.mapped("status"), ["error", "ok"])
        self.assertEqual(len(self.fake.requests), 2)

    def test_a_job_whose_worker_is_killed_runs_again_once(self):
        self.fake.enqueue(tool_reply(None, answer(), delay=30))  # the first run hangs in Claude
        (decision_id,) = self._ask(1, "E2E Killed Worker")
        deadline = time.monotonic() + WAIT
        while not self.fake.requests and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(len(self.fake.requests), 1, "the job is in the middle of its Claude call")
        with self.db.cursor() as cr:
            job_uuid = self.connection_env(cr)["ai.bridge.decision"].browse(decision_id).job_id.uuid
        worker = self.proxy.job_server[job_uuid]
        self.addCleanup(worker.start)  # the other tests get both servers back
        self._requeue_dead_jobs()
        self.assertEqual(self._jobs([decision_id])[decision_id][:2], ("started", 0), "alive: left alone")

        worker.kill()
        deadline = time.monotonic() + WAIT
        while self._jobs([decision_id])[decision_id][0] == "started" and time.monotonic() < deadline:
            self._requeue_dead_jobs()  # the cron's work, every minute in production
            time.sleep(0.2)
        jobs = self._wait_until_done([decision_id])
        self.assertEqual(jobs[decision_id], ("done", 2, "logged"), "run again once, the lost run counted")
        self.assertEqual(len(self.fake.requests), 2)
        with self.db.cursor() as cr:
            env = self.connection_env(cr)
            partner = env["res.partner"].browse(env["ai.bridge.decision"].browse(decision_id).res_id)
            logs = partner.message_ids.filtered(lambda message: "AI decision" in (message.body or ""))
            self.assertEqual(len(logs), 1, "the killed run left nothing behind")
