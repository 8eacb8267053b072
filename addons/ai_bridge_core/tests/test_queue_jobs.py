"""The suite's background work on queue_job: what is enqueued where, idempotency, attempts, dead workers."""

from datetime import datetime
from functools import partial
from unittest.mock import patch

from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.queue_job import RUN_LOCK_NAMESPACE
from .common import AiBridgeCommon, ConcurrentTransactionsCase


class TestSuiteJobs(AiBridgeCommon):
    def test_a_decision_is_one_job_on_the_ai_lane_with_its_key(self):
        with trap_jobs() as trap:
            decision = self._run_action()
        trap.assert_jobs_count(1)
        trap.assert_enqueued_job(
            decision._job_resolve,
            properties={"channel": "root.ai", "max_retries": 5, "description": f"AI: {decision.name}"},
        )
        self.assertEqual(trap.enqueued_jobs[0].company_id, self.env.company.id)

    def test_job_attempts_come_from_the_settings(self):
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.job_max_attempts", 7)
        with trap_jobs() as trap:
            decision = self._run_action()
        trap.assert_enqueued_job(decision._job_resolve, properties={"max_retries": 7})

    def test_the_idempotency_key_holds_after_the_job_is_done(self):
        enqueue = partial(
            self.env["queue.job"]._ai_bridge_enqueue, self.env["ai.bridge.decision"], "_job_resolve", channel="root.ai"
        )
        first = enqueue(idempotency_key="k1")
        self.assertEqual(first.ai_bridge_idempotency_key, "k1")
        self._run_jobs()
        self.assertEqual(first.state, "done")
        self.assertEqual(enqueue(idempotency_key="k1"), first, "done, and still no second job")
        self.assertNotEqual(enqueue(idempotency_key="k2"), first)

    def test_a_rolled_back_transaction_leaves_no_job(self):
        count = self.env["queue.job"].search_count([])
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            self._run_action()
            1 / 0  # noqa: B018 - the caller's transaction fails after enqueueing
        self.assertEqual(self.env["queue.job"].search_count([]), count)

    def test_only_suite_lanes_and_job_methods(self):
        Job = self.env["queue.job"]
        for channel, method in (("root", "_job_resolve"), ("root.ai", "unlink"), ("root.other", "_job_resolve")):
            with self.subTest(channel=channel, method=method), self.assertRaises(ValueError):
                Job._ai_bridge_enqueue(self.company_partner, method, channel=channel)

    def test_failure_after_the_last_attempt_tells_the_suites_managers(self):
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.api_key", "")  # the fallback answers
        manager = new_test_user(self.env, login="jobs_manager", groups="ai_bridge_core.group_ai_bridge_manager")
        decision = self._run_action()
        self.env.flush_all()
        # a fallback method that cannot run (a row changed behind the ORM's back): the job itself fails
        self.env.cr.execute(SQL("UPDATE ai_bridge_decision SET fallback_method = 'unlink' WHERE id = %s", decision.id))
        decision.invalidate_recordset()
        self._run_jobs()
        job = decision.job_id
        self.assertEqual(job.state, "failed")
        self.assertIn(manager.partner_id, job.message_partner_ids)
        (message,) = job.message_ids
        self.assertIn(f"AI: {decision.name} failed after 1 attempt(s): invalid AI callback", message.body)

    def test_jobs_write_no_chatter_while_they_run(self):
        with self.mock_claude(self._answer("Construction Works", 0.5)):
            decision = self._run_action()
            self._run_jobs()
        self.assertEqual(decision.job_id.state, "done")
        self.assertFalse(decision.job_id.message_ids, "no creation log, no tracking per job")


