import csv
import io
from collections import OrderedDict

import xlsxwriter

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.portal_customer_ext.tools import order_status
from odoo.addons.sale.controllers.portal import CustomerPortal

TRACKING_URL = "/my/order-tracking"
TRACKING_STATES = ("sent", "sale", "cancel")  # the customer's quotations, orders and cancelled ones
EXPORT_FORMATS = ("csv", "xlsx")
EXPORT_LIMIT = 10000  # orders per export: the whole history of any real customer, bounded


class CustomerPortalOrderTracking(CustomerPortal):
    """Order tracking in the customer portal: every order of the customer with the status a customer
    understands (quoted ... paid), its timeline, deliveries, invoices and documents, and the history exported
    to CSV or Excel. Read-only pages, except "Confirm receipt" of a delivery."""

    # === HOME === #

    def _prepare_home_portal_values(self, counters):
        # EXTENDS sale
        values = super()._prepare_home_portal_values(counters)
        if "pce_tracking_count" in counters:
            SaleOrder = request.env["sale.order"]
            partner = request.env.user.partner_id
            domain = self._prepare_pce_tracking_domain(partner)
            values["pce_tracking_count"] = SaleOrder.search_count(domain) if SaleOrder.has_access("read") else 0
        return values

    # === SEARCH BAR === #

    def _prepare_pce_tracking_domain(self, partner):
        """:return: the orders of the customer's order tracking: its quotations, orders and cancelled orders, as
        sale's portal lists them (sale's portal record rule still applies on top)."""
        return [
            ("message_partner_ids", "child_of", [partner.commercial_partner_id.id]),
            ("state", "in", TRACKING_STATES),
        ]

    def _pce_tracking_get_searchbar_sortings(self):
        return {
            "date": {"label": _("Newest"), "order": "date_order desc, id desc"},
            "date_asc": {"label": _("Oldest"), "order": "date_order asc, id asc"},
            "name": {"label": _("Order Number"), "order": "name desc"},
            "amount": {"label": _("Total"), "order": "amount_total desc, id desc"},
            "status": {"label": _("Status"), "order": "pce_portal_status, date_order desc"},
        }

    def _pce_tracking_get_searchbar_filters(self):
        return {
            "all": {"label": _("All"), "domain": []},
            "quoted": {"label": _("Quotations"), "domain": [("pce_portal_status", "=", order_status.QUOTED)]},
            "open": {
                "label": _("Being prepared"),
                "domain": [("pce_portal_status", "in", (order_status.CONFIRMED, order_status.PARTIALLY_SHIPPED))],
            },
            "shipped": {
                "label": _("Shipped or delivered"),
                "domain": [("pce_portal_status", "in", (order_status.SHIPPED, order_status.DELIVERED))],
            },
            "to_pay": {"label": _("Invoiced, to pay"), "domain": [("pce_portal_status", "=", order_status.INVOICED)]},
            "paid": {"label": _("Paid"), "domain": [("pce_portal_status", "=", order_status.PAID)]},
            "cancelled": {"label": _("Cancelled"), "domain": [("pce_portal_status", "=", order_status.CANCELLED)]},
        }

    def _pce_tracking_get_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": _("Search in All")},
            "name": {"input": "name", "label": _("Search in Order Number")},
            "ref": {"input": "ref", "label": _("Search in Your Reference")},
            "product": {"input": "product", "label": _("Search in Products")},
        }

    def _pce_tracking_search_domain(self, search_in, search):
        """:return: the domain of a search in the order list (order number, customer reference, product)."""
        if not search:
            return []
        # Portal users cannot read products: find the matching ones as superuser (archived ones too: old orders),
        # as a subquery; the orders are still searched with the visitor's rights.
        products = (
            request.env["product.product"]
            .sudo()
            .with_context(active_test=False)
            ._search(["|", ("name", "ilike", search), ("default_code", "ilike", search)])
        )
        domains = {
            "name": [("name", "ilike", search)],
            "ref": [("client_order_ref", "ilike", search)],
            "product": [("order_line.product_id", "in", products)],
        }
        if search_in in domains:
            return domains[search_in]
        return expression.OR(list(domains.values()))

    def _pce_tracking_options(self, sortby=None, filterby=None, search_in=None, search=None):
        """Normalise the list's options (unknown values fall back to the defaults).

        :return: dict with sortby, filterby, search_in, search, order and domain (user's orders matching them)
        """
        sortings = self._pce_tracking_get_searchbar_sortings()
        filters = self._pce_tracking_get_searchbar_filters()
        inputs = self._pce_tracking_get_searchbar_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        search = (search or "").strip()
        partner = request.env.user.partner_id
        domain = expression.AND(
            [
                self._prepare_pce_tracking_domain(partner),
                filters[filterby]["domain"],
                self._pce_tracking_search_domain(search_in, search),
            ]
        )
        return {
            "sortby": sortby,
            "filterby": filterby,
            "search_in": search_in,
            "search": search,
            "order": sortings[sortby]["order"],
            "domain": domain,
        }

    # === LIST === #

    def _prepare_pce_tracking_portal_rendering_values(
        self, page=1, sortby=None, filterby=None, search_in=None, search=None, **kwargs
    ):
        """:return: the rendering values of the order tracking list (one page of orders, with their status)."""
        SaleOrder = request.env["sale.order"]
        values = self._prepare_portal_layout_values()
        options = self._pce_tracking_options(sortby, filterby, search_in, search)
        url_args = {key: options[key] for key in ("sortby", "filterby", "search_in", "search") if options[key]}
        pager_values = portal_pager(
            url=TRACKING_URL,
            total=SaleOrder.search_count(options["domain"]) if SaleOrder.has_access("read") else 0,
            page=page,
            step=self._items_per_page,
            url_args=url_args,
        )
        orders = (
            SaleOrder.search(
                options["domain"], order=options["order"], limit=self._items_per_page, offset=pager_values["offset"]
            )
            if SaleOrder.has_access("read")
            else SaleOrder
        )
        values.update(
            {
                "orders": orders.sudo(),
                "page_name": "pce_order_tracking",
                "pager": pager_values,
                "default_url": TRACKING_URL,
                "searchbar_sortings": self._pce_tracking_get_searchbar_sortings(),
                "searchbar_filters": OrderedDict(self._pce_tracking_get_searchbar_filters()),
                "searchbar_inputs": self._pce_tracking_get_searchbar_inputs(),
                "sortby": options["sortby"],
                "filterby": options["filterby"],
                "search_in": options["search_in"],
                "search": options["search"],
                "pce_status_labels": self._pce_status_labels(),
                "pce_export_query": url_args,
            }
        )
        return values

    @http.route(
        [TRACKING_URL, f"{TRACKING_URL}/page/<int:page>"], type="http", auth="user", website=True, readonly=True
    )
    def portal_my_pce_order_tracking(self, **kwargs):
        values = self._prepare_pce_tracking_portal_rendering_values(**kwargs)
        request.session["my_pce_tracking_history"] = values["orders"].ids[:100]
        return request.render("portal_customer_ext.portal_my_order_tracking", values)

    # === DETAIL === #

    def _pce_status_labels(self):
        """:return: {status code: label in the visitor's language}."""
        return dict(request.env["sale.order"]._fields["pce_portal_status"]._description_selection(request.env))

    def _prepare_pce_tracking_order_values(self, order_sudo, access_token=None, message=None):
        """:return: the rendering values of an order's tracking page (timeline, deliveries, invoices, documents)."""
        order_sudo._pce_prefetch_order_status()
        status = order_sudo._pce_get_order_status(paid_dates=order_sudo._pce_get_invoice_paid_dates())
        user = request.env.user
        deliveries = order_sudo.picking_ids.filtered(lambda p: p._pce_is_customer_delivery() and p.state != "cancel")
        invoices = order_sudo.invoice_ids.filtered(lambda move: move.state == "posted")
        values = {
            "pce_order": order_sudo,
            "pce_status": status,
            "pce_status_labels": self._pce_status_labels(),
            "pce_deliveries": deliveries.sorted(lambda p: (p.date_done or p.scheduled_date, p.id)),
            "pce_receipt_allowed": {p.id: p._pce_can_confirm_receipt_as(user) for p in deliveries},
            "pce_invoices": invoices.sorted(lambda move: (move.invoice_date or fields.Date.today(), move.id)),
            "product_documents": order_sudo._get_product_documents(),
            "message": message,
            "page_name": "pce_order_tracking",
            "res_company": order_sudo.company_id,
            # Links to sale's pages of the order: with its token, which some of them require (documents); never
            # made here (get_portal_url would write one on this read-only route).
            "pce_access_query": f"?access_token={order_sudo.access_token or ''}",
        }
        return self._get_page_view_values(order_sudo, access_token, values, "my_pce_tracking_history", False)

    @http.route([f"{TRACKING_URL}/<int:order_id>"], type="http", auth="public", website=True, readonly=True)
    def portal_my_pce_order_tracking_page(self, order_id, access_token=None, message=None, **kwargs):
        try:
            order_sudo = self._document_check_access("sale.order", order_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_pce_tracking_order_values(order_sudo, access_token=access_token, message=message)
        return request.render("portal_customer_ext.portal_order_tracking_page", values)

    @http.route(
        [f"{TRACKING_URL}/<int:order_id>/receipt/<int:picking_id>"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_pce_confirm_receipt(self, order_id, picking_id, access_token=None, **kwargs):
        """Confirm that a done delivery of the order arrived (sets its received date).

        Only a logged-in contact of the order's customer may: the order's access token alone, another customer's
        user or an internal user previewing the page may not.

        :return: a redirect to the order's tracking page with a message; to /my when the order is not accessible
        """
        try:
            order_sudo = self._document_check_access("sale.order", order_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = f"{TRACKING_URL}/{order_sudo.id}"
        picking = order_sudo.picking_ids.filtered(lambda p: p.id == picking_id)
        user = request.env.user
        if not picking or not picking._pce_can_confirm_receipt_as(user):
            return request.redirect(f"{url}?message=pce_receipt_refused")
        try:
            picking._pce_confirm_receipt(author=user.partner_id)
        except UserError:
            return request.redirect(f"{url}?message=pce_receipt_refused")
        return request.redirect(f"{url}?message=pce_receipt_done")

    # === EXPORT === #

    def _pce_export_rows(self, orders):
        """:return: (header, rows) of the order history with its lines: one row per product line.

        Reads the lines of all the orders at once (constant number of queries)."""
        labels = self._pce_status_labels()
        header = [
            _("Order"),
            _("Your Reference"),
            _("Order Date"),
            _("Status"),
            _("Shipped On"),
            _("Order Total"),
            _("Currency"),
            _("Product"),
            _("Description"),
            _("Quantity"),
            _("Delivered"),
            _("Invoiced"),
            _("Unit"),
            _("Unit Price"),
            _("Discount (%)"),
            _("Subtotal"),
        ]
        lines = orders.order_line.filtered(lambda line: not line.display_type)
        lines.fetch(
            [
                "order_id",
                "product_id",
                "name",
                "product_uom_qty",
                "qty_delivered",
                "qty_invoiced",
                "product_uom",
                "price_unit",
                "discount",
                "price_subtotal",
            ]
        )
        lines.product_id.fetch(["default_code", "product_tmpl_id"])
        lines.product_uom.fetch(["name"])
        rows = []
        lines_by_order = {}
        for line in lines:
            lines_by_order.setdefault(line.order_id.id, []).append(line)
        for order in orders:
            order_cells = [
                order.name,
                order.client_order_ref or "",
                fields.Datetime.context_timestamp(order, order.date_order).date() if order.date_order else None,
                labels.get(order.pce_portal_status, ""),
                fields.Datetime.context_timestamp(order, order.effective_date).date() if order.effective_date else None,
                order.amount_total,
                order.currency_id.name,
            ]
            order_lines = lines_by_order.get(order.id) or [None]
            for line in order_lines:
                if line is None:
                    rows.append(order_cells + [""] * 9)
                    continue
                rows.append(
                    order_cells
                    + [
                        line.product_id.display_name or "",
                        line.name or "",
                        line.product_uom_qty,
                        line.qty_delivered,
                        line.qty_invoiced,
                        line.product_uom.name or "",
                        line.price_unit,
                        line.discount,
                        line.price_subtotal,
                    ]
                )
        return header, rows

    @staticmethod
    def _pce_export_csv(header, rows):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if cell is None else cell for cell in row])
        return buffer.getvalue().encode("utf-8-sig"), "text/csv;charset=utf-8"

    @staticmethod
    def _pce_export_xlsx(header, rows, sheet_name):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(sheet_name[:31])
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_row(0, 0, header, bold)
        for row_index, row in enumerate(rows, start=1):
            for col_index, cell in enumerate(row):
                if cell is None:
                    continue
                if hasattr(cell, "isoformat"):
                    sheet.write_datetime(row_index, col_index, fields.Datetime.to_datetime(cell), date_format)
                else:
                    sheet.write(row_index, col_index, cell)
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, len(header) - 1, 14)
        workbook.close()
        return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    @http.route([f"{TRACKING_URL}/export/<string:file_format>"], type="http", auth="user", website=True, readonly=True)
    def portal_pce_order_tracking_export(self, file_format, sortby=None, filterby=None, search_in=None, search=None):
        """Download the visitor's order history with its lines, for the list's current filter, search and sorting.

        :param str file_format: ``csv`` or ``xlsx``
        """
        if file_format not in EXPORT_FORMATS:
            return request.not_found()
        SaleOrder = request.env["sale.order"]
        if not SaleOrder.has_access("read"):
            return request.redirect("/my")
        options = self._pce_tracking_options(sortby, filterby, search_in, search)
        orders = SaleOrder.search(options["domain"], order=options["order"], limit=EXPORT_LIMIT).sudo()
        header, rows = self._pce_export_rows(orders)
        if file_format == "csv":
            content, mimetype = self._pce_export_csv(header, rows)
        else:
            content, mimetype = self._pce_export_xlsx(header, rows, _("Orders"))
        filename = _("orders-%(date)s.%(ext)s", date=fields.Date.context_today(SaleOrder), ext=file_format)
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
