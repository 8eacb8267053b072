"""A product that confirmed orders wait for runs out of stock: a critical alert, at once, once per stock-out."""

from odoo import fields
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import MessagingCommon


@tagged("post_install", "-at_install")
class TestStockOutAlert(MessagingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.messaging_sale_approval_amount = 0.0
        cls.salesperson = new_test_user(cls.env, login="stockout_salesperson", groups="sales_team.group_sale_salesman")
        cls.inventory_manager = new_test_user(cls.env, login="stockout_manager", groups="stock.group_stock_manager")
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.product = cls.env["product.product"].create({"name": "Stock-out Stool", "is_storable": True})
        cls._set_on_hand(cls.product, 5)

    @classmethod
    def _set_on_hand(cls, product, quantity):
        """An inventory adjustment, as a stock user does it: a done move to or from the inventory loss."""
        quant = (
            cls.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": product.id,
                    "location_id": cls.warehouse.lot_stock_id.id,
                    "inventory_quantity": quantity,
                }
            )
        )
        quant.action_apply_inventory()

    def _confirmed_order(self, product, quantity=3):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesperson.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": quantity})],
            }
        )
        order.action_confirm()
        return order

    def _alerts(self):
        return self.env["messaging.delivery"].search(
            [
                ("notification_type", "=", "alert.critical"),
                ("res_model", "=", "product.product"),
                ("res_id", "=", self.product.id),
            ]
        )

    def test_running_out_while_orders_wait_alerts_salespersons_and_inventory_managers_once(self):
        hour = fields.Datetime.now().hour
        self.salesperson.partner_id.write(
            {"tz": "UTC", "messaging_quiet_start": (hour - 1) % 24, "messaging_quiet_end": (hour + 2) % 24}
        )
        order = self._confirmed_order(self.product)
        self._set_on_hand(self.product, 0)
        alerts = self._alerts()
        self.assertLessEqual(
            self.salesperson.partner_id | self.inventory_manager.partner_id, alerts.partner_id, "one per recipient"
        )
        self.assertNotIn(self.employee.partner_id, alerts.partner_id)
        self.assertIn(order.name, alerts[0].body)
        self.assertFalse(any(alerts.job_id.mapped("eta")), "a critical alert ignores the salesperson's quiet hours")
        self._set_on_hand(self.product, -2)  # another move out while still out of stock: no second alert
        self.assertEqual(self._alerts(), alerts)

    def test_a_restock_rearms_the_alert(self):
        self._confirmed_order(self.product, 10)
        self._set_on_hand(self.product, 0)
        first = self._alerts()
        self._set_on_hand(self.product, 2)
        self.assertEqual(self._alerts(), first, "back in stock: nothing to say")
        self._set_on_hand(self.product, 0)
        second = self._alerts() - first
        self.assertEqual(second.partner_id, first.partner_id)

    def test_no_alert_when_no_order_waits(self):
        self._set_on_hand(self.product, 0)
        self.assertFalse(self._alerts())
