from datetime import date

from odoo.tests import HttpCase, tagged

from .test_shipping_notice import ShippingNoticeCommon


@tagged("post_install", "-at_install")
class TestShippingNoticeTour(ShippingNoticeCommon, HttpCase):
    """A shipping notice sent from the purchase order's portal page in a real browser, a refused one first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_asn_fixtures()

    def test_shipping_notice_tour(self) -> None:
        self.start_tour(
            f"/my/purchase/{self.order.id}", "portal_vendor_ext_shipping_notice", login=self.vendor_user.login
        )

        self.assertEqual(self.receipt.pve_asn_date, date(2099, 1, 15))
        self.assertEqual(self.receipt.pve_asn_carrier, "Tour Express")
        self.assertEqual(self.receipt.pve_asn_tracking_ref, "TOUR-TRACK-1")
        self.assertEqual(self.move.pve_asn_qty, 3.0)
        self.assertEqual(self._deliveries().partner_id, self.buyer.partner_id)
