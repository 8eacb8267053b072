from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PceCustomerProductCode(models.Model):
    """A customer's own code (and name) for one of our products: portal quotation requests match it first."""

    _name = "pce.customer.product.code"
    _description = "Customer Product Code"
    _order = "partner_id, code"
    _check_company_auto = True

    # === FIELDS === #

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('parent_id', '=', False)]",
        help="The customer company (commercial partner); all its contacts use its codes.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('sale_ok', '=', True)]",
    )
    product_tmpl_id = fields.Many2one(
        comodel_name="product.template",
        string="Product Template",
        compute="_compute_product_tmpl_id",
        store=True,
        index=True,
    )
    code = fields.Char(string="Customer Code", required=True, help="The reference the customer uses for the product.")
    product_name = fields.Char(string="Customer Product Name", help="The name the customer uses for the product.")
    company_id = fields.Many2one(related="product_id.company_id", store=True, index=True)

    _sql_constraints = [
        ("partner_code_uniq", "unique(partner_id, code)", "A customer uses each of its product codes only once."),
    ]

    # === COMPUTES === #

    @api.depends("product_id")
    def _compute_product_tmpl_id(self):
        for code in self:
            code.product_tmpl_id = code.product_id.product_tmpl_id

    # === CONSTRAINTS AND CRUD === #

    @api.constrains("partner_id")
    def _check_partner_is_commercial(self):
        for code in self:
            if code.partner_id != code.partner_id.commercial_partner_id:
                raise ValidationError(
                    _(
                        "Customer codes belong to the customer company %(company)s, not to its contact %(contact)s.",
                        company=code.partner_id.commercial_partner_id.display_name,
                        contact=code.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = vals["code"].strip()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("code"):
            vals["code"] = vals["code"].strip()
        return super().write(vals)

    # === BUSINESS METHODS === #

    @api.model
    def _pce_get_matcher_codes(self, partner):
        """:return: dict mapping the customer's codes and product names to product ids, for the product matcher.

        :param partner: `res.partner`; its commercial partner's codes are used
        """
        rows = self.sudo().search_read(
            [("partner_id", "=", partner.commercial_partner_id.id)], ["code", "product_name", "product_id"]
        )
        codes = {}
        for row in rows:
            codes[row["code"]] = row["product_id"][0]
            if row["product_name"]:
                codes.setdefault(row["product_name"], row["product_id"][0])
        return codes
