import datetime

from odoo import api, models
from odoo.tools import SQL

from ..tools import vendor_scorecard

# Each metric is one aggregate query returning (partner, bucket, numerator, denominator, count) rows; the value is
# computed from the two sums so that a month or a period without rows has no value ("no data"), never 0 or 100 %.
RATIO_METRICS = ("on_time", "quality", "invoice")  # 100 * numerator / denominator


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
        rows = self._pve_metric_rows(partner_ids, date_from, date_to, by_month=False)
        return {partner_id: metrics[None] for partner_id, metrics in rows.items()}

    @api.model
    def _compute_trend(self, partner_ids, months):
        """Monthly values of the five metrics, in five queries.

        :param list partner_ids: commercial partner ids
        :param list months: first days of the months (``vendor_scorecard.trend_months``), oldest first
        :return: ``{partner id: {metric key: [value or None per month]}}``, every partner of `partner_ids` present
        """
        last_day = vendor_scorecard.add_months(months[-1], 1) - datetime.timedelta(days=1)
        rows = self._pve_metric_rows(partner_ids, months[0], last_day, by_month=True)
        empty = {}
        return {
            partner_id: {
                metric.key: [rows.get(partner_id, empty).get(month, empty).get(metric.key) for month in months]
                for metric in vendor_scorecard.METRICS
            }
            for partner_id in partner_ids
        }

    @api.model
    def _pve_metric_rows(self, partner_ids, date_from, date_to, by_month):
        """:return: ``{partner id: {bucket: {key: value, "<key>_count": denominator}}}``, bucket the first day of
        the month with `by_month`, else None"""
        start = datetime.datetime.combine(date_from, datetime.time.min)
        end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min)
        result = {}
        self.env.flush_all()  # raw SQL below: pending ORM writes first
        for key, query in self._pve_metric_queries(partner_ids, start, end, by_month).items():
            self.env.cr.execute(query)
            for partner_id, bucket, numerator, denominator, count in self.env.cr.fetchall():
                if not denominator:
                    continue
                if key in RATIO_METRICS:
                    value = 100.0 * numerator / denominator
                elif key == "price":
                    value = 100.0 * (numerator / denominator - 1.0)
                else:
                    value = numerator / denominator
                metrics = result.setdefault(partner_id, {}).setdefault(bucket, self._pve_empty_metrics())
                metrics[key] = value
                metrics[f"{key}_count"] = count
        if not by_month:
            for partner_id in partner_ids or ():
                result.setdefault(partner_id, {None: self._pve_empty_metrics()})
        return result

    @api.model
    def _pve_empty_metrics(self):
        values = {metric.key: None for metric in vendor_scorecard.METRICS}
        values.update({f"{metric.key}_count": 0 for metric in vendor_scorecard.METRICS})
        return values

    @api.model
    def _pve_metric_queries(self, partner_ids, start, end, by_month):
        """One SQL query per metric, each returning (commercial partner, bucket, numerator, denominator, how many
        receipts, moves, PO lines, POs or submissions).

        :param datetime.datetime start: first instant (UTC, included)
        :param datetime.datetime end: last instant (UTC, excluded)
        """
        company_ids = self.env.companies.ids

        def bucket(column):
            return SQL("date_trunc('month', %s)::date", column) if by_month else SQL("NULL::date")

        def partners(column):
            return SQL("TRUE") if partner_ids is None else SQL("%s = ANY(%s)", column, list(partner_ids))

        # On-time delivery: done receipts of the vendor's purchase orders; one is on time when done (UTC day) on or
        # before the earliest promise among its lines (the move's deadline, else the PO line's planned date).
        on_time = SQL(
            """
            SELECT partner_id, %(bucket)s, COUNT(*) FILTER (WHERE date_done::date <= promised::date), COUNT(*), COUNT(*)
              FROM (SELECT p.id, p.date_done, MIN(rp.commercial_partner_id) AS partner_id,
                           MIN(COALESCE(m.date_deadline, pol.date_planned)) AS promised
                      FROM stock_picking p
                      JOIN stock_picking_type t ON t.id = p.picking_type_id AND t.code = 'incoming'
                      JOIN stock_move m ON m.picking_id = p.id AND m.state = 'done'
                      JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
                      JOIN purchase_order po ON po.id = pol.order_id
                      JOIN res_partner rp ON rp.id = po.partner_id
                     WHERE p.state = 'done' AND p.date_done >= %(start)s AND p.date_done < %(end)s
                       AND po.company_id = ANY(%(companies)s) AND %(partners)s
                  GROUP BY p.id) receipt
          GROUP BY 1, 2
            """,
            bucket=bucket(SQL.identifier("date_done")),
            start=start,
            end=end,
            companies=company_ids,
            partners=partners(SQL("rp.commercial_partner_id")),
        )
        # Quality acceptance: quantity received from the vendor (done moves from a supplier location) less what was
        # sent back to it (done returns of those moves), over the quantity received; in the UoM category's reference
        # unit, by the receipt's date.
        quality = SQL(
            """
            SELECT rp.commercial_partner_id, %(bucket)s,
                   SUM(m.quantity / mu.factor - COALESCE(ret.quantity, 0)), SUM(m.quantity / mu.factor),
                   COUNT(*)
              FROM stock_move m
              JOIN stock_location src ON src.id = m.location_id AND src.usage = 'supplier'
              JOIN uom_uom mu ON mu.id = m.product_uom
              JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
              JOIN purchase_order po ON po.id = pol.order_id
              JOIN res_partner rp ON rp.id = po.partner_id
         LEFT JOIN (SELECT r.origin_returned_move_id AS move_id, SUM(r.quantity / ru.factor) AS quantity
                      FROM stock_move r
                      JOIN stock_location dest ON dest.id = r.location_dest_id AND dest.usage = 'supplier'
                      JOIN uom_uom ru ON ru.id = r.product_uom
                     WHERE r.state = 'done' AND r.origin_returned_move_id IS NOT NULL
                  GROUP BY r.origin_returned_move_id) ret ON ret.move_id = m.id
             WHERE m.state = 'done' AND m.date >= %(start)s AND m.date < %(end)s
               AND po.company_id = ANY(%(companies)s) AND %(partners)s
          GROUP BY 1, 2
            """,
            bucket=bucket(SQL("m.date")),
            start=start,
            end=end,
            companies=company_ids,
            partners=partners(SQL("rp.commercial_partner_id")),
        )
        # Price competitiveness: what the vendor was paid (untaxed, in company currency) against what the same
        # quantities cost at the average unit price paid to all vendors, for products bought from more than one
        # vendor over the period (or the month); numerator / denominator - 1 is the deviation.
        price = SQL(
            """
            WITH line AS (
                SELECT rp.commercial_partner_id AS partner_id, pol.product_id, %(bucket)s AS bucket,
                       pol.price_subtotal / COALESCE(NULLIF(po.currency_rate, 0), 1) AS amount,
                       pol.product_uom_qty AS quantity
                  FROM purchase_order_line pol
                  JOIN purchase_order po ON po.id = pol.order_id
                  JOIN res_partner rp ON rp.id = po.partner_id
                 WHERE po.state IN ('purchase', 'done') AND pol.display_type IS NULL AND pol.product_uom_qty > 0
                   AND po.date_approve >= %(start)s AND po.date_approve < %(end)s
                   AND po.company_id = ANY(%(companies)s)
            ), market AS (
                SELECT product_id, bucket, SUM(amount) / SUM(quantity) AS unit_price
                  FROM line
              GROUP BY product_id, bucket
                HAVING COUNT(DISTINCT partner_id) > 1
            )
            SELECT line.partner_id, line.bucket, SUM(line.amount), SUM(line.quantity * market.unit_price), COUNT(*)
              FROM line
              JOIN market ON market.product_id = line.product_id AND market.bucket IS NOT DISTINCT FROM line.bucket
             WHERE %(partners)s
          GROUP BY 1, 2
            """,
            bucket=bucket(SQL("po.date_approve")),
            start=start,
            end=end,
            companies=company_ids,
            partners=partners(SQL("line.partner_id")),
        )
        # Response time: hours from the PO's confirmation to the vendor's acknowledgement, acknowledged POs only.
        response = SQL(
            """
            SELECT rp.commercial_partner_id, %(bucket)s,
                   SUM(GREATEST(EXTRACT(EPOCH FROM po.pve_acknowledged_date - po.date_approve), 0)) / 3600.0,
                   COUNT(*), COUNT(*)
              FROM purchase_order po
              JOIN res_partner rp ON rp.id = po.partner_id
             WHERE po.state IN ('purchase', 'done') AND po.pve_acknowledged_date IS NOT NULL
               AND po.date_approve >= %(start)s AND po.date_approve < %(end)s
               AND po.company_id = ANY(%(companies)s) AND %(partners)s
          GROUP BY 1, 2
            """,
            bucket=bucket(SQL("po.date_approve")),
            start=start,
            end=end,
            companies=company_ids,
            partners=partners(SQL("rp.commercial_partner_id")),
        )
        # Invoice accuracy: the first submission of each invoice number (over all time; a submission without a
        # number stands alone), once processed, is accurate when matched or approved without any difference.
        invoice = SQL(
            """
            SELECT partner_id, %(bucket)s, COUNT(*) FILTER (WHERE accurate), COUNT(*), COUNT(*)
              FROM (SELECT DISTINCT ON (rp.commercial_partner_id, COALESCE(vi.invoice_number, vi.id::text))
                           rp.commercial_partner_id AS partner_id, vi.create_date, vi.state,
                           vi.state IN ('matched', 'approved') AND NOT EXISTS (
                               SELECT 1 FROM pve_vendor_invoice_difference d WHERE d.invoice_id = vi.id
                           ) AS accurate
                      FROM pve_vendor_invoice vi
                      JOIN res_partner rp ON rp.id = vi.partner_id
                     WHERE vi.company_id = ANY(%(companies)s) AND %(partners)s
                  ORDER BY rp.commercial_partner_id, COALESCE(vi.invoice_number, vi.id::text), vi.create_date, vi.id
                   ) first_submission
             WHERE state != 'processing' AND create_date >= %(start)s AND create_date < %(end)s
          GROUP BY 1, 2
            """,
            bucket=bucket(SQL.identifier("create_date")),
            start=start,
            end=end,
            companies=company_ids,
            partners=partners(SQL("rp.commercial_partner_id")),
        )
        return {"on_time": on_time, "quality": quality, "price": price, "response": response, "invoice": invoice}
