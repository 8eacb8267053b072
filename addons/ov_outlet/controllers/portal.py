from collections import OrderedDict

from odoo import _, fields, http
from odoo.http import request
from odoo.osv import expression
from odoo.tools import format_amount, format_date, formatLang

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

REP_ORDERS_URL = "/my/rep-orders"
REP_ORDER_STATES = ("draft", "sent", "sale")  # quotations and confirmed orders; never cancelled ones


class CustomerPortalSalesRep(CustomerPortal):
    """Sales reps' orders in the portal: a contact flagged *Sales Rep* who has a user (usually a portal user) reads
    the orders where they are the sales rep, and nothing else.

    Access is decided HERE, not by a record rule: a portal read rule on ``sale.order`` for reps would also open
    sale's own pages of those orders (``/my/orders/<id>`` with sign, pay, accept and decline) and JSON-RPC reads of
    every field. Each route checks that the order is one of the visitor's rep orders (the same domain as the list),
    then reads the order as superuser and hands the templates plain values of a fixed list of fields only.
    """

    # === HELPERS === #

    def _ov_rep_partner(self):
        """:return: the visitor's partner when it is a sales rep, else an empty recordset (public user included)"""
        user = request.env.user
        if user._is_public():
            return request.env["res.partner"]
        partner = user.partner_id.sudo()
        return partner if partner.ov_is_sales_rep else request.env["res.partner"]

    def _prepare_ov_rep_orders_domain(self, partner):
        """:param partner: the sales rep (the visitor's own partner, never a request parameter)
        :return: the orders the rep may read: theirs as sales rep, quotations and orders, in the visitor's
            companies (the reads are made as superuser, so the company rule is applied here); none without a rep"""
        if not partner:
            return expression.FALSE_DOMAIN
        return [
            ("x_sales_rep_id", "=", partner.id),
            ("state", "in", REP_ORDER_STATES),
            ("company_id", "in", request.env.user.company_ids.ids),
        ]

    def _ov_rep_state_labels(self):
        return {"draft": _("Quotation"), "sent": _("Quotation"), "sale": _("Sales Order")}

    def _ov_rep_format_date(self, order):
        if not order.date_order:
            return ""
        return format_date(request.env, fields.Datetime.context_timestamp(request.env.user, order.date_order))

    # === SEARCH BAR === #

    def _ov_rep_get_searchbar_sortings(self):
        return {
            "date": {"label": _("Newest"), "order": "date_order desc, id desc"},
            "name": {"label": _("Reference"), "order": "name asc, id asc"},
            "customer": {"label": _("Customer"), "order": "partner_id, date_order desc, id desc"},
            "outlet": {"label": _("Outlet"), "order": "x_outlet_id, date_order desc, id desc"},
            "state": {"label": _("Status"), "order": "state, date_order desc, id desc"},
            "amount": {"label": _("Total"), "order": "amount_total desc, id desc"},
        }

    def _ov_rep_get_searchbar_filters(self):
        return {
            "all": {"label": _("All"), "domain": []},
            "quotations": {"label": _("Quotations"), "domain": [("state", "in", ("draft", "sent"))]},
            "orders": {"label": _("Sales Orders"), "domain": [("state", "=", "sale")]},
        }

    def _ov_rep_get_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": _("Search in All")},
            "name": {"input": "name", "label": _("Search in Reference")},
            "customer": {"input": "customer", "label": _("Search in Customer")},
            "outlet": {"input": "outlet", "label": _("Search in Outlet")},
        }

    def _ov_rep_search_domain(self, search_in, search):
        """:return: the domain of a search in the list (always combined with the rep's own domain)"""
        if not search:
            return []
        domains = {
            "name": [("name", "ilike", search)],
            "customer": [("partner_id.name", "ilike", search)],
            "outlet": ["|", ("x_outlet_id.name", "ilike", search), ("x_outlet_id.code", "ilike", search)],
        }
        if search_in in domains:
            return domains[search_in]
        return expression.OR(list(domains.values()))

    # === LIST === #

    def _ov_rep_order_row(self, order, state_labels):
        """:return: the list's values of one order (read as superuser: only these fields reach the template)"""
        return {
            "id": order.id,
            "name": order.name,
            "date": self._ov_rep_format_date(order),
            "customer": order.partner_id.name or "",
            "outlet": order.x_outlet_id.display_name or "",
            "state": order.state,
            "state_label": state_labels[order.state],
            "total": format_amount(request.env, order.amount_total, order.currency_id),
        }

    def _prepare_ov_rep_orders_portal_rendering_values(
        self, page=1, sortby=None, filterby=None, search_in=None, search=None, **kwargs
    ):
        """:return: the rendering values of one page of the visitor's rep orders (none when not a sales rep)"""
        sortings = self._ov_rep_get_searchbar_sortings()
        filters = self._ov_rep_get_searchbar_filters()
        inputs = self._ov_rep_get_searchbar_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        search = (search or "").strip()
        domain = expression.AND(
            [
                self._prepare_ov_rep_orders_domain(self._ov_rep_partner()),
                filters[filterby]["domain"],
                self._ov_rep_search_domain(search_in, search),
            ]
        )
        SaleOrder = request.env["sale.order"].sudo()
        url_args = {"sortby": sortby, "filterby": filterby, "search_in": search_in, "search": search}
        pager_values = portal_pager(
            url=REP_ORDERS_URL,
            total=SaleOrder.search_count(domain),
            page=page,
            step=self._items_per_page,
            url_args={key: value for key, value in url_args.items() if value},
        )
        orders = SaleOrder.search(
            domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager_values["offset"]
        )
        state_labels = self._ov_rep_state_labels()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "ov_rep_orders": [self._ov_rep_order_row(order, state_labels) for order in orders],
                "ov_rep_order_ids": orders.ids,
                "page_name": "ov_rep_orders",
                "pager": pager_values,
                "default_url": REP_ORDERS_URL,
                "searchbar_sortings": sortings,
                "searchbar_filters": OrderedDict(filters),
                "searchbar_inputs": inputs,
                **url_args,
            }
        )
        return values

    # === DETAIL === #

    def _ov_rep_get_order(self, order_id):
        """:return: the order as superuser when it is one of the visitor's rep orders, else None (another rep's
        order, an order without rep, a cancelled one, a guessed or deleted id, a visitor who is not a rep)"""
        partner = self._ov_rep_partner()
        if not partner:
            return None
        domain = expression.AND([[("id", "=", order_id)], self._prepare_ov_rep_orders_domain(partner)])
        return request.env["sale.order"].sudo().search(domain, limit=1) or None

    def _prepare_ov_rep_order_values(self, order):
        """:param order: a rep order, as superuser (see :meth:`_ov_rep_get_order`)
        :return: the rendering values of its read-only page: header, customer, outlet, lines and totals"""
        env = request.env
        currency = order.currency_id
        lines = []
        for line in order.order_line:
            if line.display_type:
                lines.append({"display_type": line.display_type, "name": line.name or ""})
                continue
            lines.append(
                {
                    "display_type": False,
                    "name": line.name or "",
                    "quantity": formatLang(env, line.product_uom_qty, dp="Product Unit of Measure"),
                    "uom": line.product_uom.name or "",
                    "price_unit": format_amount(env, line.price_unit, currency),
                    "discount": formatLang(env, line.discount, dp="Discount") if line.discount else "",
                    "subtotal": format_amount(env, line.price_subtotal, currency),
                }
            )
        customer = order.partner_id
        outlet = order.x_outlet_id
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "ov_rep_order",
                "ov_rep_order": {
                    **self._ov_rep_order_row(order, self._ov_rep_state_labels()),
                    "customer_address": ", ".join(part for part in (customer.city, customer.country_id.name) if part),
                    "outlet_address": ", ".join(
                        part for part in (outlet.site_partner_id.city, outlet.site_partner_id.country_id.name) if part
                    ),
                    "channel_partner": order.x_channel_partner_id.name or "",
                    "lines": lines,
                    "has_discount": any(line.get("discount") for line in lines),
                    "amount_untaxed": format_amount(env, order.amount_untaxed, currency),
                    "amount_tax": format_amount(env, order.amount_tax, currency),
                    "amount_total": format_amount(env, order.amount_total, currency),
                },
            }
        )
        return values

    # === ROUTES === #

    def _prepare_home_portal_values(self, counters):
        # EXTENDS portal
        values = super()._prepare_home_portal_values(counters)
        if "ov_rep_order_count" in counters:
            partner = self._ov_rep_partner()
            values["ov_rep_order_count"] = (
                request.env["sale.order"].sudo().search_count(self._prepare_ov_rep_orders_domain(partner))
                if partner
                else 0
            )
        return values

    @http.route(
        [REP_ORDERS_URL, f"{REP_ORDERS_URL}/page/<int:page>"], type="http", auth="user", website=True, readonly=True
    )
    def portal_my_ov_rep_orders(self, **kwargs):
        if not self._ov_rep_partner():
            return request.redirect("/my")
        values = self._prepare_ov_rep_orders_portal_rendering_values(**kwargs)
        request.session["my_ov_rep_orders_history"] = values["ov_rep_order_ids"][:100]
        return request.render("ov_outlet.portal_my_ov_rep_orders", values)

    @http.route([f"{REP_ORDERS_URL}/<int:order_id>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_ov_rep_order(self, order_id, **kwargs):
        order = self._ov_rep_get_order(order_id)
        if not order:
            return request.redirect("/my")
        return request.render("ov_outlet.portal_my_ov_rep_order", self._prepare_ov_rep_order_values(order))
