from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user

from odoo.addons.base.tests.common import BaseCommon

from .common import PortalVendorExtCommon


class TestPoChange(PortalVendorExtCommon, BaseCommon):
    """Declining, proposing, accepting and refusing changes on the model, as the buyer would see them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ack_fixtures()
        cls.contact = cls.vendor_user.partner_id
        cls.line = cls.order.order_line
        cls.line.date_planned = datetime(2026, 3, 10, 9, 30)
        cls.buyer = new_test_user(cls.env, login="pve_chg_buyer", groups="purchase.group_purchase_user")

    def _propose(self, **raw):
        return self.order._pve_propose_changes(self.contact, {self.line.id: raw}, "Steel is late")

    def test_decline_flags_order_and_posts_message(self) -> None:
        self.assertTrue(self.order._pve_decline(self.contact, "  No stock until June  "))

        self.assertTrue(self.order.pve_declined_date)
        self.assertEqual(self.order.pve_declined_by_id, self.contact)
        self.assertEqual(self.order.pve_decline_reason, "No stock until June")
        message = self.findMessage(self.order, "Order declined by Vera Vendor.")
        self.assertEqual(message.author_id, self.contact)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"), "a message, not an internal note")
        self.assertIn("No stock until June", message.body)
        found = self.env["purchase.order"].search([("pve_declined_date", "!=", False), ("id", "=", self.order.id)])
        self.assertEqual(found, self.order, "the buyer's 'Declined by vendor' filter finds it")

    def test_decline_refused_without_reason_twice_or_by_others(self) -> None:
        with self.assertRaisesRegex(UserError, "tell the buyer why"):
            self.order._pve_decline(self.contact, "   ")
        with self.assertRaisesRegex(UserError, "Only PVE Supplies Inc can change"):
            self.order._pve_decline(self.other_vendor_user.partner_id, "Not mine")
        with self.assertRaisesRegex(UserError, "is not a confirmed purchase order"):
            self.rfq._pve_decline(self.contact, "No")
        self.assertFalse(self.order.pve_declined_date)
        self.order._pve_decline(self.contact, "No stock")
        with self.assertRaisesRegex(UserError, "already declined"):
            self.order._pve_decline(self.contact, "Again")
        self.assertEqual(self.order.pve_decline_reason, "No stock")

    def test_propose_records_only_changed_values(self) -> None:
        change = self._propose(date="2026-03-20", qty="5", price="13.5")

        self.assertEqual(change.state, "proposed")
        self.assertEqual(change.partner_id, self.contact)
        self.assertEqual(change.comment, "Steel is late")
        self.assertEqual(change.line_ids.order_line_id, self.line)
        self.assertEqual(change.line_ids.new_date_planned, datetime(2026, 3, 20, 9, 30))
        self.assertEqual(change.line_ids._pve_order_line_values(), {
            "date_planned": datetime(2026, 3, 20, 9, 30), "price_unit": 13.5
        })  # fmt: skip
        self.assertEqual(self.order.pve_change_pending_count, 1)
        message = self.findMessage(self.order, "Changes proposed by Vera Vendor")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn("unit price 12.0 → 13.5", message.body)
        self.assertIn("Steel is late", message.body)
        self.assertEqual((self.line.product_qty, self.line.price_unit), (5.0, 12.0), "nothing applied yet")

    def test_propose_rejects_bad_input_and_stores_nothing(self) -> None:
        for raw, error in (
            ({"qty": "five"}, "must be numbers"),
            ({"qty": "0"}, "more than zero"),
            ({"price": "-1"}, "cannot be negative"),
            ({"date": "2026-02-31"}, "valid date"),
            ({"qty": "5", "price": "12", "date": "2026-03-10"}, "Change at least one"),
        ):
            with self.subTest(raw=raw), self.assertRaisesRegex(UserError, error):
                self._propose(**raw)
        self.assertFalse(self.order.pve_change_ids)
        self._propose(qty="4")
        with self.assertRaisesRegex(UserError, "waiting for the buyer's answer"):
            self._propose(qty="3")

    def test_buyer_accepts_in_one_click(self) -> None:
        change = self._propose(date="2026-03-20", qty="8", price="11")

        change.with_user(self.buyer).action_accept()

        self.assertEqual(change.state, "accepted")
        self.assertEqual(change.decided_by_id, self.buyer)
        self.assertEqual(self.line.product_qty, 8.0)
        self.assertEqual(self.line.price_unit, 11.0)
        self.assertEqual(self.line.date_planned, datetime(2026, 3, 20, 9, 30))
        self.assertEqual(self.order.amount_untaxed, 88.0)
        message = self.findMessage(self.order, "Proposed changes accepted")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        with self.assertRaisesRegex(UserError, "already accepted"):
            change.action_accept()
        self.assertTrue(self._propose(qty="9"), "a new proposal is possible once answered")

    def test_buyer_refuses_with_reason(self) -> None:
        change = self._propose(price="20")
        with self.assertRaisesRegex(UserError, "reason"):
            change._pve_refuse(" ")
        action = change.with_user(self.buyer).action_open_refuse()
        wizard = Form(self.env[action["res_model"]].with_user(self.buyer).with_context(action["context"]))
        wizard.reason = "Price agreed in the contract"
        wizard.save().action_refuse()

        self.assertEqual(change.state, "refused")
        self.assertEqual(change.refuse_reason, "Price agreed in the contract")
        self.assertEqual(self.line.price_unit, 12.0)
        message = self.findMessage(self.order, "Proposed changes refused")
        self.assertIn("Price agreed in the contract", message.body)
        with self.assertRaisesRegex(UserError, "already refused"):
            change.action_accept()

    def test_quantity_below_received_refused(self) -> None:
        self.line.qty_received = 3.0
        with self.assertRaisesRegex(UserError, "3.0 were received already"):
            self._propose(qty="2")
        self.assertFalse(self.order.pve_change_ids)

        change = self._propose(qty="4")
        self.line.qty_received = 5.0
        with self.assertRaisesRegex(UserError, "5.0 were received since the proposal"):
            change.with_user(self.buyer).action_accept()
        self.assertEqual((change.state, self.line.product_qty), ("proposed", 5.0))

    def test_accept_refused_once_order_cancelled(self) -> None:
        change = self._propose(qty="7")
        self.order.button_cancel()
        with self.assertRaisesRegex(UserError, "no longer a confirmed purchase order"):
            change.action_accept()
        self.assertEqual(change.state, "proposed")
