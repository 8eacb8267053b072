from odoo.tests import TransactionCase

from .common import PortalCatalogCommon


class TestCatalogPricing(PortalCatalogCommon, TransactionCase):
    """Prices and availability of the portal catalog, computed by product.product in one batch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_catalog_fixtures()
        cls.products = cls.widget | cls.bolt | cls.nut | cls.service | cls.consumable

    def _prices(self, user):
        Product = self.env["product.product"].with_user(user)
        currency, prices = Product.browse(self.products.ids)._pce_get_catalog_prices(user.partner_id, self.company)
        return currency, {product_id: info["price"] for product_id, info in prices.items()}, prices

    def test_customer_pricelist_prices(self) -> None:
        """The customer's pricelist: the fixed price of the widget, 10 % off the rest; the list price only for
        comparison."""
        currency, prices, details = self._prices(self.customer_user)
        self.assertEqual(currency, self.company.currency_id)
        self.assertEqual(
            prices,
            {self.widget.id: 70.0, self.bolt.id: 9.0, self.nut.id: 4.5, self.service.id: 18.0, self.consumable.id: 1.8},
        )
        self.assertEqual(details[self.widget.id]["list_price"], 100.0)
        self.assertTrue(details[self.widget.id]["discounted"])

    def test_contact_gets_commercial_partner_prices(self) -> None:
        """A contact without a pricelist of their own gets their company's."""
        _currency, prices, _details = self._prices(self.colleague_user)
        self.assertEqual(prices[self.widget.id], 70.0)

    def test_customer_without_pricelist_gets_list_price(self) -> None:
        currency, prices, details = self._prices(self.plain_user)
        self.assertEqual(currency, self.company.currency_id)
        self.assertEqual(prices[self.widget.id], 100.0)
        self.assertEqual(prices[self.service.id], 20.0)
        self.assertFalse(details[self.widget.id]["discounted"])

    def test_pricelist_currency(self) -> None:
        """A pricelist in another currency prices in that currency (rate 2)."""
        currency, prices, _details = self._prices(self.rival_user)
        self.assertEqual(currency, self.eur)
        self.assertAlmostEqual(prices[self.widget.id], 200.0)
        self.assertAlmostEqual(prices[self.bolt.id], 20.0)

    def test_availability(self) -> None:
        """In stock above the threshold, low at or below it, out at zero; services and untracked products are
        available; quantities hidden by default."""
        availability = self.products._pce_get_catalog_availability(self.company)
        self.assertEqual(
            {product_id: info["status"] for product_id, info in availability.items()},
            {
                self.widget.id: "in_stock",
                self.bolt.id: "low",
                self.nut.id: "out",
                self.service.id: "available",
                self.consumable.id: "available",
            },
        )
        self.assertTrue(all(info["qty"] is None for info in availability.values()))

    def test_availability_settings(self) -> None:
        """Exact quantities when the setting says so; the threshold is a setting."""
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("portal_customer_ext.catalog_show_exact_qty", "True")
        params.set_param("portal_customer_ext.catalog_low_stock_threshold", "2")
        availability = self.products._pce_get_catalog_availability(self.company)
        self.assertEqual(availability[self.widget.id], {"status": "in_stock", "qty": 50.0})
        self.assertEqual(availability[self.bolt.id], {"status": "in_stock", "qty": 3.0})
        self.assertEqual(availability[self.nut.id], {"status": "out", "qty": 0.0})
        self.assertEqual(availability[self.service.id], {"status": "available", "qty": None})

    def test_availability_counts_reserved_stock(self) -> None:
        """Free quantity: stock reserved for other deliveries is not available."""
        self.env["stock.quant"]._update_reserved_quantity(self.widget, self.warehouse.lot_stock_id, 47.0)
        self.widget.invalidate_recordset()
        self.assertEqual(self.widget._pce_get_catalog_availability(self.company)[self.widget.id]["status"], "low")

    def test_settings_fields(self) -> None:
        settings = self.env["res.config.settings"].create(
            {"pce_catalog_show_exact_qty": True, "pce_catalog_low_stock_threshold": 12.0}
        )
        settings.execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("portal_customer_ext.catalog_show_exact_qty"), "True")
        self.assertEqual(float(params.get_param("portal_customer_ext.catalog_low_stock_threshold")), 12.0)

    def test_catalog_domain(self) -> None:
        """Sold, active, this company's or shared, no combos."""
        Product = self.env["product.product"].with_context(active_test=False)
        shown = Product.search(
            self.env["product.product"]._pce_catalog_domain(self.company) + [("name", "ilike", self.CATALOG_SEARCH)]
        )
        self.assertEqual(shown, self.products)
        self.assertEqual(
            self.env["product.product"]._pce_catalog_products(
                [self.widget.id, self.not_sold.id, self.archived.id, self.combo.id, self.other_company_product.id,
                 0, -3, 10**9], self.company
            ),
            self.widget,
        )  # fmt: skip

    def test_catalog_customers(self) -> None:
        Product = self.env["product.product"]
        self.assertTrue(Product._pce_is_catalog_customer(self.customer_user))
        self.assertTrue(Product._pce_is_catalog_customer(self.colleague_user))
        self.assertFalse(Product._pce_is_catalog_customer(self.vendor_user))
        self.assertFalse(Product._pce_is_catalog_customer(self.cat_salesman))
        self.assertTrue(Product._pce_can_preview_catalog(self.cat_salesman))
        self.assertFalse(Product._pce_can_preview_catalog(self.employee))
        self.assertFalse(Product._pce_can_preview_catalog(self.customer_user))
        # A vendor who also buys from us is a customer once they have an order.
        self.env["sale.order"].create({"partner_id": self.vendor.id})
        self.assertTrue(Product._pce_is_catalog_customer(self.vendor_user))
