from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.purchase.controllers.portal import CustomerPortal

from ..tools.invoice_reading import MAX_BYTES

MAX_FILES = 20  # files per upload
PO_STATES = ("purchase", "done")  # the orders a vendor invoices


class CustomerPortalVendorInvoice(CustomerPortal):
    # === HELPERS === #

    def _prepare_home_portal_values(self, counters):
        # EXTENDS portal
        values = super()._prepare_home_portal_values(counters)
        if "pve_vendor_invoice_count" in counters:
            Submission = request.env["pve.vendor.invoice"]
            values["pve_vendor_invoice_count"] = (
                Submission.search_count(self._prepare_vendor_invoices_domain(request.env.user.partner_id))
                if Submission.has_access("read")
                else 0
            )
        return values

    def _prepare_vendor_invoices_domain(self, partner):
        """:return: the domain of the submissions of `partner`'s company (the record rules hold for portal users
        anyway; this keeps an internal user previewing the portal to their own company's)"""
        return [("partner_id", "child_of", partner.commercial_partner_id.id)]

    def _vendor_invoice_orders(self, partner):
        """:return: the confirmed purchase orders of `partner`'s company, which the vendor may invoice"""
        return (
            request.env["purchase.order"]
            .sudo()
            .search(
                [("partner_id", "child_of", partner.commercial_partner_id.id), ("state", "in", PO_STATES)],
                order="date_approve desc, id desc",
            )
        )

    def _prepare_vendor_invoices_portal_rendering_values(self, page=1):
        """Values of the submissions list: this vendor's submissions, newest first, paged.

        :param int page: page number
        :return: rendering values of `portal_vendor_ext.portal_my_vendor_invoices`
        """
        Submission = request.env["pve.vendor.invoice"]
        domain = self._prepare_vendor_invoices_domain(request.env.user.partner_id)
        pager = portal_pager(
            url="/my/vendor-invoices", total=Submission.search_count(domain), page=page, step=self._items_per_page
        )
        submissions = Submission.search(domain, limit=self._items_per_page, offset=pager["offset"])
        request.session["my_vendor_invoices_history"] = submissions.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "submissions": submissions,
                "pager": pager,
                "page_name": "vendor_invoices",
                "default_url": "/my/vendor-invoices",
            }
        )
        return values

    # === ROUTES === #

    @http.route(
        ["/my/vendor-invoices", "/my/vendor-invoices/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_vendor_invoices(self, page=1, **kw):
        """The vendor's uploaded invoices with their status; visitors who may not read submissions (an employee
        without purchase or accounting rights) go back to /my."""
        if not request.env["pve.vendor.invoice"].has_access("read"):
            return request.redirect("/my")
        values = self._prepare_vendor_invoices_portal_rendering_values(page=page)
        return request.render("portal_vendor_ext.portal_my_vendor_invoices", values)

    @http.route("/my/vendor-invoices/upload", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_my_vendor_invoices_upload(self, **post):
        """Upload form: one or more PDF or XML invoices, optionally against some of the vendor's purchase orders.

        Each file becomes its own submission. A file that is refused (type, size, unreadable, duplicate) is named
        with its reason and the form comes back with the orders still checked; the other files are kept.

        :return: the form, with the accepted submissions and the refusals after a POST
        """
        partner = request.env.user.partner_id
        orders = self._vendor_invoice_orders(partner)
        values = self._prepare_portal_layout_values()
        values.update(
            {"orders": orders, "page_name": "vendor_invoices_upload", "checked_order_ids": [], "refusals": []}
        )
        if request.httprequest.method == "POST":
            files = request.httprequest.files.getlist("files")
            # Only this vendor's confirmed orders, whatever ids were posted.
            order_ids = {
                int(order_id) for order_id in request.httprequest.form.getlist("order_ids") if order_id.isdigit()
            }
            chosen = orders.filtered(lambda order: order.id in order_ids)
            values["checked_order_ids"] = chosen.ids
            if not any(upload.filename for upload in files):
                values["refusals"] = [("", _("Choose at least one PDF or XML file."))]
            elif len(files) > MAX_FILES:
                values["refusals"] = [("", _("Upload at most %s files at once.", MAX_FILES))]
            elif not orders:
                values["refusals"] = [("", _("Only vendors with a confirmed purchase order can upload invoices."))]
            else:
                # Portal users cannot create submissions: the vendor, the uploader and the orders come from the
                # session and the filtered orders above, nothing else from the request but the files and names.
                submissions, refusals = (
                    request.env["pve.vendor.invoice"]
                    .sudo()
                    ._pve_submit(
                        partner.commercial_partner_id,
                        partner,
                        # one byte over the limit is enough to refuse a file without reading all of a huge one
                        [(upload.filename, upload.read(MAX_BYTES + 1)) for upload in files if upload.filename],
                        chosen,
                    )
                )
                values.update({"refusals": refusals, "submissions": submissions.with_env(request.env)})
                if not refusals:
                    return request.redirect(f"/my/vendor-invoices?uploaded={len(submissions)}")
        return request.render("portal_vendor_ext.portal_my_vendor_invoice_upload", values)

    @http.route("/my/vendor-invoices/<int:submission_id>", type="http", auth="user", website=True, readonly=True)
    def portal_my_vendor_invoice(self, submission_id, **kw):
        """One submission: its status, what was read and each difference in plain words."""
        try:
            submission = request.env["pve.vendor.invoice"].browse(submission_id).exists()
            submission.check_access("read")
            if not submission:
                raise MissingError(_("This invoice does not exist."))
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            submission,
            None,
            {"submission": submission, "page_name": "vendor_invoice"},
            "my_vendor_invoices_history",
            False,
        )
        return request.render("portal_vendor_ext.portal_my_vendor_invoice", values)
