from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import email_normalize

# Portal access of a customer's contact, as its colleagues see it on /my/colleagues
PORTAL_ACCESS_ACTIVE = "active"  # portal user who has logged in
PORTAL_ACCESS_INVITED = "invited"  # portal user who has not logged in yet
PORTAL_ACCESS_REVOKED = "revoked"  # had portal access, deactivated
PORTAL_ACCESS_NONE = "none"  # never had a user
PORTAL_ACCESS_INTERNAL = "internal"  # an internal user: managed by the company, never from the portal


class ResPartner(models.Model):
    _inherit = "res.partner"

    # === BUSINESS METHODS === #

    def _pce_get_portal_credit(self):
        """The credit box of the customer portal: the customer's credit limit, what it uses and what is left.

        Follows the figure of Odoo's own credit warning on quotations and invoices
        (`account.move._build_credit_warning_message`, called by sale's `_compute_partner_credit_warning`): the
        company's *Sales Credit Limit* setting must be on and the commercial partner must have a limit (its own or
        the company's default, both read through the company-dependent `credit_limit`); what is used is the
        commercial partner's open receivables (`credit`) plus what confirmed orders still have to invoice
        (`credit_to_invoice`, computed by sale only while the setting is on), in the company's currency.

        Reads accounting fields that only accountants may read: the portal calls it with sudo, only on the
        commercial partner of the logged-in visitor.

        :return: None when no limit applies, else a dict with `currency` (`res.currency` of the company), `limit`,
                 `receivable`, `to_invoice`, `used` (the last two added), `available` (never below 0), `exceeded`
                 (bool) and `over` (by how much the limit is exceeded, 0 if not)
        :rtype: dict | None
        """
        self.ensure_one()
        company = self.env.company
        if not company.account_use_credit_limit:
            return None
        partner = self.commercial_partner_id.with_company(company)
        currency = company.currency_id
        limit = partner.credit_limit
        if currency.compare_amounts(limit, 0.0) <= 0:
            return None
        receivable = partner.credit
        to_invoice = partner.credit_to_invoice
        used = receivable + to_invoice
        remaining = currency.round(limit - used)
        return {
            "currency": currency,
            "limit": limit,
            "receivable": receivable,
            "to_invoice": to_invoice,
            "used": used,
            "available": max(remaining, 0.0),
            "exceeded": currency.compare_amounts(used, limit) > 0,
            "over": max(-remaining, 0.0),
        }

    # === FIELDS: customer administrators (portal colleagues) === #

    pce_is_customer_admin = fields.Boolean(
        string="Customer Administrator",
        copy=False,
        tracking=True,
        help="This contact manages the portal access of its company's contacts on the portal (My Account > "
        "Colleagues): invites colleagues and deactivates them. Set by your company only.",
    )

    # === BUSINESS METHODS: colleagues === #

    @api.model
    def _pce_check_customer_admin(self, user):
        """Make sure `user` may manage the portal access of its company's contacts.

        :param user: `res.users`, the visitor
        :return: the commercial partner (company) whose contacts `user` manages, as superuser
        :raise AccessError: `user` is not a portal contact of a company flagged as its customer administrator
        """
        partner = user.partner_id.sudo()
        company = partner.commercial_partner_id
        if not (user._is_portal() and partner.pce_is_customer_admin and company.is_company and company != partner):
            raise AccessError(_("Only your company's customer administrators manage the access of your colleagues."))
        return company

    def _pce_get_colleague_for(self, user):
        """:return: this contact as superuser, once it is a person of `user`'s customer company managed by `user`
        :raise AccessError: `user` is no customer administrator, or this contact is not one of its colleagues (the
            same answer for another company's contact as for an id that does not exist)"""
        company = self._pce_check_customer_admin(user)
        contact = self.sudo().exists()
        if len(contact) != 1 or contact.is_company or contact.commercial_partner_id != company:
            raise AccessError(_("This contact is not one of your colleagues."))
        return contact

    def _pce_get_portal_access(self):
        """:return: dict contact id -> (portal access state (PORTAL_ACCESS_*), its `res.users` or an empty one).
        Reads users as superuser: call it only on contacts the visitor may see."""
        access = {}
        for contact in self.sudo().with_context(active_test=False):
            user = contact.user_ids[:1]
            if not user:
                state = PORTAL_ACCESS_NONE
            elif not user.share:
                state = PORTAL_ACCESS_INTERNAL
            elif not user.active or not user._is_portal():
                state = PORTAL_ACCESS_REVOKED
            else:
                state = PORTAL_ACCESS_ACTIVE if user.login_date else PORTAL_ACCESS_INVITED
            access[contact.id] = (state, user)
        return access

    def _pce_portal_wizard_user(self):
        """:return: a `portal.wizard.user` for this contact (superuser): Odoo's own machinery to grant, revoke and
        re-send portal access, which e-mails the invitation."""
        self.ensure_one()
        wizard = self.env["portal.wizard"].sudo().create({"partner_ids": [Command.link(self.id)]})
        return wizard.user_ids

    @api.model
    def _pce_invite_colleague(self, user, name, email):
        """Give a colleague of `user` portal access, e-mailing the invitation.

        The colleague is the contact of `user`'s company with that e-mail if there is one, else a new contact under
        the company. An e-mail used by another company's contact or user is refused, without telling whose.

        :param user: `res.users`, a customer administrator (checked here)
        :param str name: the colleague's name, for a new contact
        :param str email: the colleague's e-mail address, their login
        :return: the colleague's contact (`res.partner`, superuser)
        :raise AccessError: `user` is no customer administrator
        :raise UserError: missing name, invalid e-mail, e-mail used elsewhere, colleague already has access
        """
        company = self._pce_check_customer_admin(user)
        name = (name or "").strip()
        email_normalized = email_normalize(email or "")
        if not name:
            raise UserError(_("Please enter your colleague's name."))
        if not email_normalized:
            raise UserError(_("Please enter a valid e-mail address."))
        Partner = self.sudo().with_context(active_test=False)
        same_email = Partner.search([("email_normalized", "=", email_normalized)])
        same_login = (
            self.env["res.users"].sudo().with_context(active_test=False).search([("login", "=", email_normalized)])
        )
        if (same_email | same_login.partner_id).filtered(lambda partner: partner.commercial_partner_id != company):
            raise UserError(
                _("This e-mail address is already used outside your company. Please contact us to give it access.")
            )
        contact = same_login.partner_id[:1] or same_email.filtered(lambda partner: not partner.is_company)[:1]
        if contact:
            state = contact._pce_get_portal_access()[contact.id][0]
            if state in (PORTAL_ACCESS_ACTIVE, PORTAL_ACCESS_INVITED, PORTAL_ACCESS_INTERNAL):
                raise UserError(_("%(name)s already has access to the portal.", name=contact.name))
            if not contact.active:
                contact.active = True
        else:
            contact = Partner.create({"name": name, "email": email_normalized, "parent_id": company.id})
        contact._pce_portal_wizard_user().action_grant_access()
        return contact

    def _pce_revoke_colleague(self, user):
        """Take portal access away from this colleague of `user` (its user is archived, as the backend's portal
        wizard does).

        :param user: `res.users`, a customer administrator (checked here)
        :raise AccessError: `user` is no customer administrator, or this is not one of its colleagues
        :raise UserError: `user` themselves, an internal user, or a contact without portal access
        """
        contact = self._pce_get_colleague_for(user)
        if contact == user.partner_id:
            raise UserError(_("You cannot deactivate your own access."))
        state = contact._pce_get_portal_access()[contact.id][0]
        if state == PORTAL_ACCESS_INTERNAL:
            raise UserError(_("%(name)s is managed by our company, not from the portal.", name=contact.name))
        if state not in (PORTAL_ACCESS_ACTIVE, PORTAL_ACCESS_INVITED):
            raise UserError(_("%(name)s has no portal access.", name=contact.name))
        contact._pce_portal_wizard_user().action_revoke_access()

    def _pce_reinvite_colleague(self, user):
        """Send the invitation again to this colleague of `user` (still invited), or give a deactivated colleague
        or one who never had access their access back.

        :param user: `res.users`, a customer administrator (checked here)
        :raise AccessError: `user` is no customer administrator, or this is not one of its colleagues
        :raise UserError: the colleague uses the portal already, is an internal user, or has no valid e-mail
        """
        contact = self._pce_get_colleague_for(user)
        state = contact._pce_get_portal_access()[contact.id][0]
        if state in (PORTAL_ACCESS_ACTIVE, PORTAL_ACCESS_INTERNAL):
            raise UserError(_("%(name)s already has access to the portal.", name=contact.name))
        wizard_user = contact._pce_portal_wizard_user()
        if state == PORTAL_ACCESS_INVITED:
            wizard_user.action_invite_again()
        else:
            wizard_user.action_grant_access()
