from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase

from .common import PortalCustomerExtCommon
from .order_tracking_common import OrderTrackingCommon


class TestSaleOrderPortalStatus(PortalCustomerExtCommon, OrderTrackingCommon, TransactionCase):
    """`sale.order.pce_portal_status` follows a real order: confirm, partial delivery with backorder, full
    delivery, receipt, invoice, payment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_reorder_fixtures()  # product_a: goods (consumable, delivered), product_b: a service

    def _new_order(self, lines):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": qty}) for product, qty in lines],
            }
        )

    def test_order_life(self) -> None:
        order = self._new_order([(self.product_a, 5.0), (self.product_b, 1.0)])
        self.assertEqual(self.stored_status(order), "quoted")
        order.action_quotation_sent()
        self.assertEqual(self.stored_status(order), "quoted")

        order.action_confirm()
        self.assertEqual(self.stored_status(order), "confirmed")

        first = self.ship(order, quantity=2.0)
        self.assertEqual(len(order.picking_ids), 2, "a backorder for the 3 left")
        self.assertEqual(self.stored_status(order), "partially_shipped")

        backorder = self.ship(order)
        self.assertEqual(self.stored_status(order), "shipped")

        self.receive(first)
        self.assertEqual(self.stored_status(order), "shipped", "one delivery still on its way")
        self.receive(backorder)
        self.assertEqual(self.stored_status(order), "delivered")

        invoice = self.invoice(order)
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(self.stored_status(order), "invoiced")

        # paid in two instalments, a few days after the invoice: the paid step is dated with the second one
        first_payment, last_payment = invoice.invoice_date + timedelta(days=3), invoice.invoice_date + timedelta(days=9)
        self.pay(invoice, payment_date=first_payment, amount=invoice.amount_total / 2)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(self.stored_status(order), "invoiced")
        self.assertEqual(self._paid_step(order), (False, None))
        self.pay(invoice, payment_date=last_payment)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.stored_status(order), "paid")

        steps = {step.code: step for step in order._pce_get_order_status(order._pce_get_invoice_paid_dates()).timeline}
        self.assertEqual(list(steps), ["quoted", "confirmed", "shipped", "delivered", "invoiced", "paid"])
        self.assertTrue(all(step.reached for step in steps.values()))
        self.assertEqual(steps["shipped"].date, backorder.date_done)
        self.assertEqual(steps["invoiced"].date, invoice.invoice_date)
        self.assertEqual(steps["paid"].date, last_payment)
        self.assertIsNone(order._pce_get_order_status().timeline[-1].date, "no paid date asked for")

    def _paid_step(self, order) -> tuple:
        """:return: (reached, date) of the timeline's paid step, with the invoices' paid dates."""
        step = order._pce_get_order_status(order._pce_get_invoice_paid_dates()).timeline[-1]
        self.assertEqual(step.code, "paid")
        return step.reached, step.date

    def test_paid_date_of_several_invoices(self) -> None:
        """Invoiced in two parts: the order became paid when the later-paid invoice was, whatever their order."""
        self.product_b.invoice_policy = "delivery"  # a service (nothing to deliver), invoiced as it is done
        order = self._new_order([(self.product_b, 2.0)])
        order.action_confirm()
        order.order_line.qty_delivered = 1.0
        today = fields.Date.context_today(order)
        first = self.invoice(order)
        order.order_line.qty_delivered = 2.0
        second = self.invoice(order)
        self.pay(second, payment_date=today + timedelta(days=2))
        self.assertEqual(self._paid_step(order), (False, None), "the first invoice is still open")
        self.pay(first, payment_date=today + timedelta(days=5))
        self.assertEqual(self.stored_status(order), "paid")
        self.assertEqual(self._paid_step(order), (True, today + timedelta(days=5)))
        # a payment dated before the invoice: paid when the invoice was posted (the reconciliation's date)
        other = self._new_order([(self.product_b, 1.0)])
        other.action_confirm()
        other.order_line.qty_delivered = 1.0
        invoice = self.invoice(other)
        self.pay(invoice, payment_date=invoice.invoice_date - timedelta(days=4))
        self.assertEqual(self._paid_step(other), (True, invoice.date))

    def test_credit_note_and_cancel(self) -> None:
        """A fully reversed invoice: the order is no longer invoiced; a cancelled order is cancelled."""
        order = self._new_order([(self.product_b, 2.0)])  # a service: nothing to deliver
        order.action_confirm()
        self.assertEqual(self.stored_status(order), "delivered")
        invoice = self.invoice(order)
        self.assertEqual(self.stored_status(order), "invoiced")
        reversal = self.env["account.move.reversal"].with_context(active_model="account.move", active_ids=invoice.ids)
        reversal.create({"journal_id": invoice.journal_id.id, "reason": "test"}).refund_moves()
        order.order_line.invoice_lines.move_id.filtered(lambda m: m.move_type == "out_refund").action_post()
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertEqual(self.stored_status(order), "delivered")

        quotation = self._new_order([(self.product_a, 1.0)])
        quotation._action_cancel()
        self.assertEqual(self.stored_status(quotation), "cancelled")

    def test_received_date_only_on_done_deliveries(self) -> None:
        order = self._new_order([(self.product_a, 1.0)])
        order.action_confirm()
        with self.assertRaises(ValidationError):
            self.receive(order.picking_ids)
