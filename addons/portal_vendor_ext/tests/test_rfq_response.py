from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import PortalVendorExtCommon


class RfqResponseCommon(PortalVendorExtCommon):
    @classmethod
    def _setup_rfq_fixtures(cls) -> None:
        """The first vendor's draft RFQ (`cls.rfq`, 5 PVE Steel Bolt) and its alternative to the rival vendor
        (`cls.alternative`, 5 as well), grouped as purchase_requisition's "Create Alternative" does."""
        cls._setup_ack_fixtures()
        env = cls.env
        cls.buyer = new_test_user(env, login="pve_rfq_buyer", groups="purchase.group_purchase_user", name="Rob Buyer")
        cls.rfq.user_id = cls.buyer
        cls.rfq_line = cls.rfq.order_line
        cls.alternative = env["purchase.order"].create(
            {
                "partner_id": cls.other_vendor.id,
                "user_id": cls.buyer.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_qty": 5.0, "price_unit": 12.0})],
            }
        )
        cls.alternative_line = cls.alternative.order_line
        env["purchase.order.group"].create({"order_ids": [Command.set((cls.rfq | cls.alternative).ids)]})
        cls.valid_until = date.today() + timedelta(days=30)

    def _lines(self, line=None, **changes) -> dict:
        values = {"price": "9.5", "min_qty": "10", "lead_time": "7", "valid_until": self.valid_until.isoformat()}
        values.update(changes)
        return {(line or self.rfq_line).id: values}

    def _respond(self, order=None, user=None, comment="Best we can do", **changes):
        order = order or self.rfq
        line = order.order_line
        user = user or (self.vendor_user if order == self.rfq else self.other_vendor_user)
        return order.sudo()._pve_submit_rfq_response(user.partner_id, self._lines(line, **changes), comment)

    def _deliveries(self):
        return self.env["messaging.delivery"].search(
            [
                ("notification_type", "=", "vendor.rfq_response"),
                ("res_model", "=", "purchase.order"),
                ("res_id", "in", (self.rfq | self.alternative).ids),
            ]
        )

    def _responses(self):
        return self.env["pve.rfq.response"].search([("order_id", "in", (self.rfq | self.alternative).ids)])


