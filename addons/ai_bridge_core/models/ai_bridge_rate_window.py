import random
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from odoo.addons.queue_job.exception import RetryableJobError

MAX_JITTER = 5  # seconds added to a postponement, so that postponed jobs do not all wake up at once
KEPT_WINDOWS = 60  # minutes of counters kept; older rows are deleted as new ones are written


class AiBridgeRateWindow(models.Model):
    """Requests made to a remote service in one minute, counted for every worker of every server at once."""

    _name = "ai.bridge.rate.window"
    _description = "Remote Service Requests per Minute"
    _order = "minute desc"

    service = fields.Char(required=True, readonly=True)
    minute = fields.Datetime(required=True, readonly=True)
    count = fields.Integer(readonly=True)

    _sql_constraints = [("service_minute_uniq", "unique(service, minute)", "One counter per service and minute.")]

    @api.model
    def _take_slot(self, service, per_minute):
        """Count one request to `service`; past `per_minute` requests this minute, postpone the job instead.

        The counter is written in its own transaction, committed at once: concurrent workers see each other's
        requests, and a job rolled back later still counts the request it made.

        :param str service: e.g. "anthropic"
        :param int per_minute: the limit (0: none)
        :raise RetryableJobError: over the limit, with the seconds left in this minute; the attempt is not counted
        """
        if not per_minute:
            return
        now = fields.Datetime.now()  # Odoo's clock, as for queue_job's ETAs and crons
        minute = now.replace(second=0, microsecond=0)
        with self.env["ai.bridge.client"]._committed_env() as env:
            env.cr.execute(
                SQL(
                    """
                    INSERT INTO ai_bridge_rate_window (service, minute, count, create_date, write_date)
                         VALUES (%(service)s, %(minute)s, 1, %(now)s, %(now)s)
                    ON CONFLICT (service, minute) DO UPDATE SET count = ai_bridge_rate_window.count + 1
                      RETURNING count
                    """,
                    service=service,
                    minute=minute,
                    now=now,
                )
            )
            count = env.cr.fetchone()[0]
            if count == 1:  # a new minute: forget old ones
                env.cr.execute(
                    SQL(
                        "DELETE FROM ai_bridge_rate_window WHERE minute < %s",
                        minute - timedelta(minutes=KEPT_WINDOWS),
                    )
                )
        seconds_left = 60 - (now - minute).total_seconds()
        if count > per_minute:
            raise RetryableJobError(
                _("%(service)s: %(limit)s requests per minute reached.", service=service, limit=per_minute),
                seconds=int(seconds_left) + 1 + random.randint(0, MAX_JITTER),
                ignore_retry=True,
            )
