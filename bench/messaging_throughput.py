"""Slack messages per second through the root.messaging lane, and what routing and logging add to each message.

For each capacity of the root.messaging lane, sends MESSAGES notifications with ``messaging.delivery._send``, each
to a user of its own and so to a Slack channel of its own (a direct message: the limit of about one message per
second and channel is not what is measured), timing the sends and counting their queries (routing, delivery log,
job creation). queue_job's runner then hands the delivery jobs to an Odoo server process (threaded, as scripts/serve
runs) whose real slack_sdk client posts to the tests' fake Slack Web API (``messaging_router.slack_base_url``),
answering after LATENCY seconds. It prints messages per second against the ceiling capacity / latency, and the time
a job spends beyond Slack's latency. A last run sends a burst of BURST messages to one Slack channel: they go out at
about one per second. Everything it created is deleted and the settings it changed are restored at the end. Stop
scripts/serve first: its own runner would take the jobs too.

    scripts/bench messaging_throughput [--messages 200] [--capacities 1,4] [--latency 0.1] [--burst 10]
                                       [--http-port PORT]
"""

import argparse
import itertools
import statistics
import time

from _helpers import load

import odoo
from odoo.modules.registry import Registry

TOKEN = "xoxb-bench-messaging"
NOTIFICATION_TYPE = "bench.messaging"
SLACK_ID_PREFIX = "UBENCHMSG"
LOGIN_PREFIX = "bench_messaging_"
PARAMS = ("messaging_router.slack_bot_token", "messaging_router.slack_base_url")


def environment(cr) -> odoo.api.Environment:
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "no_reset_password": True})


def setup(database: str, fake_url: str, users: int) -> tuple[dict, list[int]]:
    """Point Slack at the fake, add a Slack-only route for the benchmark's type and `users` users mapped to Slack
    users of their own; returns the settings replaced and the users' ids."""
    with Registry(database).cursor() as cr:
        env = environment(cr)
        params = env["ir.config_parameter"]
        saved = {key: params.get_param(key) for key in PARAMS}
        params.set_param("messaging_router.slack_bot_token", TOKEN)
        params.set_param("messaging_router.slack_base_url", fake_url)
        env["messaging.route"].create(
            {"name": "Benchmark", "notification_type": NOTIFICATION_TYPE, "channel": "slack", "critical": True}
        )
        created = env["res.users"].create(
            [
                {
                    "name": f"Bench Messaging {n:04d}",
                    "login": f"{LOGIN_PREFIX}{n:04d}",
                    "messaging_slack_user_id": f"{SLACK_ID_PREFIX}{n:04d}",
                }
                for n in range(users)
            ]
        )
        cr.commit()
        return saved, created.ids


def teardown(database: str, saved: dict, user_ids: list[int]) -> None:
    """Delete the deliveries, their jobs, the rate-limit counters, users and route; restore the settings."""
    with Registry(database).cursor() as cr:
        env = environment(cr)
        deliveries = env["messaging.delivery"].search([("notification_type", "=", NOTIFICATION_TYPE)])
        jobs = deliveries.job_id
        deliveries.unlink()
        jobs.unlink()
        cr.execute("DELETE FROM ai_bridge_rate_window WHERE service LIKE %s", [f"slack:{SLACK_ID_PREFIX}%"])
        users = env["res.users"].browse(user_ids).exists()
        partners = users.partner_id
        users.unlink()
        partners.unlink()
        env["messaging.route"].search([("notification_type", "=", NOTIFICATION_TYPE)]).unlink()
        for key, value in saved.items():
            env["ir.config_parameter"].set_param(key, value or False)
        cr.commit()


def send(database: str, user_ids: list[int]) -> dict:
    """One ``_send`` per user (one notification, one recipient each), committed; timed and queries counted
    without the commit."""
    with Registry(database).cursor() as cr:
        env = environment(cr)
        Delivery = env["messaging.delivery"]
        users = env["res.users"].browse(user_ids)
        users.mapped("partner_id.name")  # the recipients are read already, as a sender's recordset would be
        record = env.company.partner_id
        env.flush_all()
        queries, start = cr.sql_log_count, time.perf_counter()
        deliveries = Delivery.browse()
        for n, user in enumerate(users):
            deliveries |= Delivery._send(NOTIFICATION_TYPE, record, user, {"subject": f"Bench {n}", "body": "Hello"})
        env.flush_all()
        elapsed, queries = time.perf_counter() - start, cr.sql_log_count - queries
        cr.commit()
        return {
            "job_ids": deliveries.job_id.ids,
            "send_ms": 1000 * elapsed / len(users),
            "queries": queries / len(users),
        }


def run_jobs(database: str, job_runner, port: int, capacity: int, job_ids: list[int]) -> float:
    """Run the jobs with the runner at this root.messaging capacity; seconds from the runner's start to the last."""
    runner = job_runner.JobRunner(port=port, channels=f"root:{capacity + 2},root.messaging:{capacity}")
    start = time.perf_counter()
    runner.start()
    try:
        return wait_done(database, job_ids, timeout=max(120.0, 2 * len(job_ids))) - start
    finally:
        runner.stop()


