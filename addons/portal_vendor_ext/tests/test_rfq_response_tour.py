from datetime import date

from odoo.tests import HttpCase, tagged

from .test_rfq_response import RfqResponseCommon


@tagged("post_install", "-at_install")
class TestRfqResponseTour(RfqResponseCommon, HttpCase):
    """An RFQ answered from its portal page in a real browser, a refused answer first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_rfq_fixtures()

    def test_rfq_response_tour(self) -> None:
        self.start_tour(f"/my/purchase/{self.rfq.id}", "portal_vendor_ext_rfq_response", login=self.vendor_user.login)

        response = self._responses()
        self.assertEqual(response.partner_id, self.vendor)
        self.assertEqual(response.comment, "Tour quotation")
        self.assertRecordValues(response.line_ids, [{"price_unit": 11.5, "min_qty": 10.0, "lead_time_days": 6}])
        self.assertEqual(response.line_ids.valid_until, date(2099, 6, 30))
        self.assertEqual(self._deliveries().partner_id, self.buyer.partner_id)
