import functools
import math
from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .catalog import CustomerPortalCatalog


def customers_only(route):
    """Route decorator: carts are a customer's; other visitors (a vendor's contact, an employee previewing the
    catalog) go back to /my."""

    @functools.wraps(route)
    def customer_route(self, *args, **kwargs):
        if self._pce_catalog_mode() != "customer":
            return request.redirect("/my")
        return route(self, *args, **kwargs)

    return customer_route


class CustomerPortalSavedCart(CustomerPortalCatalog):
    """Saved carts and Favourites of a customer's contacts: lists of catalog products with quantities, shared by
    the customer's contacts, turned into a quotation request.

    Carts are read and written as the logged-in contact: the record rules of pce_saved_cart_security.xml keep
    each customer to their own carts. Products are read as superuser, only once the visitor is a catalog customer.
    """

    # EXTENDS portal
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "pce_saved_cart_count" in counters:
            SavedCart = request.env["pce.saved.cart"]
            is_customer = request.env["product.product"]._pce_is_catalog_customer(request.env.user)
            values["pce_saved_cart_count"] = (
                SavedCart.search_count(self._prepare_saved_carts_domain())
                if is_customer and SavedCart.has_access("read")
                else 0
            )
        return values

    # === HELPERS === #

    def _prepare_saved_carts_domain(self):
        """:return: the carts of the current company; record rules add "of the visitor's customer"."""
        return [("company_id", "=", request.env.company.id)]

    def _pce_redirect(self, path, message=None):
        """Redirect to a page of ours, with a message code."""
        if message:
            path = f"{path}{'&' if '?' in path else '?'}{urlencode({'message': message})}"
        return request.redirect(path)

    @staticmethod
    def _pce_safe_back_url(url, default="/my/catalog"):
        """:return: `url` when it is a catalog or cart page of this portal (no open redirect), else `default`."""
        if url and url.startswith(("/my/catalog", "/my/carts")) and "//" not in url and "\\" not in url:
            return url
        return default

    @staticmethod
    def _pce_parse_quantity(value):
        """:return: the positive finite float in `value`, or None."""
        try:
            quantity = float(value)
        except (TypeError, ValueError):
            return None
        return quantity if math.isfinite(quantity) and quantity > 0 else None

    def _pce_get_cart(self, cart_id, operation):
        """Return the cart `cart_id` if the visitor may do `operation` on it (record rules as the visitor).

        :raise AccessError, MissingError: another customer's cart, another company's or a missing one
        """
        cart = request.env["pce.saved.cart"].browse(cart_id)
        cart.check_access(operation)
        if not cart.exists() or cart.company_id != request.env.company:
            raise MissingError(request.env._("This cart does not exist."))
        return cart

    def _pce_get_catalog_product(self, product_id):
        """:return: the catalog product `product_id` (as superuser), or an empty recordset."""
        product_id = self._pce_parse_id(product_id)
        return request.env["product.product"]._pce_catalog_products(
            [product_id] if product_id else [], request.env.company
        )

    def _prepare_saved_cart_portal_values(self, cart):
        """Values of the cart page: lines with the customer's current prices and availability, in one batch."""
        company = request.env.company
        lines = cart.line_ids
        products = lines.product_id
        # Products no longer in the catalog stay on the cart, shown as unavailable, and are left out of requests.
        catalog_products = request.env["product.product"]._pce_catalog_products(products.ids, company)
        currency, prices = catalog_products._pce_get_catalog_prices(request.env.user.partner_id, company)
        availability = catalog_products._pce_get_catalog_availability(company)
        total = sum(
            prices[line.product_id.id]["price"] * line.quantity for line in lines if line.product_id.id in prices
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "pce_cart",
                "cart": cart,
                "lines": lines,
                "line_products": {line.id: line.product_id.sudo() for line in lines},
                "prices": prices,
                "availability": availability,
                "currency": currency,
                "total": total,
            }
        )
        return values

    # === PAGES === #

    @http.route(["/my/carts", "/my/carts/page/<int:page>"], type="http", auth="user", website=True, readonly=True)
    @customers_only
    def portal_my_saved_carts(self, page=1, message=None, **kwargs):
        """The customer's saved carts and Favourites."""
        SavedCart = request.env["pce.saved.cart"]
        domain = self._prepare_saved_carts_domain()
        pager_values = portal_pager(
            url="/my/carts", total=SavedCart.search_count(domain), page=page, step=self._items_per_page
        )
        carts = SavedCart.search(domain, limit=self._items_per_page, offset=pager_values["offset"])
        request.session["my_saved_carts_history"] = carts.ids[:100]
        line_counts = dict(
            SavedCart.env["pce.saved.cart.line"]._read_group([("cart_id", "in", carts.ids)], ["cart_id"], ["__count"])
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "pce_carts",
                "default_url": "/my/carts",
                "carts": carts,
                "line_counts": {cart.id: count for cart, count in line_counts.items()},
                "pager": pager_values,
                "pce_message": self._pce_cart_message(message),
            }
        )
        return request.render("portal_customer_ext.portal_my_saved_carts", values)

    @http.route(["/my/carts/<int:cart_id>"], type="http", auth="user", website=True, readonly=True)
    @customers_only
    def portal_my_saved_cart(self, cart_id, message=None, **kwargs):
        """One cart with its lines, current prices and availability."""
        try:
            cart = self._pce_get_cart(cart_id, "read")
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_saved_cart_portal_values(cart)
        values["pce_message"] = self._pce_cart_message(message)
        return request.render("portal_customer_ext.portal_my_saved_cart", values)

    # === WRITES (POST, CSRF checked by Odoo) === #

    @http.route(["/my/carts/new"], type="http", auth="user", methods=["POST"], website=True)
    @customers_only
    def portal_saved_cart_create(self, name=None, **kwargs):
        """Create an empty cart for the visitor's customer."""
        name = (name or "").strip()
        if not name:
            return self._pce_redirect("/my/carts", "bad_name")
        cart = request.env["pce.saved.cart"].create({"name": name, "partner_id": request.env.user.partner_id.id})
        return self._pce_redirect(f"/my/carts/{cart.id}", "cart_created")

    @http.route(["/my/carts/<int:cart_id>/rename"], type="http", auth="user", methods=["POST"], website=True)
    @customers_only
    def portal_saved_cart_rename(self, cart_id, name=None, **kwargs):
        try:
            cart = self._pce_get_cart(cart_id, "write")
        except (AccessError, MissingError):
            return self._pce_redirect("/my/carts", "bad_cart")
        name = (name or "").strip()
        if not name or cart.is_favourites:
            return self._pce_redirect(f"/my/carts/{cart.id}", "bad_name")
        cart.name = name
        return self._pce_redirect(f"/my/carts/{cart.id}", "cart_renamed")

    @http.route(["/my/carts/<int:cart_id>/delete"], type="http", auth="user", methods=["POST"], website=True)
    @customers_only
    def portal_saved_cart_delete(self, cart_id, **kwargs):
        try:
            cart = self._pce_get_cart(cart_id, "unlink")
        except (AccessError, MissingError):
            return self._pce_redirect("/my/carts", "bad_cart")
        if cart.is_favourites:
            return self._pce_redirect(f"/my/carts/{cart.id}", "favourites_kept")
        cart.unlink()
        return self._pce_redirect("/my/carts", "cart_deleted")

    @http.route(["/my/carts/add"], type="http", auth="user", methods=["POST"], website=True)
    @customers_only
    def portal_saved_cart_add(self, product_id=None, quantity=None, cart_id=None, new_cart_name=None, **kwargs):
        """Add a catalog product to a cart of the customer, or to a new cart named `new_cart_name`."""
        back = self._pce_safe_back_url(kwargs.get("redirect"))
        product = self._pce_get_catalog_product(product_id)
        if not product:
            return self._pce_redirect(back, "bad_product")
        qty = self._pce_parse_quantity(quantity)
        if qty is None:
            return self._pce_redirect(back, "bad_quantity")
        if cart_id == "new":
            name = (new_cart_name or "").strip()
            if not name:
                return self._pce_redirect(back, "bad_name")
            cart = request.env["pce.saved.cart"].create({"name": name, "partner_id": request.env.user.partner_id.id})
        else:
            try:
                cart = self._pce_get_cart(self._pce_parse_id(cart_id) or 0, "write")
            except (AccessError, MissingError):
                return self._pce_redirect(back, "bad_cart")
        cart._pce_add_product(product, qty, note=(kwargs.get("note") or "").strip() or False)
        return self._pce_redirect(back, "product_added")

    @http.route(["/my/carts/favourite"], type="http", auth="user", methods=["POST"], website=True)
    @customers_only
    def portal_saved_cart_favourite(self, product_id=None, **kwargs):
        """The star of the catalog: add the product to the customer's Favourites, or remove it from them."""
        back = self._pce_safe_back_url(kwargs.get("redirect"))
        product = self._pce_get_catalog_product(product_id)
        if not product:
            return self._pce_redirect(back, "bad_product")
        favourites = request.env["pce.saved.cart"]._pce_get_favourites(request.env.user.partner_id)
        added = favourites._pce_toggle_favourite(product)
        return self._pce_redirect(back, "favourite_added" if added else "favourite_removed")

    def _pce_get_cart_line(self, cart_id, line_id):
        """:return: (cart, line) when the visitor may write the cart and the line is one of its lines."""
        cart = self._pce_get_cart(cart_id, "write")
        line = cart.line_ids.filtered(lambda cart_line: cart_line.id == line_id)
        if not line:
            raise MissingError(request.env._("This line is not in the cart."))
        return cart, line

    @http.route(
        ["/my/carts/<int:cart_id>/line/<int:line_id>/update"], type="http", auth="user", methods=["POST"], website=True
    )
    @customers_only
    def portal_saved_cart_line_update(self, cart_id, line_id, quantity=None, **kwargs):
        try:
            cart, line = self._pce_get_cart_line(cart_id, line_id)
        except (AccessError, MissingError):
            return self._pce_redirect("/my/carts", "bad_cart")
        qty = self._pce_parse_quantity(quantity)
        if qty is None:
            return self._pce_redirect(f"/my/carts/{cart.id}", "bad_quantity")
        line.quantity = qty
        return self._pce_redirect(f"/my/carts/{cart.id}", "line_updated")

    @http.route(
        ["/my/carts/<int:cart_id>/line/<int:line_id>/remove"], type="http", auth="user", methods=["POST"], website=True
    )
    @customers_only
    def portal_saved_cart_line_remove(self, cart_id, line_id, **kwargs):
        try:
            cart, line = self._pce_get_cart_line(cart_id, line_id)
        except (AccessError, MissingError):
            return self._pce_redirect("/my/carts", "bad_cart")
        line.unlink()
        return self._pce_redirect(f"/my/carts/{cart.id}", "line_removed")

    @http.route(["/my/carts/<int:cart_id>/request"], type="http", auth="user", methods=["POST"], website=True)
    @customers_only
    def portal_saved_cart_request(self, cart_id, **kwargs):
        """Turn the cart into a quotation request (part B's `sale.order._pce_create_portal_request`) and open it.

        The cart stays as it is, to be requested again later. Products no longer in the catalog are left out.
        """
        try:
            cart = self._pce_get_cart(cart_id, "read")
        except (AccessError, MissingError):
            return self._pce_redirect("/my/carts", "bad_cart")
        catalog_products = request.env["product.product"]._pce_catalog_products(
            cart.line_ids.product_id.ids, request.env.company
        )
        lines = [line for line in cart._pce_get_request_lines() if line["product_id"] in catalog_products.ids]
        if not lines:
            return self._pce_redirect(f"/my/carts/{cart.id}", "empty_cart")
        author = request.env.user.partner_id
        try:
            # The visitor is a contact of the cart's customer (checked above); portal users cannot create
            # orders, so the request is created as superuser, as the interface requires.
            order = request.env["sale.order"].sudo()._pce_create_portal_request(author, lines)
        except (UserError, ValidationError) as error:
            values = self._prepare_saved_cart_portal_values(cart)
            values["pce_message"] = ("danger", error.args[0])
            return request.render("portal_customer_ext.portal_my_saved_cart", values)
        return request.redirect(order.get_portal_url())
