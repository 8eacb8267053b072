import re

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .portal import CustomerPortalAcknowledge

LINE_FIELD = re.compile(r"^line_(\d+)_(price|min_qty|lead_time|valid_until)$")
FORM_SESSION_KEY = "pve_rfq_form"


class CustomerPortalRfqResponse(CustomerPortalAcknowledge):
    @http.route(
        ["/my/purchase/<int:order_id>/rfq-response"], type="http", auth="public", methods=["POST"], website=True
    )
    def portal_my_purchase_order_rfq_response(self, order_id, access_token=None, **kwargs):
        """Let the vendor answer (or revise its answer to) a request for quotation: per line the unit price,
        minimum quantity, lead time and validity (form fields `line_<purchase.order.line id>_<field>`), and a
        comment.

        :return: a redirect to the RFQ's page (with `error` when refused, the typed values kept), to /my when the
            order is not accessible
        """
        order_sudo, refused = self._pve_vendor_order(order_id, access_token, "pve_rfq", "_pve_get_rfq_refusal")
        if refused:
            return refused
        lines = {}
        for key, value in kwargs.items():
            if match := LINE_FIELD.match(key):
                lines.setdefault(int(match.group(1)), {})[match.group(2)] = value
        comment = kwargs.get("comment", "")
        try:
            # Portal users cannot write orders nor responses: `_document_check_access` returned the order as
            # superuser after the access check, `_pve_vendor_order` checked the visitor is its vendor, and only the
            # order's own lines are read from the form.
            order_sudo._pve_submit_rfq_response(request.env.user.partner_id, lines, comment)
        except UserError as error:
            request.session[FORM_SESSION_KEY] = {
                "order_id": order_sudo.id,
                "error": error.args[0],
                "comment": comment,
                "lines": {str(line_id): values for line_id, values in lines.items()},
            }
            return request.redirect(order_sudo.get_portal_url(query_string="&error=pve_rfq_invalid"))
        return request.redirect(order_sudo.get_portal_url(query_string="&success=pve_rfq"))

    def _purchase_order_get_page_view_values(self, order, access_token, **kwargs):
        # EXTENDS purchase: the response form of the logged-in vendor on its RFQ, as typed last time if refused
        values = super()._purchase_order_get_page_view_values(order, access_token, **kwargs)
        user = request.env.user
        refusal = order._pve_get_rfq_refusal(user.partner_id) if not user._is_public() else "login"
        values["pve_rfq_can_answer"] = not refusal
        values["pve_rfq_closed"] = refusal == "closed" and order.partner_id.commercial_partner_id == (
            user.partner_id.commercial_partner_id
        )
        values["pve_rfq_response"] = order._pve_rfq_current_response() if not refusal else order.browse()
        form = request.session.pop(FORM_SESSION_KEY, None) or {}
        values["pve_rfq_form"] = form if form.get("order_id") == order.id else {}
        return values
