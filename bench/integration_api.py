"""ov_outlet's REST API against Odoo's own JSON-RPC doing the same, in the same run.

Copies the database (``<db>_api_bench``, dropped at the end), gives an integration user two keys (one for the REST
API, one for JSON-RPC), then sends each request through Odoo's real WSGI application in this process, first one at a
time (p50/p95 latency, SQL queries per request), then from several threads at once (requests per second):

- ``POST /api/sale.order`` (a draft order with two lines, answered with the whole order) against JSON-RPC
  ``sale.order.web_save`` with the same values and a specification of the same fields (what the web client does);
- ``GET /api/ov.outlet/{id}`` (the outlet with its channel partner and site address) against JSON-RPC
  ``ov.outlet.web_read`` of the same fields.

    scripts/bench integration_api [--runs 200] [--threads 4]
"""

import argparse
import contextlib
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from portal_pages import copy_database, drop_database
from werkzeug.test import Client

import odoo
import odoo.sql_db
from odoo.fields import Command
from odoo.modules.registry import Registry

ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}
ADDRESS_SPEC = {"street": {}, "street2": {}, "zip": {}, "city": {}, "state_id": {"fields": {"code": {}, "name": {}}}}
ADDRESS_SPEC["country_id"] = {"fields": {"code": {}, "name": {}}}
OUTLET_SPEC = {
    "code": {},
    "name": {},
    "active": {},
    "channel_partner_id": {"fields": {"name": {}, "ref": {}, "email": {}}},
    "site_partner_id": {"fields": {"name": {}, **ADDRESS_SPEC}},
}
ORDER_SPEC = {
    "name": {},
    "state": {},
    "date_order": {},
    "validity_date": {},
    "partner_id": {"fields": {"name": {}, "email": {}}},
    "x_outlet_id": {"fields": {"code": {}, "name": {}}},
    "x_channel_partner_id": {"fields": {"name": {}}},
    "x_sales_rep_id": {"fields": {"name": {}}},
    "pricelist_id": {"fields": {"name": {}}},
    "currency_id": {},  # ids only: the integration user may not read currencies and units (REST reads them as sudo)
    "order_line": {
        "fields": {
            "product_id": {"fields": {"default_code": {}, "name": {}}},
            "product_uom_qty": {},
            "product_uom": {},
            "price_unit": {},
            "discount": {},
            "price_subtotal": {},
            "price_total": {},
        }
    },
    "amount_untaxed": {},
    "amount_tax": {},
    "amount_total": {},
    "note": {},
    "client_order_ref": {},
}


def setup(database: str) -> dict:
    """The integration user's keys, a customer, an outlet and two products."""
    with Registry(database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        user = env.ref("ov_outlet.user_ov_outlet_api")
        Keys = env["res.users.apikeys"].with_user(user).sudo()
        channel = env["res.partner"].create(
            {"name": "Bench Channel", "is_company": True, "ov_is_channel_partner": True}
        )
        site = env["res.partner"].create(
            {"name": "Bench Site", "street": "Meir 1", "city": "Antwerp", "country_id": env.ref("base.be").id}
        )
        outlet = env["ov.outlet"].create(
            {"name": "Bench Outlet", "code": "BENCH", "channel_partner_id": channel.id, "site_partner_id": site.id}
        )
        products = env["product.product"].create(
            [{"name": "Bench Scooter", "list_price": 900.0}, {"name": "Bench Battery", "list_price": 60.0}]
        )
        return {
            "uid": user.id,
            "api_key": Keys._generate("ov_outlet_api", "bench", None),
            "rpc_key": Keys._generate(None, "bench rpc", None),
            "customer": env["res.partner"]
            .create({"name": "Bench Customer", "email": "bench@example.com", "customer_rank": 1})
            .id,
            "outlet": outlet.id,
            "products": products.ids,
        }


def rest_requests(ids: dict) -> dict:
    headers = {"Authorization": f"Bearer {ids['api_key']}"}
    order = {
        "customer_id": ids["customer"],
        "outlet_id": ids["outlet"],
        "note": "bench",
        "lines": [{"product_id": product, "quantity": 2} for product in ids["products"]],
    }
    return {
        "create order": ("POST", "/api/sale.order", {"json": order, "headers": headers}, 201),
        "read outlet": ("GET", f"/api/ov.outlet/{ids['outlet']}", {"headers": headers}, 200),
    }


def rpc_requests(database: str, ids: dict) -> dict:
    def call(model, method, args, kwargs):
        params = {"service": "object", "method": "execute_kw"}
        params["args"] = [database, ids["uid"], ids["rpc_key"], model, method, args, kwargs]
        return ("POST", "/jsonrpc", {"json": {"jsonrpc": "2.0", "method": "call", "params": params}}, 200)

    values = {
        "partner_id": ids["customer"],
        "x_outlet_id": ids["outlet"],
        "note": "bench",
        "order_line": [Command.create({"product_id": product, "product_uom_qty": 2}) for product in ids["products"]],
    }
    return {
        "create order": call("sale.order", "web_save", [[], values], {"specification": ORDER_SPEC}),
        "read outlet": call("ov.outlet", "web_read", [[ids["outlet"]]], {"specification": OUTLET_SPEC}),
    }


def send(client: Client, request: tuple):
    method, url, options, expected = request
    response = client.open(url, method=method, environ_base=ENVIRON, **options)
    assert response.status_code == expected, (url, response.status_code, response.get_data(as_text=True)[:300])
    if url == "/jsonrpc":
        assert "error" not in response.get_json(), response.get_json()


def sequential(request: tuple, runs: int) -> dict:
    client = Client(odoo.http.root)
    for _ in range(3):
        send(client, request)  # warm-up
    samples, queries = [], []
    for _ in range(runs):
        before = odoo.sql_db.sql_counter
        start = time.perf_counter()
        send(client, request)
        samples.append((time.perf_counter() - start) * 1000)
        queries.append(odoo.sql_db.sql_counter - before)
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))],
        "queries": statistics.median(queries),
    }


