from collections import OrderedDict

from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.portal_customer_ext.models.pce_document import VALIDITY_STATES
from odoo.addons.sale.controllers.portal import CustomerPortal

DOCUMENTS_URL = "/my/documents"
# Tabs of the document center next to the shared documents: the PDFs of the customer's orders and invoices
RECORD_TABS = ("orders", "invoices")
RECORD_TAB_ARG = f"<any({','.join(RECORD_TABS)}):tab>"
INVOICE_MOVE_TYPES = ("out_invoice", "out_refund")


class CustomerPortalDocument(CustomerPortal):
    """The document center of the customer portal: files the company shares with the customer (contracts,
    certificates, datasheets, with their validity), downloaded only by the customer's contacts, and the PDFs of
    the customer's orders and invoices (through sale's and account's own pages).

    Everything is read as the visitor: the record rules of pce_document_security.xml (and sale's and account's)
    decide what is found; the file is streamed only after that check."""

    # === HOME === #

    # EXTENDS portal
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "pce_document_count" in counters:
            Document = request.env["pce.document"]
            values["pce_document_count"] = (
                Document.search_count(self._prepare_pce_documents_domain(request.env.user.partner_id))
                if Document.has_access("read")
                else 0
            )
        return values

    # === SHARED DOCUMENTS: SEARCH BAR === #

    def _prepare_pce_documents_domain(self, partner):
        """:return: the documents shared with `partner`'s customer (the portal record rule applies on top; the
        domain keeps an internal user's page to their own company's documents too)."""
        return [("partner_id", "=", partner.commercial_partner_id.id)]

    def _pce_documents_get_searchbar_sortings(self):
        return {
            "category": {"label": _("Category"), "order": "category_id, name, id"},
            "name": {"label": _("Name"), "order": "name, id"},
            "date_end": {"label": _("Valid Until"), "order": "date_end asc nulls last, name, id"},
            "newest": {"label": _("Newest"), "order": "create_date desc, id desc"},
        }

    def _pce_documents_get_searchbar_filters(self):
        """:return: "All", then one filter per document category (keys ``category_<id>``)."""
        filters = {"all": {"label": _("All"), "domain": []}}
        if request.env["pce.document.category"].has_access("read"):
            for category in request.env["pce.document.category"].search([]):
                filters[f"category_{category.id}"] = {
                    "label": category.name,
                    "domain": [("category_id", "=", category.id)],
                }
        return filters

    def _pce_documents_get_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": _("Search in All")},
            "name": {"input": "name", "label": _("Search in Name")},
        }

    def _pce_documents_search_domain(self, search_in, search):
        """:return: the domain of a search in the documents (name; or name, file name and description)."""
        if not search:
            return []
        if search_in == "name":
            return [("name", "ilike", search)]
        return ["|", "|", ("name", "ilike", search), ("file_name", "ilike", search), ("description", "ilike", search)]

    # === SHARED DOCUMENTS: LIST === #

    def _prepare_pce_documents_portal_rendering_values(
        self, page=1, sortby=None, filterby=None, search_in=None, search=None, **kwargs
    ):
        """:return: the rendering values of one page of the documents shared with the visitor's customer."""
        Document = request.env["pce.document"]
        sortings = self._pce_documents_get_searchbar_sortings()
        filters = self._pce_documents_get_searchbar_filters()
        inputs = self._pce_documents_get_searchbar_inputs()
        sortby = sortby if sortby in sortings else "category"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        search = (search or "").strip()
        values = self._prepare_portal_layout_values()
        documents = Document
        total = 0
        if Document.has_access("read"):
            domain = expression.AND(
                [
                    self._prepare_pce_documents_domain(request.env.user.partner_id),
                    filters[filterby]["domain"],
                    self._pce_documents_search_domain(search_in, search),
                ]
            )
            total = Document.search_count(domain)
        url_args = {"sortby": sortby, "filterby": filterby, "search_in": search_in, "search": search}
        pager_values = portal_pager(
            url=DOCUMENTS_URL,
            total=total,
            page=page,
            step=self._items_per_page,
            url_args={key: value for key, value in url_args.items() if value},
        )
        if total:
            documents = Document.search(
                domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager_values["offset"]
            )
        values.update(
            {
                "documents": documents,
                "page_name": "pce_documents",
                "pce_documents_tab": "shared",
                "pager": pager_values,
                "default_url": DOCUMENTS_URL,
                "searchbar_sortings": sortings,
                "searchbar_filters": OrderedDict(filters),
                "searchbar_inputs": inputs,
                "sortby": sortby,
                "filterby": filterby,
                "search_in": search_in,
                "search": search,
                "pce_validity_labels": dict(VALIDITY_STATES),
            }
        )
        return values

    @http.route(
        [DOCUMENTS_URL, f"{DOCUMENTS_URL}/page/<int:page>"], type="http", auth="user", website=True, readonly=True
    )
    def portal_my_pce_documents(self, **kwargs):
        """The documents shared with the visitor's customer, by category, with their validity."""
        values = self._prepare_pce_documents_portal_rendering_values(**kwargs)
        request.session["my_pce_documents_history"] = values["documents"].ids[:100]
        return request.render("portal_customer_ext.portal_my_documents", values)

    # === SHARED DOCUMENTS: DOWNLOAD === #

    def _pce_get_document(self, document_id):
        """Return the document `document_id` if the visitor may download it: a contact of the customer it is shared
        with (record rules as the visitor), or an internal user who may read it; never an archived one.

        :raise AccessError, MissingError: another customer's document, a missing or archived one
        """
        document = request.env["pce.document"].browse(document_id)
        document.check_access("read")
        if not document.exists() or not document.active:
            raise MissingError(request.env._("This document does not exist."))
        return document

    @http.route([f"{DOCUMENTS_URL}/<int:document_id>/download"], type="http", auth="user", website=True, readonly=True)
    def portal_pce_document_download(self, document_id, **kwargs):
        """Download a shared document, under its file name.

        :return: the file; a redirect to /my when the visitor may not read the document or it does not exist
        """
        try:
            document = self._pce_get_document(document_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # The visitor may read the record (checked above): ir.binary reads its file attachment as superuser.
        stream = request.env["ir.binary"]._get_stream_from(document, "datas", filename=document.file_name)
        return stream.get_response(as_attachment=True)

    # === ORDERS AND INVOICES === #

    def _prepare_pce_record_documents_domain(self, tab, partner):
        """:return: the model and domain of a tab of order or invoice PDFs: the quotations and orders sale's portal
        lists, or the customer's posted invoices and credit notes (the portal record rules apply on top)."""
        if tab == "orders":
            return "sale.order", expression.OR(
                [self._prepare_quotations_domain(partner), self._prepare_orders_domain(partner)]
            )
        return "account.move", expression.AND(
            [
                self._get_invoices_domain("out"),
                [
                    ("move_type", "in", INVOICE_MOVE_TYPES),
                    ("partner_id", "child_of", partner.commercial_partner_id.id),
                ],
            ]
        )

    def _prepare_pce_record_documents_rendering_values(self, tab, page=1):
        """:return: the rendering values of one page of order or invoice PDFs, newest first. Rows link to sale's and
        account's own pages and PDFs, which check the visitor again; nothing is rendered per row."""
        model, domain = self._prepare_pce_record_documents_domain(tab, request.env.user.partner_id)
        Model = request.env[model]
        url = f"{DOCUMENTS_URL}/{tab}"
        total = Model.search_count(domain) if Model.has_access("read") else 0
        pager_values = portal_pager(url=url, total=total, page=page, step=self._items_per_page)
        order = "date_order desc, id desc" if tab == "orders" else "invoice_date desc, id desc"
        records = (
            Model.search(domain, order=order, limit=self._items_per_page, offset=pager_values["offset"])
            if total
            else Model
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "records": records,
                "page_name": "pce_documents",
                "pce_documents_tab": tab,
                "pager": pager_values,
                "default_url": url,
            }
        )
        return values

    @http.route(
        [f"{DOCUMENTS_URL}/{RECORD_TAB_ARG}", f"{DOCUMENTS_URL}/{RECORD_TAB_ARG}/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_pce_record_documents(self, tab, page=1, **kwargs):
        """The PDFs of the customer's orders or invoices, in the document center."""
        values = self._prepare_pce_record_documents_rendering_values(tab, page=page)
        return request.render("portal_customer_ext.portal_my_record_documents", values)
