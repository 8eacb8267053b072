import math
import random
from datetime import datetime, timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from odoo.addons.queue_job.exception import RetryableJobError

MAX_JITTER = 5  # seconds added at most to a postponement (never a whole window), so postponed jobs spread out
KEPT_SECONDS = 3600  # seconds of counters kept; older rows are deleted as new windows open
EPOCH = datetime(1970, 1, 1)


class AiBridgeRateWindow(models.Model):
    """Requests made to a remote service in one time window (a second, a minute), counted for every worker of every
    server at once: Anthropic's requests per minute, Slack's messages per second and channel.

    Requests past the limit are postponed to later windows, in turn: each row also carries, from window to window,
    the last window handed out to a postponed request (`queued_until`) and how many requests were sent there.
    """

    _name = "ai.bridge.rate.window"
    _description = "Remote Service Requests per Time Window"
    _order = "window_start desc, id desc"

    service = fields.Char(required=True, readonly=True)
    seconds = fields.Integer(string="Window (seconds)", required=True, readonly=True)
    window_start = fields.Datetime(required=True, readonly=True, index=True)
    count = fields.Integer(readonly=True, help="Requests asked for in this window, the postponed ones included.")
    queued_until = fields.Datetime(readonly=True, help="The last window a postponed request was sent to.")
    queued_count = fields.Integer(readonly=True, help="The postponed requests sent to that window.")

    _sql_constraints = [
        ("service_window_uniq", "unique(service, seconds, window_start)", "One counter per service and window.")
    ]

    @api.model
    def _take_slot(self, service, limit, seconds=60):
        """Count one request to `service`; past `limit` requests in the current window of `seconds`, postpone the
        job instead, to the first window after those already handed out to postponed requests.

        The counter is written in its own transaction (READ COMMITTED), committed at once: concurrent workers see
        each other's requests and wait for each other's increments, and a job rolled back later still counts the
        request it made. Windows are aligned on the clock (a minute starts at :00). Postponed requests queue up, a
        window's worth at a time, so a burst drains at the limit's pace: a job comes back in its own window, and
        one that finds it taken (by a new request) goes to the end of the queue, not into the next job's window.

        :param str service: the counter, e.g. "anthropic" or "slack:C0123"
        :param int limit: the requests allowed per window (0: no limit)
        :param int seconds: the window's length, e.g. 60 for requests per minute, 1 for messages per second
        :raise RetryableJobError: over the limit, with the seconds until the job's turn; queue_job does not count
            the postponement as an attempt (``ignore_retry``), so a long burst cannot exhaust a job's retries
        """
        if not limit:
            return
        now = datetime.now()  # the clock of queue_job's ETAs, microseconds included (Odoo's drops them)
        start = EPOCH + timedelta(seconds=int((now - EPOCH).total_seconds()) // seconds * seconds)
        window = {"service": service, "seconds": seconds, "start": start}
        with self.env["ai.bridge.client"]._committed_env() as env:
            if env.cr is not self.env.cr:
                # Odoo's transactions are REPEATABLE READ: a counter incremented by another worker since this
                # statement's snapshot would fail with a serialization error, which queue_job retries as a counted
                # attempt. READ COMMITTED makes the upsert wait for that worker and add to its count instead.
                env.cr.execute(SQL("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
            # The row stays locked until the commit: the requests of this window are counted and queued one by one.
            env.cr.execute(
                SQL(
                    """
                    INSERT INTO ai_bridge_rate_window
                           (service, seconds, window_start, count, queued_until, queued_count, create_date, write_date)
                    SELECT %(service)s, %(seconds)s, %(start)s, 1, previous.queued_until, previous.queued_count,
                           %(now)s, %(now)s
                      FROM (SELECT 1) AS one
                      LEFT JOIN LATERAL (
                               SELECT queued_until, queued_count
                                 FROM ai_bridge_rate_window
                                WHERE service = %(service)s AND seconds = %(seconds)s AND window_start < %(start)s
                             ORDER BY window_start DESC
                                LIMIT 1
                           ) AS previous ON TRUE
                    ON CONFLICT (service, seconds, window_start)
                      DO UPDATE SET count = ai_bridge_rate_window.count + 1
                      RETURNING count, queued_until, queued_count
                    """,
                    **window,
                    now=now.replace(microsecond=0),
                )
            )
            count, queued_until, queued_count = env.cr.fetchone()
            if count == 1:  # a new window: forget old ones
                env.cr.execute(
                    SQL(
                        "DELETE FROM ai_bridge_rate_window WHERE window_start < %s",
                        start - timedelta(seconds=max(KEPT_SECONDS, seconds)),
                    )
                )
            if count <= limit:
                return
            turn = start + timedelta(seconds=seconds)
            if queued_until and queued_until >= turn:
                turn, queued_count = (
                    (queued_until, queued_count + 1)
                    if queued_count < limit
                    else (queued_until + timedelta(seconds=seconds), 1)
                )
            else:
                queued_count = 1
            env.cr.execute(
                SQL(
                    """
                    UPDATE ai_bridge_rate_window SET queued_until = %(turn)s, queued_count = %(queued_count)s
                     WHERE service = %(service)s AND seconds = %(seconds)s AND window_start = %(start)s
                    """,
                    **window,
                    turn=turn,
                    queued_count=queued_count,
                )
            )
        # queue_job sets the ETA to now + these whole seconds: rounding up lands in the first second of `turn`
        wait = math.ceil((turn - now).total_seconds()) + random.randint(0, min(MAX_JITTER, seconds - 1))
        if seconds == 60:
            message = _("%(service)s: %(limit)s requests per minute reached.", service=service, limit=limit)
        elif seconds == 1:
            message = _("%(service)s: %(limit)s requests per second reached.", service=service, limit=limit)
        else:
            message = _(
                "%(service)s: %(limit)s requests per %(seconds)s seconds reached.",
                service=service,
                limit=limit,
                seconds=seconds,
            )
        raise RetryableJobError(message, seconds=max(wait, 1), ignore_retry=True)
