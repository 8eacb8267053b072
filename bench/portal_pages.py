"""Portal pages of portal_customer_ext against their stock siblings, as the customer's history grows.

Copies the database (``<db>_pce_bench``, dropped at the end), gives one portal customer 20, then 200, then 2,000
confirmed orders, delivered (shipped and received) and invoiced, every other one paid (by
``sale.order._pce_demo_progress``), and at each size times each page (p50/p95 of RUNS requests after a warm-up)
through Odoo's real WSGI application in this process, counting the SQL queries of each request
(``odoo.sql_db.sql_counter``):

- ``/my/order-tracking`` vs stock ``/my/orders``;
- ``/my/order-tracking/<id>`` vs stock ``/my/orders/<id>`` (the same order);
- ``/my/statement`` (another part of the module; skipped with a note while it answers 404) vs stock ``/my/invoices``.

Goal: at most 1.1 x the stock sibling's latency at 2,000 orders, at most 3 queries more, constant in the number
of orders.

    scripts/bench portal_pages [--sizes 20,200,2000] [--runs 30]
"""

import argparse
import contextlib
import statistics
import time

import psycopg2
from werkzeug.test import Client

import odoo
import odoo.sql_db
from odoo.fields import Command
from odoo.modules.registry import Registry

LOGIN = "pce_bench_portal"
ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}
PAIRS = [
    ("/my/order-tracking", "/my/orders"),
    ("/my/order-tracking/{order_id}", "/my/orders/{order_id}"),
    ("/my/statement", "/my/invoices"),
]


def copy_database(source: str, target: str) -> None:
    connection = psycopg2.connect(**odoo.sql_db.connection_info_for("postgres")[1])
    connection.autocommit = True
    with connection.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    connection.close()


def drop_database(name: str) -> None:
    odoo.sql_db.close_db(name)
    connection = psycopg2.connect(**odoo.sql_db.connection_info_for("postgres")[1])
    connection.autocommit = True
    with connection.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    connection.close()


def setup_customer(database: str) -> dict:
    """A customer company, its portal user and two products (one delivered, one service)."""
    with Registry(database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        customer = env["res.partner"].create({"name": "PCE Bench Customer", "is_company": True})
        user = env["res.users"].create(
            {
                "name": "PCE Bench Portal",
                "login": LOGIN,
                "password": LOGIN,
                "parent_id": customer.id,
                "groups_id": [Command.set([env.ref("base.group_portal").id])],
            }
        )
        goods, service = env["product.product"].create(
            [
                {"name": "PCE Bench Widget", "type": "consu", "list_price": 10.0},
                {"name": "PCE Bench Service", "type": "service", "list_price": 30.0},
            ]
        )
        return {"customer": customer.id, "user": user.id, "goods": goods.id, "service": service.id}


def add_orders(database: str, ids: dict, count: int, batch: int = 200) -> None:
    """`count` orders of the customer: confirmed, delivered, invoiced and posted (every other one paid), in batches
    of `batch` orders, each moved on at once by `sale.order._pce_demo_progress`."""
    with Registry(database).cursor() as cr:
        env = odoo.api.Environment(
            cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
        )
        for start in range(0, count, batch):
            size = min(batch, count - start)
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": ids["customer"],
                        "order_line": [
                            Command.create({"product_id": ids["goods"], "product_uom_qty": 1 + i % 4}),
                            Command.create({"product_id": ids["service"], "product_uom_qty": 1}),
                        ],
                    }
                    for i in range(size)
                ]
            )
            orders.action_confirm()
            orders._pce_demo_progress("invoiced")
            orders[::2]._pce_demo_progress("paid")
            cr.commit()
            env.invalidate_all()


def some_order(database: str, customer_id: int) -> int:
    with Registry(database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        return env["sale.order"].search([("partner_id", "=", customer_id)], order="date_order desc, id desc")[2].id


def login(database: str, user_login: str = LOGIN) -> Client:
    """:return: a WSGI client signed in as `user_login` (its password is its login)"""
    client = Client(odoo.http.root)
    response = client.post(
        "/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": database, "login": user_login, "password": user_login}},
        environ_base=ENVIRON,
    )
    assert "error" not in response.get_json(), response.get_json()
    return client


