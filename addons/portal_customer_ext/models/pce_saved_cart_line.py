from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class PceSavedCartLine(models.Model):
    _name = "pce.saved.cart.line"
    _description = "Saved Cart Line"
    _order = "cart_id, sequence, id"
    _check_company_auto = True

    # === FIELDS === #

    cart_id = fields.Many2one(
        comodel_name="pce.saved.cart", string="Cart", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="cart_id.company_id", store=True, index=True)
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        required=True,
        ondelete="cascade",
        check_company=True,
        domain="[('sale_ok', '=', True)]",
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    note = fields.Char()

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a saved cart line must be greater than zero."),
    ]

    # === CONSTRAINT METHODS === #

    @api.constrains("product_id")
    def _check_product_in_catalog(self):
        # The cart page shows the name of each line's product: only what the catalog shows goes on a cart, by the
        # catalog or by RPC. Products leaving the catalog later stay on the carts, shown as unavailable.
        Product = self.env["product.product"]
        for line in self:
            if not line.product_id.sudo().filtered_domain(Product._pce_catalog_domain(line.company_id)):
                # No product name: the caller may not know it
                raise ValidationError(_("This product is not in the catalog."))

    @api.constrains("quantity")
    def _check_quantity(self):
        # Same rule as the SQL constraint, with a message for the customer before the database refuses.
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(_("The quantity must be greater than zero."))

    # === CRUD METHODS === #

    def write(self, vals):
        if "company_id" in vals:
            raise UserError(_("A saved cart line belongs to the company of its cart."))
        res = super().write(vals)
        if "cart_id" in vals:
            # Record rules are checked before a write only: a line may move only into a cart the user may write.
            self.check_access("write")
        return res
