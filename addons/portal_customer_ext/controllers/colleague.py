from odoo import _lt, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

# Confirmations shown on /my/colleagues after a change (?message=...)
COLLEAGUE_MESSAGES = {
    "invited": _lt("The invitation was sent. Your colleague chooses a password from the e-mail."),
    "reinvited": _lt("The invitation was sent again."),
    "deactivated": _lt("The portal access was deactivated."),
}


class CustomerPortalColleague(CustomerPortal):
    """Colleagues on the customer portal: every contact of a customer sees the contacts of its company and their
    portal access; the company's customer administrators (`res.partner.pce_is_customer_admin`) invite, deactivate
    and re-invite them.

    Contacts are listed as the visitor (base's portal rule: partners of their own commercial partner). Changes go
    through `res.partner._pce_invite_colleague` and friends, which check that the visitor is a customer
    administrator and that the contact is one of theirs before using Odoo's portal wizard as superuser.
    """

    # EXTENDS portal
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "pce_colleague_count" in counters:
            values["pce_colleague_count"] = (
                request.env["res.partner"].search_count(self._prepare_colleagues_domain())
                if self._pce_is_colleague_visitor()
                else 0
            )
        return values

    # === HELPERS === #

    def _pce_is_colleague_visitor(self):
        """:return: whether the visitor is a customer's portal contact (not a vendor's, not an employee)."""
        return request.env["product.product"]._pce_is_catalog_customer(request.env.user)

    def _pce_is_customer_admin(self):
        """:return: whether the visitor manages its colleagues' portal access."""
        try:
            request.env["res.partner"]._pce_check_customer_admin(request.env.user)
        except AccessError:
            return False
        return True

    def _prepare_colleagues_domain(self):
        """:return: the persons of the visitor's customer company (addresses and the company itself left out)."""
        commercial = request.env.user.partner_id.commercial_partner_id
        return [("id", "child_of", commercial.id), ("is_company", "=", False), ("type", "=", "contact")]

    def _prepare_colleagues_portal_rendering_values(self, form=None, error=None, message=None):
        """Values of /my/colleagues: the colleagues with their portal access, the invitation form.

        :param dict form: what the administrator typed in the invitation form, shown again after an error
        :param str error: the reason of a refused change
        :param str message: a key of COLLEAGUE_MESSAGES
        """
        Partner = request.env["res.partner"]
        colleagues = Partner.search(self._prepare_colleagues_domain(), order="name, id")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "pce_colleagues",
                "colleagues": colleagues,
                "access": colleagues._pce_get_portal_access(),
                "is_customer_admin": self._pce_is_customer_admin(),
                "me": request.env.user.partner_id,
                "form": form or {},
                "error": error,
                "message": COLLEAGUE_MESSAGES.get(message),
            }
        )
        return values

    def _pce_render_colleagues(self, **kwargs):
        return request.render(
            "portal_customer_ext.portal_my_colleagues", self._prepare_colleagues_portal_rendering_values(**kwargs)
        )

    def _pce_change_colleague(self, partner_id, method, message):
        """Run a change on one colleague, then show the list with the confirmation or the reason of a refusal.

        :param int partner_id: the colleague's `res.partner` id, from the URL
        :param str method: `res.partner` method taking the visitor (`_pce_revoke_colleague`, ...)
        :param str message: key of COLLEAGUE_MESSAGES on success
        """
        if not self._pce_is_colleague_visitor():
            return request.redirect("/my")
        try:
            getattr(request.env["res.partner"].browse(partner_id), method)(request.env.user)
        except (AccessError, UserError) as error:
            return self._pce_render_colleagues(error=error.args[0])
        return request.redirect(f"/my/colleagues?message={message}")

    # === ROUTES === #

    @http.route("/my/colleagues", type="http", auth="user", methods=["GET"], website=True, readonly=True)
    def portal_my_colleagues(self, message=None, **kwargs):
        """The visitor's colleagues and their portal access; the invitation form for customer administrators."""
        if not self._pce_is_colleague_visitor():
            return request.redirect("/my")
        return self._pce_render_colleagues(message=message)

    @http.route("/my/colleagues/invite", type="http", auth="user", methods=["POST"], website=True)
    def portal_colleague_invite(self, name="", email="", **kwargs):
        """Invite a colleague (name and e-mail) as a portal user; on a refusal, the form again with what was typed
        and the reason."""
        if not self._pce_is_colleague_visitor():
            return request.redirect("/my")
        try:
            request.env["res.partner"]._pce_invite_colleague(request.env.user, name, email)
        except (AccessError, UserError) as error:
            return self._pce_render_colleagues(form={"name": name, "email": email}, error=error.args[0])
        return request.redirect("/my/colleagues?message=invited")

    @http.route("/my/colleagues/<int:partner_id>/deactivate", type="http", auth="user", methods=["POST"], website=True)
    def portal_colleague_deactivate(self, partner_id, **kwargs):
        """Take portal access away from a colleague."""
        return self._pce_change_colleague(partner_id, "_pce_revoke_colleague", "deactivated")

    @http.route("/my/colleagues/<int:partner_id>/reinvite", type="http", auth="user", methods=["POST"], website=True)
    def portal_colleague_reinvite(self, partner_id, **kwargs):
        """Send a colleague's invitation again, or give a deactivated colleague access again."""
        return self._pce_change_colleague(partner_id, "_pce_reinvite_colleague", "reinvited")
