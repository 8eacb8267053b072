"""Two acknowledgements of one order at once, on real, separate PostgreSQL connections: two vendor contacts (or
two quick clicks) served by two Odoo workers."""

from functools import partial

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.ai_bridge_core.tests.common import ConcurrentTransactionsCase
from odoo.addons.portal_vendor_ext.models.purchase_order import ACK_REQUIRED_PARAM


@tagged("post_install", "-at_install")
class TestAcknowledgeConcurrency(ConcurrentTransactionsCase):
    def setUp(self):
        super().setUp()
        with self.db.cursor() as cr:
            env = self.connection_env(cr)
            self.enabled_before = env["ir.config_parameter"].get_param(ACK_REQUIRED_PARAM)
            env["ir.config_parameter"].set_param(ACK_REQUIRED_PARAM, "True")
            vendor = env["res.partner"].create({"name": "PVE Concurrent Supplies", "is_company": True})
            contact_a, contact_b = env["res.partner"].create(
                [{"name": "PVE Desk A", "parent_id": vendor.id}, {"name": "PVE Desk B", "parent_id": vendor.id}]
            )
            # a service: goods would leave a receipt (when stock is installed), which keeps the product from being
            # deleted at the end
            product = env["product.product"].create(
                {"name": "PVE Concurrent Bolt", "purchase_ok": True, "type": "service"}
            )
            order = env["purchase.order"].create(
                {
                    "partner_id": vendor.id,
                    "order_line": [Command.create({"product_id": product.id, "product_qty": 3.0, "price_unit": 2.0})],
                }
            )
            order.button_confirm()
            cr.commit()  # pylint: disable=invalid-commit
            self.partner_ids = (vendor | contact_a | contact_b).ids
            self.product_id, self.order_id = product.id, order.id
            self.contact_a_id, self.contact_b_id = contact_a.id, contact_b.id
        self.addCleanup(self._delete_committed_records)

    def _delete_committed_records(self):
        with self.db.cursor() as cr:
            env = self.connection_env(cr)
            order = env["purchase.order"].browse(self.order_id)
            order.write({"state": "cancel"})
            order.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()
            env["ir.config_parameter"].set_param(ACK_REQUIRED_PARAM, self.enabled_before)
            cr.commit()  # pylint: disable=invalid-commit

    def _acknowledge(self, env, contact_id: int) -> bool:
        """What the acknowledge route does once it has checked access and the user."""
        return env["purchase.order"].browse(self.order_id)._pve_acknowledge(env["res.partner"].browse(contact_id))

    def test_two_concurrent_acknowledgements_record_one(self):
        """B starts while A acknowledges: B's write waits for A, is rolled back once A commits (REPEATABLE READ)
        and, retried by Odoo as an HTTP request is, finds the order acknowledged and changes nothing."""
        with self.db.cursor() as cr_a, self.db.cursor() as cr_b:
            env_a, env_b = self.connection_env(cr_a), self.connection_env(cr_b)
            self.assertFalse(env_b["purchase.order"].browse(self.order_id).pve_acknowledged_date)
            self.assertTrue(self._acknowledge(env_a, self.contact_a_id))
            env_a.flush_all()  # A's row is written, not committed
            results, errors, waited = self.race_behind_a_lock(
                cr_a, env_b, partial(self._acknowledge, contact_id=self.contact_b_id)
            )

        self.assertEqual(errors, [])
        self.assertEqual(results, [False], "B changed nothing")
        self.assertTrue(waited, "B waited for A")
        with self.db.cursor() as cr:
            order = self.connection_env(cr)["purchase.order"].browse(self.order_id)
            self.assertEqual(order.pve_acknowledged_by_id.id, self.contact_a_id)
            messages = order.message_ids.filtered(lambda message: "Order acknowledged by" in (message.body or ""))
            self.assertEqual(len(messages), 1)
