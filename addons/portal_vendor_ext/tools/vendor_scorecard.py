"""Vendor scorecard rules (plain Python, no ORM): the five metrics and their targets, met/missed evaluation, the
period filter and the trend chart drawn as inline SVG.

The figures themselves come from SQL (``pve.vendor.scorecard``); this module only says what they mean. A metric
without data is ``None`` everywhere: it is neither met nor missed, and the chart leaves a gap for its month.
Labels are translated by the callers (this module holds no user-facing text but units).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from html import escape

NO_DATA = "no_data"
MET = "met"
MISSED = "missed"


@dataclass(frozen=True)
class Metric:
    key: str
    target: float
    higher_is_better: bool  # met when value >= target, else when value <= target
    unit: str  # "%" or "h"


METRICS: tuple[Metric, ...] = (
    Metric("on_time", 95.0, True, "%"),  # receipts done on or before the promised date / done receipts
    Metric("quality", 98.0, True, "%"),  # accepted (received - returned) / received quantity
    Metric("price", 10.0, False, "%"),  # deviation of the vendor's prices from the average paid for the same products
    Metric("response", 24.0, False, "h"),  # average hours from PO confirmation to acknowledgement
    Metric("invoice", 90.0, True, "%"),  # first invoice submissions matched with no difference / processed ones
)
METRICS_BY_KEY = {metric.key: metric for metric in METRICS}

PERIODS = ("30d", "quarter", "12m", "custom")
DEFAULT_PERIOD = "30d"
TREND_MONTHS = 12


class PeriodError(ValueError):
    """A custom period that cannot be used; `code` names the problem for the caller's message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def evaluate(key: str, value: float | None) -> str:
    """:return: MET, MISSED or NO_DATA for the value of metric `key` (None: no data)"""
    if value is None:
        return NO_DATA
    metric = METRICS_BY_KEY[key]
    return MET if (value >= metric.target if metric.higher_is_better else value <= metric.target) else MISSED


def format_value(key: str, value: float | None) -> str:
    """:return: the value as shown: "97.5 %", "+3.2 %" (price deviation, signed), "12.0 h"; "" without data"""
    if value is None:
        return ""
    metric = METRICS_BY_KEY[key]
    if key == "price":
        return f"{value:+.1f} %"
    return f"{value:.1f} {metric.unit}"


def format_target(key: str) -> str:
    """:return: the target as shown: "≥ 95 %", "≤ +10 %", "≤ 24 h" """
    metric = METRICS_BY_KEY[key]
    sign = "≥" if metric.higher_is_better else "≤"
    number = f"+{metric.target:g}" if key == "price" else f"{metric.target:g}"
    return f"{sign} {number} {metric.unit}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """:return: `day` moved by `months` (negative: back), clamped to the end of shorter months"""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def parse_date(raw: str | None) -> datetime.date | None:
    """:return: the ISO date typed (YYYY-MM-DD), None when empty; :raise PeriodError("bad_date"): anything else"""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError as error:
        raise PeriodError("bad_date") from error


def parse_period(
    period: str | None, date_from: str | None, date_to: str | None, today: datetime.date
) -> tuple[str, datetime.date, datetime.date]:
    """The period a scorecard covers, both days included.

    :param period: "30d" (the last 30 days), "quarter" (the last three months), "12m" (the last twelve months) or
        "custom" (`date_from` to `date_to`); anything else is the default, the last 30 days
    :param date_from: first day of a custom period (ISO)
    :param date_to: last day of a custom period (ISO)
    :param today: the visitor's today
    :return: (period key, first day, last day)
    :raise PeriodError: a custom period with a missing or malformed date ("missing_date", "bad_date"), ending
        before it starts ("reversed") or starting after today ("future")
    """
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    if period == "30d":
        return period, today - datetime.timedelta(days=29), today
    if period == "quarter":
        return period, add_months(today, -3) + datetime.timedelta(days=1), today
    if period == "12m":
        return period, add_months(today, -12) + datetime.timedelta(days=1), today
    first, last = parse_date(date_from), parse_date(date_to)
    if not first or not last:
        raise PeriodError("missing_date")
    if first > last:
        raise PeriodError("reversed")
    if first > today:
        raise PeriodError("future")
    return period, first, min(last, today)


def trend_months(today: datetime.date, months: int = TREND_MONTHS) -> list[datetime.date]:
    """:return: the first days of the `months` months ending with today's, oldest first"""
    current = today.replace(day=1)
    return [add_months(current, offset) for offset in range(1 - months, 1)]


def trend_svg(key: str, values: list[float | None], labels: list[str], width: int = 240, height: int = 64) -> str:
    """A small line chart of one metric's monthly values with its target as a dashed line, as inline SVG.

    Months without data break the line (a lone month is drawn as a dot). Escaped: safe to output raw.

    :param key: the metric
    :param values: one value per month, oldest first (None: no data)
    :param labels: one label per month (tooltips), same length as `values`
    :return: an ``<svg>`` element
    """
    metric = METRICS_BY_KEY[key]
    known = [value for value in values if value is not None] + [metric.target]
    low, high = min(known + [0.0]), max(known)
    if key in ("on_time", "quality", "invoice"):
        low, high = min(low, 0.0), max(high, 100.0)
    span = (high - low) or 1.0
    pad = 4
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def x(index: int) -> float:
        return pad + index * step

    def y(value: float) -> float:
        return pad + (high - value) / span * (height - 2 * pad)

    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="o_pve_trend" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img">'
        ),
        (
            f'<line x1="{pad}" x2="{width - pad}" y1="{y(metric.target):.1f}" y2="{y(metric.target):.1f}" '
            'stroke="#adb5bd" stroke-dasharray="4 3"/>'
        ),
    ]
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, value in enumerate(values):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(index):.1f},{y(value):.1f}")
    if segment:
        segments.append(segment)
    for points in segments:
        if len(points) > 1:
            parts.append(f'<polyline fill="none" stroke="#0d6efd" stroke-width="2" points="{" ".join(points)}"/>')
    for index, (value, label) in enumerate(zip(values, labels, strict=True)):
        if value is None:
            continue
        color = "#198754" if evaluate(key, value) == MET else "#dc3545"
        title = escape(f"{label}: {format_value(key, value)}")
        parts.append(
            f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="3" fill="{color}"><title>{title}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)
