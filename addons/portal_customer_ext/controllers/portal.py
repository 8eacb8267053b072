from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.sale.controllers.portal import CustomerPortal


class CustomerPortalReorder(CustomerPortal):
    # EXTENDS sale
    def _prepare_quotations_domain(self, partner):
        """Add the draft quotations created by a portal reorder to the customer's quotations (/my/quotes and the
        "Quotations" counter of /my), which sale limits to quotations sent by the salesperson: a reorder is the
        customer's own request, and it would be found nowhere else.

        Only drafts for the partner's commercial partner; sale's portal record rule still applies on top (the
        reorder's author, a contact of the customer, follows it). Sent ones are in sale's domain already.
        """
        reorder_domain = [
            ("pce_reordered_from_id", "!=", False),
            ("state", "=", "draft"),
            ("partner_id", "child_of", [partner.commercial_partner_id.id]),
        ]
        return expression.OR([super()._prepare_quotations_domain(partner), reorder_domain])

    @http.route(["/my/orders/<int:order_id>/reorder"], type="http", auth="public", methods=["POST"], website=True)
    def portal_order_reorder(self, order_id, access_token=None, **kwargs):
        """Repeat a confirmed order as a new draft quotation for the same customer.

        The visitor must be able to read the order (record rules or access token) and, since the quotation is
        made in the customer's name, be logged in as one of the customer's contacts. While the previous reorder
        quotation of this order is still open, it is returned instead of a new one.

        :param int order_id: the `sale.order` to reorder
        :param str access_token: the order's portal token, for a contact who cannot read it otherwise
        :return: a redirect to the quotation's portal page; back to the order with a message when the order
                 cannot be reordered or the visitor may not; to /my when the order is missing or not accessible
        """
        try:
            order_sudo = self._document_check_access("sale.order", order_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")

        user = request.env.user
        if user._is_public():
            return request.redirect(order_sudo.get_portal_url(query_string="&message=pce_reorder_login"))
        if not order_sudo._pce_can_reorder_as(user):
            return request.redirect(order_sudo.get_portal_url(query_string="&message=pce_reorder_refused"))

        # Portal users have no create right on sale.order. `_document_check_access` returns the order as
        # superuser only after proving the visitor may read it, so the quotation is created from that record,
        # like sale's accept/decline routes write on it: it copies this one order, for its own customer, with
        # nothing taken from the request but the logged-in contact, checked above.
        quotation, skipped_lines, created = order_sudo._pce_create_reorder(author=user.partner_id)
        if not created:
            message = "pce_reorder_open"
        else:
            message = "pce_reorder_partial" if skipped_lines else "pce_reorder_done"
        return request.redirect(quotation.get_portal_url(query_string=f"&message={message}"))
