from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.purchase.controllers.portal import CustomerPortal


class CustomerPortalAcknowledge(CustomerPortal):
    def _pve_vendor_order(self, order_id, access_token, error_prefix, refusal_method=None):
        """The purchase order a vendor action (acknowledge, decline, propose, ship) is about, once the visitor may
        act on it: the visitor can read it (record rules or access token), is logged in, and, with
        `refusal_method`, the order's `refusal_method(partner)` finds nothing against it.

        :param str error_prefix: prefix of the `error` code shown on the order's page (`<prefix>_login`, ...)
        :param str refusal_method: `purchase.order` method returning a refusal code or False
        :return: (order as superuser, None) when allowed, else (order or None, the redirect response)
        """
        try:
            order_sudo = self._document_check_access("purchase.order", order_id, access_token=access_token)
        except (AccessError, MissingError):
            return None, request.redirect("/my")
        user = request.env.user
        if user._is_public():
            return order_sudo, request.redirect(order_sudo.get_portal_url(query_string=f"&error={error_prefix}_login"))
        refusal = refusal_method and getattr(order_sudo, refusal_method)(user.partner_id)
        if refusal:
            query = f"&error={error_prefix}_{refusal}"
            return order_sudo, request.redirect(order_sudo.get_portal_url(query_string=query))
        return order_sudo, None

    @http.route(["/my/purchase/<int:order_id>/acknowledge"], type="http", auth="public", methods=["POST"], website=True)
    def portal_my_purchase_order_acknowledge(self, order_id, access_token=None, **kwargs):
        """Let the vendor acknowledge a confirmed purchase order.

        The visitor must be able to read the order (record rules or access token, as for the order page) and,
        since the acknowledgement is recorded in the vendor's name, be logged in as one of the vendor's
        contacts. Acknowledging again changes nothing.

        :param int order_id: the `purchase.order` to acknowledge
        :param str access_token: the order's portal token, for a contact who cannot read it otherwise
        :return: a redirect to the order's portal page, with an `error` code when refused; to /my when the
                 order is missing or not accessible
        """
        order_sudo, refused = self._pve_vendor_order(order_id, access_token, "pve_ack")
        if refused:
            return refused
        user = request.env.user
        if not order_sudo.pve_acknowledged_date:
            refusal = order_sudo._pve_get_ack_refusal(user.partner_id)
            if refusal:
                return request.redirect(order_sudo.get_portal_url(query_string=f"&error=pve_ack_{refusal}"))
            # Portal users have read-only access to purchase orders. `_document_check_access` returns the order
            # as superuser only after proving the visitor may read it; `_pve_acknowledge` writes nothing but the
            # acknowledgement fields, with the session's partner and the current time, nothing from the request.
            order_sudo._pve_acknowledge(user.partner_id)
        return request.redirect(order_sudo.get_portal_url())