def wait_done(database: str, job_ids: list[int], timeout: float) -> float:
    """perf_counter() when every job is done or failed (polled every 20 ms)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        with Registry(database).cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM queue_job WHERE id IN %s AND state NOT IN ('done', 'failed')", [tuple(job_ids)]
            )
            if not cr.fetchone()[0]:
                return time.perf_counter()
        time.sleep(0.02)
    raise TimeoutError(f"jobs not done after {timeout} s")


def job_figures(database: str, job_ids: list[int]) -> dict:
    """From queue_job's own timestamps: first start to last end, mean run time, states, attempts."""
    with Registry(database).cursor() as cr:
        cr.execute(
            """
            SELECT EXTRACT(EPOCH FROM max(date_done) - min(date_started)),
                   avg(EXTRACT(EPOCH FROM date_done - date_started)),
                   count(*) FILTER (WHERE state = 'done'), max(retry)
              FROM queue_job WHERE id IN %s
            """,
            [tuple(job_ids)],
        )
        span, mean_run, done, max_retry = cr.fetchone()
        cr.execute("SELECT state, count(*) FROM messaging_delivery WHERE job_id IN %s GROUP BY state", [tuple(job_ids)])
        states = dict(cr.fetchall())
    return {"span": float(span), "mean_run": float(mean_run), "done": done, "max_retry": max_retry, "states": states}


def slot_requests(database: str, slack_user: str) -> int:
    """How many times the deliveries to one Slack channel asked the rate limit for a slot (postponed ones too)."""
    with Registry(database).cursor() as cr:
        cr.execute(
            "SELECT coalesce(sum(count), 0) FROM ai_bridge_rate_window WHERE service = %s", [f"slack:{slack_user}"]
        )
        return cr.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--messages", type=int, default=200, help="per capacity, each to a Slack channel of its own")
    parser.add_argument("--capacities", default="1,4", help="root.messaging capacities (odoo.conf has 4)")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds the fake Slack takes to answer")
    parser.add_argument("--burst", type=int, default=10, help="messages to one Slack channel at once")
    parser.add_argument("--http-port", type=int, default=0, help="the Odoo server's port (default: a free one)")
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        ["-c", "odoo.conf", "-d", args.database, "--addons-path", args.addons_path, "--log-level", "warn"]
    )
    odoo.modules.module.initialize_sys_path()
    job_runner, fake_slack = load("ai_bridge_core", "job_runner"), load("messaging_router", "fake_slack")
    capacities = [int(value) for value in args.capacities.split(",")]

    with fake_slack.FakeSlack(expected_token=TOKEN, default_reply=fake_slack.auto_reply(delay=args.latency)) as slack:
        saved, user_ids = setup(args.database, slack.api_url, args.messages)
        server = None
        try:
            server = job_runner.OdooServer.of_project(
                args.database, args.addons_path, "bench_messaging_", args.http_port
            ).start()
            for capacity in capacities:
                sent = send(args.database, user_ids)
                slack.reset()
                wall = run_jobs(args.database, job_runner, server.port, capacity, sent["job_ids"])
                jobs = job_figures(args.database, sent["job_ids"])
                rate, ceiling = args.messages / jobs["span"], capacity / args.latency
                print(
                    f"root.messaging capacity {capacity}: {args.messages} messages to {args.messages} Slack channels "
                    f"in {jobs['span']:.2f} s (first job start to last end; {wall:.2f} s with the runner's start) = "
                    f"{rate:.1f} messages/s; ceiling {ceiling:.0f}/s (capacity / {args.latency:g} s); "
                    f"ratio {rate / ceiling:.2f}; deliveries {jobs['states']}, Slack requests {len(slack.requests)}"
                )
                print(
                    f"    per message: _send {sent['send_ms']:.1f} ms and {sent['queries']:.1f} queries (routing, "
                    f"delivery log, job); in the job {1000 * jobs['mean_run']:.0f} ms = Slack "
                    f"{1000 * args.latency:.0f} ms + {1000 * (jobs['mean_run'] - args.latency):.0f} ms overhead; "
                    f"end to end per worker {1000 * jobs['span'] * capacity / args.messages:.0f} ms"
                )
            burst_user = user_ids[:1] * args.burst
            sent = send(args.database, burst_user)
            slack.reset()
            run_jobs(args.database, job_runner, server.port, max(capacities), sent["job_ids"])
            jobs = job_figures(args.database, sent["job_ids"])
            arrivals = [request.received_at for request in slack.requests if request.api_method == "chat.postMessage"]
            gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
            slack_user = f"{SLACK_ID_PREFIX}0000"
            print(
                f"one Slack channel, capacity {max(capacities)}: {args.burst} messages at once reached Slack over "
                f"{arrivals[-1] - arrivals[0]:.2f} s = {(len(arrivals) - 1) / (arrivals[-1] - arrivals[0]):.2f} "
                f"messages/s (gaps {min(gaps):.2f}-{max(gaps):.2f} s, median {statistics.median(gaps):.2f} s); "
                f"{slot_requests(args.database, slack_user)} slot requests (postponements included), "
                f"at most {jobs['max_retry']} attempt per job; deliveries {jobs['states']}"
            )
        finally:
            if server:
                server.stop()
            teardown(args.database, saved, user_ids)


if __name__ == "__main__":
    main()
