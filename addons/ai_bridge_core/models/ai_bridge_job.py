import logging
import threading
from datetime import timedelta

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.backoff import retry_delay

_logger = logging.getLogger(__name__)

JOB_STATES = [
    ("pending", "Pending"),
    ("running", "Running"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("dead", "Dead"),
    ("cancelled", "Cancelled"),
]
DEFAULT_MAX_ATTEMPTS = 5  # queue_job's default too
HANDLER_PREFIX = "_job_"  # only methods named like this can be run by a job


class JobRetryableError(Exception):
    """Raised by a job handler for a passing failure (timeout, 429, 5xx): the job is retried later.

    :param retry_after: seconds the remote service asked to wait, if it said so
    """

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class AiBridgeJob(models.Model):
    _name = "ai.bridge.job"
    _description = "Outbox Job"
    _inherit = ["mail.thread", "ai.bridge.audit.mixin"]
    _order = "id desc"

    _running_timeout = 15 * 60  # seconds; longer than limit_time_real_cron, so only a dead worker's job is stale
    _done_retention = 30  # days
    _max_contended_claims = 10  # claims lost to other workers in one run before leaving the queue to them

    # === FIELDS ===#
    name = fields.Char(required=True, readonly=True)
    kind = fields.Char(
        required=True, index=True, readonly=True, help="What the job does, e.g. ai.decision or slack.post."
    )
    handler_model = fields.Char(required=True, readonly=True)
    handler_method = fields.Char(required=True, readonly=True)
    payload = fields.Json(readonly=True)
    target = fields.Char(
        readonly=True, help="Where the call goes (service, channel, endpoint), for people reading the queue."
    )
    res_model = fields.Char(string="Origin Model", index=True, readonly=True)
    res_id = fields.Many2oneReference(string="Origin Record", model_field="res_model", readonly=True)
    idempotency_key = fields.Char(
        readonly=True, copy=False, help="Enqueueing the same key twice returns the first job."
    )
    state = fields.Selection(JOB_STATES, required=True, default="pending", index=True, readonly=True, tracking=True)
    priority = fields.Integer(default=10, readonly=True, help="Lower runs first.")
    attempt_count = fields.Integer(readonly=True, default=0)
    max_attempts = fields.Integer(
        readonly=True,
        default=lambda self: int(
            self.env["ir.config_parameter"].sudo().get_param("ai_bridge_core.job_max_attempts", DEFAULT_MAX_ATTEMPTS)
        ),
    )
    next_attempt_at = fields.Datetime(default=fields.Datetime.now, required=True, index=True, readonly=True)
    started_at = fields.Datetime(readonly=True)
    finished_at = fields.Datetime(readonly=True)
    last_error = fields.Text(readonly=True)
    result = fields.Json(readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        ("idempotency_key_uniq", "unique(idempotency_key)", "A job with this idempotency key already exists."),
    ]

    def init(self):
        # The claim query scans due pending jobs in this order.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS ai_bridge_job_due_idx ON ai_bridge_job (priority, next_attempt_at, id) "
                "WHERE state IN ('pending', 'running')"
            )
        )

    # === PRODUCER API ===#
    @api.model
    def _enqueue(
        self,
        kind,
        handler,
        payload=None,
        *,
        name=None,
        record=None,
        target=None,
        idempotency_key=None,
        priority=10,
        delay=0,
        max_attempts=None,
    ):
        """Write one job in the caller's transaction and wake the outbox cron after commit.

        The call itself happens later, in the cron, so a user's request never waits on a remote service, and a
        rolled-back business transaction never leaves a job behind.

        :param str kind: what the job does, e.g. "ai.decision"
        :param str handler: "model.name._job_method": the method run with the job as argument
        :param dict payload: JSON-serialisable data for the handler
        :param record: the business record the job is about, if any
        :param str idempotency_key: enqueueing the same key again returns the existing job
        :param int delay: seconds before the first attempt
        :return: the job
        """
        handler_model, _dot, handler_method = handler.rpartition(".")
        self._check_handler(handler_model, handler_method)
        if idempotency_key:
            existing = self.sudo().search([("idempotency_key", "=", idempotency_key)], limit=1)
            if existing:
                return existing
        values = {
            "name": name or kind,
            "kind": kind,
            "handler_model": handler_model,
            "handler_method": handler_method,
            "payload": payload or {},
            "target": target,
            "idempotency_key": idempotency_key,
            "priority": priority,
            "next_attempt_at": fields.Datetime.now() + timedelta(seconds=delay),
            "res_model": record._name if record else False,
            "res_id": record.id if record else False,
            "company_id": self._company_for(record).id,
        }
        if max_attempts:
            values["max_attempts"] = max_attempts
        job = self._create_audited(values)
        if not self.env.context.get("ai_bridge_skip_cron_trigger"):
            self.env.ref("ai_bridge_core.ir_cron_ai_bridge_process_outbox")._trigger()
        return job

    @api.model
    def _check_handler(self, model_name, method_name):
        """Only ``_job_`` methods of installed models run as jobs; checked on enqueue and again before each run.

        :raise ValueError: for any other name
        """
        if model_name not in self.env or not (method_name or "").startswith(HANDLER_PREFIX):
            raise ValueError(f"invalid job handler {model_name}.{method_name}")

    @api.model
    def _company_for(self, record):
        """The company a record's outside calls belong to: its own, or the current one for shared records."""
        if record and "company_id" in record and record.company_id:
            return record.company_id
        return self.env.company

    # === CRON ===#
    @api.model
    def _cron_process_outbox(self, batch_size=20):
        """Run due jobs, one claimed row at a time, committing after each so that every side effect is recorded.

        Several workers (threads, processes, servers) can run this at once: each claim takes a row lock with
        SKIP LOCKED and moves the job to `running` in one statement, so two workers never get the same job. A
        worker that dies leaves its job `running`; after `_running_timeout` the claim query takes it again.

        :param int batch_size: jobs run before handing back to the cron scheduler
        """
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        done = contended = 0
        while done < batch_size:
            job = self._claim_next_job()
            if job is None:  # lost a race for a row: a new transaction sees the queue as it is now
                contended += 1
                if not auto_commit or contended > self._max_contended_claims:
                    break
                self.env.cr.commit()  # pylint: disable=invalid-commit
                continue
            if not job:
                break
            job._run()
            done += 1
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        remaining = self._count_due()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _cron_purge(self, batch_size=1000):
        """Delete done and cancelled jobs older than `_done_retention` days, in batches."""
        limit_date = fields.Datetime.now() - timedelta(days=self._done_retention)
        domain = [("state", "in", ("done", "cancelled")), ("finished_at", "<", limit_date)]
        jobs = self.sudo().search(domain, limit=batch_size)
        jobs.unlink()
        remaining = self.sudo().search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(jobs), remaining=remaining)

    @api.model
    def _claim_next_job(self):
        """Claim the next due job (or a stale running one) for this worker.

        One UPDATE with a sub-select `FOR NO KEY UPDATE SKIP LOCKED`: rows another worker is claiming are
        skipped, not waited for, and NO KEY keeps foreign keys to the job from blocking (see ir.cron). Odoo's
        cursors are REPEATABLE READ, so a row that another worker claimed and committed after this transaction's
        snapshot raises a serialization failure: that row is theirs, as in ir.cron._acquire_one_job.

        :return: the job; an empty recordset when nothing is due; None when the claim lost such a race
        """
        now = fields.Datetime.now()
        self.flush_model()
        try:
            with self.env.cr.savepoint(flush=False):
                row = self._execute_claim(now)
        except psycopg2.errors.SerializationFailure:
            return None
        if not row:
            return self.browse()
        job = self.browse(row[0])
        job.invalidate_recordset(["state", "started_at", "attempt_count", "write_date", "write_uid"], flush=False)
        return job

    def _execute_claim(self, now):
        self.env.cr.execute(
            SQL(
                """
                UPDATE ai_bridge_job
                   SET state = 'running', started_at = %(now)s, attempt_count = attempt_count + 1,
                       write_date = %(now)s, write_uid = %(uid)s
                 WHERE id = (
                        SELECT id FROM ai_bridge_job
                         WHERE (state = 'pending' AND next_attempt_at <= %(now)s)
                            OR (state = 'running' AND started_at < %(stale)s)
                      ORDER BY priority, next_attempt_at, id
                         LIMIT 1
                           FOR NO KEY UPDATE SKIP LOCKED)
             RETURNING id
                """,
                now=now,
                stale=now - timedelta(seconds=self._running_timeout),
                uid=self.env.uid,
            ),
            log_exceptions=False,
        )
        return self.env.cr.fetchone()

    @api.model
    def _count_due(self):
        return self.sudo().search_count([("state", "=", "pending"), ("next_attempt_at", "<=", fields.Datetime.now())])

    # === EXECUTION ===#
    def _run_now(self):
        """Claim and run these pending jobs in the current transaction, as the cron would but without committing:
        for data files (demo) that must show the outcome as soon as the module is installed."""
        for job in self.filtered(lambda job: job.state == "pending"):
            job._write_audited(
                {"state": "running", "started_at": fields.Datetime.now(), "attempt_count": job.attempt_count + 1}
            )
            job._run()

    def _run(self):
        """Run this claimed job's handler in a savepoint and record the outcome; never raises.

        A handler reports a passing failure either by raising JobRetryableError (its writes are rolled back) or by
        calling `job._retry_later()` itself and returning (its writes, such as a usage record, are kept).
        """
        self.ensure_one()
        try:
            self._check_handler(self.handler_model, self.handler_method)
            handler = getattr(self.env[self.handler_model].sudo().with_company(self.company_id), self.handler_method)
            with self.env.cr.savepoint():
                result = handler(self)
        except JobRetryableError as error:
            self._retry_later(str(error), error.retry_after)
        except Exception as error:  # noqa: BLE001 - a handler's bug must not stop the queue
            _logger.warning("Outbox job %s (%s) failed: %s", self.id, self.kind, error)
            self._finish("failed", error=str(error) or error.__class__.__name__)
        else:
            if self.state == "running":
                self._finish("done", result=result)

    def _retry_later(self, error, retry_after=None):
        if self.attempt_count >= self.max_attempts:
            self._finish("dead", error=error)
            self._notify_dead()
            return
        delay = retry_delay(self.attempt_count, retry_after)
        self._write_audited(
            {
                "state": "pending",
                "last_error": error,
                "next_attempt_at": fields.Datetime.now() + timedelta(seconds=delay),
            }
        )
        self.env.ref("ai_bridge_core.ir_cron_ai_bridge_process_outbox")._trigger(self.next_attempt_at)

    def _finish(self, state, error=None, result=None):
        self._write_audited(
            {
                "state": state,
                "finished_at": fields.Datetime.now(),
                "last_error": error or False,
                "result": result if result is not None else self.result,
            }
        )

    def _notify_dead(self):
        managers = self.env.ref("ai_bridge_core.group_ai_bridge_manager").users.filtered(lambda user: not user.share)
        self.message_subscribe(partner_ids=managers.partner_id.ids)
        self.message_post(
            body=_(
                "This job was abandoned after %(count)s attempts. Last error: %(error)s",
                count=self.attempt_count,
                error=self.last_error,
            ),
            subtype_xmlid="ai_bridge_core.mt_job_dead",
        )

    # === ACTIONS ===#
    def action_retry(self):
        self._check_supervisor()
        if self.filtered(lambda job: job.state not in ("failed", "dead", "cancelled")):
            raise UserError(_("Only failed, dead or cancelled jobs can be retried."))
        self._write_audited(
            {"state": "pending", "attempt_count": 0, "next_attempt_at": fields.Datetime.now(), "finished_at": False}
        )
        self.env.ref("ai_bridge_core.ir_cron_ai_bridge_process_outbox").sudo()._trigger()

    def action_cancel(self):
        self._check_supervisor()
        if self.filtered(lambda job: job.state not in ("pending", "failed", "dead")):
            raise UserError(_("Only pending, failed or dead jobs can be cancelled."))
        self._write_audited({"state": "cancelled", "finished_at": fields.Datetime.now()})

    def _check_supervisor(self):
        """Retry and cancel are the only changes people make to jobs: AI Bridge managers, on jobs they can read."""
        self.check_access("read")
        if not self.env.user.has_group("ai_bridge_core.group_ai_bridge_manager"):
            raise AccessError(_("Only AI Bridge managers can retry or cancel jobs."))

    def action_open_origin(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
