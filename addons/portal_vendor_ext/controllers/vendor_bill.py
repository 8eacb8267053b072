from collections import OrderedDict, defaultdict

from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.purchase.controllers.portal import CustomerPortal

BILL_TYPES = ("in_invoice", "in_refund")
OPEN_PAYMENT_STATES = ("not_paid", "partial")
PAID_PAYMENT_STATES = ("in_payment", "paid", "reversed")


class CustomerPortalVendorBill(CustomerPortal):
    """The vendor's posted bills and refunds, as the accounting department recorded them, with what was paid and when.

    Nothing here is read as superuser before the bills themselves were read as the visitor: Odoo's portal rule on
    ``account.move`` (followers of the bill, which posting makes of its partner) decides which bills a vendor sees,
    and the domain keeps them to the vendor's own company. Only the payments of those bills are then read as
    superuser, since portal users may not read reconciliations.
    """

    # === HELPERS === #

    def _prepare_home_portal_values(self, counters):
        # EXTENDS portal
        values = super()._prepare_home_portal_values(counters)
        if "pve_vendor_bill_count" in counters:
            Move = request.env["account.move"]
            values["pve_vendor_bill_count"] = (
                Move.search_count(self._prepare_vendor_bills_domain(request.env.user.partner_id))
                if Move.has_access("read")
                else 0
            )
        return values

    def _prepare_vendor_bills_domain(self, partner):
        """:return: the domain of the posted bills and refunds of `partner`'s company (the record rules still apply;
        this keeps an internal user previewing the portal to their own company's bills)"""
        return [
            ("move_type", "in", BILL_TYPES),
            ("state", "=", "posted"),
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
        ]

    def _vendor_bill_get_searchbar_filters(self):
        return {
            "all": {"label": _("All"), "domain": []},
            "open": {"label": _("To be paid"), "domain": [("payment_state", "in", OPEN_PAYMENT_STATES)]},
            "paid": {"label": _("Paid"), "domain": [("payment_state", "in", PAID_PAYMENT_STATES)]},
        }

    def _vendor_bill_get_searchbar_sortings(self):
        return {
            "date": {"label": _("Bill date"), "order": "invoice_date desc, id desc"},
            "duedate": {"label": _("Due date"), "order": "invoice_date_due asc, id desc"},
        }

    def _pve_bill_payments(self, bills):
        """The payments of `bills` (already read as the visitor, so readable by them), in a constant number of
        queries whatever the number of bills: their payable lines, the partial reconciliations of those lines and the
        counterpart lines, each read once for all bills.

        :param bills: ``account.move`` records the visitor may read
        :return: ``{bill id: [{"date", "amount", "currency", "label"}, ...]}``, oldest payment first; amounts in the
            bill's currency
        """
        bills.check_access("read")
        # Portal users may not read reconciliations: read them as superuser, for these bills only.
        lines = bills.sudo().line_ids.filtered(lambda line: line.account_type == "liability_payable")
        payments = defaultdict(list)
        if not lines:
            return payments
        partials = (
            request.env["account.partial.reconcile"]
            .sudo()
            .search(["|", ("debit_move_id", "in", lines.ids), ("credit_move_id", "in", lines.ids)], order="id")
        )
        own_lines = set(lines.ids)
        for partial in partials:
            # A bill's payable line is credited and the payment debits it; a refund the other way round.
            if partial.credit_move_id.id in own_lines:
                bill_line, counterpart = partial.credit_move_id, partial.debit_move_id
                amount = partial.credit_amount_currency
            else:
                bill_line, counterpart = partial.debit_move_id, partial.credit_move_id
                amount = partial.debit_amount_currency
            payments[bill_line.move_id.id].append(
                {
                    "date": counterpart.date,
                    "amount": amount,
                    "currency": bill_line.move_id.currency_id,
                    "label": counterpart.move_id.name,
                }
            )
        for bill_payments in payments.values():
            bill_payments.sort(key=lambda payment: payment["date"])
        return payments

    def _prepare_vendor_bills_portal_rendering_values(self, page=1, filterby=None, sortby=None):
        """Values of the bills list: this vendor's posted bills and refunds, filtered, sorted, paged, each with its
        payments.

        :param int page: page number
        :param str filterby: a key of `_vendor_bill_get_searchbar_filters` (all, open, paid)
        :param str sortby: a key of `_vendor_bill_get_searchbar_sortings`
        :return: rendering values of `portal_vendor_ext.portal_my_vendor_bills`
        """
        Move = request.env["account.move"]
        filters = self._vendor_bill_get_searchbar_filters()
        sortings = self._vendor_bill_get_searchbar_sortings()
        filterby = filterby if filterby in filters else "all"
        sortby = sortby if sortby in sortings else "date"
        domain = expression.AND(
            [self._prepare_vendor_bills_domain(request.env.user.partner_id), filters[filterby]["domain"]]
        )
        pager = portal_pager(
            url="/my/vendor-bills",
            url_args={"filterby": filterby, "sortby": sortby},
            total=Move.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        bills = Move.search(domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"])
        request.session["my_vendor_bills_history"] = bills.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "bills": bills,
                "bill_payments": self._pve_bill_payments(bills),
                "pager": pager,
                "page_name": "vendor_bills",
                "default_url": "/my/vendor-bills",
                "searchbar_filters": OrderedDict(sorted(filters.items())),
                "filterby": filterby,
                "searchbar_sortings": sortings,
                "sortby": sortby,
            }
        )
        return values

    # === ROUTES === #

    @http.route(
        ["/my/vendor-bills", "/my/vendor-bills/page/<int:page>"], type="http", auth="user", website=True, readonly=True
    )
    def portal_my_vendor_bills(self, page=1, filterby=None, sortby=None, **kw):
        """The vendor's bills with what is paid and due; visitors who may not read journal entries (an employee
        without accounting rights) go back to /my."""
        if not request.env["account.move"].has_access("read"):
            return request.redirect("/my")
        values = self._prepare_vendor_bills_portal_rendering_values(page=page, filterby=filterby, sortby=sortby)
        return request.render("portal_vendor_ext.portal_my_vendor_bills", values)

    @http.route("/my/vendor-bills/<int:bill_id>", type="http", auth="user", website=True, readonly=True)
    def portal_my_vendor_bill(self, bill_id, **kw):
        """One bill or refund of the vendor with each payment; anything else (a customer invoice, a draft, another
        vendor's bill, an id that does not exist) goes back to /my."""
        try:
            bill = request.env["account.move"].browse(bill_id).exists()
            if not bill:
                raise MissingError(_("This bill does not exist."))
            bill.check_access("read")
            domain = self._prepare_vendor_bills_domain(request.env.user.partner_id)
            if not bill.filtered_domain(domain):
                raise AccessError(_("This is not one of your bills."))
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            bill,
            None,
            {"bill": bill, "payments": self._pve_bill_payments(bill)[bill.id], "page_name": "vendor_bill"},
            "my_vendor_bills_history",
            False,
        )
        return request.render("portal_vendor_ext.portal_my_vendor_bill", values)
