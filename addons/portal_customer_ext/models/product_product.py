from odoo import api, models
from odoo.osv import expression
from odoo.tools import float_compare, str2bool

CATALOG_SHOW_EXACT_QTY_PARAM = "portal_customer_ext.catalog_show_exact_qty"
CATALOG_LOW_STOCK_PARAM = "portal_customer_ext.catalog_low_stock_threshold"
CATALOG_LOW_STOCK_DEFAULT = 5.0  # product units
# Availability codes of the portal catalog, in the customer's words.
AVAILABILITY_IN_STOCK = "in_stock"
AVAILABILITY_LOW = "low"
AVAILABILITY_OUT = "out"
AVAILABILITY_AVAILABLE = "available"  # services and products whose stock is not tracked


class ProductProduct(models.Model):
    _inherit = "product.product"

    # === BUSINESS METHODS === #

    @api.model
    def _pce_is_catalog_customer(self, user):
        """Tell whether `user` is a customer's contact who may use the portal catalog and saved carts.

        A portal user qualifies when their commercial partner is a customer: a customer rank, or at least one
        quotation or order. A vendor's portal contact does not.

        :param user: `res.users`
        :return: bool
        """
        if not user.share or user._is_public():
            return False
        commercial = user.partner_id.commercial_partner_id.sudo()
        if commercial.customer_rank > 0:
            return True
        return bool(self.env["sale.order"].sudo().search_count([("partner_id", "child_of", commercial.ids)], limit=1))

    @api.model
    def _pce_can_preview_catalog(self, user):
        """:return: whether `user` is an internal salesperson, who may see the catalog as their own company."""
        return not user.share and user.has_group("sales_team.group_sale_salesman")

    @api.model
    def _pce_catalog_domain(self, company):
        """Domain of the products the portal catalog shows for `company`: active, sold, allowed for the company
        and not combos (their items are chosen in the product configurator).

        :param company: `res.company`
        """
        return [
            ("active", "=", True),
            ("sale_ok", "=", True),
            ("type", "!=", "combo"),
            ("company_id", "in", [False, company.id]),
        ]

    @api.model
    def _pce_catalog_search_domain(self, search):
        """:return: the domain matching `search` in the product name, internal reference or barcode."""
        if not search:
            return []
        return expression.OR(
            [[("name", "ilike", search)], [("default_code", "ilike", search)], [("barcode", "ilike", search)]]
        )

    @api.model
    def _pce_catalog_products(self, product_ids, company):
        """Keep the products of `product_ids` that the catalog shows for `company`.

        :param product_ids: iterable of ids, from the request (may be unknown or forbidden)
        :return: `product.product` as superuser: call only once the visitor was checked
        """
        ids = [product_id for product_id in product_ids if isinstance(product_id, int) and product_id > 0]
        if not ids:
            return self.sudo().browse()
        domain = expression.AND([[("id", "in", ids)], self._pce_catalog_domain(company)])
        return self.sudo().with_company(company).search(domain)

    @api.model
    def _pce_get_customer_pricelist(self, partner, company):
        """:return: the pricelist of `partner`'s commercial partner in `company` (maybe empty), as superuser."""
        return partner.commercial_partner_id.sudo().with_company(company).property_product_pricelist

    def _pce_get_catalog_prices(self, partner, company):
        """Price the products for `partner` in one batch: the customer's pricelist, and the list price for
        comparison, both in the pricelist's currency (the company's when the customer has no pricelist).

        :param partner: `res.partner`, the logged-in contact
        :param company: `res.company`
        :return: tuple (currency, {product_id: {"price": float, "list_price": float, "discounted": bool}})
        """
        products = self.sudo().with_company(company)
        pricelist = self._pce_get_customer_pricelist(partner, company)
        currency = pricelist.currency_id or company.currency_id
        prices = pricelist._get_products_price(products, quantity=1.0, currency=currency)
        if pricelist:
            list_prices = (
                self.env["product.pricelist"].sudo()._get_products_price(products, quantity=1.0, currency=currency)
            )
        else:
            list_prices = prices
        result = {}
        for product in products:
            price, list_price = prices[product.id], list_prices[product.id]
            result[product.id] = {
                "price": price,
                "list_price": list_price,
                "discounted": currency.compare_amounts(price, list_price) < 0,
            }
        return currency, result

    def _pce_get_catalog_availability(self, company):
        """Availability of the products in `company`'s warehouse, in one batch.

        Services and products whose stock is not tracked are "available"; others are "in stock", "low" (free
        quantity at or below the threshold setting) or "out". The free quantity is given only when the setting
        "show exact quantities" is on.

        :return: {product_id: {"status": str, "qty": float | None}}
        """
        params = self.env["ir.config_parameter"].sudo()
        show_qty = str2bool(params.get_param(CATALOG_SHOW_EXACT_QTY_PARAM, "False"))
        try:
            threshold = float(params.get_param(CATALOG_LOW_STOCK_PARAM, CATALOG_LOW_STOCK_DEFAULT))
        except ValueError:
            threshold = CATALOG_LOW_STOCK_DEFAULT
        warehouse = self.env["stock.warehouse"].sudo().search([("company_id", "=", company.id)], limit=1)
        products = self.sudo().with_company(company)
        tracked = products.filtered("is_storable")
        free_qty = {}
        if tracked and warehouse:
            tracked = tracked.with_context(warehouse_id=warehouse.id)
            free_qty = {product.id: product.free_qty for product in tracked}
        result = {}
        for product in products:
            if not product.is_storable:
                result[product.id] = {"status": AVAILABILITY_AVAILABLE, "qty": None}
                continue
            qty = free_qty.get(product.id, 0.0)
            rounding = product.uom_id.rounding
            if float_compare(qty, 0.0, precision_rounding=rounding) <= 0:
                status = AVAILABILITY_OUT
            elif float_compare(qty, threshold, precision_rounding=rounding) <= 0:
                status = AVAILABILITY_LOW
            else:
                status = AVAILABILITY_IN_STOCK
            result[product.id] = {"status": status, "qty": max(qty, 0.0) if show_qty else None}
        return result