@tagged("post_install", "-at_install")
class TestDeadWorkers(ConcurrentTransactionsCase):
    """A worker holds a session-level advisory lock on its job while it runs it; the cron takes over jobs whose
    lock is free: their worker's PostgreSQL session is gone."""

    def setUp(self):
        super().setUp()
        with self.db.cursor() as cr:
            env = self.connection_env(cr)
            env["ir.config_parameter"].set_param("ai_bridge_core.job_max_attempts", 2)
            job = env["queue.job"]._ai_bridge_enqueue(env["ai.bridge.decision"], "_job_resolve", channel="root.ai")
            loaded = Job.load(env, job.uuid)
            loaded.set_started()
            loaded.store()
            cr.commit()  # pylint: disable=invalid-commit
            self.job_uuid = job.uuid
        self.addCleanup(self._delete_committed_records)

    def _delete_committed_records(self):
        with self.db.cursor() as cr:
            env = self.connection_env(cr)
            env["queue.job"].search([("uuid", "=", self.job_uuid)]).unlink()
            env["ir.config_parameter"].set_param("ai_bridge_core.job_max_attempts", 5)
            cr.commit()  # pylint: disable=invalid-commit

    def _requeue_dead_jobs(self):
        with self.db.cursor() as cr:
            env = self.connection_env(cr)
            env["queue.job"]._cron_ai_bridge_requeue_dead_jobs()
            cr.commit()  # pylint: disable=invalid-commit
            job = env["queue.job"].search([("uuid", "=", self.job_uuid)])
            return job.state, job.retry

    def test_a_running_workers_job_is_left_alone_and_a_dead_ones_is_requeued_then_failed(self):
        with self.db.cursor() as worker_cr:  # the live worker: its session holds the job's lock
            worker_cr.execute(SQL("SELECT pg_advisory_lock(%s, hashtext(%s))", RUN_LOCK_NAMESPACE, self.job_uuid))
            self.assertEqual(self._requeue_dead_jobs(), ("started", 0), "alive: not touched")
            worker_cr.execute(SQL("SELECT pg_advisory_unlock(%s, hashtext(%s))", RUN_LOCK_NAMESPACE, self.job_uuid))
        self.assertEqual(self._requeue_dead_jobs(), ("pending", 1), "dead: run again, one attempt counted")
        with self.db.cursor() as cr:  # it starts again, and its worker dies again
            env = self.connection_env(cr)
            job = Job.load(env, self.job_uuid)
            job.set_started()
            job.store()
            cr.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._requeue_dead_jobs(), ("failed", 2), "no attempt left: failed, its slot freed")


class TestRateLimits(AiBridgeCommon):
    def test_past_the_limit_jobs_wait_for_the_next_minute_without_losing_an_attempt(self):
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.requests_per_minute", 2)
        partners = self.env["res.partner"].create([{"name": f"Rate Co {n}", "is_company": True} for n in range(3)])
        with (
            freeze_time("2026-11-20 10:00:10"),
            self.mock_claude(*[self._answer("Construction Works", 0.5)] * 3) as claude,
        ):
            decisions = self._run_action(partners)
            self._run_jobs()
        self.assertEqual(len(claude.requests), 2, "two calls in this minute")
        waiting = decisions.filtered(lambda decision: decision.state == "proposed")
        self.assertEqual(len(waiting), 1)
        job = waiting.job_id
        self.assertEqual((job.state, job.retry), ("pending", 0), "postponed, not an attempt")
        self.assertIn("2 requests per minute reached", job.result)
        self.assertGreaterEqual(job.eta, datetime(2026, 11, 20, 10, 1, 0))
        with freeze_time("2026-11-20 10:01:30"), self.mock_claude(self._answer("Construction Works", 0.5)) as claude:
            self._run_jobs()
        self.assertEqual(len(claude.requests), 1)
        self.assertEqual(waiting.state, "logged")

    def test_no_limit_by_default(self):
        self.assertFalse(self.env["ir.config_parameter"].sudo().get_param("ai_bridge_core.requests_per_minute"))
        self.env["ai.bridge.rate.window"]._take_slot("anthropic", 0)
        self.assertFalse(self.env["ai.bridge.rate.window"].search([("service", "=", "anthropic")]))

    def _postponement(self, service: str, limit: int, seconds: int) -> RetryableJobError | None:
        """Take a slot; the error when the job is postponed, None when it may go."""
        try:
            self.env["ai.bridge.rate.window"]._take_slot(service, limit, seconds=seconds)
        except RetryableJobError as error:
            return error
        return None

    def test_a_per_second_window_postpones_to_the_next_second_without_counting_an_attempt(self):
        with freeze_time("2026-11-20 10:00:10.300000"):
            self.assertIsNone(self._postponement("slack:C1", 1, 1))
            second, third = self._postponement("slack:C1", 1, 1), self._postponement("slack:C1", 1, 1)
            self.assertIsNone(self._postponement("slack:C2", 1, 1), "another counter, its own window")
        self.assertEqual((second.seconds, second.ignore_retry), (1, True), "10:00:11.3: in the next window")
        self.assertEqual(third.seconds, 2, "its turn comes one window later: the burst drains at one per second")
        self.assertIn("1 requests per second reached", str(second))
        window = self.env["ai.bridge.rate.window"].search([("service", "=", "slack:C1")])
        self.assertEqual((window.seconds, window.window_start, window.count), (1, datetime(2026, 11, 20, 10, 0, 10), 3))
        with freeze_time("2026-11-20 10:00:11.300000"):
            self.assertIsNone(self._postponement("slack:C1", 1, 1), "a new second, a new window")
            late = self._postponement("slack:C1", 1, 1)
        self.assertEqual(late.seconds, 2, "10:00:13.3: after the third, whose second is 10:00:12")

    def test_past_several_windows_of_requests_each_waits_for_its_turn(self):
        with (
            freeze_time("2026-11-20 10:00:10"),
            patch("odoo.addons.ai_bridge_core.models.ai_bridge_rate_window.random.randint", return_value=0),
        ):
            waits = [getattr(self._postponement("anthropic", 2, 60), "seconds", None) for _n in range(7)]
        self.assertEqual(waits, [None, None, 50, 50, 110, 110, 170], "2 per minute: the next minutes, in turn")
        self.assertEqual(
            self.env["ai.bridge.rate.window"].search([("service", "=", "anthropic")]).window_start,
            datetime(2026, 11, 20, 10, 0, 0),
        )

    def test_old_windows_are_deleted_when_a_new_one_opens(self):
        with freeze_time("2026-11-20 08:00:00"):
            self._postponement("slack:C1", 1, 1)
        with freeze_time("2026-11-20 09:00:30"):  # its window starts 09:00:00, an hour before the next
            self._postponement("anthropic", 2, 60)
        with freeze_time("2026-11-20 10:00:00"):
            self._postponement("slack:C2", 1, 1)
        self.assertEqual(
            self.env["ai.bridge.rate.window"].search([]).mapped("service"), ["slack:C2", "anthropic"], "kept an hour"
        )


