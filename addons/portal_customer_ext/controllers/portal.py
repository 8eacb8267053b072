from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.sale.controllers.portal import CustomerPortal


class CustomerPortalReorder(CustomerPortal):
    @http.route(["/my/orders/<int:order_id>/reorder"], type="http", auth="public", methods=["POST"], website=True)
    def portal_order_reorder(self, order_id, access_token=None, **kwargs):
        """Repeat a confirmed order as a new draft quotation for the same customer.

        Same access rules as the order page: the visitor must be able to read the order, through the record
        rules or with its access token.

        :param int order_id: the `sale.order` to reorder
        :param str access_token: the order's portal token, for visitors who cannot read it otherwise
        :return: a redirect to the new quotation's portal page; back to the order with a message when the
                 order cannot be reordered; to /my when the order is missing or not accessible
        """
        try:
            order_sudo = self._document_check_access("sale.order", order_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")

        if not order_sudo._pce_can_reorder():
            return request.redirect(order_sudo.get_portal_url(query_string="&message=pce_reorder_refused"))

        author = order_sudo.partner_id if request.env.user._is_public() else request.env.user.partner_id
        # Portal users have no create right on sale.order. `_document_check_access` returns the order as
        # superuser only after proving the visitor may read it, so the quotation is created from that record,
        # like sale's accept/decline routes write on it: it copies this one order, for its own customer, with
        # nothing taken from the request.
        new_order, skipped_lines = order_sudo._pce_create_reorder(author=author)
        message = "pce_reorder_partial" if skipped_lines else "pce_reorder_done"
        return request.redirect(new_order.get_portal_url(query_string=f"&message={message}"))
