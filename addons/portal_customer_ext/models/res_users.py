from odoo import _, api, models

# Key of the sign-up values that carries the company name typed on /web/signup (set by controllers/signup.py).
SIGNUP_COMPANY_NAME_KEY = "pce_company_name"


class ResUsers(models.Model):
    _inherit = "res.users"

    # === BUSINESS METHODS === #

    @api.model
    def _pce_get_sales_recipients(self, company, salesperson=None, team=None):
        """The internal users told of what a customer asks or does (a quotation request, a sign-up).

        :param company: `res.company` the customer deals with; its sales administrators are the last resort
        :param salesperson: `res.users` in charge of the customer or document, if any
        :param team: `crm.team` in charge, if any
        :return: `res.users`: the salesperson; else the team's leader, else its members; else the company's sales
                 administrators. Only active internal users; empty when nobody qualifies.
        """
        salesperson = salesperson or self.browse()
        team = team or self.env["crm.team"]
        candidates = [
            salesperson,
            team.user_id,
            team.member_ids,
            self.env.ref("sales_team.group_sale_manager")
            .sudo()
            .users.filtered(lambda user: company in user.company_ids),
        ]
        for users in candidates:
            users = users.filtered(lambda user: user.active and not user.share)
            if users:
                return users
        return self.browse()

    # === SIGN-UP: a new customer company === #

    # EXTENDS auth_signup
    @api.model
    def _signup_create_user(self, values):
        """A visitor who signs up on their own (no invitation) with a company name becomes a contact of a new
        customer company, of which they are the customer administrator; the sales team hears of it.

        The company name comes only from our sign-up form (`controllers/signup.py`); invited sign-ups, and sign-ups
        without it, create the user as stock does.
        """
        company_name = values.pop(SIGNUP_COMPANY_NAME_KEY, None)
        user = super()._signup_create_user(values)
        if company_name:
            user._pce_make_signup_company(company_name)
        return user

    def _pce_make_signup_company(self, company_name):
        """Put the new user's contact under a new customer company named `company_name`, make it the company's
        customer administrator, and notify the sales team (`customer.signup`).

        :param str company_name: the name the visitor typed, already stripped and not empty
        :return: the new company partner
        """
        self.ensure_one()
        contact = self.partner_id.sudo()
        company = (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": company_name,
                    "is_company": True,
                    "customer_rank": 1,
                    "email": contact.email,
                    "lang": contact.lang,
                    "company_id": contact.company_id.id,
                }
            )
        )
        contact.write({"parent_id": company.id, "pce_is_customer_admin": True})
        self._pce_notify_signup(company)
        return company

    def _pce_notify_signup(self, company_partner):
        """Tell the sales team of the company's first sales team (by sequence) of a new customer who signed up.

        :param company_partner: the new customer company (`res.partner`)
        :return: the queued `messaging.delivery` records
        """
        self.ensure_one()
        company = self.company_id
        team = (
            self.env["crm.team"]
            .sudo()
            .search([("company_id", "in", [company.id, False])], order="sequence, id", limit=1)
        )
        recipients = self._pce_get_sales_recipients(company, team=team)
        if not recipients:
            return self.env["messaging.delivery"]
        return (
            self.env["messaging.delivery"]
            .sudo()
            ._send(
                "customer.signup",
                company_partner,
                recipients,
                {
                    "subject": _("New customer sign-up: %(company)s", company=company_partner.name),
                    "body": _(
                        "%(name)s (%(email)s) signed up on the portal for %(company)s. They administer the "
                        "company's portal access; check the new customer's details.",
                        name=self.name,
                        email=self.email or self.login,
                        company=company_partner.name,
                    ),
                },
            )
        )