def measure(client: Client, url: str, runs: int) -> dict | None:
    """:return: p50, p95 (ms) and queries per request of `url`, or None when it answers 404."""
    response = client.get(url, environ_base=ENVIRON)
    if response.status_code == 404:
        return None
    assert response.status_code == 200, (url, response.status_code)
    client.get(url, environ_base=ENVIRON)  # warm-up
    samples, queries = [], []
    for _ in range(runs):
        before = odoo.sql_db.sql_counter
        start = time.perf_counter()
        response = client.get(url, environ_base=ENVIRON)
        samples.append((time.perf_counter() - start) * 1000)
        queries.append(odoo.sql_db.sql_counter - before)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))],
        "queries": statistics.median(queries),
    }


def parse_arguments(description: str, copy_suffix: str):
    """Parse the page benchmarks' arguments and point Odoo at the copy of the database they measure.

    :return: (arguments, sizes, name of the copy `<db>_<copy_suffix>`)
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-d", "--database", required=True, help="a database with the suite (copied, not changed)")
    parser.add_argument("--sizes", default="20,200,2000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--keep", action="store_true", help=f"keep the copy <db>_{copy_suffix}")
    args = parser.parse_args()
    bench_db = f"{args.database}_{copy_suffix}"
    odoo.tools.config.parse_config(
        ["-c", "odoo.conf", "-d", bench_db, "--db-filter", f"^{bench_db}$", "--addons-path", args.addons_path]
        + ["--log-level", "warn"]
    )
    return args, [int(size) for size in args.sizes.split(",")], bench_db


def main() -> None:
    args, sizes, bench_db = parse_arguments(__doc__.splitlines()[0], "pce_bench")
    copy_database(args.database, bench_db)
    try:
        ids = setup_customer(bench_db)
        rows, created = [], 0
        notes = set()
        for size in sizes:
            start = time.perf_counter()
            add_orders(bench_db, ids, size - created)
            created = size
            print(f"{size} orders for the customer ({time.perf_counter() - start:.0f} s to add them)", flush=True)
            client = login(bench_db)
            order_id = some_order(bench_db, ids["customer"])
            for ours_url, stock_url in PAIRS:
                ours = measure(client, ours_url.format(order_id=order_id), args.runs)
                stock = measure(client, stock_url.format(order_id=order_id), args.runs)
                if ours is None:
                    notes.add(f"{ours_url} answers 404 (not in this database yet): skipped")
                rows.append((size, ours_url, stock_url, ours, stock))
        print()
        print(f"{'orders':>6}  {'page':<30} {'p50 ms':>7} {'p95 ms':>7} {'SQL':>4}   {'stock page':<22} "
              f"{'p50 ms':>7} {'p95 ms':>7} {'SQL':>4}   {'p50 x':>5} {'SQL +':>5}")  # fmt: skip
        for size, ours_url, stock_url, ours, stock in rows:
            stock_cells = f"{stock['p50']:7.1f} {stock['p95']:7.1f} {stock['queries']:4.0f}"
            if ours is None:
                print(f"{size:>6}  {ours_url:<30} {'-':>7} {'-':>7} {'-':>4}   {stock_url:<22} {stock_cells}")
                continue
            print(
                f"{size:>6}  {ours_url:<30} {ours['p50']:7.1f} {ours['p95']:7.1f} {ours['queries']:4.0f}   "
                f"{stock_url:<22} {stock_cells}   {ours['p50'] / stock['p50']:5.2f} "
                f"{ours['queries'] - stock['queries']:+5.0f}"
            )
        for note in sorted(notes):
            print(f"note: {note}")
        print("goal: p50 x <= 1.10 at the largest size, SQL + <= 3, SQL constant across sizes")
    finally:
        if not args.keep:
            with contextlib.suppress(Exception):
                drop_database(bench_db)


if __name__ == "__main__":
    main()
