from odoo import _, _lt, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import email_normalize

# Billing entities: what a customer types for one (`_pce_create_billing_entity`): key -> (label, required, max length)
BILLING_ENTITY_FIELDS = {
    "name": (_lt("Company name"), True, 128),
    "street": (_lt("Street"), True, 128),
    "street2": (_lt("Street 2"), False, 128),
    "zip": (_lt("ZIP"), True, 24),
    "city": (_lt("City"), True, 128),
    "country_id": (_lt("Country"), True, None),
    "state_id": (_lt("State / Province"), False, None),
    "vat": (_lt("VAT number"), False, 32),
    "contact_name": (_lt("Invoice contact name"), True, 128),
    "email": (_lt("Invoice e-mail"), True, 254),
    "phone": (_lt("Phone"), False, 32),
}
# Address fields a billing entity's company partner and its invoice contact both carry (invoices print the latter's)
BILLING_ENTITY_ADDRESS_FIELDS = ("street", "street2", "zip", "city", "country_id", "state_id")
BILLING_ENTITY_ORDER = "commercial_company_name, name, id"  # by company, then invoice contact

# Portal access of a customer's contact, as its colleagues see it on /my/colleagues
PORTAL_ACCESS_ACTIVE = "active"  # portal user who has logged in
PORTAL_ACCESS_INVITED = "invited"  # portal user who has not logged in yet
PORTAL_ACCESS_REVOKED = "revoked"  # had portal access, deactivated
PORTAL_ACCESS_NONE = "none"  # never had a user
PORTAL_ACCESS_INTERNAL = "internal"  # an internal user: managed by the company, never from the portal


