from odoo.tests import Form

from .common import OvOutletCommon


class TestSaleOrderOutlet(OvOutletCommon):
    def test_choosing_an_outlet_proposes_its_channel_partner(self):
        with Form(self.env["sale.order"]) as order_form:
            order_form.partner_id = self.customer
            order_form.x_outlet_id = self.outlet_austin
            self.assertEqual(order_form.x_channel_partner_id, self.channel_south)
            order_form.x_outlet_id = self.outlet_ghent
            self.assertEqual(order_form.x_channel_partner_id, self.channel_north)
            order_form.x_sales_rep_id = self.rep_anna
        order = order_form.save()
        self.assertEqual(
            (order.x_outlet_id, order.x_channel_partner_id, order.x_sales_rep_id),
            (self.outlet_ghent, self.channel_north, self.rep_anna),
        )

    def test_manual_channel_partner_is_kept_when_the_outlet_has_none(self):
        lone_outlet = self.env["ov.outlet"].create(
            {"name": "Lone", "code": "LONE", "site_partner_id": self.site_austin.id}
        )
        order = self._create_order(confirm=False, x_channel_partner_id=self.channel_south.id)
        order.x_outlet_id = lone_outlet
        self.assertEqual(order.x_channel_partner_id, self.channel_south)

    def test_fields_are_carried_to_the_invoice(self):
        order = self._create_order(self.outlet_austin, self.rep_bruno, amount=250.0)
        invoice = order._create_invoices()
        self.assertEqual(invoice.x_outlet_id, self.outlet_austin)
        self.assertEqual(invoice.x_channel_partner_id, self.channel_south)
        self.assertEqual(invoice.x_sales_rep_id, self.rep_bruno)

    def test_orders_group_by_outlet_channel_partner_and_rep(self):
        self._create_order(self.outlet_ghent, self.rep_anna)
        self._create_order(self.outlet_ghent_kiosk, self.rep_bruno)
        self._create_order(self.outlet_austin, self.rep_bruno)
        domain = [("partner_id", "=", self.customer.id)]
        by_channel = dict(self.env["sale.order"]._read_group(domain, ["x_channel_partner_id"], ["__count"]))
        self.assertEqual(by_channel, {self.channel_north: 2, self.channel_south: 1})
        by_rep = dict(self.env["sale.order"]._read_group(domain, ["x_sales_rep_id"], ["__count"]))
        self.assertEqual(by_rep, {self.rep_anna: 1, self.rep_bruno: 2})
