from odoo import fields


class OrderTrackingCommon:
    """Helpers that drive an order through its life for the order tracking tests: ship (all or part of) its
    deliveries, receive them, invoice it and register the payment. Used with `PortalCustomerExtCommon`."""

    def ship(self, order, quantity: float | None = None):
        """Validate the open delivery of `order` for `quantity` (all of it when None; less leaves a backorder).

        :return: the validated picking"""
        picking = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing" and p.state != "done")[:1]
        self.assertTrue(picking, "an open delivery")
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if quantity is None else quantity
            move.picked = True
        picking._action_done()
        self.assertEqual(picking.state, "done")
        return picking

    def receive(self, pickings):
        pickings.pce_received_date = fields.Datetime.now()

    def invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def pay(self, invoices, payment_date=None, amount: float | None = None):
        """Register the payment of `invoices` (in full by default), dated `payment_date` (today by default)."""
        values = {key: value for key, value in (("payment_date", payment_date), ("amount", amount)) if value}
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoices.ids).create(
            values
        )._create_payments()

    def stored_status(self, order) -> str:
        """:return: the status as stored in the database (proves the compute was triggered and written)."""
        self.env.flush_all()
        self.env.cr.execute("SELECT pce_portal_status FROM sale_order WHERE id = %s", [order.id])
        return self.env.cr.fetchone()[0]