def concurrent(request: tuple, runs: int, threads: int) -> float:
    """:return: requests per second with `threads` clients sending `runs` requests in all"""
    local = threading.local()

    def one(_):
        if not hasattr(local, "client"):
            local.client = Client(odoo.http.root)
        send(local.client, request)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(threads)))  # warm-up, one client per thread
        start = time.perf_counter()
        list(pool.map(one, range(runs)))
        return runs / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True, help="a database with the suite (copied, not changed)")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--keep", action="store_true", help="keep the copy <db>_api_bench")
    args = parser.parse_args()
    bench_db = f"{args.database}_api_bench"
    # The database by --database alone, as a single-database server runs: API requests carry no session, and with a
    # --db-filter Odoo would connect to PostgreSQL at each one to list the databases
    odoo.tools.config.parse_config(
        ["-c", "odoo.conf", "-d", bench_db, "--addons-path", args.addons_path]
        + ["--log-level", "warn", "--db_maxconn", str(args.threads * 2 + 8)]
    )
    copy_database(args.database, bench_db)
    try:
        ids = setup(bench_db)
        rest, rpc = rest_requests(ids), rpc_requests(bench_db, ids)
        print(f"{args.runs} requests each; one at a time, then {args.threads} threads (in-process WSGI)")
        print(f"{'request':<14} {'API':<26} {'p50 ms':>7} {'p95 ms':>7} {'SQL':>4} {'req/s':>6}")
        results = {}
        for name in rest:
            for label, request in (("REST", rest[name]), ("JSON-RPC", rpc[name])):
                figures = sequential(request, args.runs)
                figures["rps"] = concurrent(request, args.runs, args.threads)
                results[name, label] = figures
                shown = f"{label} {request[1]}"[:26]
                print(
                    f"{name:<14} {shown:<26} {figures['p50']:7.1f} {figures['p95']:7.1f} {figures['queries']:4.0f} "
                    f"{figures['rps']:6.1f}",
                    flush=True,
                )
        for name in rest:
            ours, theirs = results[name, "REST"], results[name, "JSON-RPC"]
            print(
                f"{name}: REST/JSON-RPC p50 x {ours['p50'] / theirs['p50']:.2f}, "
                f"p95 x {ours['p95'] / theirs['p95']:.2f}, req/s x {ours['rps'] / theirs['rps']:.2f}, "
                f"SQL {ours['queries'] - theirs['queries']:+.0f}"
            )
    finally:
        if not args.keep:
            with contextlib.suppress(Exception):
                drop_database(bench_db)


if __name__ == "__main__":
    main()
