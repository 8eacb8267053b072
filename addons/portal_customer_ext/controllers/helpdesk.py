from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.helpdesk_ticket import PCE_PORTAL_LINK_PARAMS
from ..models.ir_attachment import PORTAL_UPLOAD_MAX_FILES, PORTAL_UPLOAD_MAX_SIZE
from .uploads import read_portal_uploads

# Limits of what a customer types in the ticket form
TICKET_MAX_SUBJECT = 200  # characters
TICKET_MAX_DESCRIPTION = 10000  # characters


def _parse_id(value):
    """:return: the positive int in `value` (a request parameter), or 0."""
    value = str(value or "").strip()
    return int(value) if value.isdigit() else 0


def _check_ticket_access(ticket_id, access_token=None):
    """The ticket `ticket_id` if the visitor may read it as themselves (record rules) or with its access token.

    Portal's own check (`CustomerPortal._document_check_access`), which uses nothing of its controller: the
    controllers of helpdesk_mgmt's `main.py` are not portal controllers.

    :return: the ticket as superuser, or None
    """
    try:
        return CustomerPortal._document_check_access(None, "helpdesk.ticket", ticket_id, access_token=access_token)
    except (AccessError, MissingError):
        return None


class HelpdeskTicketControllerPortal(HelpdeskTicketController):
    """helpdesk_mgmt's ticket form, submission and closing, checked: a ticket may be opened about an order, an
    invoice or a product the visitor may see, every input is validated (the form comes back with what was typed
    and the reason), and a ticket is closed only by who may read it."""

    # === HELPERS === #

    def _pce_parse_link(self, params):
        """The document the ticket is about, from the form's `order_id`, `invoice_id` or `product_id` (the first
        given), checked as the visitor (`helpdesk.ticket._pce_portal_linkable`).

        :return: tuple (ticket link field, record), or (None, None) when the parameters name no document
        :raise UserError: when the visitor may not open a ticket about the document named
        """
        Ticket = request.env["helpdesk.ticket"]
        for param, field_name in PCE_PORTAL_LINK_PARAMS.items():
            if not params.get(param):
                continue
            record = Ticket._pce_portal_linkable(field_name, _parse_id(params[param]))
            if not record:
                raise UserError(_("This document is not available to you: open the ticket from its page."))
            return field_name, record
        return None, None

    def _pce_document_values(self, field_name, record):
        """:return: dict of what the form shows and sends back about the document the ticket is about."""
        if not record:
            return {"pce_document": None}
        param = next(param for param, name in PCE_PORTAL_LINK_PARAMS.items() if name == field_name)
        return {
            "pce_document": request.env["helpdesk.ticket"]._pce_portal_document(record),
            "pce_document_param": param,
            "pce_document_id": record.id,
        }

    def _pce_check_ticket_form(self, params):
        """Validate the submitted form.

        :return: dict of helpdesk.ticket values: helpdesk_mgmt's `_prepare_submit_ticket_vals` from the checked input
        :raise UserError: with a message for the customer
        """
        subject = (params.get("subject") or "").strip()
        description = (params.get("description") or "").strip()
        if not subject:
            raise UserError(_("Give your ticket a subject."))
        if len(subject) > TICKET_MAX_SUBJECT:
            raise UserError(_("The subject is too long (%s characters at most).", TICKET_MAX_SUBJECT))
        if not description:
            raise UserError(_("Describe your request."))
        if len(description) > TICKET_MAX_DESCRIPTION:
            raise UserError(_("The description is too long (%s characters at most).", TICKET_MAX_DESCRIPTION))
        company = request.env.company
        category = self._pce_check_choice(
            params.get("category"),
            self._get_categories(),
            company.helpdesk_mgmt_portal_category_id_required,
            _("Choose a category from the list."),
        )
        team = self._pce_check_choice(
            params.get("team"),
            self._get_teams(),
            company.helpdesk_mgmt_portal_team_id_required,
            _("Choose a team from the list."),
        )
        return self._prepare_submit_ticket_vals(
            subject=subject, description=description, category=str(category.id or ""), team=str(team.id or "")
        )

    @staticmethod
    def _pce_check_choice(value, allowed, required, message):
        """:return: the record of `allowed` (the choices the form offers) whose id is `value`, or an empty record
        when nothing was chosen
        :raise UserError: `message` when the value is not one of the choices, or is missing though required"""
        if not value:
            if required and allowed:
                raise UserError(message)
            return allowed.browse()
        chosen = allowed.filtered(lambda record: record.id == _parse_id(value))
        if not chosen:
            raise UserError(message)
        return chosen

    # === ROUTES === #

    # EXTENDS helpdesk_mgmt
    def _get_create_new_ticket_values(self, **kw):
        """Add what the ticket is about and, after an error, what the customer typed."""
        values = super()._get_create_new_ticket_values(**kw)
        values.update(
            {
                "subject": kw.get("subject") or "",
                "description": kw.get("description") or "",
                "category_id": _parse_id(kw.get("category")),
                "team_id": _parse_id(kw.get("team")),
                "error": None,
                "max_files": PORTAL_UPLOAD_MAX_FILES,
                "max_file_size_mb": PORTAL_UPLOAD_MAX_SIZE // (1024 * 1024),
            }
        )
        return values

    @http.route()
    def create_new_ticket(self, **kw):
        """The ticket form; ``?order_id=``, ``?invoice_id=`` or ``?product_id=`` opens it about that document. A
        document the visitor may not see sends them back to /my."""
        try:
            field_name, record = self._pce_parse_link(kw)
        except UserError:
            return request.redirect("/my")
        values = self._get_create_new_ticket_values(**kw)
        values.update(self._pce_document_values(field_name, record))
        return request.render("helpdesk_mgmt.portal_create_ticket", values)

    @http.route()
    def submit_ticket(self, **kw):
        """Create the ticket from the checked form, with its files; on bad input, show the form again with what
        was typed and the reason. Portal users cannot create tickets: it is created as superuser, for the
        logged-in contact only, after every value was checked."""
        field_name = record = None
        try:
            field_name, record = self._pce_parse_link(kw)
            values = self._pce_check_ticket_form(kw)
            if record:
                values[field_name] = record.id
            uploads = request.env["ir.attachment"]._pce_check_portal_uploads(read_portal_uploads("attachment"))
            with request.env.cr.savepoint():
                ticket = request.env["helpdesk.ticket"].sudo().create(values)
                ticket.message_subscribe(partner_ids=request.env.user.partner_id.ids)
                request.env["ir.attachment"].sudo().create(
                    [
                        {
                            "name": upload["name"],
                            "raw": upload["raw"],
                            "mimetype": upload["mimetype"],
                            "res_model": ticket._name,
                            "res_id": ticket.id,
                        }
                        for upload in uploads
                    ]
                )
        except (UserError, ValidationError) as error:
            values = self._get_create_new_ticket_values(**kw)
            values.update(self._pce_document_values(field_name, record))
            values["error"] = error.args[0]
            return request.render("helpdesk_mgmt.portal_create_ticket", values, status=400)
        return request.redirect(f"/my/ticket/{ticket.id}")

    @http.route(methods=["POST"])
    def support_ticket_close(self, ticket_id=None, stage_id=None, access_token=None, **kw):
        """Close a ticket the visitor may read (record rules or access token) in one of the closing stages its
        team offers in the portal (`helpdesk.ticket._pce_portal_closing_stages`). Upstream closed any ticket id
        it was sent, as superuser; a GET could close it from a link in any page, hence POST with its CSRF token.
        Another customer's ticket, or an unknown one, sends back to /my unchanged."""
        ticket_sudo = _check_ticket_access(_parse_id(ticket_id), access_token)
        if not ticket_sudo:
            return request.redirect("/my")
        stage = ticket_sudo._pce_portal_closing_stages().filtered(lambda stage: stage.id == _parse_id(stage_id))
        if stage:
            ticket_sudo.write({"stage_id": stage.id})
        url = ticket_sudo.get_portal_url() if access_token else f"/my/ticket/{ticket_sudo.id}"
        # 302 as upstream answers (its tests and clients expect it)
        return request.redirect(url, code=302)


class CustomerPortalHelpdeskLinks(CustomerPortalHelpdesk):
    """The ticket list and page show the document each ticket is about; the page offers the closing stages only
    where the close route accepts them."""

    # EXTENDS helpdesk_mgmt
    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        values["closed_stages"] = ticket._pce_portal_closing_stages()
        values["pce_documents"] = ticket._pce_get_portal_documents()
        return values
