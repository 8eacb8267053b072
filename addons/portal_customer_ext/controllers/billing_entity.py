from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.res_partner import BILLING_ENTITY_FIELDS, BILLING_ENTITY_ORDER
from .quotation_request import CustomerPortalQuotationRequest


class CustomerPortalBillingEntity(CustomerPortalQuotationRequest):
    """Billing entities in the customer portal: the companies a customer's contact has quotations invoiced to
    (`/my/billing-entities`), chosen as "Bill to" on a quotation request.

    The rules live in `res.partner` (`_pce_billing_entity_domain`, `_pce_get_billing_entity`,
    `_pce_create_billing_entity`), shared with the integration API. Portal users cannot read other companies'
    partners, so the pages read the entities as superuser, and only those the methods find for the logged-in
    visitor's own partner. Like quotation requests, the pages are for customers' portal contacts: vendors' contacts
    and employees go back to /my.
    """

    def _pce_billing_entity_form_values(self, form=None, error=None):
        """Values of the new billing entity form: what the customer typed (after an error), countries, states.

        :param dict form: the submitted strings (keys of `BILLING_ENTITY_FIELDS`), or None for a new form
        :param str error: the reason the entity was not created
        """
        values = self._prepare_portal_layout_values()
        if form is None:
            form = dict.fromkeys(BILLING_ENTITY_FIELDS, "")
            form["country_id"] = str(request.env.company.country_id.id or "")
        values.update(
            {
                "page_name": "pce_billing_entity_new",
                "form": form,
                "error": error,
                # Countries and states are public reference data (stock /my/account reads them the same way).
                "countries": request.env["res.country"].sudo().search([]),
                "states": request.env["res.country.state"].sudo().search([]),
            }
        )
        return values

    # === ROUTES === #

    @http.route(
        ["/my/billing-entities", "/my/billing-entities/page/<int:page>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_billing_entities(self, page=1, **kwargs):
        """The billing entities of the visitor: those they created and those of their company's contacts."""
        if not self._pce_is_request_customer():
            return request.redirect("/my")
        Partner = request.env["res.partner"].sudo()
        domain = Partner._pce_billing_entity_domain(request.env.user.partner_id)
        pager = portal_pager(
            url="/my/billing-entities", total=Partner.search_count(domain), page=page, step=self._items_per_page
        )
        entities = Partner.search(
            domain, order=BILLING_ENTITY_ORDER, limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "pce_billing_entities", "entities": entities, "pager": pager})
        return request.render("portal_customer_ext.portal_my_billing_entities", values)

    @http.route("/my/billing-entities/new", type="http", auth="user", methods=["GET"], website=True, readonly=True)
    def portal_billing_entity_form(self, **kwargs):
        """The form of a new billing entity."""
        if not self._pce_is_request_customer():
            return request.redirect("/my")
        return request.render("portal_customer_ext.portal_billing_entity_form", self._pce_billing_entity_form_values())

    @http.route("/my/billing-entities/new", type="http", auth="user", methods=["POST"], website=True)
    def portal_billing_entity_create(self, **kwargs):
        """Create the billing entity and open it; on bad input, show the form again with what was typed and why.

        Portal users cannot create partners: `_pce_create_billing_entity` runs as superuser for the logged-in
        visitor's partner only, and checks every value.
        """
        if not self._pce_is_request_customer():
            return request.redirect("/my")
        form = {key: (request.httprequest.form.get(key) or "").strip() for key in BILLING_ENTITY_FIELDS}
        try:
            with request.env.cr.savepoint():
                entity = request.env["res.partner"].sudo()._pce_create_billing_entity(request.env.user.partner_id, form)
        except (UserError, ValidationError) as error:
            values = self._pce_billing_entity_form_values(form=form, error=error.args[0])
            return request.render("portal_customer_ext.portal_billing_entity_form", values, status=400)
        return request.redirect(f"/my/billing-entities/{entity.id}?message=pce_billing_entity_created")

    @http.route(
        "/my/billing-entities/<int:entity_id>",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_billing_entity_page(self, entity_id, message=None, **kwargs):
        """One billing entity: its company, address, VAT number and invoice contact. One that does not exist or
        that the visitor may not see sends them back to /my, the same way (a guessed id reveals nothing)."""
        if not self._pce_is_request_customer():
            return request.redirect("/my")
        try:
            entity = request.env["res.partner"].sudo()._pce_get_billing_entity(request.env.user.partner_id, entity_id)
        except AccessError:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "pce_billing_entity", "entity": entity, "message": message})
        return request.render("portal_customer_ext.portal_billing_entity_page", values)
