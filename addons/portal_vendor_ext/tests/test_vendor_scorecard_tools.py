"""The scorecard rules (tools/vendor_scorecard, no database): targets, met/missed, periods and the trend chart."""

from datetime import date

from odoo.tests import BaseCase

from ..tools import vendor_scorecard as vs

TODAY = date(2026, 3, 31)


class TestVendorScorecardTools(BaseCase):
    def test_evaluate_targets(self) -> None:
        self.assertEqual(vs.evaluate("on_time", 95.0), vs.MET)
        self.assertEqual(vs.evaluate("on_time", 94.9), vs.MISSED)
        self.assertEqual(vs.evaluate("quality", 98.0), vs.MET)
        self.assertEqual(vs.evaluate("quality", 97.99), vs.MISSED)
        self.assertEqual(vs.evaluate("price", 10.0), vs.MET)  # within +10 %
        self.assertEqual(vs.evaluate("price", -25.0), vs.MET)  # cheaper than the others
        self.assertEqual(vs.evaluate("price", 10.1), vs.MISSED)
        self.assertEqual(vs.evaluate("response", 24.0), vs.MET)
        self.assertEqual(vs.evaluate("response", 24.5), vs.MISSED)
        self.assertEqual(vs.evaluate("invoice", 90.0), vs.MET)
        self.assertEqual(vs.evaluate("invoice", 89.0), vs.MISSED)

    def test_no_data_is_neither_met_nor_missed(self) -> None:
        for metric in vs.METRICS:
            self.assertEqual(vs.evaluate(metric.key, None), vs.NO_DATA)
            self.assertEqual(vs.format_value(metric.key, None), "")
        # 0 is a value (no receipt on time), not "no data"
        self.assertEqual(vs.evaluate("on_time", 0.0), vs.MISSED)
        self.assertEqual(vs.format_value("on_time", 0.0), "0.0 %")

    def test_format(self) -> None:
        self.assertEqual(vs.format_value("quality", 97.456), "97.5 %")
        self.assertEqual(vs.format_value("price", 3.21), "+3.2 %")
        self.assertEqual(vs.format_value("price", -3.21), "-3.2 %")
        self.assertEqual(vs.format_value("response", 12), "12.0 h")
        self.assertEqual(vs.format_target("on_time"), "≥ 95 %")
        self.assertEqual(vs.format_target("price"), "≤ +10 %")
        self.assertEqual(vs.format_target("response"), "≤ 24 h")

    def test_periods(self) -> None:
        self.assertEqual(vs.parse_period("30d", None, None, TODAY), ("30d", date(2026, 3, 2), TODAY))
        self.assertEqual(vs.parse_period("quarter", None, None, TODAY), ("quarter", date(2026, 1, 1), TODAY))
        self.assertEqual(vs.parse_period("12m", None, None, TODAY), ("12m", date(2025, 4, 1), TODAY))
        self.assertEqual(vs.parse_period(None, None, None, TODAY), ("30d", date(2026, 3, 2), TODAY))
        self.assertEqual(vs.parse_period("bogus", "x", "y", TODAY)[0], "30d")
        self.assertEqual(
            vs.parse_period("custom", "2026-01-10", " 2026-02-10 ", TODAY),
            ("custom", date(2026, 1, 10), date(2026, 2, 10)),
        )
        # a custom period ending after today stops today
        self.assertEqual(vs.parse_period("custom", "2026-03-01", "2026-12-31", TODAY)[2], TODAY)
        # the last quarter of a 31st day: clamped month ends
        self.assertEqual(vs.add_months(date(2026, 5, 31), -3), date(2026, 2, 28))

    def test_custom_period_errors(self) -> None:
        for date_from, date_to, code in (
            ("", "2026-02-10", "missing_date"),
            ("2026-01-10", None, "missing_date"),
            ("10/01/2026", "2026-02-10", "bad_date"),
            ("2026-02-30", "2026-03-10", "bad_date"),
            ("2026-03-10", "2026-02-10", "reversed"),
            ("2026-04-01", "2026-04-10", "future"),
        ):
            with self.subTest(date_from=date_from, date_to=date_to):
                with self.assertRaises(vs.PeriodError) as caught:
                    vs.parse_period("custom", date_from, date_to, TODAY)
                self.assertEqual(caught.exception.code, code)

    def test_trend_months(self) -> None:
        months = vs.trend_months(TODAY)
        self.assertEqual(len(months), 12)
        self.assertEqual((months[0], months[-1]), (date(2025, 4, 1), date(2026, 3, 1)))

    def test_trend_svg(self) -> None:
        values = [None] * 9 + [80.0, 96.0, 100.0]
        labels = [f"2026-{index:02d}<" for index in range(1, 13)]
        svg = vs.trend_svg("on_time", values, labels)
        self.assertTrue(svg.startswith("<svg") and svg.endswith("</svg>"))
        self.assertEqual(svg.count("<circle"), 3)  # one dot per month with data, none for the gaps
        self.assertEqual(svg.count("<polyline"), 1)
        self.assertEqual(svg.count('fill="#dc3545"'), 1)  # 80 % missed
        self.assertEqual(svg.count('fill="#198754"'), 2)
        self.assertIn("2026-10&lt;: 80.0 %", svg)  # labels escaped
        self.assertNotIn("2026-10<", svg)
        # a gap splits the line; no data at all draws only the target
        self.assertEqual(vs.trend_svg("response", [5.0, None, 7.0, 8.0], ["a", "b", "c", "d"]).count("<polyline"), 1)
        empty = vs.trend_svg("price", [None] * 12, labels)
        self.assertNotIn("<circle", empty)
        self.assertIn("stroke-dasharray", empty)
