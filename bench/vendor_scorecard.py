"""The vendor scorecard page of portal_vendor_ext against stock /my/purchase, as the vendor's history grows.

Copies the database (``<db>_pve_bench``, dropped at the end), gives one vendor company (with a portal contact) 20,
then 200, then 2,000 confirmed purchase orders in the last 30 days, each received (a receipt done), acknowledged
a few hours after confirmation, every tenth with a vendor invoice submission, and a rival vendor the same products
(so that prices compare), then times each page (p50/p95 of RUNS requests after a warm-up) through Odoo's real WSGI
application in this process, counting the SQL queries of each request, with ``bench/portal_pages.py``'s helpers:

- ``/my/scorecard`` (default period, the last 30 days, with the 12-month trend charts) vs stock ``/my/purchase``.

Goal: at most 1.1 x the stock page's latency at 2,000 orders and a number of queries constant in the number of
orders.

    scripts/bench vendor_scorecard [--sizes 20,200,2000] [--runs 30]
"""

import contextlib
import time

from portal_pages import copy_database, drop_database, login, measure, parse_arguments

import odoo
from odoo.fields import Command
from odoo.modules.registry import Registry

LOGIN = "pve_bench_vendor"
PAIRS = [("/my/scorecard", "/my/purchase")]


def setup_vendor(database: str) -> dict:
    """A vendor company with its portal user, a rival vendor and three stored products."""
    with Registry(database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        vendor, rival = env["res.partner"].create(
            [{"name": "PVE Bench Vendor", "is_company": True}, {"name": "PVE Bench Rival", "is_company": True}]
        )
        user = env["res.users"].create(
            {
                "name": "PVE Bench Portal",
                "login": LOGIN,
                "password": LOGIN,
                "parent_id": vendor.id,
                "groups_id": [Command.set([env.ref("base.group_portal").id])],
            }
        )
        products = env["product.product"].create(
            [{"name": f"PVE Bench Part {index}", "is_storable": True, "purchase_ok": True} for index in range(3)]
        )
        return {"vendor": vendor.id, "rival": rival.id, "user": user.id, "products": products.ids}


def add_orders(database: str, ids: dict, count: int, batch: int = 100) -> None:
    """`count` orders of the vendor (and one of the rival per ten), confirmed, received, acknowledged 1 to 47 hours
    after confirmation; every tenth with a matched vendor invoice submission."""
    with Registry(database).cursor() as cr:
        env = odoo.api.Environment(
            cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
        )
        for start in range(0, count, batch):
            size = min(batch, count - start)
            vendors = [ids["vendor"]] * size + [ids["rival"]] * max(1, size // 10)
            orders = env["purchase.order"].create(
                [
                    {
                        "partner_id": partner_id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": ids["products"][(start + index) % 3],
                                    "product_qty": 1 + index % 5,
                                    "price_unit": 10.0 + index % 7,
                                }
                            )
                        ],
                    }
                    for index, partner_id in enumerate(vendors)
                ]
            )
            orders.button_confirm()
            pickings = orders.picking_ids
            for move in pickings.move_ids:
                move.quantity = move.product_uom_qty
            pickings.with_context(skip_backorder=True).button_validate()
            # acknowledgements with known delays (written directly: the portal action is not what is measured),
            # after the ORM's pending writes (confirming resets the acknowledgement)
            env.flush_all()
            cr.execute(
                "UPDATE purchase_order SET pve_acknowledged_date = date_approve + (id %% 47 + 1) * interval '1 hour'"
                " WHERE id = ANY(%s)",
                [orders.ids],
            )
            env["pve.vendor.invoice"].create(
                [
                    {
                        "partner_id": ids["vendor"],
                        "invoice_number": f"BENCH-{order.id}",
                        "state": "matched",
                        "file_name": f"BENCH-{order.id}.pdf",
                        "purchase_order_ids": [Command.set(order.ids)],
                    }
                    for order in orders[:size:10]
                ]
            )
            cr.commit()
            env.invalidate_all()


def main() -> None:
    args, sizes, bench_db = parse_arguments(__doc__.splitlines()[0], "pve_bench")
    copy_database(args.database, bench_db)
    try:
        ids = setup_vendor(bench_db)
        rows, created = [], 0
        for size in sizes:
            start = time.perf_counter()
            add_orders(bench_db, ids, size - created)
            created = size
            print(f"{size} orders for the vendor ({time.perf_counter() - start:.0f} s to add them)", flush=True)
            client = login(bench_db, LOGIN)
            for ours_url, stock_url in PAIRS:
                ours, stock = measure(client, ours_url, args.runs), measure(client, stock_url, args.runs)
                rows.append((size, ours_url, stock_url, ours, stock))
        print()
        print(f"{'orders':>6}  {'page':<16} {'p50 ms':>7} {'p95 ms':>7} {'SQL':>4}   {'stock page':<14} "
              f"{'p50 ms':>7} {'p95 ms':>7} {'SQL':>4}   {'p50 x':>5} {'SQL +':>5}")  # fmt: skip
        for size, ours_url, stock_url, ours, stock in rows:
            print(
                f"{size:>6}  {ours_url:<16} {ours['p50']:7.1f} {ours['p95']:7.1f} {ours['queries']:4.0f}   "
                f"{stock_url:<14} {stock['p50']:7.1f} {stock['p95']:7.1f} {stock['queries']:4.0f}   "
                f"{ours['p50'] / stock['p50']:5.2f} {ours['queries'] - stock['queries']:+5.0f}"
            )
        print("goal: p50 x <= 1.10 at the largest size, SQL constant across sizes")
    finally:
        if not args.keep:
            with contextlib.suppress(Exception):
                drop_database(bench_db)


if __name__ == "__main__":
    main()
