from odoo import _, http
from odoo.http import request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.sale.controllers.portal import CustomerPortal


class CustomerPortalCatalog(CustomerPortal):
    """The customer's catalog on /my: products with the customer's prices and the company's availability."""

    _catalog_items_per_page = 20

    # === HELPERS === #

    def _pce_catalog_mode(self):
        """Who is looking at the catalog.

        :return: "customer" for a customer's portal contact (prices, carts), "preview" for an internal
                 salesperson (their own company's prices, no carts), False for anyone else
        """
        user = request.env.user
        Product = request.env["product.product"]
        if Product._pce_is_catalog_customer(user):
            return "customer"
        if Product._pce_can_preview_catalog(user):
            return "preview"
        return False

    def _catalog_get_searchbar_sortings(self):
        return {
            "name": {"label": _("Name"), "order": "name, id"},
            "price": {"label": _("Price: low to high"), "order": "list_price, name, id"},
            "price_desc": {"label": _("Price: high to low"), "order": "list_price desc, name, id"},
        }

    def _catalog_get_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": _("Search in name, reference and barcode")},
        }

    def _prepare_catalog_domain(self, company, search=None, category=None):
        """:return: the domain of the catalog for `company`, narrowed by the search text and category."""
        Product = request.env["product.product"]
        domain = Product._pce_catalog_domain(company)
        if search:
            domain = expression.AND([domain, Product._pce_catalog_search_domain(search)])
        if category:
            domain = expression.AND([domain, [("categ_id", "child_of", category.ids)]])
        return domain

    @staticmethod
    def _pce_parse_id(value):
        """:return: the positive int in `value`, or None."""
        try:
            value = int(value)
        except (TypeError, ValueError):
            return None
        return value if value > 0 else None

    def _prepare_catalog_portal_rendering_values(self, page=1, sortby=None, search=None, category=None, **kwargs):
        """Values of the catalog page: one page of products with prices, availability and favourites.

        Products, categories and pricelists are not readable by portal users: they are read as superuser here,
        after the caller checked the visitor (`_pce_catalog_mode`), and only what the page shows.
        """
        company = request.env.company
        user = request.env.user
        Product = request.env["product.product"].sudo().with_company(company)
        searchbar_sortings = self._catalog_get_searchbar_sortings()
        if sortby not in searchbar_sortings:
            sortby = "name"
        category_id = self._pce_parse_id(category)
        category_sudo = request.env["product.category"].sudo().browse(category_id).exists() if category_id else None

        base_domain = self._prepare_catalog_domain(company, search=search)
        domain = self._prepare_catalog_domain(company, search=search, category=category_sudo)
        url_args = {"sortby": sortby, "search": search, "category": category_sudo.id if category_sudo else None}
        pager_values = portal_pager(
            url="/my/catalog",
            total=Product.search_count(domain),
            page=page,
            step=self._catalog_items_per_page,
            url_args={key: value for key, value in url_args.items() if value},
        )
        products = Product.search(
            domain,
            order=searchbar_sortings[sortby]["order"],
            limit=self._catalog_items_per_page,
            offset=pager_values["offset"],
        )
        currency, prices = products._pce_get_catalog_prices(user.partner_id, company)
        availability = products._pce_get_catalog_availability(company)
        categories = [
            {"category": categ, "count": count}
            for categ, count in Product._read_group(base_domain, ["categ_id"], ["__count"], order="categ_id")
        ]

        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "pce_catalog",
                "default_url": "/my/catalog",
                "pager": pager_values,
                "products": products,
                "prices": prices,
                "currency": currency,
                "availability": availability,
                "categories": categories,
                "category": category_sudo,
                "search": search or "",
                "search_in": "all",
                "sortby": sortby,
                "searchbar_sortings": searchbar_sortings,
                "searchbar_inputs": self._catalog_get_searchbar_inputs(),
                "pce_catalog_mode": self._pce_catalog_mode(),
                "pce_carts": request.env["pce.saved.cart"],
                "pce_favourite_ids": set(),
                "pce_catalog_url": request.httprequest.full_path,
            }
        )
        if values["pce_catalog_mode"] == "customer":
            # Record rules keep these to the customer's own carts.
            carts = request.env["pce.saved.cart"].search([("company_id", "=", company.id)])
            favourites = carts.filtered("is_favourites")
            values["pce_carts"] = carts - favourites
            values["pce_favourite_ids"] = set(favourites.line_ids.product_id.ids)
        return values

    # === ROUTES === #

    @http.route(["/my/catalog", "/my/catalog/page/<int:page>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_catalog(self, page=1, sortby=None, search=None, category=None, **kwargs):
        """The catalog for a customer's contact (or an internal salesperson's preview); others go back to /my."""
        if not self._pce_catalog_mode():
            return request.redirect("/my")
        values = self._prepare_catalog_portal_rendering_values(
            page=page, sortby=sortby, search=search, category=category
        )
        values["pce_message"] = self._pce_cart_message(kwargs.get("message"))
        return request.render("portal_customer_ext.portal_my_catalog", values)

    @http.route(["/my/catalog/image/<int:product_id>"], type="http", auth="user", website=True, readonly=True)
    def portal_catalog_image(self, product_id, **kwargs):
        """Thumbnail of a catalog product: portal users cannot read products, so /web/image refuses them."""
        if not self._pce_catalog_mode():
            return request.not_found()
        product_sudo = request.env["product.product"]._pce_catalog_products([product_id], request.env.company)
        if not product_sudo:
            return request.not_found()
        stream = request.env["ir.binary"]._get_image_stream_from(product_sudo, "image_128")
        return stream.get_response()

    def _pce_cart_messages(self):
        """Messages of the catalog and saved-cart pages, by the code a POST route redirects with."""
        return {
            "cart_created": ("success", _("The cart was created.")),
            "cart_renamed": ("success", _("The cart was renamed.")),
            "cart_deleted": ("success", _("The cart was deleted.")),
            "product_added": ("success", _("The product was added to the cart.")),
            "favourite_added": ("success", _("The product was added to your Favourites.")),
            "favourite_removed": ("success", _("The product was removed from your Favourites.")),
            "line_updated": ("success", _("The quantity was updated.")),
            "line_removed": ("success", _("The product was removed from the cart.")),
            "bad_quantity": ("danger", _("Enter a quantity greater than zero. Nothing was changed.")),
            "bad_name": ("danger", _("Give the cart a name. Nothing was changed.")),
            "bad_product": ("danger", _("This product is not in your catalog. Nothing was changed.")),
            "bad_cart": ("danger", _("This cart does not exist or is not yours. Nothing was changed.")),
            "bad_line": ("danger", _("This line is not in the cart. Nothing was changed.")),
            "favourites_kept": ("danger", _("Favourites cannot be deleted; remove its products instead.")),
            "empty_cart": ("warning", _("Add products to the cart before requesting a quotation.")),
        }

    def _pce_cart_message(self, code):
        """:return: (alert level, text) of a message code passed back by a saved-cart route, or None."""
        return self._pce_cart_messages().get(code) if code else None