@tagged("post_install", "-at_install")
class TestRateWindowConcurrency(ConcurrentTransactionsCase):
    """Workers of several servers count on the same row at once, each in a transaction of its own."""

    SERVICE = "test:concurrent"

    def setUp(self):
        super().setUp()
        self.addCleanup(self._delete_committed_counters)

    def _delete_committed_counters(self):
        with self.db.cursor() as cr:
            cr.execute(SQL("DELETE FROM ai_bridge_rate_window WHERE service = %s", self.SERVICE))
            cr.commit()  # pylint: disable=invalid-commit

    def _someone_waits_for_the_counter(self) -> bool:
        with self.db.cursor() as cr:  # a fresh connection each time: statistics views are read once per transaction
            cr.execute(
                SQL(
                    """
                    SELECT count(*) FROM pg_stat_activity
                     WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE %s
                    """,
                    "%INSERT INTO ai_bridge_rate_window%",
                )
            )
            return bool(cr.fetchone()[0])

    def test_a_count_waiting_for_another_workers_is_added_to_it_not_failed(self):
        with freeze_time("2026-11-20 10:00:10"), self.db.cursor() as cr_a, self.db.cursor() as cr_b:
            cr_a.execute(  # worker A counted a request and has not committed yet
                SQL(
                    """
                    INSERT INTO ai_bridge_rate_window (service, seconds, window_start, count)
                         VALUES (%s, 60, '2026-11-20 10:00:00', 1)
                    """,
                    self.SERVICE,
                )
            )
            _results, errors, waited = self.race_behind_a_lock(  # worker B, on a connection of its own
                cr_a,
                self.connection_env(cr_b),
                lambda env_b: env_b["ai.bridge.rate.window"]._take_slot(self.SERVICE, 5),
                retried=False,
                b_waits=self._someone_waits_for_the_counter,
            )
        self.assertTrue(waited, "B waited for A's uncommitted count")
        self.assertEqual(errors, [], "no serialization failure: that would cost the job an attempt")
        with self.db.cursor() as cr:
            cr.execute(SQL("SELECT count FROM ai_bridge_rate_window WHERE service = %s", self.SERVICE))
            self.assertEqual(cr.fetchall(), [(2,)])
