from collections import OrderedDict

from odoo import _, fields, http
from odoo.http import request
from odoo.osv import expression

from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.portal.controllers.portal import pager as portal_pager

# Documents of the account statement: what the customer was invoiced and credited.
STATEMENT_MOVE_TYPES = ("out_invoice", "out_refund")
OPEN_PAYMENT_STATES = ("not_paid", "partial")
PAID_PAYMENT_STATES = ("paid", "in_payment", "reversed")
# Aging buckets of the open amount, by days past the due date: (key, first day, last day or None).
AGING_BUCKETS = (
    ("current", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("90_plus", 91, None),
)


class CustomerPortalStatement(PortalAccount):
    """Invoices and credit in the customer portal: filters and downloads on stock `/my/invoices`, the account
    statement `/my/statement` and the credit box on `/my`, `/my/account` and the statement."""

    # === /my home and account page === #

    # EXTENDS portal
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "pce_statement_count" in counters:
            Move = request.env["account.move"]
            values["pce_statement_count"] = (
                Move.search_count(self._prepare_statement_domain(request.env.user.partner_id), limit=1)
                if Move.has_access("read")
                else 0
            )
        return values

    @http.route()
    def home(self, **kw):
        # EXTENDS portal: the credit box on /my
        response = super().home(**kw)
        if response.is_qweb:
            response.qcontext["pce_credit"] = self._pce_get_portal_credit()
        return response

    @http.route()
    def account(self, redirect=None, **post):
        # EXTENDS portal: the credit box on /my/account (the form page, not the redirect after saving)
        response = super().account(redirect=redirect, **post)
        if getattr(response, "is_qweb", False):
            response.qcontext["pce_credit"] = self._pce_get_portal_credit()
        return response

    def _pce_get_portal_credit(self):
        """The credit box values of the logged-in visitor's customer (see `res.partner._pce_get_portal_credit`).

        Credit figures are accounting fields portal users cannot read: they are read as superuser, and only for the
        commercial partner of the visitor's own contact, never for a partner taken from the request.

        :return: dict or None (no limit, feature off, or public visitor)
        """
        user = request.env.user
        if user._is_public():
            return None
        return user.partner_id.commercial_partner_id.sudo()._pce_get_portal_credit()

    # === /my/invoices (stock, extended) === #

    # EXTENDS account
    def _get_account_searchbar_filters(self):
        """Payment-state filters next to stock's (All, Overdue invoices, Invoices, Bills): invoices and credit notes
        still to pay, and those paid."""
        filters = super()._get_account_searchbar_filters()
        filters["pce_open"] = {
            "label": _("To pay"),
            "domain": [("move_type", "in", STATEMENT_MOVE_TYPES), ("payment_state", "in", OPEN_PAYMENT_STATES)],
        }
        filters["pce_paid"] = {
            "label": _("Paid"),
            "domain": [("move_type", "in", STATEMENT_MOVE_TYPES), ("payment_state", "in", PAID_PAYMENT_STATES)],
        }
        return filters

    # === /my/statement === #

    def _prepare_statement_domain(self, partner):
        """:return: the domain of the documents of `partner`'s customer on its statement: posted invoices and credit
        notes of its commercial partner (any of its contacts); the portal record rules of account apply on top."""
        return [
            ("state", "=", "posted"),
            ("move_type", "in", STATEMENT_MOVE_TYPES),
            ("partner_id", "child_of", partner.commercial_partner_id.id),
        ]

    def _statement_get_searchbar_sortings(self):
        return {
            "date": {"label": _("Invoice Date"), "order": "invoice_date desc, id desc"},
            "duedate": {"label": _("Due Date"), "order": "invoice_date_due asc, id asc"},
            "amount_due": {"label": _("Amount Due"), "order": "amount_residual_signed desc, id desc"},
            "name": {"label": _("Reference"), "order": "name desc, id desc"},
        }

    def _statement_get_searchbar_filters(self, today):
        return {
            "all": {"label": _("All"), "domain": []},
            "open": {"label": _("To pay"), "domain": [("payment_state", "in", OPEN_PAYMENT_STATES)]},
            "overdue": {
                "label": _("Overdue"),
                "domain": [("payment_state", "in", OPEN_PAYMENT_STATES), ("invoice_date_due", "<", today)],
            },
            "paid": {"label": _("Paid"), "domain": [("payment_state", "in", PAID_PAYMENT_STATES)]},
        }

    def _statement_get_searchbar_inputs(self):
        return {
            "name": {"input": "name", "label": _("Search in Reference")},
            "ref": {"input": "ref", "label": _("Search in Your Reference")},
            "invoice_origin": {"input": "invoice_origin", "label": _("Search in Source Document")},
        }

    def _statement_get_search_domain(self, search_in, search):
        if not search:
            return []
        if search_in == "name":
            return expression.OR([[("name", "ilike", search)], [("payment_reference", "ilike", search)]])
        return [(search_in, "ilike", search)]

    def _pce_get_statement_totals(self, domain, today):
        """Open receivables of the statement, overdue and not yet due, and their aging buckets.

        One grouped query whatever the number of documents: the open amounts (`amount_residual_signed`, company
        currency, negative for credit notes) summed per due date, then put into buckets here.

        :param list domain: the statement's documents (filters and search left out: totals are the whole account's)
        :param datetime.date today: the day the aging counts from
        :return: dict with `open`, `overdue`, `not_due` and `aging` (bucket key -> amount, in `AGING_BUCKETS` order)
        """
        groups = request.env["account.move"]._read_group(
            expression.AND([domain, [("payment_state", "in", OPEN_PAYMENT_STATES)]]),
            groupby=["invoice_date_due:day"],
            aggregates=["amount_residual_signed:sum"],
        )
        aging = OrderedDict((key, 0.0) for key, _first, _last in AGING_BUCKETS)
        for due_date, amount in groups:
            days = (today - due_date).days if due_date else 0
            for key, first, last in AGING_BUCKETS:
                if (first is None or days >= first) and (last is None or days <= last):
                    aging[key] += amount
                    break
        total = sum(aging.values())
        return {"open": total, "not_due": aging["current"], "overdue": total - aging["current"], "aging": aging}

    def _prepare_statement_portal_rendering_values(
        self, page=1, sortby=None, filterby=None, search=None, search_in="name"
    ):
        """Values of the account statement page: one page of documents and the totals of the whole account.

        A constant number of queries whatever the number of documents: a count, one search for the page (its
        fields prefetched together), one grouped query for the totals, the credit box's few queries.
        """
        Move = request.env["account.move"]
        partner = request.env.user.partner_id
        today = fields.Date.context_today(Move)
        values = self._prepare_portal_layout_values()

        searchbar_sortings = self._statement_get_searchbar_sortings()
        searchbar_filters = self._statement_get_searchbar_filters(today)
        searchbar_inputs = self._statement_get_searchbar_inputs()
        sortby = sortby if sortby in searchbar_sortings else "date"
        filterby = filterby if filterby in searchbar_filters else "open"
        search_in = search_in if search_in in searchbar_inputs else "name"

        base_domain = self._prepare_statement_domain(partner)
        domain = expression.AND(
            [base_domain, searchbar_filters[filterby]["domain"], self._statement_get_search_domain(search_in, search)]
        )
        pager = portal_pager(
            url="/my/statement",
            url_args={"sortby": sortby, "filterby": filterby, "search_in": search_in, "search": search},
            total=Move.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        moves = Move.search(
            domain, order=searchbar_sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        request.session["my_statement_history"] = moves.ids[:100]

        values.update(
            {
                "page_name": "pce_statement",
                "default_url": "/my/statement",
                "moves": moves,
                "pce_rows": [self._pce_prepare_statement_row(move, today) for move in moves],
                "pager": pager,
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
                "searchbar_filters": searchbar_filters,
                "filterby": filterby,
                "searchbar_inputs": searchbar_inputs,
                "search_in": search_in,
                "search": search,
                "pce_totals": self._pce_get_statement_totals(base_domain, today),
                "pce_aging_labels": {
                    "current": _("Not yet due"),
                    "1_30": _("1-30 days"),
                    "31_60": _("31-60 days"),
                    "61_90": _("61-90 days"),
                    "90_plus": _("Over 90 days"),
                },
                "pce_company_currency": request.env.company.currency_id,
                "pce_credit": self._pce_get_portal_credit(),
                # stock's "pay overdue" page pays the visitor's own overdue invoices (account_payment)
                "overdue_invoice_count": self._get_overdue_invoice_count(),
            }
        )
        return values

    def _pce_prepare_statement_row(self, move, today):
        """:return: the figures of one statement row, signed so that a credit note lowers what is owed."""
        sign = -1 if move.move_type == "out_refund" else 1
        is_open = move.payment_state in OPEN_PAYMENT_STATES
        due = move.invoice_date_due
        return {
            "move": move,
            "amount": sign * move.amount_total,
            "amount_due": sign * move.amount_residual,
            "days_overdue": (today - due).days if is_open and due and due < today else 0,
            # logged-in visitors pass the record rules: no access token (which a read-only route could not write)
            "pdf_url": f"/my/invoices/{move.id}?report_type=pdf&download=true",
            "url": f"/my/invoices/{move.id}",
        }

    @http.route(
        ["/my/statement", "/my/statement/page/<int:page>"], type="http", auth="user", website=True, readonly=True
    )
    def portal_my_statement(self, page=1, sortby=None, filterby=None, search=None, search_in="name", **kw):
        """The account statement of the visitor's customer: what it owes, what is overdue, its credit."""
        if not request.env["account.move"].has_access("read"):
            return request.redirect("/my")
        values = self._prepare_statement_portal_rendering_values(page, sortby, filterby, search, search_in)
        return request.render("portal_customer_ext.portal_my_statement", values)
