import logging

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.tools import SQL

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import STARTED, Job
from odoo.addons.queue_job.models.queue_job import QueueJob as QueueJobBase

from ..tools.backoff import retry_delay

_logger = logging.getLogger(__name__)

# One lane per remote service, so that a Slack message never waits behind Claude calls. Capacities are set per
# deployment in odoo.conf ([queue_job] channels = ...); the channels themselves are data of this module.
CHANNEL_AI = "root.ai"  # Claude
CHANNEL_MESSAGING = "root.messaging"  # Slack, Teams, e-mail
CHANNEL_WEBHOOK = "root.webhook"  # outbound HTTP (the asset system)
SUITE_CHANNELS = (CHANNEL_AI, CHANNEL_MESSAGING, CHANNEL_WEBHOOK)
JOB_METHOD_PREFIX = "_job_"  # the suite's job methods; only declared ones run on its channels
DEFAULT_MAX_ATTEMPTS = 5  # queue_job's default too
# Namespace of the session-level advisory locks that a worker holds while it runs a job (controllers/main.py):
# a job whose lock can be taken while it is "started" has lost its worker.
RUN_LOCK_NAMESPACE = 0x41494A  # "AIJ"
IDEMPOTENCY_CONTEXT_KEY = "ai_bridge_idempotency_key"


def is_suite_channel(channel: str | None) -> bool:
    """Whether `channel` is one of the suite's lanes or a sub-channel of one."""
    return bool(channel) and any(channel == lane or channel.startswith(f"{lane}.") for lane in SUITE_CHANNELS)


