from odoo.tests import tagged

from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from .common import PortalCustomerExtCommon


@tagged("post_install", "-at_install")
class TestReorderTour(PortalCustomerExtCommon, HttpCaseWithUserPortal):
    """The reorder in a real browser: /my/orders, the order, Reorder, the new quotation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_reorder_fixtures()
        cls.order.name = "PCE-TOUR-ORDER"

    def test_reorder_tour(self) -> None:
        self.start_tour("/my/orders", "portal_customer_ext_reorder", login=self.customer_user.login)

        reorder = self.env["sale.order"].search([("pce_reordered_from_id", "=", self.order.id)])
        self.assertEqual(len(reorder), 1)
        self.assertEqual(reorder.state, "draft")
        self.assertEqual(reorder.partner_id, self.customer)
        self.assertReorderLines(reorder, [(self.product_a, 3.0), (self.product_b, 2.5)])
