"""Outbox throughput: AI decision jobs run by one cron worker against a local stub of the Anthropic API.

Creates JOBS partners and runs the demo "AI: tag by industry" server action on them, which queues one outbox job
each; then runs the outbox cron loop (real commits after each job, the real anthropic SDK talking HTTP to the
stub on 127.0.0.1) until the queue is empty. For comparison, it times the same number of bare seam calls to the
stub. Everything it created is deleted at the end.

    scripts/bench outbox_throughput [--jobs 200]
"""

import argparse
import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path

import odoo
from odoo.modules.registry import Registry

STUB_KEY = "sk-ant-bench"
PARAMS = ("ai_bridge_core.api_key", "ai_bridge_core.base_url", "ai_bridge_core.monthly_budget")


def load_fake_anthropic():
    """The stub server module, loaded by path: importing it as odoo.addons.ai_bridge_core.tests would import the
    whole test suite and Odoo's test framework."""
    path = Path(__file__).resolve().parent.parent / "addons/ai_bridge_core/tests/fake_anthropic.py"
    spec = importlib.util.spec_from_file_location("fake_anthropic", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--jobs", type=int, default=200)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", "odoo.conf", "-d", args.database, "--addons-path", args.addons_path])
    odoo.modules.module.initialize_sys_path()
    # the addons are importable only once Odoo knows its addons path
    from odoo.addons.ai_bridge_core.tools import anthropic_client
    from odoo.addons.ai_bridge_core.tools.anthropic_client import ClaudeRequest, ClaudeTool

    answer = {"industry_id": "Construction", "confidence": 0.5, "reasoning": "benchmark"}
    fake = load_fake_anthropic()
    with (
        fake.FakeAnthropic(
            default_reply=fake.tool_reply(None, answer, usage={"input_tokens": 500, "output_tokens": 40})
        ) as stub,
        Registry(args.database).cursor() as cr,
    ):
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        params = env["ir.config_parameter"]
        saved = {key: params.get_param(key) for key in PARAMS}
        params.set_param("ai_bridge_core.api_key", STUB_KEY)
        params.set_param("ai_bridge_core.base_url", stub.url)
        params.set_param("ai_bridge_core.monthly_budget", 0)
        action = env.ref("ai_bridge_core.ai_bridge_action_partner_industry_demo")
        partners = env["res.partner"].create([{"name": f"Bench Partner {n}"} for n in range(args.jobs)])
        action.with_context(active_model="res.partner", active_ids=partners.ids).run()
        cr.commit()

        Job = env["ai.bridge.job"]
        start = time.perf_counter()
        while Job._cron_process_outbox(batch_size=50):
            pass
        elapsed = time.perf_counter() - start
        decisions = env["ai.bridge.decision"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        )
        states = dict(Counter(decisions.mapped("state")))

        request = action._ai_tool_schema()
        bare = ClaudeRequest(
            model="claude-haiku-4-5",
            system_stable="bench",
            user_content="bench",
            tool=ClaudeTool("demo_partner_industry", "bench", request),
        )
        bare_start = time.perf_counter()
        for _ in range(args.jobs):
            anthropic_client.call_tool(STUB_KEY, bare, timeout=10, max_retries=0, base_url=stub.url)
        bare_elapsed = time.perf_counter() - bare_start

        jobs = decisions.job_id
        env["ai.bridge.usage"].search([("decision_id", "in", decisions.ids)]).unlink()
        decisions.unlink()
        jobs.unlink()
        partners.unlink()
        for key, value in saved.items():
            params.set_param(key, value or False)
        cr.commit()
    print(
        f"{args.jobs} outbox jobs (claim, HTTP call via the SDK, usage, gating, commit) in {elapsed:.2f} s: "
        f"{args.jobs / elapsed:.1f} jobs/s by one cron worker; decisions {states}"
    )
    print(
        f"{args.jobs} bare seam calls to the same stub in {bare_elapsed:.2f} s: {args.jobs / bare_elapsed:.1f} calls/s"
    )
    print(f"ratio outbox job / bare call time: {elapsed / bare_elapsed:.2f}")


if __name__ == "__main__":
    main()
