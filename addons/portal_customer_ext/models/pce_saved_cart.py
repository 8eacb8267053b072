from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL


class PceSavedCart(models.Model):
    _name = "pce.saved.cart"
    _description = "Saved Cart"
    _order = "is_favourites desc, name, id"
    _check_company_auto = True

    # === FIELDS === #

    name = fields.Char(required=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', True)]",
        help="Commercial partner whose contacts share this list.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Created By", default=lambda self: self.env.user, readonly=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, default=lambda self: self.env.company
    )
    line_ids = fields.One2many(comodel_name="pce.saved.cart.line", inverse_name="cart_id", string="Lines")
    is_favourites = fields.Boolean(
        string="Favourites", readonly=True, help="The customer's Favourites list, created on first use."
    )
    line_count = fields.Integer(compute="_compute_line_count", string="Products")

    # === COMPUTE METHODS === #

    @api.depends("line_ids")
    def _compute_line_count(self):
        for cart in self:
            cart.line_count = len(cart.line_ids)

    # === CONSTRAINT METHODS === #

    def init(self):
        # One Favourites list per customer and company
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS pce_saved_cart_favourites_uniq ON %s (partner_id, company_id) "
                "WHERE is_favourites",
                SQL.identifier(self._table),
            )
        )

    @api.constrains("name")
    def _check_name(self):
        for cart in self:
            if not (cart.name or "").strip():
                raise ValidationError(_("Give the cart a name."))

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        # Carts belong to the catalog: a portal contact the catalog refuses (a vendor's) has none, even by RPC,
        # where its lines would tell the names of the catalog's products.
        user = self.env.user
        if not self.env.su and user.share and not self.env["product.product"]._pce_is_catalog_customer(user):
            raise AccessError(_("Saved carts are for the contacts of our customers."))
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
            if not self.env.su:
                vals.pop("user_id", None)  # the author is who creates it, not a value from the request
        return super().create(vals_list)

    def write(self, vals):
        if "partner_id" in vals or "company_id" in vals:
            raise UserError(_("A saved cart cannot move to another customer or company."))
        if "user_id" in vals and not self.env.su:
            raise UserError(_("The author of a saved cart cannot change."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_favourites(self):
        # The star of the catalog always finds the list; emptying it is the way to clear it.
        if any(cart.is_favourites for cart in self) and not self.env.is_superuser():
            raise UserError(_("Favourites cannot be deleted; remove its products instead."))

    # === BUSINESS METHODS === #

    @api.model
    def _pce_get_favourites(self, partner, create=True):
        """Return the Favourites list of `partner`'s customer in the current company, creating it on first use.

        Call as the logged-in contact: the record rules decide what is found and whether it may be created.

        :param partner: `res.partner`, a contact of the customer
        :param bool create: whether to create a missing list
        :return: `pce.saved.cart` (empty when missing and not created)
        """
        commercial = partner.commercial_partner_id
        favourites = self.search(
            [
                ("partner_id", "=", commercial.id),
                ("company_id", "=", self.env.company.id),
                ("is_favourites", "=", True),
            ],
            limit=1,
        )
        if not favourites and create:
            favourites = self.create({"name": _("Favourites"), "partner_id": commercial.id, "is_favourites": True})
        return favourites

    def _pce_add_product(self, product, quantity, note=False):
        """Add `quantity` of `product` to the cart, or to the quantity of its existing line.

        :param product: `product.product` the catalog shows (checked by the caller)
        :param float quantity: > 0
        :return: the `pce.saved.cart.line`
        """
        self.ensure_one()
        if quantity <= 0:
            raise ValidationError(_("The quantity must be greater than zero."))
        line = self.line_ids.filtered(lambda cart_line: cart_line.product_id == product)[:1]
        if line:
            values = {"quantity": line.quantity + quantity}
            if note:
                values["note"] = note
            line.write(values)
            return line
        return self.env["pce.saved.cart.line"].create(
            {"cart_id": self.id, "product_id": product.id, "quantity": quantity, "note": note or False}
        )

    def _pce_toggle_favourite(self, product):
        """Add `product` to this Favourites list, or remove it when it is there.

        :return: bool, whether the product is now a favourite
        """
        self.ensure_one()
        line = self.line_ids.filtered(lambda cart_line: cart_line.product_id == product)
        if line:
            line.unlink()
            return False
        self._pce_add_product(product, 1.0)
        return True

    def _pce_get_request_lines(self):
        """:return: the cart's lines as the lines of a portal quotation request (sale.order interface)."""
        self.ensure_one()
        return [
            {
                "product_id": line.product_id.id,
                "description": line.note or "",
                "quantity": line.quantity,
                "wanted_date": False,
            }
            for line in self.line_ids
        ]
