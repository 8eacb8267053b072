from odoo import api, fields, models


class OvOutlet(models.Model):
    _name = "ov.outlet"
    _description = "Retail Outlet"
    _inherit = ["mail.thread"]
    _order = "name, id"
    _check_company_auto = True

    # === FIELDS ===#
    name = fields.Char(required=True, tracking=True)
    code = fields.Char(required=True, tracking=True, help="Short reference, unique within the company.")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    channel_partner_id = fields.Many2one(
        "res.partner",
        string="Channel Partner",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True), ('ov_is_channel_partner', '=', True)]",
        help="The company that runs this outlet for us; proposed on sales orders of the outlet.",
    )
    site_partner_id = fields.Many2one(
        "res.partner",
        string="Site",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The outlet's address is this contact's address: edit it there and every outlet of the site shows it.",
    )
    # The address is read through the site partner and never stored on the outlet.
    site_street = fields.Char(related="site_partner_id.street", string="Street")
    site_zip = fields.Char(related="site_partner_id.zip", string="ZIP")
    site_city = fields.Char(related="site_partner_id.city", string="City")
    site_state_id = fields.Many2one(related="site_partner_id.state_id", string="State")
    site_country_id = fields.Many2one(related="site_partner_id.country_id", string="Country")
    notes = fields.Html()
    sale_order_ids = fields.One2many("sale.order", "x_outlet_id", string="Sales Orders")
    sale_order_count = fields.Integer(compute="_compute_sale_order_count", string="Orders")

    _sql_constraints = [
        ("code_company_uniq", "unique(company_id, code)", "An outlet code must be unique within a company."),
    ]

    # === COMPUTES ===#
    @api.depends("sale_order_ids")
    def _compute_sale_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group([("x_outlet_id", "in", self.ids)], ["x_outlet_id"], ["__count"])
        )
        for outlet in self:
            outlet.sale_order_count = counts.get(outlet, 0)

    @api.depends("name", "code")
    def _compute_display_name(self):
        for outlet in self:
            outlet.display_name = f"[{outlet.code}] {outlet.name}" if outlet.code else outlet.name

    @api.model
    def _search_display_name(self, operator, value):
        if operator in ("ilike", "not ilike", "=", "!=") and value:
            domain = ["|", ("code", operator, value), ("name", operator, value)]
            return ["!", *domain] if operator in ("not ilike", "!=") else domain
        return super()._search_display_name(operator, value)

    # === ACTIONS ===#
    def action_view_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("x_outlet_id", "=", self.id)]
        action["context"] = {"default_x_outlet_id": self.id, "search_default_x_outlet_id": self.id}
        return action
