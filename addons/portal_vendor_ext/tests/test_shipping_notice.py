from datetime import date, datetime, time, timedelta

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import PortalVendorExtCommon


class ShippingNoticeCommon(PortalVendorExtCommon):
    @classmethod
    def _setup_asn_fixtures(cls) -> None:
        cls._setup_ack_fixtures()
        env = cls.env
        cls.buyer = new_test_user(env, login="pve_asn_buyer", groups="purchase.group_purchase_user", name="Bea Buyer")
        cls.order.user_id = cls.buyer
        cls.receipt = cls.order.picking_ids
        cls.move = cls.receipt.move_ids
        cls.other_order = env["purchase.order"].create(
            {
                "partner_id": cls.other_vendor.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_qty": 2.0, "price_unit": 3.0})],
            }
        )
        cls.other_order.button_confirm()
        cls.other_receipt = cls.other_order.picking_ids
        cls.ship_date = date.today() + timedelta(days=7)

    def _form(self, **changes) -> dict:
        values = {
            "expected_date": self.ship_date.isoformat(),
            "carrier": "DHL Freight",
            "tracking_ref": "JD0123456789",
            "quantities": {self.move.id: "4"},
        }
        values.update(changes)
        return values

    def _deliveries(self):
        return self.env["messaging.delivery"].search(
            [
                ("notification_type", "=", "vendor.shipping_notice"),
                ("res_model", "=", "stock.picking"),
                ("res_id", "in", (self.receipt | self.other_receipt).ids),
            ]
        )


@tagged("post_install", "-at_install")
class TestShippingNotice(ShippingNoticeCommon, TransactionCase):
    """The advance shipping notice on a receipt: what lands on it, in the chatters, for the buyer; and every
    refused input leaving the receipt as it was."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_asn_fixtures()

    def _submit(self, picking=None, order=None, **changes):
        picking = picking or self.receipt
        return picking.sudo()._pve_submit_shipping_notice(
            order or self.order, self.vendor_user.partner_id, self._form(**changes)
        )

    def test_receipt_created_for_the_order(self) -> None:
        self.assertEqual(len(self.receipt), 1)
        self.assertEqual(self.receipt.picking_type_code, "incoming")
        self.assertEqual(self.order._pve_asn_open_pickings(), self.receipt)

    def test_notice_lands_on_the_receipt_and_tells_the_buyer(self) -> None:
        self._submit()

        self.assertEqual(self.receipt.pve_asn_date, self.ship_date)
        self.assertEqual(self.receipt.pve_asn_carrier, "DHL Freight")
        self.assertEqual(self.receipt.pve_asn_tracking_ref, "JD0123456789")
        self.assertEqual(self.receipt.pve_asn_submitted_by_id, self.vendor_user.partner_id)
        self.assertEqual(self.receipt.scheduled_date, datetime.combine(self.ship_date, time(12)))
        self.assertEqual(self.move.pve_asn_qty, 4.0)
        self.assertTrue(self.findMessage(self.receipt, "JD0123456789"))
        po_message = self.findMessage(self.order, "JD0123456789")
        self.assertEqual(po_message.subtype_id, self.env.ref("mail.mt_comment"), "the vendor sees it too")
        self.assertEqual(po_message.author_id, self.vendor_user.partner_id)
        self.assertEqual(self._deliveries().partner_id, self.buyer.partner_id)

    def test_no_buyer_tells_the_purchase_managers(self) -> None:
        self.order.user_id = False
        manager = new_test_user(self.env, login="pve_asn_manager", groups="purchase.group_purchase_manager")

        self._submit()

        self.assertIn(manager.partner_id, self._deliveries().partner_id)

    def test_invalid_input_changes_nothing(self) -> None:
        scheduled = self.receipt.scheduled_date
        cases = {
            "no date": {"expected_date": ""},
            "not a date": {"expected_date": "next week"},
            "past date": {"expected_date": (date.today() - timedelta(days=1)).isoformat()},
            "not a number": {"quantities": {self.move.id: "four"}},
            "not finite": {"quantities": {self.move.id: "nan"}},
            "negative": {"quantities": {self.move.id: "-1"}},
            "over ordered": {"quantities": {self.move.id: "5.5"}},
            "nothing shipped": {"quantities": {self.move.id: "0"}},
            "carrier too long": {"carrier": "x" * 65},
        }
        for case, changes in cases.items():
            with self.subTest(case), self.assertRaises(UserError):
                self._submit(**changes)
        self.assertFalse(self.receipt.pve_asn_submitted_date)
        self.assertEqual(self.receipt.scheduled_date, scheduled)
        self.assertEqual(self.move.pve_asn_qty, 0.0)
        self.assertFalse(self._deliveries())

    def test_whole_ordered_quantity_accepted(self) -> None:
        self._submit(quantities={self.move.id: "5"})
        self.assertEqual(self.move.pve_asn_qty, 5.0)

    def test_receipt_of_another_order_refused(self) -> None:
        with self.assertRaisesRegex(UserError, "not an open receipt"):
            self._submit(picking=self.other_receipt)
        self.assertFalse(self.other_receipt.pve_asn_submitted_date)

    def test_done_receipt_refused(self) -> None:
        self.move.quantity = 5.0
        self.receipt.button_validate()
        self.assertEqual(self.receipt.state, "done")
        with self.assertRaisesRegex(UserError, "not an open receipt"):
            self._submit()

    def test_declined_order_gets_no_notice(self) -> None:
        self.order._pve_decline(self.vendor_user.partner_id, "Out of steel")
        self.assertEqual(self.order._pve_get_asn_refusal(self.vendor_user.partner_id), "declined")

    def test_other_vendor_cannot_announce(self) -> None:
        self.assertEqual(self.order._pve_get_asn_refusal(self.other_vendor_user.partner_id), "not_vendor")
        self.assertEqual(self.rfq._pve_get_asn_refusal(self.vendor_user.partner_id), "not_confirmed")
        self.assertFalse(self.order._pve_get_asn_refusal(self.vendor_user.partner_id))
