from odoo.fields import Command

from .common import OvOutletCommon


class TestOutletSalesAnalysis(OvOutletCommon):
    """Known orders, known figures: revenue is untaxed and in company currency (USD), drafts and cancels are out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_order(cls.outlet_ghent, cls.rep_anna, amount=100.0, qty=2)  # 200
        cls._create_order(cls.outlet_ghent_kiosk, cls.rep_bruno, amount=300.0)  # 300
        cls._create_order(cls.outlet_austin, cls.rep_bruno, amount=400.0)  # 400
        cls._create_order(cls.outlet_austin, cls.rep_anna, amount=1000.0, confirm=False)  # draft: out
        cls._create_order(cls.outlet_ghent, cls.rep_anna, amount=5000.0)._action_cancel()  # cancelled: out
        eur = cls.setup_other_currency("EUR", rates=[("2000-01-01", 0.5)])
        eur_pricelist = cls.env["product.pricelist"].create({"name": "EUR list", "currency_id": eur.id})
        cls._create_order(
            cls.outlet_austin, cls.rep_anna, amount=100.0, pricelist_id=eur_pricelist.id
        )  # 100 EUR = 200 USD

    def _figures(self, groupby):
        groups = self.env["ov.outlet.sale.report"]._read_group(
            [("partner_id", "=", self.customer.id)],
            [groupby],
            ["order_count:sum", "revenue:sum", "average_order_value:avg"],
        )
        return {key: (count, round(revenue, 2), round(aov, 2)) for key, count, revenue, aov in groups}

    def test_by_channel_partner(self):
        self.assertEqual(
            self._figures("channel_partner_id"),
            {self.channel_north: (2, 500.0, 250.0), self.channel_south: (2, 600.0, 300.0)},
        )

    def test_by_outlet_and_site_city(self):
        self.assertEqual(
            self._figures("outlet_id"),
            {
                self.outlet_ghent: (1, 200.0, 200.0),
                self.outlet_ghent_kiosk: (1, 300.0, 300.0),
                self.outlet_austin: (2, 600.0, 300.0),
            },
        )
        self.assertEqual(self._figures("outlet_city"), {"Ghent": (2, 500.0, 250.0), "Austin": (2, 600.0, 300.0)})

    def test_by_sales_rep(self):
        self.assertEqual(
            self._figures("sales_rep_id"), {self.rep_anna: (2, 400.0, 200.0), self.rep_bruno: (2, 700.0, 350.0)}
        )

    def test_a_new_confirmed_order_shows_up(self):
        self._create_order(self.outlet_ghent, self.rep_anna, amount=50.0)
        self.assertEqual(self._figures("channel_partner_id")[self.channel_north], (3, 550.0, 183.33))

    def test_site_address_change_regroups_past_orders(self):
        self.site_austin.city = "Round Rock"
        self.assertEqual(self._figures("outlet_city")["Round Rock"], (2, 600.0, 300.0))

    def test_order_lines_do_not_multiply_rows(self):
        order = self._create_order(self.outlet_austin, self.rep_bruno, amount=10.0)
        order.write(
            {"order_line": [Command.create({"product_id": self.product.id, "price_unit": 15.0, "tax_id": False})]}
        )
        self.assertEqual(self._figures("sales_rep_id")[self.rep_bruno], (3, 725.0, 241.67))