@tagged("post_install", "-at_install")
class TestRfqResponse(RfqResponseCommon, TransactionCase):
    """A vendor's response to an RFQ, its revision, and the buyer's one-click acceptance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_rfq_fixtures()

    def test_response_recorded_and_buyer_told(self) -> None:
        response = self._respond()

        self.assertEqual(response.order_id, self.rfq)
        self.assertEqual(response.partner_id, self.vendor)
        self.assertEqual(response.responded_by_id, self.vendor_user.partner_id)
        self.assertEqual(response.state, "submitted")
        self.assertEqual(response.currency_id, self.rfq.currency_id)
        self.assertEqual(response.comment, "Best we can do")
        line = response.line_ids
        self.assertRecordValues(
            line,
            [{"product_id": self.product.id, "price_unit": 9.5, "min_qty": 10.0, "lead_time_days": 7}],
        )
        self.assertEqual(line.valid_until, self.valid_until)
        self.assertEqual(line.price_subtotal, 47.5)
        message = self.findMessage(self.rfq, "Response sent by Vera Vendor")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"), "the vendor sees it too")
        self.assertEqual(self._deliveries().partner_id, self.buyer.partner_id)
        self.assertEqual(self.rfq_line.price_unit, 12.0, "nothing applied before the buyer accepts")
        self.assertEqual(self.rfq.pve_rfq_response_count, 1)
        self.assertEqual(self.alternative.pve_rfq_response_count, 1, "the alternatives see it too")

    def test_revision_updates_the_submitted_response(self) -> None:
        first = self._respond()

        second = self._respond(price="8", lead_time="3", comment="Revised")

        self.assertEqual(second, first)
        self.assertEqual(len(self._responses()), 1)
        self.assertEqual(second.revision, 2)
        self.assertEqual(second.line_ids.price_unit, 8.0)
        self.assertEqual(second.line_ids.lead_time_days, 3)
        self.assertEqual(len(second.line_ids), 1)
        self.assertEqual(second.comment, "Revised")
        self.assertTrue(self.findMessage(self.rfq, "Response revised by Vera Vendor"))

    def test_invalid_input_changes_nothing(self) -> None:
        cases = {
            "negative price": {"price": "-1"},
            "price not a number": {"price": "cheap"},
            "price not finite": {"price": "inf"},
            "negative min qty": {"min_qty": "-2"},
            "lead time not whole": {"lead_time": "1.5"},
            "negative lead time": {"lead_time": "-1"},
            "validity not a date": {"valid_until": "soon"},
            "validity in the past": {"valid_until": (date.today() - timedelta(days=1)).isoformat()},
            "nothing quoted": {"price": ""},
        }
        for case, changes in cases.items():
            with self.subTest(case), self.assertRaises(UserError):
                self._respond(**changes)
        self.assertFalse(self._responses())
        self.assertFalse(self._deliveries())

    def test_refusals(self) -> None:
        with self.assertRaisesRegex(UserError, "Only PVE Supplies Inc can answer"):
            self._respond(user=self.other_vendor_user)
        with self.assertRaisesRegex(UserError, "no longer a request for quotation"):
            self._respond(order=self.order, user=self.vendor_user)
        # Lines of another order are not quoted: nothing to answer.
        with self.assertRaisesRegex(UserError, "at least one product"):
            self.rfq.sudo()._pve_submit_rfq_response(
                self.vendor_user.partner_id, self._lines(self.alternative_line), ""
            )
        self.assertFalse(self._responses())

    def test_accept_applies_prices_and_confirms(self) -> None:
        rival = self._respond(order=self.alternative, price="8.0")
        response = self._respond(price="9.5", lead_time="7")

        response.with_user(self.buyer).action_accept()

        self.assertEqual(response.state, "accepted")
        self.assertEqual(rival.state, "not_selected")
        self.assertEqual(self.rfq.state, "purchase")
        self.assertEqual(self.alternative.state, "cancel")
        self.assertEqual(self.rfq_line.price_unit, 9.5)
        self.assertEqual(self.rfq_line.date_planned.date(), date.today() + timedelta(days=7))
        info = self.env["product.supplierinfo"].search(
            [
                ("partner_id", "=", self.vendor.id),
                ("product_tmpl_id", "=", self.product.product_tmpl_id.id),
                ("min_qty", "=", 10.0),
            ]
        )
        self.assertRecordValues(
            info,
            [
                {
                    "price": 9.5,
                    "min_qty": 10.0,
                    "delay": 7,
                    "currency_id": self.rfq.currency_id.id,
                    "company_id": self.rfq.company_id.id,
                }
            ],
        )
        self.assertEqual(info.date_end, self.valid_until)
        self.assertTrue(self.findMessage(self.rfq, "Response of PVE Supplies Inc accepted"))
        self.assertTrue(self.findMessage(self.alternative, "Another vendor's response was chosen"))
        # Closed for revisions, on both RFQs of the group.
        self.assertEqual(self.alternative._pve_get_rfq_refusal(self.other_vendor_user.partner_id), "not_rfq")
        with self.assertRaises(UserError):
            self._respond()

    def test_accept_updates_existing_pricelist_line(self) -> None:
        existing = self.env["product.supplierinfo"].create(
            {
                "partner_id": self.vendor.id,
                "product_tmpl_id": self.product.product_tmpl_id.id,
                "min_qty": 10.0,
                "price": 20.0,
                "delay": 30,
            }
        )
        SupplierInfo = self.env["product.supplierinfo"]
        count = SupplierInfo.search_count([("partner_id", "=", self.vendor.id)])

        self._respond(valid_until="").action_accept()

        self.assertEqual(SupplierInfo.search_count([("partner_id", "=", self.vendor.id)]), count)
        self.assertEqual((existing.price, existing.delay, existing.date_end), (9.5, 7, False))

    def test_accept_refused(self) -> None:
        response = self._respond()
        rival = self._respond(order=self.alternative)
        response.action_accept()
        with self.assertRaisesRegex(UserError, "Only a submitted response"):
            rival.action_accept()
        with self.assertRaisesRegex(UserError, "Only a submitted response"):
            response.action_accept()

    def test_accept_refused_when_no_longer_rfq(self) -> None:
        response = self._respond()
        self.rfq.button_cancel()
        with self.assertRaisesRegex(UserError, "no longer a request for quotation"):
            response.action_accept()
        self.assertEqual(response.state, "submitted")

    def test_employee_without_purchase_rights_cannot_accept(self) -> None:
        response = self._respond()
        employee = new_test_user(self.env, login="pve_rfq_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            response.with_user(employee).action_accept()
        self.assertEqual(self.rfq.state, "draft")

    def test_best_price_highlighted(self) -> None:
        rival = self._respond(order=self.alternative, price="8.0")
        response = self._respond(price="9.5")
        lines = (rival | response).line_ids
        lines.invalidate_recordset(["is_best_price"])
        self.assertTrue(rival.line_ids.is_best_price)
        self.assertFalse(response.line_ids.is_best_price)

    def test_buyer_view_lists_the_whole_group(self) -> None:
        rival = self._respond(order=self.alternative)
        response = self._respond()
        action = self.rfq.with_user(self.buyer).action_pve_view_rfq_responses()
        lines = self.env[action["res_model"]].with_user(self.buyer).search(action["domain"])
        self.assertEqual(lines, (rival | response).line_ids)
        self.assertEqual(action["context"]["group_by"], ["product_id"])

    def test_other_company_responses_hidden(self) -> None:
        company_b = self.env["res.company"].create({"name": "PVE RFQ Company B"})
        rfq_b = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "company_id": company_b.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_qty": 1.0})],
            }
        )
        response_b = self._respond(order=rfq_b, user=self.vendor_user)
        self.assertEqual(response_b.company_id, company_b)
        visible = self.env["pve.rfq.response"].with_user(self.buyer).search([("partner_id", "=", self.vendor.id)])
        self.assertNotIn(response_b, visible)
