import re

from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import request

from .portal import CustomerPortalAcknowledge

MOVE_FIELD = re.compile(r"^move_(\d+)_qty$")
FORM_SESSION_KEY = "pve_asn_form"


class CustomerPortalShippingNotice(CustomerPortalAcknowledge):
    @http.route(
        ["/my/purchase/<int:order_id>/shipping-notice/<int:picking_id>"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_my_purchase_order_shipping_notice(self, order_id, picking_id, access_token=None, **kwargs):
        """Let the vendor announce the shipment of an open receipt of a confirmed purchase order: expected date,
        carrier, tracking number and shipped quantity per move (form fields `move_<stock.move id>_qty`).

        :return: a redirect to the order's page (with `error` when refused, the typed values kept), to /my when
            the order is not accessible
        """
        order_sudo, refused = self._pve_vendor_order(order_id, access_token, "pve_asn", "_pve_get_asn_refusal")
        if refused:
            return refused
        user = request.env.user
        values = {
            "expected_date": kwargs.get("expected_date", ""),
            "carrier": kwargs.get("carrier", ""),
            "tracking_ref": kwargs.get("tracking_ref", ""),
            "quantities": {
                int(match.group(1)): value for key, value in kwargs.items() if (match := MOVE_FIELD.match(key))
            },
        }
        # Portal users cannot read receipts: the picking is looked up among the receipts of the order that
        # `_document_check_access` returned, and only the shipping notice fields are written.
        picking_sudo = order_sudo._pve_asn_open_pickings().filtered(lambda picking: picking.id == picking_id)
        try:
            if not picking_sudo:
                raise UserError(_("This receipt is not an open receipt of %s.", order_sudo.name))
            picking_sudo._pve_submit_shipping_notice(order_sudo, user.partner_id, values)
        except UserError as error:
            request.session[FORM_SESSION_KEY] = {
                "picking_id": picking_id,
                "error": error.args[0],
                "expected_date": values["expected_date"],
                "carrier": values["carrier"],
                "tracking_ref": values["tracking_ref"],
                "quantities": {str(move_id): qty for move_id, qty in values["quantities"].items()},
            }
            return request.redirect(order_sudo.get_portal_url(query_string="&error=pve_asn_invalid"))
        return request.redirect(order_sudo.get_portal_url(query_string="&success=pve_asn"))

    def _purchase_order_get_page_view_values(self, order, access_token, **kwargs):
        # EXTENDS purchase: the open receipts the logged-in vendor can announce, and the form refused last time
        values = super()._purchase_order_get_page_view_values(order, access_token, **kwargs)
        user = request.env.user
        can_announce = not user._is_public() and not order._pve_get_asn_refusal(user.partner_id)
        values["pve_asn_pickings"] = order._pve_asn_open_pickings() if can_announce else order.picking_ids.browse()
        values["pve_asn_form"] = request.session.pop(FORM_SESSION_KEY, None) or {}
        return values