class ResPartner(models.Model):
    _inherit = "res.partner"

    # === FIELDS === #

    pce_billing_author_id = fields.Many2one(
        comodel_name="res.partner",
        string="Billing Entity Created By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The customer's contact who created this billing entity (invoice address) in the portal: it is visible "
        "to them, and to the contacts whose e-mail is the e-mail of a contact of its company.",
    )

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

    # === BUSINESS METHODS: billing entities === #
    #
    # A billing entity is a company partner plus its invoice contact (`type='invoice'`, `parent_id` the company); the
    # invoice contact is the entity's record (its id is the entity's id, it becomes the invoice address of orders).
    # One implementation for the portal pages and the integration API: callers authenticate the contact, then call
    # these methods as superuser (portal users cannot read other companies' partners). Called without sudo, record
    # rules still apply on top, so they never return more than the caller may read anyway.

    @api.model
    def _pce_billing_entity_domain(self, contact, email=None):
        """Domain of the billing entities visible to `contact`: invoice contacts under a company partner that
        `contact` created (`pce_billing_author_id`), or whose company has an active contact (any person under it,
        the invoice contacts included) with the same e-mail as `contact` (`email_normalized`: lower case, trimmed,
        the address of "Name <address>"). So every contact of a company sees the company's invoice addresses, and
        a colleague whose e-mail an internal user put on a contact of the entity's company sees that entity.

        The e-mail that counts for a contact who signs in is their login when it is an e-mail: the portal lets
        them change their contact's e-mail (stock `/my/account`), not the address they sign in with, so typing
        someone else's address there reveals nothing.

        :param contact: `res.partner`, the contact asking (the logged-in visitor's partner in the portal)
        :param email: None (default): the e-mail of `contact` as above; else the e-mail to match instead, for a
                      caller that authenticated it itself (the integration API, whose `contact` is its user's
                      partner); False or empty: none, only what `contact` created
        :return: a domain on `res.partner`
        """
        contact.ensure_one()
        visible = [("pce_billing_author_id", "=", contact.id)]
        if email is None:
            login_emails = [email_normalize(login) for login in contact.sudo().user_ids.mapped("login")]
            email = next((email for email in login_emails if email), None) or contact.email_normalized
        else:
            email = email_normalize(email) if email else False
        if email:
            matching = self.search([("email_normalized", "=", email), ("parent_id", "!=", False)])
            companies = matching.commercial_partner_id.filtered("is_company")
            if companies:
                visible = expression.OR([visible, [("parent_id", "in", companies.ids)]])
        return expression.AND([[("type", "=", "invoice"), ("parent_id.is_company", "=", True)], visible])

    @api.model
    def _pce_billing_entities_visible_to(self, contact, email=None):
        """:return: the billing entities (invoice contacts) visible to `contact`, by company name then name; see
        `_pce_billing_entity_domain` for the rule (and `email`)."""
        return self.search(self._pce_billing_entity_domain(contact, email=email), order=BILLING_ENTITY_ORDER)

    @api.model
    def _pce_get_billing_entity(self, contact, entity_id, email=None):
        """The billing entity `entity_id` if `contact` may see it.

        :param contact: `res.partner`, the contact asking
        :param entity_id: id of the entity (its invoice contact), int or a string of digits
        :param email: see `_pce_billing_entity_domain` (default: `contact`'s own)
        :return: the invoice contact (`res.partner`)
        :raise AccessError: the same for an id that does not exist, is not a billing entity or is not visible to
                            `contact` (a guessed id reveals nothing)
        """
        try:
            entity_id = int(entity_id)
        except (TypeError, ValueError):
            entity_id = 0
        entity = self.browse()
        if entity_id > 0:
            domain = expression.AND([self._pce_billing_entity_domain(contact, email=email), [("id", "=", entity_id)]])
            entity = self.search(domain, limit=1)
        if not entity:
            raise AccessError(_("This billing entity does not exist or is not available to you."))
        return entity

    @api.model
    def _pce_check_billing_entity_values(self, values):
        """Validate a billing entity as a customer typed it.

        :param dict values: see `_pce_create_billing_entity`
        :return: dict of clean values: strings stripped (False when empty), `country` and `state` records, `email`
        :raise UserError: with a message for the customer (every missing field at once, then the first wrong one)
        """
        clean = {}
        for key in BILLING_ENTITY_FIELDS:
            value = values.get(key)
            clean[key] = value.strip() if isinstance(value, str) else value
        missing = [
            str(label) for key, (label, required, _max) in BILLING_ENTITY_FIELDS.items() if required and not clean[key]
        ]
        if missing:
            raise UserError(_("Please fill in: %s.", ", ".join(missing)))
        for key, (label, _required, max_length) in BILLING_ENTITY_FIELDS.items():
            if max_length and clean[key] and len(clean[key]) > max_length:
                raise UserError(
                    _("%(field)s is too long (%(max)s characters at most).", field=str(label), max=max_length)
                )
        if not email_normalize(clean["email"]):
            raise UserError(_("The invoice e-mail %s is not a valid e-mail address.", clean["email"]))
        country = self._pce_browse_typed(self.env["res.country"], clean["country_id"])
        if not country:
            raise UserError(_("Please choose a country from the list."))
        state = self._pce_browse_typed(self.env["res.country.state"], clean["state_id"])
        if clean["state_id"] and state.country_id != country:
            raise UserError(_("Please choose a state of %s.", country.name))
        if country.state_required and not state:
            raise UserError(_("Please choose a state or province of %s.", country.name))
        clean.update({key: clean[key] or False for key in BILLING_ENTITY_FIELDS})
        clean.update({"country_id": country.id, "state_id": state.id})
        return clean

    @api.model
    def _pce_browse_typed(self, model, value):
        """:return: the record of `model` whose id is `value` (int or a string of digits), empty if none."""
        try:
            record_id = int(value or 0)
        except (TypeError, ValueError):
            record_id = 0
        return model.browse(record_id).exists() if record_id > 0 else model

    @api.model
    def _pce_create_billing_entity(self, author, values):
        """Create a billing entity for `author`: a company partner (a customer) and its invoice contact.

        Called as superuser once the caller authenticated `author` (the portal: the logged-in visitor's partner).
        The invoice contact carries the company's address (invoices print it), the contact name, e-mail and phone;
        the VAT number is the company's (Odoo copies it to its contacts). A note on the company says who created it.

        :param author: `res.partner`, the contact creating it, who sees it afterwards
        :param dict values: strings as typed: `name` (company), `street`, `zip`, `city`, `country_id` (id),
                            `contact_name`, `email` (required); `street2`, `state_id` (id; required for countries
                            that need one), `vat`, `phone` (optional)
        :return: the invoice contact (`res.partner`), the entity's record
        :raise UserError: with a message for the customer, on bad input or when `author` already has the same
                          entity (same company name and invoice e-mail); nothing is created
        """
        author.ensure_one()
        clean = self._pce_check_billing_entity_values(values)
        email = email_normalize(clean["email"])
        for entity in self._pce_billing_entities_visible_to(author):
            if entity.parent_id.name.strip().lower() == clean["name"].lower() and entity.email_normalized == email:
                raise UserError(_("You already have the billing entity %s.", entity.parent_id.name))
        address = {field: clean[field] for field in BILLING_ENTITY_ADDRESS_FIELDS}
        company = self.create(
            {
                "name": clean["name"],
                "is_company": True,
                "customer_rank": 1,
                "vat": clean["vat"],
                "lang": author.lang,
                **address,
            }
        )
        entity = self.create(
            {
                "type": "invoice",
                "parent_id": company.id,
                "name": clean["contact_name"],
                "email": clean["email"],
                "phone": clean["phone"],
                "lang": author.lang,
                "pce_billing_author_id": author.id,
                **address,
            }
        )
        company.message_post(
            body=_("Billing entity created in the customer portal by %s.", author.display_name),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return entity

    # === DOCUMENTS (shared with the customer on /my/documents) === #

    pce_document_count = fields.Integer(
        compute="_compute_pce_document_count",
        string="Shared Documents",
        groups="sales_team.group_sale_salesman",
    )

    def _compute_pce_document_count(self):
        counts = dict(
            self.env["pce.document"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.pce_document_count = counts.get(partner.commercial_partner_id, 0)

    def action_pce_open_documents(self):
        """The *Documents* smart button: the documents shared with the customer, a new one for them preset.

        :return: an `ir.actions.act_window` dict on `pce.document`
        """
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id("portal_customer_ext.pce_document_action")
        action.update(
            {
                "name": _("Documents of %s", customer.display_name),
                "context": {"default_partner_id": customer.id, "search_default_partner_id": customer.id},
            }
        )
        return action

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
