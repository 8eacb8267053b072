from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from .common import PortalCustomerExtCommon


@tagged("post_install", "-at_install")
class TestOrderTrackingQueries(PortalCustomerExtCommon, HttpCaseWithUserPortal):
    """The list, detail and export of order tracking run a constant number of SQL queries whatever the number
    of orders (no query per row: pickings, invoices and lines are read in batch)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_reorder_fixtures()

    def _add_orders(self, count: int):
        """`count` confirmed orders of the customer, shipped, received and invoiced (every other one paid)."""
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create({"product_id": self.product_a.id, "product_uom_qty": 2.0}),
                        Command.create({"product_id": self.product_b.id, "product_uom_qty": 1.0}),
                    ],
                }
                for _ in range(count)
            ]
        )
        orders.action_confirm()
        orders._pce_demo_progress("invoiced")
        # the middle order of each run (see the detail page below) is a paid one
        orders[1::2]._pce_demo_progress("paid")
        self.env.flush_all()
        return orders

    def _queries(self, url: str) -> int:
        self.url_open(url)  # warm the caches (templates, session)
        before = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def test_query_count_constant(self) -> None:
        first = self._add_orders(3)
        self.authenticate(self.customer_user.login, self.customer_user.login)
        urls = [
            "/my/order-tracking",
            "/my/order-tracking?search=PCE&search_in=product&sortby=status",
            # in the middle of the list in both runs: the page links the previous and next orders of the list
            f"/my/order-tracking/{first[1].id}",
            "/my/order-tracking/export/csv",
            "/my/order-tracking/export/xlsx",
        ]
        few = {url: self._queries(url) for url in urls}
        self.assertTrue(all(count > 5 for count in few.values()), f"queries are counted: {few}")
        self._add_orders(27)
        many = {url: self._queries(url) for url in urls}
        self.assertEqual(many, few)
        self.assertIn(first[0].name, self.url_open("/my/order-tracking").text)
