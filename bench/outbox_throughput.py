"""Job throughput of the suite's lanes: AI decision jobs run by queue_job's runner through a real Odoo server.

For each capacity of the root.ai lane, creates JOBS partners, runs the demo "AI: tag by industry" server action on
them (one root.ai job each) and lets queue_job's runner hand the jobs to an Odoo server process (threaded, as
scripts/serve runs), whose real anthropic SDK calls a local stub of the Messages API answering after LATENCY
seconds. It prints jobs per second against the ceiling capacity / latency, and for each run how long a job enqueued
on the messaging lane after all the AI jobs waited before it started (head-of-line blocking). A last run with the
stub answering at once and a capacity of 1 gives the overhead per job of one worker. Everything it created is
deleted at the end. Stop scripts/serve first: its own runner would take the jobs too.

    scripts/bench outbox_throughput [--jobs 500] [--capacities 1,4,16] [--latency 1.0] [--overhead-jobs 300]
"""

import argparse
import time

from _helpers import load

import odoo
from odoo.modules.registry import Registry

STUB_KEY = "sk-ant-bench"
PARAMS = {
    "ai_bridge_core.api_key": STUB_KEY,
    "ai_bridge_core.max_retries": "0",
    "ai_bridge_core.timeout": "30",
    "ai_bridge_core.monthly_budget": "0",
    "ai_bridge_core.requests_per_minute": "0",
}


def wait_done(database: str, job_ids: list[int], timeout: float) -> float:
    """Seconds until every job is done or failed (polled every 50 ms)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        with Registry(database).cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM queue_job WHERE id IN %s AND state NOT IN ('done', 'failed')", [tuple(job_ids)]
            )
            if not cr.fetchone()[0]:
                return time.perf_counter() - start
        time.sleep(0.05)
    raise TimeoutError(f"jobs not done after {timeout} s")


def one_run(database: str, job_runner, port: int, capacity: int, jobs: int, tag: str) -> dict:
    """Enqueue `jobs` AI jobs and one messaging job after them, then run them with the given root.ai capacity."""
    with Registry(database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        partners = env["res.partner"].create([{"name": f"Bench {tag} {n:04d}"} for n in range(jobs)])
        action = env.ref("ai_bridge_core.ai_bridge_action_partner_industry_demo")
        action.with_context(active_model="res.partner", active_ids=partners.ids).run()
        decisions = env["ai.bridge.decision"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        )
        messaging = env["queue.job"]._ai_bridge_enqueue(
            env["ai.bridge.decision"], "_job_resolve", channel="root.messaging", description="bench: messaging"
        )
        cr.commit()
        ai_job_ids, messaging_id, partner_ids = decisions.job_id.ids, messaging.id, partners.ids
    runner = job_runner.JobRunner(port=port, channels=f"root:{capacity + 2},root.ai:{capacity},root.messaging:2")
    runner.start()
    try:
        elapsed = wait_done(database, ai_job_ids + [messaging_id], timeout=max(120.0, 4 * jobs))
    finally:
        runner.stop()
    with Registry(database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        messaging = env["queue.job"].browse(messaging_id)
        first_ai_start = min(env["queue.job"].browse(ai_job_ids).mapped("date_started"))
        messaging_wait = (messaging.date_started - first_ai_start).total_seconds()
        decisions = env["ai.bridge.decision"].search([("job_id", "in", ai_job_ids)])
        env["ai.bridge.usage"].search([("decision_id", "in", decisions.ids)]).unlink()
        jobs_to_delete = decisions.job_id | messaging
        decisions.unlink()
        jobs_to_delete.unlink()
        env["res.partner"].browse(partner_ids).unlink()
        cr.commit()
    return {"elapsed": elapsed, "messaging_wait": messaging_wait}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--capacities", default="1,4,16")
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--overhead-jobs", type=int, default=300)
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        ["-c", "odoo.conf", "-d", args.database, "--addons-path", args.addons_path, "--log-level", "warn"]
    )
    odoo.modules.module.initialize_sys_path()
    fake, job_runner = load("ai_bridge_core", "fake_anthropic"), load("ai_bridge_core", "job_runner")

    answer = {"industry_id": "Construction", "confidence": 0.5, "reasoning": "benchmark"}
    usage = {"input_tokens": 500, "output_tokens": 40}
    with fake.FakeAnthropic(default_reply=fake.tool_reply(None, answer, usage=usage, delay=args.latency)) as stub:
        with Registry(args.database).cursor() as cr:
            params = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["ir.config_parameter"]
            saved = {key: params.get_param(key) for key in (*PARAMS, "ai_bridge_core.base_url")}
            for key, value in {**PARAMS, "ai_bridge_core.base_url": stub.url}.items():
                params.set_param(key, value)
            cr.commit()
        server = job_runner.OdooServer.of_project(args.database, args.addons_path, "bench_jobs_").start()
        try:
            for capacity in [int(value) for value in args.capacities.split(",")]:
                figures = one_run(args.database, job_runner, server.port, capacity, args.jobs, f"c{capacity}")
                ceiling = capacity / args.latency
                rate = args.jobs / figures["elapsed"]
                print(
                    f"root.ai capacity {capacity:2d}: {args.jobs} jobs in {figures['elapsed']:.1f} s = "
                    f"{rate:.2f} jobs/s; ceiling {ceiling:.1f} jobs/s (capacity / {args.latency:g} s latency); "
                    f"ratio {rate / ceiling:.2f}; a messaging job enqueued after them started "
                    f"{figures['messaging_wait']:.2f} s after the first AI job"
                )
            stub.default_reply = fake.tool_reply(None, answer, usage=usage)
            figures = one_run(args.database, job_runner, server.port, 1, args.overhead_jobs, "overhead")
            print(
                f"overhead: stub answering at once, one job at a time: {args.overhead_jobs} jobs in "
                f"{figures['elapsed']:.1f} s = {args.overhead_jobs / figures['elapsed']:.1f} jobs/s per worker "
                f"(runner dispatch, HTTP, claim, SDK call, usage, gating, chatter log, commits)"
            )
        finally:
            server.stop()
            with Registry(args.database).cursor() as cr:
                params = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["ir.config_parameter"]
                for key, value in saved.items():
                    params.set_param(key, value or False)
                cr.commit()


if __name__ == "__main__":
    main()
