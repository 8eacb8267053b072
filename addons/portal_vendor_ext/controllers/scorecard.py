from markupsafe import Markup

from odoo import _, fields, http
from odoo.http import request

from ..tools import vendor_scorecard
from .compliance import CustomerPortalCompliance

BUYER_GROUP = "purchase.group_purchase_user"


class CustomerPortalScorecard(CustomerPortalCompliance):
    """The vendor scorecard: on the portal, the visitor's own company's figures only (the partner is never read from
    the request); in the backend (``/pve/scorecard``), any vendor's, for purchase users only. Both pages render the
    same QWeb table from ``pve.vendor.scorecard``."""

    # === HELPERS === #

    def _prepare_home_portal_values(self, counters):
        # EXTENDS portal
        values = super()._prepare_home_portal_values(counters)
        if "pve_scorecard_count" in counters:
            # 1 shows the entry to vendors only (reuses the compliance page's "is a vendor" check)
            values["pve_scorecard_count"] = int(self._compliance_is_vendor(request.env.user.partner_id))
        return values

    def _scorecard_metric_labels(self):
        """:return: ``{metric key: (label, what it measures)}``"""
        return {
            "on_time": (_("On-time delivery"), _("Receipts done on or before the promised date")),
            "quality": (_("Quality acceptance"), _("Quantity accepted of the quantity received (returns rejected)")),
            "price": (_("Price competitiveness"), _("Your prices against the average paid for the same products")),
            "response": (_("Response time"), _("Average time from order confirmation to acknowledgement")),
            "invoice": (_("Invoice accuracy"), _("Invoices matched with no difference on first submission")),
        }

    def _scorecard_period_labels(self):
        return {
            "30d": _("Last 30 days"),
            "quarter": _("Last quarter"),
            "12m": _("Last 12 months"),
            "custom": _("Custom"),
        }

    def _scorecard_period_error(self, code):
        return {
            "missing_date": _("Give both the first and the last day of the period."),
            "bad_date": _("Type the dates as YYYY-MM-DD."),
            "reversed": _("The period ends before it starts."),
            "future": _("The period starts after today."),
        }[code]

    def _scorecard_metric_values(self, figures, trend, months):
        """:return: one dict per metric to render: label, value, target, status, count and trend chart"""
        labels = self._scorecard_metric_labels()
        month_labels = [month.strftime("%Y-%m") for month in months]
        rows = []
        for metric in vendor_scorecard.METRICS:
            value = figures[metric.key] if figures else None
            row = {
                "key": metric.key,
                "label": labels[metric.key][0],
                "help": labels[metric.key][1],
                "value": vendor_scorecard.format_value(metric.key, value),
                "target": vendor_scorecard.format_target(metric.key),
                "status": vendor_scorecard.evaluate(metric.key, value),
                "count": figures[f"{metric.key}_count"] if figures else 0,
            }
            if trend is not None:
                # trend_svg escapes everything it writes
                row["svg"] = Markup(vendor_scorecard.trend_svg(metric.key, trend[metric.key], month_labels))
            rows.append(row)
        return rows

    def _prepare_scorecard_values(self, partner_ids, period=None, date_from=None, date_to=None, trend=True):
        """Figures of `partner_ids` over the period asked for, or the error of a custom period that cannot be used
        (the form then shows what was typed and no figures).

        :param list partner_ids: commercial partners whose figures the visitor may see, or None for every vendor
        :param str period: a key of ``vendor_scorecard.PERIODS``
        :param str date_from: typed first day of a custom period
        :param str date_to: typed last day of a custom period
        :param bool trend: also the 12-month trend charts (a single vendor's page)
        :return: ``period``, ``date_from``/``date_to`` (as typed), ``period_error``, ``first_day``/``last_day`` and
            ``scorecards``: ``{partner id: [metric row, ...]}``
        """
        today = fields.Date.context_today(request.env.user)
        values = {
            "period": period if period in vendor_scorecard.PERIODS else vendor_scorecard.DEFAULT_PERIOD,
            "period_labels": self._scorecard_period_labels(),
            "date_from": date_from or "",
            "date_to": date_to or "",
            "period_error": False,
            "scorecards": {},
        }
        try:
            values["period"], first_day, last_day = vendor_scorecard.parse_period(period, date_from, date_to, today)
        except vendor_scorecard.PeriodError as error:
            values["period_error"] = self._scorecard_period_error(error.code)
            return values
        months = vendor_scorecard.trend_months(today)
        figures, trends = request.env["pve.vendor.scorecard"]._compute_scorecard_and_trend(
            partner_ids, first_day, last_day, months if trend else []
        )
        values.update(
            {
                "first_day": first_day,
                "last_day": last_day,
                "scorecards": {
                    partner_id: self._scorecard_metric_values(figures[partner_id], trends.get(partner_id), months)
                    for partner_id in figures
                },
            }
        )
        return values

    def _scorecard_check_buyer(self):
        """:return: None for a purchase user, else the redirect to /my"""
        if request.env.user.has_group(BUYER_GROUP):
            return None
        return request.redirect("/my")

    # === ROUTES === #

    @http.route("/my/scorecard", type="http", auth="user", website=True, readonly=True)
    def portal_my_scorecard(self, period=None, date_from=None, date_to=None, **kw):
        """The visitor's company's scorecard; a contact of a company that never had a request for quotation or
        purchase order gets a page saying so."""
        partner = request.env.user.partner_id.commercial_partner_id
        values = self._prepare_portal_layout_values()
        values["page_name"] = "scorecard"
        if not self._compliance_is_vendor(partner):
            return request.render("portal_vendor_ext.portal_my_scorecard_none", values)
        values.update(self._prepare_scorecard_values([partner.id], period, date_from, date_to))
        values.update({"partner": partner, "form_action": "/my/scorecard"})
        return request.render("portal_vendor_ext.portal_my_scorecard", values)

    @http.route("/pve/scorecard", type="http", auth="user", readonly=True)
    def pve_scorecard_list(self, period=None, date_from=None, date_to=None, **kw):
        """Every vendor with figures over the period, for purchase users (Purchase > Reporting)."""
        refused = self._scorecard_check_buyer()
        if refused:
            return refused
        values = self._prepare_scorecard_values(None, period, date_from, date_to, trend=False)
        partners = request.env["res.partner"].browse(list(values["scorecards"])).sorted("name")
        values.update({"partners": partners, "form_action": "/pve/scorecard"})
        return request.render("portal_vendor_ext.pve_scorecard_list", values)

    @http.route("/pve/scorecard/<int:partner_id>", type="http", auth="user", readonly=True)
    def pve_scorecard_vendor(self, partner_id, period=None, date_from=None, date_to=None, **kw):
        """One vendor's scorecard with its trend charts, for purchase users (the vendor form's smart button)."""
        refused = self._scorecard_check_buyer()
        if refused:
            return refused
        partner = request.env["res.partner"].browse(partner_id).exists()
        if not partner:
            return request.not_found()
        partner = partner.commercial_partner_id
        values = self._prepare_scorecard_values([partner.id], period, date_from, date_to)
        values.update({"partner": partner, "form_action": f"/pve/scorecard/{partner.id}"})
        return request.render("portal_vendor_ext.pve_scorecard_vendor", values)
