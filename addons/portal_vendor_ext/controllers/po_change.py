import re

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .portal import CustomerPortalAcknowledge

LINE_FIELD = re.compile(r"^line_(\d+)_(date|qty|price)$")
ERROR_SESSION_KEY = "pve_change_error"


class CustomerPortalPoChange(CustomerPortalAcknowledge):
    def _pve_change_do(self, order_sudo, method, *args):
        """Run the order's `method` in the vendor's name; a refusal is shown on the page, nothing stored."""
        try:
            # Portal users only read orders: `order_sudo` comes from `_document_check_access` and the vendor
            # check passed; the model methods write only the decline fields or a new proposal.
            getattr(order_sudo, method)(request.env.user.partner_id, *args)
        except UserError as error:
            request.session[ERROR_SESSION_KEY] = error.args[0]
            return request.redirect(order_sudo.get_portal_url(query_string="&error=pve_change_invalid"))
        return request.redirect(order_sudo.get_portal_url(query_string="&success=pve_change"))

    @http.route(["/my/purchase/<int:order_id>/decline"], type="http", auth="public", methods=["POST"], website=True)
    def portal_my_purchase_order_decline(self, order_id, access_token=None, reason="", **kwargs):
        """Let the vendor decline a confirmed purchase order with a reason.

        :return: a redirect to the order's page (with `error` when refused), to /my when not accessible
        """
        order_sudo, refused = self._pve_vendor_order(order_id, access_token, "pve_change", "_pve_get_change_refusal")
        if refused:
            return refused
        return self._pve_change_do(order_sudo, "_pve_decline", reason)

    @http.route(["/my/purchase/<int:order_id>/propose"], type="http", auth="public", methods=["POST"], website=True)
    def portal_my_purchase_order_propose(self, order_id, access_token=None, comment="", **kwargs):
        """Let the vendor propose new dates, quantities or unit prices for the lines of a confirmed order.

        Form fields `line_<purchase.order.line id>_<date|qty|price>`; ids of other orders' lines are ignored.

        :return: a redirect to the order's page (with `error` when refused), to /my when not accessible
        """
        order_sudo, refused = self._pve_vendor_order(order_id, access_token, "pve_change", "_pve_get_change_refusal")
        if refused:
            return refused
        lines = {}
        for key, value in kwargs.items():
            match = LINE_FIELD.match(key)
            if match:
                lines.setdefault(int(match.group(1)), {})[match.group(2)] = value
        return self._pve_change_do(order_sudo, "_pve_propose_changes", lines, comment)

    def _purchase_order_get_page_view_values(self, order, access_token, **kwargs):
        # EXTENDS purchase: the message of a refused decline or proposal, shown once
        values = super()._purchase_order_get_page_view_values(order, access_token, **kwargs)
        values["pve_change_error"] = request.session.pop(ERROR_SESSION_KEY, None)
        return values
