from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestOvOutletUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Tour Customer"})
        cls.channel = Partner.create({"name": "Tour Channel", "is_company": True, "ov_is_channel_partner": True})
        cls.rep = Partner.create({"name": "Tour Rep", "ov_is_sales_rep": True})
        site = Partner.create({"name": "Tour Site", "city": "Leuven", "country_id": cls.env.ref("base.be").id})
        cls.outlet = cls.env["ov.outlet"].create(
            {"name": "Tour Outlet", "code": "TOUR-1", "channel_partner_id": cls.channel.id, "site_partner_id": site.id}
        )

    def test_outlet_on_a_new_quotation_in_the_browser(self):
        self.start_tour(
            "/odoo/action-sale.action_quotations_with_onboarding", "ov_outlet_sale_order_tour", login="admin"
        )
        order = self.env["sale.order"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(
            (order.x_outlet_id, order.x_channel_partner_id, order.x_sales_rep_id), (self.outlet, self.channel, self.rep)
        )
