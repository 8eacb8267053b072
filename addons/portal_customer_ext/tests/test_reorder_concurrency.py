"""Two reorders of one order at once, on real, separate PostgreSQL connections: two quick clicks served by two
Odoo workers."""

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.ai_bridge_core.tests.common import ConcurrentTransactionsCase
from odoo.addons.portal_customer_ext.models.sale_order import REORDER_ENABLED_PARAM


@tagged("post_install", "-at_install")
class TestReorderConcurrency(ConcurrentTransactionsCase):
    def setUp(self):
        super().setUp()
        with self.db.cursor() as cr:
            env = self.connection_env(cr)
            self.enabled_before = env["ir.config_parameter"].get_param(REORDER_ENABLED_PARAM)
            env["ir.config_parameter"].set_param(REORDER_ENABLED_PARAM, "True")
            customer = env["res.partner"].create({"name": "PCE Concurrent Customer", "is_company": True})
            contact = env["res.partner"].create({"name": "PCE Concurrent Buyer", "parent_id": customer.id})
            # a service: goods would leave stock moves (sale_stock is installed with messaging_router), which keep
            # the product from being deleted at the end
            product = env["product.product"].create(
                {"name": "PCE Concurrent Widget", "list_price": 4.0, "type": "service"}
            )
            order = env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 6.0})],
                }
            )
            order.action_confirm()
            cr.commit()  # pylint: disable=invalid-commit
            self.partner_ids, self.product_id, self.order_id = (customer | contact).ids, product.id, order.id
            self.contact_id = contact.id
        self.addCleanup(self._delete_committed_records)

    def _delete_committed_records(self):
        with self.db.cursor() as cr:
            env = self.connection_env(cr)
            orders = env["sale.order"].search(
                ["|", ("id", "=", self.order_id), ("pce_reordered_from_id", "=", self.order_id)]
            )
            orders.write({"state": "cancel"})
            orders.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()
            env["ir.config_parameter"].set_param(REORDER_ENABLED_PARAM, self.enabled_before)
            cr.commit()  # pylint: disable=invalid-commit

    def _reorder(self, env):
        """What the reorder route does once it has checked access: reorder as the customer's contact."""
        order = env["sale.order"].browse(self.order_id)
        return order._pce_create_reorder(author=env["res.partner"].browse(self.contact_id))[0].id

    def test_two_concurrent_reorders_create_one_quotation(self):
        """B starts while A is reordering: B waits for A's lock, then returns A's quotation.

        B runs inside Odoo's own retry loop, as an HTTP request does: under REPEATABLE READ, B may be rolled
        back with a serialization failure once A commits, and then runs again on a fresh snapshot.
        """
        with self.db.cursor() as cr_a, self.db.cursor() as cr_b:
            env_a, env_b = self.connection_env(cr_a), self.connection_env(cr_b)
            # B's request has started (session, access check) before A commits: its snapshot is taken.
            self.assertEqual(env_b["sale.order"].browse(self.order_id).state, "sale")
            quotation_a = self._reorder(env_a)  # not committed yet
            results, errors, waited = self.race_behind_a_lock(cr_a, env_b, self._reorder)

        self.assertEqual(errors, [])
        with self.db.cursor() as cr:
            reorders = self.connection_env(cr)["sale.order"].search([("pce_reordered_from_id", "=", self.order_id)]).ids
        self.assertEqual(reorders, [quotation_a], "one quotation for the two requests")
        self.assertEqual(results, [quotation_a], "B lands on A's quotation")
        self.assertTrue(waited, "B waited for A's lock on the order")
