import datetime

from odoo import api, models
from odoo.tools import SQL

from ..tools import vendor_scorecard

# Each metric is one aggregate query over "facts" (one row per receipt, move, PO line, PO or submission, with a
# numerator and a denominator) summed per partner and group, the period ("period") and each month ("YYYY-MM"), in
# one scan. A value is computed from the two sums, so that a group without facts has no value ("no data"), never 0 or
# 100 %.
RATIO_METRICS = ("on_time", "quality", "invoice")  # 100 * numerator / denominator
PERIOD = "period"


class PveVendorScorecard(models.AbstractModel):
    _name = "pve.vendor.scorecard"
    _description = "Vendor Scorecard"

    # === BUSINESS === #

    @api.model
    def _compute_scorecard(self, partner_ids, date_from, date_to):
        """The five metrics of vendors over a period, in five queries whatever the number of vendors or orders.

        No access check: callers pass only the partners the visitor may see (the portal its own commercial partner,
        the backend route any vendor for purchase users). Figures are limited to the environment's companies.

        :param list partner_ids: commercial partner ids, or None for every vendor with data
        :param datetime.date date_from: first day (included)
        :param datetime.date date_to: last day (included)
        :return: ``{partner id: {metric key: value or None, "<key>_count": how many the value is made of}}``
        """
        return self._compute_scorecard_and_trend(partner_ids, date_from, date_to, [])[0]

    @api.model
    def _compute_trend(self, partner_ids, months):
        """Monthly values of the five metrics, in five queries.

        :param list partner_ids: commercial partner ids
        :param list months: first days of the months (``vendor_scorecard.trend_months``), oldest first
        :return: ``{partner id: {metric key: [value or None per month]}}``, every partner of `partner_ids` present
        """
        return self._compute_scorecard_and_trend(partner_ids, None, None, months)[1]

    @api.model
    def _compute_scorecard_and_trend(self, partner_ids, date_from, date_to, months):
        """Both at once, in five queries (each metric's facts are read once for the period and the months).

        :param date_from: first day of the period, None for the trend only
        :param date_to: last day of the period
        :param list months: first days of the trend's months, oldest first ([] for none)
        :return: (scorecard, trend) as `_compute_scorecard` and `_compute_trend` return them
        """
        period = None
        if date_from:
            period = (date_from, date_to + datetime.timedelta(days=1))
        trend = None
        if months:
            trend = (months[0], vendor_scorecard.add_months(months[-1], 1))
        labels = [month.strftime("%Y-%m") for month in months]
        sums = self._pve_read_sums(partner_ids, period, trend, set(labels))
        groups = {}  # {partner id: {group: metrics}}
        for (partner_id, group, key), (numerator, denominator, count) in sums.items():
            if not denominator:
                continue
            if key in RATIO_METRICS:
                value = 100.0 * numerator / denominator
            elif key == "price":
                value = 100.0 * (numerator / denominator - 1.0)
            else:
                value = numerator / denominator
            metrics = groups.setdefault(partner_id, {}).setdefault(group, self._pve_empty_metrics())
            metrics[key] = value
            metrics[f"{key}_count"] = count
        if partner_ids is None:  # every vendor with figures in the period
            partner_ids = [partner_id for partner_id, partner_groups in groups.items() if PERIOD in partner_groups]
        scorecard = {}
        if period:
            for partner_id in partner_ids:
                scorecard[partner_id] = groups.get(partner_id, {}).get(PERIOD) or self._pve_empty_metrics()
        trends = {}
        if months:
            empty = self._pve_empty_metrics()
            for partner_id in partner_ids:
                partner_groups = groups.get(partner_id, {})
                trends[partner_id] = {
                    metric.key: [partner_groups.get(label, empty)[metric.key] for label in labels]
                    for metric in vendor_scorecard.METRICS
                }
        return scorecard, trends

    @api.model
    def _pve_read_sums(self, partner_ids, period, trend, trend_labels):
        """:return: ``{(partner id, group, metric key): [numerator, denominator, count]}``, group "period" or a
        label of `trend_labels` ("YYYY-MM")"""
        self.env.flush_all()  # raw SQL below: pending ORM writes first
        sums = {}  # {(partner id, group, metric key): [numerator, denominator, count]}

        def add(partner_id, group, key, numerator, denominator, count):
            total = sums.setdefault((partner_id, group, key), [0.0, 0.0, 0])
            total[0] += numerator or 0.0
            total[1] += denominator or 0.0
            total[2] += count

        for key, query in self._pve_metric_queries(partner_ids, period, trend).items():
            self.env.cr.execute(query)
            if key == "price":  # grouped by the query itself: the market price depends on the group
                for partner_id, group, numerator, denominator, count in self.env.cr.fetchall():
                    add(partner_id, group, key, numerator, denominator, count)
                continue
            for partner_id, month, in_period, numerator, denominator, count in self.env.cr.fetchall():
                if in_period:
                    add(partner_id, PERIOD, key, numerator, denominator, count)
                label = month.strftime("%Y-%m")
                if label in trend_labels:
                    add(partner_id, label, key, numerator, denominator, count)
        return sums

    @api.model
    def _pve_empty_metrics(self):
        values = {metric.key: None for metric in vendor_scorecard.METRICS}
        values.update({f"{metric.key}_count": 0 for metric in vendor_scorecard.METRICS})
        return values

    @api.model
    def _pve_metric_queries(self, partner_ids, period, trend):
        """One SQL query per metric, each returning (commercial partner, month, in the period, numerator,
        denominator, count) rows, except price: (commercial partner, group, numerator, denominator, count), group
        "period" or "YYYY-MM"; count is how many receipts, moves, PO lines, POs or submissions the sums are made of.

        :param tuple period: (first day, day after the last) or None
        :param tuple trend: (first day of the first month, first day after the last month) or None
        """
        company_ids = self.env.companies.ids
        bounds = [datetime.datetime.combine(day, datetime.time.min) if day else None for day in (period or (None,) * 2)]
        bounds += [datetime.datetime.combine(day, datetime.time.min) if day else None for day in (trend or (None,) * 2)]
        low = min(bound for bound in bounds[0::2] if bound)
        high = max(bound for bound in bounds[1::2] if bound)

        def partners(column):
            return SQL("TRUE") if partner_ids is None else SQL("%s = ANY(%s)", column, list(partner_ids))

        def grouped(facts):
            """Sums of facts (partner_id, at, numerator, denominator) per partner, month and whether in the period
            (summed again per group by the caller: cheaper than a row per group)."""
            return SQL(
                """
                SELECT fact.partner_id, date_trunc('month', fact.at)::date,
                       COALESCE(fact.at >= %(p_start)s AND fact.at < %(p_end)s, FALSE),
                       SUM(fact.numerator), SUM(fact.denominator), COUNT(*)
                  FROM (%(facts)s) AS fact
                 WHERE fact.at >= %(low)s AND fact.at < %(high)s
              GROUP BY 1, 2, 3
                """,
                facts=facts,
                p_start=bounds[0],
                p_end=bounds[1],
                low=low,
                high=high,
            )

        # On-time delivery: done receipts of the vendor's purchase orders; one is on time when done (UTC day) on or
        # before the earliest promise among its lines (the move's deadline, else the PO line's planned date).
        on_time = grouped(
            SQL(
                """
                SELECT MIN(rp.commercial_partner_id) AS partner_id, p.date_done AS at,
                       (p.date_done::date <= MIN(COALESCE(m.date_deadline, pol.date_planned))::date)::int AS numerator,
                       1 AS denominator
                  FROM stock_picking p
                  JOIN stock_picking_type t ON t.id = p.picking_type_id AND t.code = 'incoming'
                  JOIN stock_move m ON m.picking_id = p.id AND m.state = 'done'
                  JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
                  JOIN res_partner rp ON rp.id = pol.partner_id
                 WHERE p.state = 'done' AND p.date_done >= %(low)s AND p.date_done < %(high)s
                   AND pol.company_id = ANY(%(companies)s) AND %(partners)s
              GROUP BY p.id
                """,
                low=low,
                high=high,
                companies=company_ids,
                partners=partners(SQL("rp.commercial_partner_id")),
            )
        )
        # Quality acceptance: quantity received from the vendor (done moves from a supplier location) less what was
        # sent back to it (done returns of those moves), over the quantity received; in the UoM category's reference
        # unit, by the receipt's date.
        quality = grouped(
            SQL(
                """
                SELECT rp.commercial_partner_id AS partner_id, m.date AS at,
                       m.quantity / mu.factor - COALESCE(ret.quantity, 0) AS numerator,
                       m.quantity / mu.factor AS denominator
                  FROM stock_move m
                  JOIN stock_location src ON src.id = m.location_id AND src.usage = 'supplier'
                  JOIN uom_uom mu ON mu.id = m.product_uom
                  JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
                  JOIN res_partner rp ON rp.id = pol.partner_id
             LEFT JOIN (SELECT r.origin_returned_move_id AS move_id, SUM(r.quantity / ru.factor) AS quantity
                          FROM stock_move r
                          JOIN stock_location dest ON dest.id = r.location_dest_id AND dest.usage = 'supplier'
                          JOIN uom_uom ru ON ru.id = r.product_uom
                         WHERE r.state = 'done' AND r.origin_returned_move_id IS NOT NULL
                      GROUP BY r.origin_returned_move_id) ret ON ret.move_id = m.id
                 WHERE m.state = 'done' AND m.date >= %(low)s AND m.date < %(high)s
                   AND pol.company_id = ANY(%(companies)s) AND %(partners)s
                """,
                low=low,
                high=high,
                companies=company_ids,
                partners=partners(SQL("rp.commercial_partner_id")),
            )
        )
        # Price competitiveness: what the vendor was paid (untaxed, in company currency) against what the same
        # quantities cost at the average unit price paid to all vendors, for products bought from more than one
        # vendor in the group (period or month); numerator / denominator - 1 is the deviation.
        price = SQL(
            """
            WITH line AS MATERIALIZED (
                SELECT rp.commercial_partner_id AS partner_id, pol.product_id,
                       to_char(po.date_approve, 'YYYY-MM') AS month,
                       COALESCE(po.date_approve >= %(p_start)s AND po.date_approve < %(p_end)s, FALSE) AS in_period,
                       pol.price_subtotal / COALESCE(NULLIF(po.currency_rate, 0), 1) AS amount,
                       pol.product_uom_qty AS quantity
                  FROM purchase_order_line pol
                  JOIN purchase_order po ON po.id = pol.order_id
                  JOIN res_partner rp ON rp.id = po.partner_id
                 WHERE po.state IN ('purchase', 'done') AND pol.display_type IS NULL AND pol.product_uom_qty > 0
                   AND po.date_approve >= %(low)s AND po.date_approve < %(high)s
                   AND po.company_id = ANY(%(companies)s)
            ), market AS (
                SELECT product_id, CASE WHEN GROUPING(month) = 0 THEN month ELSE %(period)s END AS grp,
                       SUM(amount) / SUM(quantity) AS unit_price
                  FROM line
              GROUP BY GROUPING SETS ((product_id, month), (product_id, in_period))
                HAVING COUNT(DISTINCT partner_id) > 1 AND (GROUPING(month) = 0 OR in_period)
            )
            SELECT line.partner_id, market.grp, SUM(line.amount), SUM(line.quantity * market.unit_price), COUNT(*)
              FROM line
              JOIN market ON market.product_id = line.product_id
                         AND (market.grp = line.month OR (market.grp = %(period)s AND line.in_period))
             WHERE %(partners)s
          GROUP BY 1, 2
            """,
            p_start=bounds[0],
            p_end=bounds[1],
            period=PERIOD,
            low=low,
            high=high,
            companies=company_ids,
            partners=partners(SQL("line.partner_id")),
        )
        # Response time: hours from the PO's confirmation to the vendor's acknowledgement, acknowledged POs only.
        response = grouped(
            SQL(
                """
                SELECT rp.commercial_partner_id AS partner_id, po.date_approve AS at,
                       GREATEST(EXTRACT(EPOCH FROM po.pve_acknowledged_date - po.date_approve), 0) / 3600.0
                           AS numerator,
                       1 AS denominator
                  FROM purchase_order po
                  JOIN res_partner rp ON rp.id = po.partner_id
                 WHERE po.state IN ('purchase', 'done') AND po.pve_acknowledged_date IS NOT NULL
                   AND po.date_approve >= %(low)s AND po.date_approve < %(high)s
                   AND po.company_id = ANY(%(companies)s) AND %(partners)s
                """,
                low=low,
                high=high,
                companies=company_ids,
                partners=partners(SQL("rp.commercial_partner_id")),
            )
        )
        # Invoice accuracy: the first submission of each invoice number (over all time; a submission without a
        # number stands alone), once processed, is accurate when matched or approved without any difference.
        invoice = grouped(
            SQL(
                """
                SELECT partner_id, create_date AS at, accurate::int AS numerator, 1 AS denominator
                  FROM (SELECT DISTINCT ON (rp.commercial_partner_id, COALESCE(vi.invoice_number, vi.id::text))
                               rp.commercial_partner_id AS partner_id, vi.create_date, vi.state,
                               vi.state IN ('matched', 'approved') AND NOT EXISTS (
                                   SELECT 1 FROM pve_vendor_invoice_difference d WHERE d.invoice_id = vi.id
                               ) AS accurate
                          FROM pve_vendor_invoice vi
                          JOIN res_partner rp ON rp.id = vi.partner_id
                         WHERE vi.company_id = ANY(%(companies)s) AND %(partners)s
                      ORDER BY rp.commercial_partner_id, COALESCE(vi.invoice_number, vi.id::text), vi.create_date, vi.id
                       ) AS first_submission
                 WHERE state != 'processing'
                """,
                companies=company_ids,
                partners=partners(SQL("rp.commercial_partner_id")),
            )
        )
        return {"on_time": on_time, "quality": quality, "price": price, "response": response, "invoice": invoice}
