"""Scorecard figures (pve.vendor.scorecard SQL) on known data: receipts on time and late, a return, acknowledgements
with known delays, prices against another vendor's, vendor invoice first submissions with and without differences."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import TransactionCase, tagged

from ..tools import vendor_scorecard
from .common import PortalVendorExtCommon


class VendorScorecardCommon(PortalVendorExtCommon):
    """March 2026: Supplies (vendor) delivers one receipt on time and one late with 2 of 10 units sent back, is
    acknowledged after 12 h and 36 h, charges 10 and 12 where Rival charges 8; four of its invoice numbers were
    processed, two right the first time."""

    @classmethod
    def _setup_scorecard_fixtures(cls) -> None:
        cls._setup_ack_fixtures()
        cls.po1 = cls._scorecard_order(cls.vendor, 10, 10.0, "2026-03-01 08:00", "2026-03-05 12:00")
        cls.po2 = cls._scorecard_order(cls.vendor, 10, 12.0, "2026-03-02 08:00", "2026-03-05 12:00")
        cls.po3 = cls._scorecard_order(cls.other_vendor, 20, 8.0, "2026-03-02 09:00", "2026-03-20 12:00")
        cls._scorecard_receive(cls.po1, "2026-03-04 15:00")  # on time
        cls._scorecard_receive(cls.po2, "2026-03-10 15:00")  # late
        cls._scorecard_receive(cls.po3, "2026-03-20 18:00")  # on time (same day, later hour)
        cls._scorecard_return(cls.po2, 2, "2026-03-12 10:00")
        cls._scorecard_ack(cls.po1, "2026-03-01 20:00")  # 12 h
        cls._scorecard_ack(cls.po2, "2026-03-03 20:00")  # 36 h
        # invoice numbers: INV-1 refused then sent again (first submission wrong), INV-2 matched, INV-3 with a
        # difference, INV-4 approved without difference, INV-5 still processing (not counted)
        Submission = cls.env["pve.vendor.invoice"]
        cls.submissions = Submission
        for number, state, difference in (
            ("INV-1", "rejected", False),
            ("INV-1", "matched", False),
            ("INV-2", "matched", False),
            ("INV-3", "review", True),
            ("INV-4", "approved", False),
            ("INV-5", "processing", False),
        ):
            submission = Submission.create(
                {"partner_id": cls.vendor.id, "invoice_number": number, "state": state, "file_name": f"{number}.pdf"}
            )
            if difference:
                submission.difference_ids = [Command.create({"kind": "low_confidence"})]
            cls.submissions |= submission
        # PostgreSQL's clock does not stop: date the submissions in March 2026 (the refused INV-1 first)
        for index, submission in enumerate(cls.submissions):
            cls.env.cr.execute(
                "UPDATE pve_vendor_invoice SET create_date = %s WHERE id = %s",
                (datetime(2026, 3, 3, 8, index), submission.id),
            )
        cls.env.invalidate_all()

    @classmethod
    def _scorecard_order(cls, vendor, quantity, price, confirmed, planned):
        order = cls.env["purchase.order"].create(
            {
                "partner_id": vendor.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_qty": quantity,
                            "price_unit": price,
                            "date_planned": planned,
                            "taxes_id": False,
                        }
                    )
                ],
            }
        )
        with freeze_time(confirmed):
            order.button_confirm()
        return order

    @classmethod
    def _scorecard_receive(cls, order, when):
        receipt = order.picking_ids
        with freeze_time(when):
            for move in receipt.move_ids:
                move.quantity = move.product_uom_qty
            receipt.button_validate()
        assert receipt.state == "done"

    @classmethod
    def _scorecard_return(cls, order, quantity, when):
        receipt = order.picking_ids
        with freeze_time(when):
            wizard = (
                cls.env["stock.return.picking"]
                .with_context(active_id=receipt.id, active_model="stock.picking")
                .create({})
            )
            wizard.product_return_moves.quantity = quantity
            returned = cls.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
            returned.move_ids.quantity = quantity
            returned.button_validate()
        assert returned.state == "done"

    @classmethod
    def _scorecard_ack(cls, order, when):
        with freeze_time(when):
            order._pve_acknowledge(cls.vendor_user.partner_id)


@tagged("post_install", "-at_install")
class TestVendorScorecard(VendorScorecardCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_scorecard_fixtures()
        cls.Scorecard = cls.env["pve.vendor.scorecard"]
        cls.march = (date(2026, 3, 1), date(2026, 3, 31))

    def test_known_figures(self) -> None:
        figures = self.Scorecard._compute_scorecard([self.vendor.id, self.other_vendor.id], *self.march)
        mine, rival = figures[self.vendor.id], figures[self.other_vendor.id]
        self.assertEqual((mine["on_time"], mine["on_time_count"]), (50.0, 2))  # 1 of 2 receipts
        self.assertAlmostEqual(mine["quality"], 90.0)  # 18 of 20 units kept
        # paid 220 for 20 units; at the average paid to both vendors (380 / 40 = 9.5) they cost 190: +15.79 %
        self.assertAlmostEqual(mine["price"], (220 / 190 - 1) * 100)
        self.assertAlmostEqual(mine["response"], 24.0)  # (12 h + 36 h) / 2
        self.assertEqual((mine["invoice"], mine["invoice_count"]), (50.0, 4))  # INV-2, INV-4 of 4
        self.assertEqual(
            [vendor_scorecard.evaluate(key, mine[key]) for key in ("on_time", "quality", "price", "response")],
            ["missed", "missed", "missed", "met"],
        )
        self.assertEqual(rival["on_time"], 100.0)
        self.assertEqual(rival["quality"], 100.0)
        self.assertAlmostEqual(rival["price"], (160 / 190 - 1) * 100)
        self.assertIsNone(rival["response"])  # never acknowledged: no data, not 0 h
        self.assertIsNone(rival["invoice"])

    def test_period_filter(self) -> None:
        # 1-5 March: the late receipt and its return fall outside; PO2 confirmed on the 2nd still counts
        figures = self.Scorecard._compute_scorecard([self.vendor.id], date(2026, 3, 1), date(2026, 3, 5))
        mine = figures[self.vendor.id]
        self.assertEqual((mine["on_time"], mine["on_time_count"]), (100.0, 1))
        self.assertEqual(mine["quality"], 100.0)
        self.assertAlmostEqual(mine["response"], 24.0)
        # 6-31 March: only the late receipt (2 of 10 returned); no order confirmed, no acknowledgement
        mine = self.Scorecard._compute_scorecard([self.vendor.id], date(2026, 3, 6), date(2026, 3, 31))[self.vendor.id]
        self.assertEqual(mine["on_time"], 0.0)
        self.assertAlmostEqual(mine["quality"], 80.0)
        self.assertIsNone(mine["response"])
        self.assertIsNone(mine["price"])
        self.assertIsNone(mine["invoice"])

    def test_no_data(self) -> None:
        newcomer = self.env["res.partner"].create({"name": "PVE Newcomer", "is_company": True})
        figures = self.Scorecard._compute_scorecard([newcomer.id], *self.march)
        for metric in vendor_scorecard.METRICS:
            self.assertIsNone(figures[newcomer.id][metric.key], metric.key)
        # February: nothing yet for anyone
        figures = self.Scorecard._compute_scorecard([self.vendor.id], date(2026, 2, 1), date(2026, 2, 28))
        self.assertEqual({key: value for key, value in figures[self.vendor.id].items() if value}, {})
        # a product only this vendor sells has no price to compare with: it changes nothing
        only_here = self.env["product.product"].create({"name": "PVE Only Here", "purchase_ok": True})
        order = self._scorecard_order(self.vendor, 1, 500.0, "2026-03-20 08:00", "2026-03-21 12:00")
        order.order_line.product_id = only_here
        mine = self.Scorecard._compute_scorecard([self.vendor.id], *self.march)[self.vendor.id]
        self.assertAlmostEqual(mine["price"], (220 / 190 - 1) * 100)

    def test_every_vendor_and_contacts(self) -> None:
        figures = self.Scorecard._compute_scorecard(None, *self.march)
        self.assertLessEqual({self.vendor.id, self.other_vendor.id}, set(figures))
        # an order placed with a contact of the vendor counts for its company
        contact = self.env["res.partner"].create({"name": "Sam Sales", "parent_id": self.vendor.id})
        order = self._scorecard_order(contact, 5, 10.0, "2026-03-15 08:00", "2026-03-16 12:00")
        self._scorecard_receive(order, "2026-03-16 10:00")
        mine = self.Scorecard._compute_scorecard([self.vendor.id], *self.march)[self.vendor.id]
        self.assertEqual(mine["on_time_count"], 3)
        self.assertAlmostEqual(mine["on_time"], 200 / 3)

    def test_other_company_not_counted(self) -> None:
        other_company = self.env["res.company"].create({"name": "PVE Other Company"})
        mine = self.Scorecard.with_company(other_company)._compute_scorecard([self.vendor.id], *self.march)
        self.assertEqual({key: value for key, value in mine[self.vendor.id].items() if value}, {})

    def test_trend(self) -> None:
        months = vendor_scorecard.trend_months(date(2026, 4, 15))  # May 2025 - April 2026
        trend = self.Scorecard._compute_trend([self.vendor.id, self.other_vendor.id], months)
        mine = trend[self.vendor.id]
        self.assertEqual(mine["on_time"], [None] * 10 + [50.0, None])
        self.assertAlmostEqual(mine["quality"][10], 90.0)
        self.assertEqual(mine["response"][10], 24.0)
        self.assertEqual(trend[self.other_vendor.id]["response"], [None] * 12)

    def test_constant_queries(self) -> None:
        def count_queries() -> int:
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            months = vendor_scorecard.trend_months(date(2026, 3, 31))
            figures, trend = self.Scorecard._compute_scorecard_and_trend([self.vendor.id], *self.march, months)
            self.assertEqual(trend[self.vendor.id]["on_time"][-1], figures[self.vendor.id]["on_time"])
            return self.env.cr.sql_log_count - before, figures[self.vendor.id]["on_time_count"]

        with_3 = count_queries()
        for day in range(10, 37):
            order = self._scorecard_order(self.vendor, 1, 10.0, f"2026-03-{day % 28 + 1:02d} 08:00", "2026-03-28")
            self._scorecard_receive(order, "2026-03-28 10:00")
        with_30 = count_queries()
        self.assertEqual((with_3[1], with_30[1]), (2, 29))
        self.assertEqual(with_3[0], with_30[0])
        self.assertEqual(with_30[0], 5)  # one per metric, for the period and the months at once
