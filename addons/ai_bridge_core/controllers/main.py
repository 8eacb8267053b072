import logging

import psycopg2

from odoo import SUPERUSER_ID, http
from odoo.tools import SQL

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.job import ENQUEUED, Job

from ..models.queue_job import JOB_METHOD_PREFIX, RUN_LOCK_NAMESPACE, is_suite_channel

_logger = logging.getLogger(__name__)


class SuiteRunJobController(RunJobController):
    """queue_job's worker entry point, with what the suite adds around every run.

    - On the suite's channels only ``_job_`` methods declared as job functions run, whatever a stored row says.
    - queue_job 18.0.1.7.0 (the newest release this Odoo can run) does not detect workers that die in the middle
      of a job: such a job stays "started" and holds its channel's slot. The worker therefore holds a session-level
      advisory lock on the job from before it marks it started until after its outcome is committed; PostgreSQL
      frees it when the worker's process dies, and `queue.job._cron_ai_bridge_requeue_dead_jobs` requeues jobs
      whose lock is free.
    """

    # EXTENDS queue_job
    @http.route()
    def runjob(self, db, job_uuid, **kw):
        http.request.session.db = db
        env = http.request.env(user=SUPERUSER_ID)
        if self._refuse_undeclared(env, job_uuid):
            return ""
        cr = env.cr
        cr.execute(SQL("SELECT pg_advisory_lock(%s, hashtext(%s))", RUN_LOCK_NAMESPACE, job_uuid))
        try:
            return super().runjob(db, job_uuid, **kw)
        finally:
            self._release_run_lock(cr, job_uuid)

    @staticmethod
    def _release_run_lock(cr, job_uuid):
        try:
            cr.execute(SQL("SELECT pg_advisory_unlock(%s, hashtext(%s))", RUN_LOCK_NAMESPACE, job_uuid))
        except psycopg2.Error:  # the request's transaction failed: unlock in a fresh one
            cr.rollback()
            cr.execute(SQL("SELECT pg_advisory_unlock(%s, hashtext(%s))", RUN_LOCK_NAMESPACE, job_uuid))

    @staticmethod
    def _refuse_undeclared(env, job_uuid) -> bool:
        """Fail an enqueued job of the suite's channels whose method is not a declared ``_job_`` job function.

        :return: whether the job was refused (and marked failed)
        """
        record = env["queue.job"].search([("uuid", "=", job_uuid), ("state", "=", ENQUEUED)], limit=1)
        if not record or not is_suite_channel(record.channel):
            return False
        job = Job.load(env, job_uuid)
        function = env["queue.job.function"].search([("name", "=", job.job_function_name)], limit=1)
        if function and is_suite_channel(function.channel) and job.method_name.startswith(JOB_METHOD_PREFIX):
            return False
        message = f"{job.job_function_name} is not a job function declared on {job.channel}: not run."
        _logger.warning("Job %s refused: %s", job_uuid, message)
        job.set_failed(exc_name="UndeclaredJobFunction", exc_message=message, exc_info=message)
        job.store()
        return True
