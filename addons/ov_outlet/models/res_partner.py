from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

from ..api_route import ApiError


class ResPartner(models.Model):
    _inherit = "res.partner"

    ov_is_channel_partner = fields.Boolean(
        string="Channel Partner", help="A company that runs outlets and resells for us."
    )
    ov_is_sales_rep = fields.Boolean(
        string="Sales Rep", help="A field sales representative (a contact, not a user) credited on sales orders."
    )
    ov_outlet_ids = fields.One2many("ov.outlet", "channel_partner_id", string="Outlets")
    ov_outlet_count = fields.Integer(compute="_compute_ov_outlet_count", string="Outlets Count")
    ov_channel_order_count = fields.Integer(compute="_compute_ov_order_counts", string="Channel Orders")
    ov_sales_rep_order_count = fields.Integer(compute="_compute_ov_order_counts", string="Rep Orders")

    def _compute_ov_outlet_count(self):
        counts = dict(
            self.env["ov.outlet"]._read_group(
                [("channel_partner_id", "in", self.ids)], ["channel_partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.ov_outlet_count = counts.get(partner, 0)

    def _compute_ov_order_counts(self):
        orders = self.env["sale.order"]
        if not orders.has_access("read"):  # an outlet user need not be a salesperson
            self.ov_channel_order_count = self.ov_sales_rep_order_count = 0
            return
        by_channel = dict(
            orders._read_group([("x_channel_partner_id", "in", self.ids)], ["x_channel_partner_id"], ["__count"])
        )
        by_rep = dict(orders._read_group([("x_sales_rep_id", "in", self.ids)], ["x_sales_rep_id"], ["__count"]))
        for partner in self:
            partner.ov_channel_order_count = by_channel.get(partner, 0)
            partner.ov_sales_rep_order_count = by_rep.get(partner, 0)

    def action_view_ov_outlets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ov_outlet.ov_outlet_action")
        action["domain"] = [("channel_partner_id", "=", self.id)]
        action["context"] = {"default_channel_partner_id": self.id}
        return action

    def action_view_ov_sale_orders(self):
        self.ensure_one()
        field = "x_sales_rep_id" if self.env.context.get("ov_by_sales_rep") else "x_channel_partner_id"
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [(field, "=", self.id)]
        action["context"] = {f"default_{field}": self.id}
        return action

    # === INTEGRATION API: customers (GET/POST /api/res.partner) ===#
    # Called with the API key's user, who reads every partner of its company: the API shows it only customers and
    # the partners it created.
    @api.model
    def _ov_api_customer_domain(self):
        return ["|", ("customer_rank", ">", 0), ("create_uid", "=", self.env.uid)]

    @api.model
    def _ov_api_email_filter(self, email):
        """:return: the API's `email` query parameter normalized (case and spaces do not matter)
        :raise ApiError: 400 on the field `email` when it is not an e-mail address"""
        normalized = email_normalize(email)
        if not normalized:
            raise ApiError(400, [{"field": "email", "message": _("This is not an e-mail address.")}])
        return normalized

    @api.model
    def _ov_api_search_domain(self, email=None, name=None, ref=None):
        """:return: the domain of the customers matching the API's filters (e-mail exact once normalized)"""
        domain = self._ov_api_customer_domain()
        if email is not None:
            domain.append(("email_normalized", "=", self._ov_api_email_filter(email)))
        if name:
            domain.append(("name", "ilike", name))
        if ref is not None:
            domain.append(("ref", "=", ref))
        return domain

    @api.model
    def _ov_api_partner_values(self, data, prefix=None, require_state=False):
        """The partner values of the API's `data` (name, e-mail, phone, address with country and state codes).

        :param prefix: the fields' path in the request (``"company"``), None at the top
        :param require_state: whether a country that needs a state (``state_required``) must come with one
        :return: (values, errors by field)
        """

        def path(name):
            return f"{prefix}.{name}" if prefix else name

        data = dict(data)
        errors = []
        email = data.pop("email", None)
        if email:
            if email_normalize(email):
                data["email"] = email
            else:
                errors.append({"field": path("email"), "message": _("This is not an e-mail address.")})
        country_code, state_code = data.pop("country_code", None), data.pop("state_code", None)
        country = self.env["res.country"]
        if country_code:
            country = country.search([("code", "=ilike", country_code)], limit=1)
            if country:
                data["country_id"] = country.id
            else:
                errors.append({"field": path("country_code"), "message": _("No country %s.", country_code)})
        if state_code:
            state = self.env["res.country.state"]
            if country:
                state = state.search([("country_id", "=", country.id), ("code", "=ilike", state_code)], limit=1)
            if state:
                data["state_id"] = state.id
            elif country or not country_code:
                errors.append(
                    {
                        "field": path("state_code"),
                        "message": _(
                            "No state %(state)s in country %(country)s.", state=state_code, country=country_code
                        )
                        if country
                        else _("A state needs its country_code."),
                    }
                )
        elif require_state and country.state_required:
            errors.append({"field": path("state_code"), "message": _("A state is required in %s.", country.name)})
        return {key: value for key, value in data.items() if value is not None}, errors

    @api.model
    def _ov_api_register(self, company, contact):
        """Create the customer `contact` (dict), under a new customer company when `company` (dict) is given.

        :return: (company or an empty recordset, contact)
        :raise ApiError: 400 by field, 409 when an active customer contact already has the contact's e-mail
        """
        company_values, errors = self._ov_api_partner_values(company or {}, "company")
        contact_values, contact_errors = self._ov_api_partner_values(contact, "contact")
        errors += contact_errors
        if company:
            address = {"street", "street2", "zip", "city", "country_code", "state_code"}
            errors += [
                {"field": f"contact.{key}", "message": _("The contact has the company's address: give it there.")}
                for key in sorted(address & {key for key, value in contact.items() if value is not None})
            ]
        if errors:
            raise ApiError(400, errors)
        existing = self.search(
            [
                ("customer_rank", ">", 0),
                ("is_company", "=", False),
                ("email_normalized", "=", email_normalize(contact_values["email"])),
            ],
            limit=1,
        )
        if existing:
            raise ApiError(409, _("An active customer contact already has this e-mail: partner %s.", existing.id))
        # Creating a contact under a company makes Odoo sync fields onto the company (a write, which the API user may
        # not do): both are created as superuser once the caller's right to create partners is checked.
        self.check_access("create")
        Partner = self.sudo()
        try:
            parent = Partner.browse()
            if company:
                parent = Partner.create({**company_values, "is_company": True, "customer_rank": 1})
            person = Partner.create(
                {**contact_values, "is_company": False, "parent_id": parent.id or False, "customer_rank": 1}
            )
        except UserError as error:  # e.g. a VAT number refused by base_vat
            raise ApiError(400, [{"field": "company" if company else "contact", "message": str(error)}]) from None
        return parent.with_env(self.env), person.with_env(self.env)

    # === BUSINESS METHODS: integration API, billing entities === #

    @api.model
    def _ov_api_create_billing_entity(self, values):
        """Create a billing entity (a customer company and its invoice contact) for the API key's user, who is its
        author (portal_customer_ext's `_pce_create_billing_entity`: the same rules as the customer portal).

        :param dict values: as the API takes them: `name`, `street`, `street2`, `zip`, `city`, `country_code`
                            (ISO 3166-1 alpha-2), `state_code`, `vat`, `contact_name`, `email`, `phone`
        :return: the invoice contact (`res.partner`, superuser), the entity's record
        :raise ApiError: 400 with the field for an unknown country or state, a missing state, a bad e-mail; 409
                         when the caller already has that entity (same company name and invoice e-mail)
        """
        self.check_access("create")
        form, errors = self._ov_api_partner_values(values, require_state=True)
        if errors:
            raise ApiError(400, errors)
        form.setdefault("state_id", "")
        # portal_customer_ext works as superuser once the author is known (it posts a note, reads users' logins);
        # sudo() keeps the API user as the user of the environment, the partners are its own (create_uid)
        partners = self.sudo()
        try:
            partners._pce_check_billing_entity_values(form)
        except UserError as error:
            raise ApiError(400, [{"field": "body", "message": error.args[0]}]) from None
        try:
            with self.env.cr.savepoint():
                return partners._pce_create_billing_entity(self.env.user.partner_id, form)
        except UserError as error:
            raise ApiError(409, error.args[0]) from None
