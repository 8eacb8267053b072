from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import freeze_time

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.base.tests.test_ir_cron import CronMixinCase

from ..models.ai_bridge_job import JobRetryableError

CRON = "ai_bridge_core.ir_cron_ai_bridge_process_outbox"
NOW = datetime(2026, 11, 20, 10, 0, 0)


class TestOutbox(BaseCommon, CronMixinCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Job = cls.env["ai.bridge.job"]

    @contextmanager
    def handler(self, behaviour):
        """Give ai.bridge.job a `_job_test` handler that runs `behaviour(job)`, and collect the jobs it ran."""
        ran = []

        def _job_test(model, job):
            ran.append(job)
            return behaviour(job)

        with patch.object(type(self.Job), "_job_test", _job_test, create=True):
            yield ran

    def _enqueue(self, **kwargs):
        return self.Job._enqueue("test", "ai.bridge.job._job_test", {"n": 1}, **kwargs)

    def test_enqueue_wakes_the_cron_unless_told_not_to(self):
        with self.capture_triggers(CRON) as triggers:
            self._enqueue()
            self.Job.with_context(ai_bridge_skip_cron_trigger=True)._enqueue("test", "ai.bridge.job._job_test")
        self.assertEqual(len(triggers.records), 1)

    def test_idempotency_key_returns_the_first_job(self):
        first = self._enqueue(idempotency_key="order-42")
        self.assertEqual(self._enqueue(idempotency_key="order-42"), first)
        self.assertEqual(self.Job.search_count([("idempotency_key", "=", "order-42")]), 1)

    def test_only_job_handlers_can_be_enqueued(self):
        for handler in ("res.partner.unlink", "no.such.model._job_x", "ai.bridge.job.action_retry"):
            with self.assertRaises(ValueError):
                self.Job._enqueue("test", handler)

    def test_a_successful_job_is_done_with_its_result(self):
        with self.handler(lambda job: {"sent": job.payload["n"]}) as ran:
            job = self._enqueue()
            self.assertEqual(self.Job._cron_process_outbox(), 1)
        self.assertEqual(ran, [job])
        self.assertEqual((job.state, job.attempt_count, job.result), ("done", 1, {"sent": 1}))
        self.assertTrue(job.finished_at)
        with self.handler(lambda job: None) as ran:
            self.Job._cron_process_outbox()
        self.assertEqual(ran, [], "a done job never runs again")

    def test_a_failing_handler_fails_the_job_and_its_writes_are_undone(self):
        partner = self.env["res.partner"].create({"name": "Before"})

        def behaviour(job):
            partner.name = "After"
            raise ValueError("remote said no")

        with self.handler(behaviour):
            job = self._enqueue()
            self.Job._cron_process_outbox()
        self.assertEqual((job.state, job.last_error), ("failed", "remote said no"))
        self.assertEqual(partner.name, "Before")

    def test_passing_failures_back_off_then_the_job_dies_and_managers_hear_of_it(self):
        def behaviour(job):
            raise JobRetryableError("503 Service Unavailable")

        with self.handler(behaviour) as ran, freeze_time(NOW):
            job = self._enqueue(max_attempts=3)
            self.Job._cron_process_outbox()
            self.assertEqual((job.state, job.attempt_count, job.last_error), ("pending", 1, "503 Service Unavailable"))
            delay = (job.next_attempt_at - NOW).total_seconds()
            self.assertTrue(30 * 0.75 <= delay <= 30 * 1.25, delay)
            self.Job._cron_process_outbox()
            self.assertEqual(len(ran), 1, "not due yet")
        with self.handler(behaviour), freeze_time(NOW + timedelta(minutes=5)):
            self.Job._cron_process_outbox()
            self.assertEqual(job.attempt_count, 2)
            self.assertTrue(
                60 * 0.75 <= (job.next_attempt_at - (NOW + timedelta(minutes=5))).total_seconds() <= 60 * 1.25
            )
        with self.handler(behaviour), freeze_time(NOW + timedelta(minutes=10)):
            self.Job._cron_process_outbox()
        self.assertEqual((job.state, job.attempt_count), ("dead", 3))
        message = job.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("ai_bridge_core.mt_job_dead"))
        self.assertEqual(len(message), 1)
        self.assertIn("503 Service Unavailable", message.body)
        admin = self.env.ref("base.user_admin").partner_id
        self.assertIn(admin, job.message_follower_ids.partner_id)

    def test_a_dead_workers_job_is_claimed_again_after_the_timeout(self):
        with self.handler(lambda job: "ok") as ran, freeze_time(NOW):
            job = self._enqueue()
            job._write_audited({"state": "running", "started_at": NOW - timedelta(minutes=5), "attempt_count": 1})
            self.Job._cron_process_outbox()
            self.assertEqual(ran, [], "a job running for 5 minutes may still be alive")
            job._write_audited({"started_at": NOW - timedelta(minutes=16)})
            self.Job._cron_process_outbox()
        self.assertEqual(ran, [job])
        self.assertEqual((job.state, job.attempt_count), ("done", 2))

    def test_jobs_run_by_priority_then_due_date_within_the_batch_size(self):
        order = []
        with self.handler(lambda job: order.append(job.name)), freeze_time(NOW):
            self.Job._enqueue("test", "ai.bridge.job._job_test", name="late", delay=-10)
            self.Job._enqueue("test", "ai.bridge.job._job_test", name="urgent", priority=1)
            self.Job._enqueue("test", "ai.bridge.job._job_test", name="early", delay=-60)
            self.Job._enqueue("test", "ai.bridge.job._job_test", name="future", delay=60)
            self.assertEqual(self.Job._cron_process_outbox(batch_size=2), 2)
            self.assertEqual(order, ["urgent", "early"])
            self.Job._cron_process_outbox(batch_size=5)
        self.assertEqual(order, ["urgent", "early", "late"])

    def test_admin_retries_and_cancels(self):
        with self.handler(lambda job: 1 / 0):
            job = self._enqueue()
            self.Job._cron_process_outbox()
        self.assertEqual(job.state, "failed")
        job.action_retry()
        self.assertEqual((job.state, job.attempt_count), ("pending", 0))
        with self.handler(lambda job: "fixed"):
            self.Job._cron_process_outbox()
        self.assertEqual(job.state, "done")
        with self.assertRaises(UserError):
            job.action_cancel()
        pending = self._enqueue()
        pending.action_cancel()
        with self.handler(lambda job: "never") as ran:
            self.Job._cron_process_outbox()
        self.assertEqual((pending.state, ran), ("cancelled", []))

    def test_purge_deletes_only_old_finished_jobs(self):
        with self.handler(lambda job: "ok"), freeze_time(NOW - timedelta(days=40)):
            old_done = self._enqueue()
            old_failed = self._enqueue()
            self.Job._cron_process_outbox()
            old_failed._write_audited({"state": "failed"})
        with self.handler(lambda job: "ok"), freeze_time(NOW):
            recent_done = self._enqueue()
            self.Job._cron_process_outbox()
            self.Job._cron_purge()
        self.assertFalse(old_done.exists())
        self.assertTrue(old_failed.exists())
        self.assertTrue(recent_done.exists())