class QueueJob(models.Model):
    _inherit = "queue.job"
    # queue_job refuses RPC writes to these (its EDIT_SENTINEL); the idempotency key is one of them
    _protected_fields = (*QueueJobBase._protected_fields, "ai_bridge_idempotency_key")

    ai_bridge_idempotency_key = fields.Char(
        string="Idempotency Key",
        readonly=True,
        copy=False,
        help="Enqueueing with the same key again returns this job, even once it is done.",
    )

    _sql_constraints = [
        (
            "ai_bridge_idempotency_key_uniq",
            "unique(ai_bridge_idempotency_key)",
            "A job with this idempotency key exists already.",
        ),
    ]

    # === PRODUCER API (the suite's modules) === #
    @api.model
    def _ai_bridge_enqueue(
        self,
        records,
        method_name,
        *args,
        channel,
        idempotency_key=None,
        description=None,
        priority=None,
        eta=None,
        **kwargs,
    ):
        """Enqueue `records.<method_name>(*args, **kwargs)` as a job of the suite, in the caller's transaction.

        What it adds to ``with_delay()``: the job runs in the records' company; an idempotency key makes a
        second enqueue return the first job even after it is done (queue_job's identity_key only looks at jobs
        not yet done); the number of attempts comes from the settings.

        :param records: the recordset the job method runs on
        :param str method_name: a ``_job_...`` method declared as a job function on one of `SUITE_CHANNELS`
        :param str channel: one of `SUITE_CHANNELS`
        :param str idempotency_key: e.g. ``"ai.decision:42"``
        :return: the ``queue.job`` record (empty inside queue_job's ``trap_jobs()``, which stores nothing)
        """
        if not is_suite_channel(channel) or not method_name.startswith(JOB_METHOD_PREFIX):
            raise ValueError(f"invalid suite job {records._name}.{method_name} on {channel}")
        if idempotency_key:
            existing = self.sudo().search([("ai_bridge_idempotency_key", "=", idempotency_key)], limit=1)
            if existing:
                return existing
        company = self.env["ai.bridge.client"]._company_for(records[:1])
        delayed = records.with_company(company).with_context(**{IDEMPOTENCY_CONTEXT_KEY: idempotency_key})
        job = getattr(
            delayed.with_delay(
                channel=channel,
                description=description,
                priority=priority,
                eta=eta,
                max_retries=self._ai_bridge_max_attempts(),
            ),
            method_name,
        )(*args, **kwargs)
        return job.db_record()

    @api.model
    def _ai_bridge_max_attempts(self):
        return int(
            self.env["ir.config_parameter"].sudo().get_param("ai_bridge_core.job_max_attempts", DEFAULT_MAX_ATTEMPTS)
        )

    # === INSIDE A JOB === #
    @api.model
    def _ai_bridge_current(self):
        """The job being performed (from queue_job's ``job_uuid`` context key), or an empty recordset."""
        job_uuid = self.env.context.get("job_uuid")
        return self.sudo().search([("uuid", "=", job_uuid)], limit=1) if job_uuid else self.sudo().browse()

    @api.model
    def _ai_bridge_retry_later(self, message, retry_after=None):
        """Raise queue_job's RetryableJobError with the suite's backoff: exponential with jitter, never sooner
        than the remote service's ``retry-after``.

        :raise RetryableJobError: always
        """
        attempt = self._ai_bridge_current().retry + 1  # queue_job counts this run once it ends
        raise RetryableJobError(message, seconds=round(retry_delay(attempt, retry_after)))

    @api.model
    def _ai_bridge_attempts_left(self):
        """Whether the job being performed may still be retried (outside a job: no)."""
        job = self._ai_bridge_current()
        return bool(job) and (not job.max_retries or job.retry + 1 < job.max_retries)

    def write(self, vals):
        # EXTENDS queue_job, which posts the failure message before writing: hand it the values being written
        records = self
        if vals.get("state") == "failed":
            failure = {key: vals.get(key) for key in ("retry", "exc_name", "exc_message")}
            records = self.with_context(ai_bridge_failure=failure)
        return super(QueueJob, records).write(vals)

    def _message_failed_job(self):
        # EXTENDS queue_job: what its managers (the suite's AI Bridge managers among them) read on a failure
        if not is_suite_channel(self.channel):
            return super()._message_failed_job()
        failure = self.env.context.get("ai_bridge_failure") or {}
        return _(
            "%(job)s failed after %(attempts)s attempt(s): %(error)s",
            job=self.name,
            attempts=failure.get("retry") or self.retry,
            error=failure.get("exc_message") or failure.get("exc_name") or _("see the exception information"),
        )

    # === DEAD WORKERS === #
    @api.model
    def _cron_ai_bridge_requeue_dead_jobs(self):
        """Give jobs whose worker died back to the runner, counting the lost run as an attempt.

        A worker holds a session-level advisory lock on its job for the whole run (controllers/main.py); when
        its process dies, PostgreSQL ends the session and frees the lock. A "started" job whose lock this
        transaction can take has therefore lost its worker. The state is changed only if it is still "started"
        in the row: a worker that finished in between makes the update fail to serialize, and the job is left
        alone. A job that kills its worker at every run ends failed after its attempts, instead of holding a
        slot of its channel forever.
        """
        started = self.sudo().search([("state", "=", STARTED)])
        for record in started:
            try:
                with self.env.cr.savepoint():
                    self.env.cr.execute(
                        SQL("SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", RUN_LOCK_NAMESPACE, record.uuid)
                    )
                    if not self.env.cr.fetchone()[0]:
                        continue  # its worker is alive
                    record._ai_bridge_requeue_dead()
            except psycopg2.errors.SerializationFailure:
                continue  # finished meanwhile

    def _ai_bridge_requeue_dead(self):
        self.ensure_one()
        job = Job.load(self.env, self.uuid)
        job.retry += 1
        message = _("The worker running this job stopped (attempt %(attempt)s).", attempt=job.retry)
        _logger.warning("Job %s lost its worker (attempt %s of %s)", job.uuid, job.retry, job.max_retries)
        if job.max_retries and job.retry >= job.max_retries:
            job.set_failed(exc_name="WorkerDied", exc_message=message, exc_info=message)
            job.store()
        else:
            job.set_pending(result=message, reset_retry=False)
            job.store()

    # === DEMO AND TOOLS === #
    def _ai_bridge_perform_now(self):
        """Perform these pending jobs in the current transaction, as the runner would but without committing: for
        data files (demo) that must show the outcome as soon as the module is installed."""
        for record in self.filtered(lambda job: job.state == "pending"):
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.perform()
            job.set_done()
            job.store()


class Base(models.AbstractModel):
    _inherit = "base"

    def _job_store_values(self, job):
        # EXTENDS queue_job: the idempotency key given to `queue.job._ai_bridge_enqueue`, stored with the job
        values = super()._job_store_values(job)
        key = self.env.context.get(IDEMPOTENCY_CONTEXT_KEY)
        if key:
            values["ai_bridge_idempotency_key"] = key
        return values
