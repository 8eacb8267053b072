"""Claiming with real, separate PostgreSQL connections: what several Odoo workers do at once."""

import threading
from datetime import timedelta

from odoo import SUPERUSER_ID, fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import ConcurrentTransactionsCase

KIND = "test.concurrency"


# post_install: the worker threads open their own environments, which need the registry fully loaded and the
# schema committed; at install time the loading thread holds the registry lock.
@tagged("post_install", "-at_install")
class TestOutboxConcurrency(ConcurrentTransactionsCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(self._delete_committed_jobs)

    def _commit_jobs(self, count, **values):
        with self.db.cursor() as cr:
            jobs = self.connection_env(cr)["ai.bridge.job"].with_context(ai_bridge_skip_cron_trigger=True)
            ids = [jobs._enqueue(KIND, "ai.bridge.job._job_noop_for_test", name=f"job {n}").id for n in range(count)]
            if values:
                jobs.browse(ids)._write_audited(values)
            cr.commit()  # pylint: disable=invalid-commit
        return set(ids)

    def _delete_committed_jobs(self):
        with self.db.cursor() as cr:
            cr.execute(SQL("DELETE FROM ai_bridge_job WHERE kind = %s", KIND))
            cr.commit()  # pylint: disable=invalid-commit

    def _claim(self, cr):
        return self.connection_env(cr)["ai.bridge.job"]._claim_next_job().id

    def test_a_row_being_claimed_is_skipped_not_waited_for(self):
        ids = self._commit_jobs(2)
        with self.db.cursor() as cr_a, self.db.cursor() as cr_b:
            claimed_a = self._claim(cr_a)  # not committed: the row stays locked
            claimed_b = self._claim(cr_b)
            self.assertEqual({claimed_a, claimed_b}, ids)
            self.assertFalse(self._claim(cr_b), "nothing left for B")
            cr_a.rollback()  # worker A dies before committing its claim
            self.assertEqual(self._claim(cr_b), claimed_a, "A's job is claimable again at once")

    def test_two_cron_workers_never_run_the_same_job(self):
        """Two threads run the real cron loop on their own connections, as two Odoo workers would.

        The jobs' handler does not exist, so each run fails at once: what counts is that every job ran (it left
        `pending`) exactly once (one attempt), whichever worker ran it (its uid is the job's write_uid).
        """
        ids = self._commit_jobs(60)
        errors, barrier = [], threading.Barrier(2)
        admin_uid = self.env.ref("base.user_admin").id

        def worker(uid):
            barrier.wait()
            try:
                with self.db.cursor() as cr:
                    self.connection_env(cr, uid)["ai.bridge.job"]._cron_process_outbox(batch_size=100)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(repr(error))

        threads = [threading.Thread(target=worker, args=(uid,)) for uid in (SUPERUSER_ID, admin_uid)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [])
        with self.db.cursor() as cr:
            cr.execute(SQL("SELECT state, attempt_count, write_uid FROM ai_bridge_job WHERE id IN %s", tuple(ids)))
            rows = cr.fetchall()
        self.assertEqual({(state, attempts) for state, attempts, _uid in rows}, {("failed", 1)})
        self.assertEqual(len(rows), len(ids))

    def test_a_committed_claim_of_a_dead_worker_comes_back_after_the_timeout(self):
        (job_id,) = self._commit_jobs(1)
        with self.db.cursor() as cr:
            self.assertEqual(self._claim(cr), job_id)
            # claimed and committed, then the worker dies: the job stays "running"
            cr.commit()  # pylint: disable=invalid-commit
        with self.db.cursor() as cr:
            self.assertFalse(self._claim(cr))
            timeout = self.connection_env(cr)["ai.bridge.job"]._running_timeout
            cr.execute(
                SQL(
                    "UPDATE ai_bridge_job SET started_at = %s WHERE id = %s",
                    fields.Datetime.now() - timedelta(seconds=timeout + 1),
                    job_id,
                )
            )
            self.assertEqual(self._claim(cr), job_id)
            cr.execute(SQL("SELECT attempt_count FROM ai_bridge_job WHERE id = %s", job_id))
            self.assertEqual(cr.fetchone()[0], 2)
