from odoo import fields, models
from odoo.tools import SQL


class OvOutletSaleReport(models.Model):
    """One row per confirmed sales order, so that an average of `revenue` over any group is its average order value."""

    _name = "ov.outlet.sale.report"
    _description = "Outlet Sales Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "order_id"
    _depends = {
        "sale.order": [
            "amount_untaxed",
            "company_id",
            "currency_rate",
            "date_order",
            "partner_id",
            "state",
            "x_channel_partner_id",
            "x_outlet_id",
            "x_sales_rep_id",
        ],
        "ov.outlet": ["site_partner_id"],
        "res.partner": ["city", "country_id"],
    }

    order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    date = fields.Datetime(string="Order Date", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    outlet_id = fields.Many2one("ov.outlet", string="Outlet", readonly=True)
    outlet_city = fields.Char(string="Outlet City", readonly=True)
    outlet_country_id = fields.Many2one("res.country", string="Outlet Country", readonly=True)
    channel_partner_id = fields.Many2one("res.partner", string="Channel Partner", readonly=True)
    sales_rep_id = fields.Many2one("res.partner", string="Sales Rep", readonly=True)
    order_count = fields.Integer(string="# Orders", readonly=True)
    revenue = fields.Monetary(string="Revenue", readonly=True, help="Untaxed amount in the company's currency.")
    average_order_value = fields.Monetary(string="Average Order Value", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        revenue = SQL(
            "so.amount_untaxed / CASE COALESCE(so.currency_rate, 0) WHEN 0 THEN 1.0 ELSE so.currency_rate END"
        )
        return SQL(
            """
            SELECT so.id AS id,
                   so.id AS order_id,
                   so.date_order AS date,
                   so.company_id AS company_id,
                   company.currency_id AS currency_id,
                   so.partner_id AS partner_id,
                   so.x_outlet_id AS outlet_id,
                   site.city AS outlet_city,
                   site.country_id AS outlet_country_id,
                   so.x_channel_partner_id AS channel_partner_id,
                   so.x_sales_rep_id AS sales_rep_id,
                   1 AS order_count,
                   %(revenue)s AS revenue,
                   %(revenue)s AS average_order_value
              FROM sale_order so
              JOIN res_company company ON company.id = so.company_id
         LEFT JOIN ov_outlet outlet ON outlet.id = so.x_outlet_id
         LEFT JOIN res_partner site ON site.id = outlet.site_partner_id
             WHERE so.state = 'sale'
            """,
            revenue=revenue,
        )
