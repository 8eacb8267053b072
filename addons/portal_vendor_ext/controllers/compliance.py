import os

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.purchase.controllers.portal import CustomerPortal

from ..models.pve_compliance_document import LIVE_STATES, REUPLOAD_STATES

COMPLIANCE_MAX_BYTES = 10 * 1024 * 1024  # bytes per uploaded document
COMPLIANCE_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg")


class CustomerPortalCompliance(CustomerPortal):
    # === HELPERS === #

    def _prepare_home_portal_values(self, counters):
        # EXTENDS portal
        values = super()._prepare_home_portal_values(counters)
        if "pve_compliance_document_count" in counters:
            Document = request.env["pve.compliance.document"]
            values["pve_compliance_document_count"] = (
                Document.search_count(self._prepare_compliance_domain(request.env.user.partner_id))
                if Document.has_access("read")
                else 0
            )
        return values

    def _prepare_compliance_domain(self, partner):
        """:return: the domain of the compliance documents of `partner`'s company (record rules hold for portal
        users anyway; this keeps an internal user previewing the portal to their own company's)"""
        return [("partner_id", "=", partner.commercial_partner_id.id)]

    def _compliance_is_vendor(self, partner):
        """:return: whether `partner`'s company is a vendor: it has at least one request for quotation or purchase
        order (a customer's contact has nothing to upload)"""
        return bool(
            request.env["purchase.order"]
            .sudo()
            .search_count([("partner_id", "child_of", partner.commercial_partner_id.id)], limit=1)
        )

    def _compliance_validate_upload(self, post, upload):
        """Check the posted values of the upload form.

        :param dict post: the form's fields
        :param upload: the posted file (werkzeug FileStorage) or None
        :return: (errors, values): a list of messages for the vendor, and the values to store when there is none
        """
        errors = []
        doc_type = (
            request.env["pve.compliance.document.type"]
            .browse(int(post["type_id"]) if str(post.get("type_id", "")).isdigit() else 0)
            .exists()
        )
        if not doc_type or not doc_type.active:
            errors.append(_("Choose the type of document."))
        dates = {}
        for key, label in (("valid_from", _("Valid from")), ("valid_until", _("Valid until"))):
            try:
                dates[key] = fields.Date.to_date(post.get(key) or None)
            except ValueError:
                errors.append(_("%s is not a date.", label))
                dates[key] = None
        today = fields.Date.context_today(request.env.user)
        if not dates["valid_until"]:
            errors.append(_("Give the date until which the document is valid."))
        elif dates["valid_until"] < today:
            errors.append(_("This document has already expired: upload a valid one."))
        elif dates["valid_from"] and dates["valid_from"] > dates["valid_until"]:
            errors.append(_("The validity starts after it ends."))
        content = b""
        if not upload or not upload.filename:
            errors.append(_("Choose the file to upload."))
        elif os.path.splitext(upload.filename)[1].lower() not in COMPLIANCE_EXTENSIONS:
            errors.append(_("Upload a PDF, PNG or JPEG file."))
        else:
            content = upload.read(COMPLIANCE_MAX_BYTES + 1)
            if not content:
                errors.append(_("The file is empty."))
            elif len(content) > COMPLIANCE_MAX_BYTES:
                errors.append(_("The file is larger than %s MB.", COMPLIANCE_MAX_BYTES // (1024 * 1024)))
        return errors, {
            "type": doc_type,
            "file_name": upload.filename if upload else "",
            "content": content,
            **dates,
        }

    # === ROUTES === #

    @http.route("/my/compliance", type="http", auth="user", website=True, readonly=True)
    def portal_my_compliance(self, **kw):
        """The vendor's compliance documents and, per document type, whether one is still needed. Visitors who
        may not read them (an employee without purchase rights) or who are no vendor go back to /my."""
        partner = request.env.user.partner_id
        Document = request.env["pve.compliance.document"]
        if not Document.has_access("read") or not self._compliance_is_vendor(partner):
            return request.redirect("/my")
        documents = Document.search(self._prepare_compliance_domain(partner))
        covered = documents.filtered(lambda document: document.state in LIVE_STATES).type_id
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "documents": documents,
                # mandatory types without a document under review or approved
                "missing": request.env["pve.compliance.document.type"].search([("mandatory", "=", True)]) - covered,
                "reupload_states": REUPLOAD_STATES,
                "page_name": "compliance",
            }
        )
        return request.render("portal_vendor_ext.portal_my_compliance", values)

    @http.route("/my/compliance/upload", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_my_compliance_upload(self, document_id=None, **post):
        """Upload form: a new document, or a new file for a refused, expired or draft one (`document_id`).

        The vendor, the uploader and the document come from the session and the access check; from the request
        only the type (new documents), the dates and the file are taken. Bad input shows the form again with its
        reasons and stores nothing.

        :param str document_id: the document to upload again, if any
        :return: the form, or a redirect to /my/compliance once stored (to /my when not allowed)
        """
        partner = request.env.user.partner_id
        Document = request.env["pve.compliance.document"]
        if not Document.has_access("read") or not self._compliance_is_vendor(partner):
            return request.redirect("/my")
        document = Document
        if document_id:
            try:
                document = Document.browse(int(document_id)).exists()
                if not document:
                    raise MissingError(_("This document does not exist."))
                document.check_access("read")
            except (AccessError, MissingError, ValueError):
                return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "document": document,
                "doc_types": request.env["pve.compliance.document.type"].search([]),
                "errors": [],
                "form": post,
                "page_name": "compliance_upload",
            }
        )
        if document and document.state not in REUPLOAD_STATES:
            values["errors"] = [_("This document is being reviewed or is approved: upload a new one instead.")]
            return request.render("portal_vendor_ext.portal_my_compliance_upload", values)
        if request.httprequest.method == "POST":
            if document:
                post["type_id"] = str(document.type_id.id)
            errors, checked = self._compliance_validate_upload(post, request.httprequest.files.get("file"))
            if errors:
                values["errors"] = errors
                return request.render("portal_vendor_ext.portal_my_compliance_upload", values)
            # Portal users cannot write compliance documents: superuser only on the document the visitor may read
            # (checked above) or on a new one of the visitor's own company, through `_pve_upload`'s fixed fields.
            if not document:
                document = Document.sudo().create(
                    {"partner_id": partner.commercial_partner_id.id, "type_id": checked["type"].id}
                )
            document.sudo()._pve_upload(
                partner, checked["file_name"], checked["content"], checked["valid_from"], checked["valid_until"]
            )
            return request.redirect("/my/compliance?uploaded=1")
        return request.render("portal_vendor_ext.portal_my_compliance_upload", values)
