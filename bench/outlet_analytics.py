"""Outlet sales analysis vs Odoo's own sales analysis (sale.report) on the same confirmed orders.

Adds ORDERS confirmed orders spread over the demo outlets inside a transaction that is rolled back, then times
grouped reads of both reports (median of RUNS) and prints the figures and their ratio.

    scripts/bench outlet_analytics [--orders 600] [--runs 15]
"""

import argparse
import statistics
import time

import odoo
from odoo.fields import Command
from odoo.modules.registry import Registry


def timed(function, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--orders", type=int, default=600)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--addons-path", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", "odoo.conf", "-d", args.database, "--addons-path", args.addons_path])
    with Registry(args.database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        outlets = env["ov.outlet"].search([])
        reps = env["res.partner"].search([("ov_is_sales_rep", "=", True)])
        customers = env["res.partner"].search([("customer_rank", ">", 0)], limit=20)
        product = env["product.product"].search([("sale_ok", "=", True)], limit=1)
        assert outlets and reps and customers and product, "run it on a database with the suite's demo data"
        start = time.perf_counter()
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": customers[i % len(customers)].id,
                    "x_outlet_id": outlets[i % len(outlets)].id,
                    "x_sales_rep_id": reps[i % len(reps)].id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1 + i % 5})],
                }
                for i in range(args.orders)
            ]
        )
        orders.action_confirm()
        env.flush_all()
        print(f"created and confirmed {args.orders} orders in {time.perf_counter() - start:.1f} s")

        def outlet_report():
            env.invalidate_all()
            env["ov.outlet.sale.report"]._read_group(
                [], ["channel_partner_id", "outlet_id"], ["order_count:sum", "revenue:sum", "average_order_value:avg"]
            )

        def stock_report():
            env.invalidate_all()
            env["sale.report"]._read_group([("state", "=", "sale")], ["partner_id"], ["price_subtotal:sum", "__count"])

        ours, stock = timed(outlet_report, args.runs), timed(stock_report, args.runs)
        rows = env["ov.outlet.sale.report"].search_count([])
        print(
            f"ov.outlet.sale.report by channel partner and outlet: {ours:.1f} ms (median of {args.runs}, {rows} rows)"
        )
        print(f"sale.report by customer (Odoo's own):                {stock:.1f} ms")
        print(f"ratio ours / stock: {ours / stock:.2f}")
        cr.rollback()


if __name__ == "__main__":
    main()
