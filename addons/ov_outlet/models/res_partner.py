from fastapi import status

from odoo import api, fields, models
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
        errors = []
        country = self.env["res.country"].search([("code", "=", values["country_code"].upper())], limit=1)
        if not country:
            errors.append({"field": "country_code", "message": f"No country {values['country_code']}."})
        state = self.env["res.country.state"]
        if country and values.get("state_code"):
            state = state.search([("country_id", "=", country.id), ("code", "=ilike", values["state_code"])], limit=1)
            if not state:
                errors.append({"field": "state_code", "message": f"No state {values['state_code']} in {country.name}."})
        elif country.state_required:
            errors.append({"field": "state_code", "message": f"A state is required in {country.name}."})
        if not email_normalize(values["email"]):
            errors.append({"field": "email", "message": f"{values['email']} is not a valid e-mail address."})
        if errors:
            raise ApiError(status.HTTP_400_BAD_REQUEST, detail=errors)
        form = {
            **{key: value for key, value in values.items() if key not in ("country_code", "state_code")},
            "country_id": country.id,
            "state_id": state.id or "",
        }
        # portal_customer_ext works as superuser once the author is known (it posts a note, reads users' logins);
        # sudo() keeps the API user as the user of the environment, the partners are its own (create_uid)
        partners = self.sudo()
        try:
            partners._pce_check_billing_entity_values(form)
        except UserError as error:
            raise ApiError(status.HTTP_400_BAD_REQUEST, detail=[{"field": "body", "message": error.args[0]}]) from None
        try:
            with self.env.cr.savepoint():
                return partners._pce_create_billing_entity(self.env.user.partner_id, form)
        except UserError as error:
            raise ApiError(status.HTTP_409_CONFLICT, detail=error.args[0]) from None
