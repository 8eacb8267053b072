from odoo import api, fields, models


class PveRfqResponseLine(models.Model):
    _name = "pve.rfq.response.line"
    _description = "Vendor Response Line"
    _order = "product_id, price_unit, id"

    # === FIELDS === #

    response_id = fields.Many2one(
        comodel_name="pve.rfq.response", string="Response", required=True, ondelete="cascade", index=True
    )
    order_line_id = fields.Many2one(
        comodel_name="purchase.order.line", string="RFQ Line", required=True, ondelete="cascade", index=True
    )
    product_id = fields.Many2one(related="order_line_id.product_id", store=True, string="Product")
    order_id = fields.Many2one(related="response_id.order_id", store=True, string="Request for Quotation")
    partner_id = fields.Many2one(related="response_id.partner_id", store=True, string="Vendor")
    state = fields.Selection(related="response_id.state", string="Response State")
    currency_id = fields.Many2one(related="response_id.currency_id")
    product_qty = fields.Float(related="order_line_id.product_qty", string="Requested Quantity")
    price_unit = fields.Float(string="Unit Price", digits="Product Price", required=True)
    min_qty = fields.Float(string="Minimum Quantity", digits="Product Unit of Measure")
    lead_time_days = fields.Integer(string="Lead Time (days)")
    valid_until = fields.Date()
    price_subtotal = fields.Monetary(compute="_compute_price_subtotal", currency_field="currency_id")
    is_best_price = fields.Boolean(compute="_compute_is_best_price", string="Best Price")

    _sql_constraints = [
        ("price_unit_positive", "CHECK(price_unit >= 0)", "The unit price cannot be negative."),
        ("min_qty_positive", "CHECK(min_qty >= 0)", "The minimum quantity cannot be negative."),
        ("lead_time_positive", "CHECK(lead_time_days >= 0)", "The lead time cannot be negative."),
    ]

    # === COMPUTE METHODS === #

    @api.depends("price_unit", "order_line_id.product_qty")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.price_unit * line.order_line_id.product_qty

    @api.depends("price_unit", "state", "product_id")
    def _compute_is_best_price(self):
        """The lowest unit price of a product among the still open responses of an RFQ and its alternatives (in
        their currencies as given: alternatives share the buyer's currency in practice)."""
        best = {}
        for line in self:
            orders = line.order_id | line.order_id.alternative_po_ids
            key = (orders.ids and min(orders.ids), line.product_id.id)
            if key not in best:
                rivals = self.search(
                    [
                        ("order_id", "in", orders.ids),
                        ("product_id", "=", line.product_id.id),
                        ("state", "!=", "not_selected"),
                    ]
                )
                best[key] = min(rivals.mapped("price_unit"), default=None)
            line.is_best_price = line.state != "not_selected" and line.price_unit == best[key]

    # === BUSINESS METHODS === #

    def _pve_update_supplierinfo(self):
        """Create or update the vendor pricelist line (vendor, product, minimum quantity, company) with this
        response line's price, lead time, validity and currency."""
        self.ensure_one()
        response = self.response_id
        company = response.order_id.company_id
        product = self.product_id
        values = {
            "price": self.price_unit,
            "delay": self.lead_time_days,
            "date_end": self.valid_until,
            "currency_id": response.currency_id.id,
        }
        # Called by `pve.rfq.response.action_accept` after the buyer's write access to the RFQ was checked: like
        # purchase's own `_add_supplier_to_product` on confirmation, a purchase user updates the vendor pricelist
        # as superuser.
        SupplierInfo = self.env["product.supplierinfo"].sudo()
        candidates = SupplierInfo.search(
            [
                ("partner_id", "=", response.partner_id.id),
                ("product_tmpl_id", "=", product.product_tmpl_id.id),
                ("product_id", "in", (product.id, False)),
                ("min_qty", "=", self.min_qty),
                ("company_id", "in", (company.id, False)),
            ]
        )
        # the variant's own line first, then the company's own line
        existing = candidates.sorted(lambda info: (bool(info.product_id), bool(info.company_id)), reverse=True)[:1]
        if existing:
            existing.write(values)
            return existing
        return SupplierInfo.create(
            dict(
                values,
                partner_id=response.partner_id.id,
                product_tmpl_id=product.product_tmpl_id.id,
                product_id=product.id if product.product_tmpl_id.product_variant_count > 1 else False,
                min_qty=self.min_qty,
                company_id=company.id,
            )
        )

    # === ACTION METHODS === #

    def action_accept(self):
        """The "Accept" button of a row of the side-by-side list accepts the row's whole response."""
        self.ensure_one()
        return self.response_id.action_accept()
