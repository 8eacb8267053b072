from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import plaintext2html

from ..api_route import ApiError

# Integration API: the header fields of an order, as named by the API, and the order field each one sets
OV_API_HEADER_FIELDS = {
    "customer_id": "partner_id",
    "outlet_id": "x_outlet_id",
    "channel_partner_id": "x_channel_partner_id",
    "sales_rep_id": "x_sales_rep_id",
    "pricelist_id": "pricelist_id",
    "client_order_ref": "client_order_ref",
    "note": "note",
}
OV_API_QUOTATION_STATES = ("draft", "sent")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # Names fixed by the external sales app's contract: no module prefix.
    x_outlet_id = fields.Many2one("ov.outlet", string="Outlet", index=True, tracking=True, check_company=True)
    x_channel_partner_id = fields.Many2one(
        "res.partner",
        string="Channel Partner",
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_x_channel_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('is_company', '=', True), ('ov_is_channel_partner', '=', True)]",
    )
    x_sales_rep_id = fields.Many2one(
        "res.partner",
        string="Sales Rep",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('ov_is_sales_rep', '=', True)]",
    )

    ov_entitlement_id = fields.Char(
        string="Entitlement ID", readonly=True, copy=False, tracking=True, help="Answered by the asset system."
    )
    ov_asset_allocation = fields.Text(
        string="Asset Allocation", readonly=True, copy=False, help="Answered by the asset system (JSON)."
    )
    ov_usage_event_ids = fields.One2many(
        "ov.outlet.usage.event", "order_id", string="Usage Events", groups="sales_team.group_sale_salesman"
    )
    ov_usage_event_count = fields.Integer(
        compute="_compute_ov_usage", string="Usage Count", groups="sales_team.group_sale_salesman"
    )
    ov_usage_summary = fields.Text(
        compute="_compute_ov_usage", string="Usage Summary", groups="sales_team.group_sale_salesman"
    )

    @api.depends("x_outlet_id")
    def _compute_x_channel_partner_id(self):
        for order in self:
            if order.x_outlet_id.channel_partner_id:
                order.x_channel_partner_id = order.x_outlet_id.channel_partner_id

    def write(self, vals):
        # EXTENDS sale: the integration API's users change quotations; they confirm or cancel only through the
        # API's actions (which run the workflow), never by writing the state (record rules see only the old state)
        if "state" in vals and not self.env.su and self.env.user.has_group("ov_outlet.group_ov_outlet_api"):
            raise AccessError(_("The integration API cannot change the state of an order directly."))
        return super().write(vals)

    def _action_confirm(self):
        # EXTENDS sale: the asset system learns of the confirmation through a job, in this transaction; the order
        # confirms whatever happens to the webhook afterwards
        result = super()._action_confirm()
        self.env["ov.outlet.webhook.delivery"]._create_for_confirmed_orders(self)
        return result

    def _prepare_invoice(self):
        # EXTENDS sale
        values = super()._prepare_invoice()
        values.update(
            x_outlet_id=self.x_outlet_id.id,
            x_channel_partner_id=self.x_channel_partner_id.id,
            x_sales_rep_id=self.x_sales_rep_id.id,
        )
        return values

    @api.depends("ov_usage_event_ids.quantity", "order_line.product_uom_qty")
    def _compute_ov_usage(self):
        for order in self:
            events = order.ov_usage_event_ids
            order.ov_usage_event_count = len(events)
            order.ov_usage_summary = "\n".join(
                events.filtered(lambda event, product=product: event.product_id == product)[:1]._ov_summary_line(
                    order._ov_usage_totals(product)
                )
                for product in events.product_id
            )

    def _ov_usage_overage_lines(self):
        return self.env["ov.outlet.usage.event"].sudo().search([("order_id", "in", self.ids)]).sale_line_id

    def _ov_usage_totals(self, product):
        """:return: dict of the usage of `product` on this order: total_used, allowance (units included: the
        product's allowance times the quantity ordered, overage lines left out) and over_allowance"""
        self.ensure_one()
        lines = (
            self.order_line.filtered(lambda line: line.product_id == product and not line.display_type)
            - self._ov_usage_overage_lines()
        )
        ordered = sum(line.product_uom._compute_quantity(line.product_uom_qty, product.uom_id) for line in lines)
        allowance = ordered * product.ov_usage_allowance
        events = (
            self.env["ov.outlet.usage.event"]
            .sudo()
            .search([("order_id", "=", self.id), ("product_id", "=", product.id)])
        )
        used = sum(events.mapped("quantity"))
        return {"total_used": used, "allowance": allowance, "over_allowance": max(used - allowance, 0.0)}

    def _ov_usage_sync_overage_line(self, product, over_allowance):
        """Set the delivered quantity of the line billing `product`'s usage beyond the allowance (created on the
        first overage), so that the next invoice bills it. The quantity ordered stays 0: the line is invoiced on
        delivered quantities, which also works on a locked order.

        :return: the line, or no line when no service can bill the overage (see the product's Overage Product)
        """
        self.ensure_one()
        overage_product = product.ov_usage_overage_product_id or product
        if overage_product.type != "service" or overage_product.invoice_policy != "delivery":
            return self.env["sale.order.line"]
        events = (
            self.env["ov.outlet.usage.event"]
            .sudo()
            .search([("order_id", "=", self.id), ("product_id", "=", product.id), ("sale_line_id", "!=", False)])
        )
        line = events.sale_line_id[:1]
        if not line:
            line = self.env["sale.order.line"].create(
                {
                    "order_id": self.id,
                    "product_id": overage_product.id,
                    "product_uom_qty": 0,
                    "name": _(
                        "%(overage)s: usage of %(product)s beyond the allowance",
                        overage=overage_product.display_name,
                        product=product.display_name,
                    ),
                }
            )
        line.qty_delivered = over_allowance
        return line

    # === INTEGRATION API: orders (POST/GET/PATCH /api/sale.order...) ===#
    # Called with the API key's user: every id is looked up as that user, so what it may not see is "unknown".
    def _ov_api_check_quotation(self):
        """:raise ApiError: 409 when the order is no longer a quotation (nothing may change it through the API)"""
        self.ensure_one()
        if self.state not in OV_API_QUOTATION_STATES:
            raise ApiError(
                409,
                _("Order %(order)s is no longer a quotation (state: %(state)s).", order=self.name, state=self.state),
            )

    @api.model
    def _ov_api_header_values(self, data):
        """The order values of the API's header fields in `data` (only the keys given; None clears a field).

        :return: (values, errors), errors as ``[{"field": ..., "message": ...}]``
        """
        Partner = self.env["res.partner"]
        lookups = {
            "customer_id": (Partner, Partner._ov_api_customer_domain(), lambda value: _("No customer %s.", value)),
            "outlet_id": (self.env["ov.outlet"], [], lambda value: _("No outlet %s.", value)),
            "channel_partner_id": (
                Partner,
                [("ov_is_channel_partner", "=", True)],
                lambda value: _("No channel partner %s (a partner flagged as channel partner).", value),
            ),
            "sales_rep_id": (
                Partner,
                [("ov_is_sales_rep", "=", True)],
                lambda value: _("No sales rep %s (a contact flagged as sales rep).", value),
            ),
            "pricelist_id": (self.env["product.pricelist"], [], lambda value: _("No pricelist %s.", value)),
        }
        values, errors = {}, []
        for key, value in data.items():
            field = OV_API_HEADER_FIELDS[key]
            if key == "note":
                values[field] = plaintext2html(value) if value else False
            elif key == "client_order_ref":
                values[field] = value or False
            elif value is None:
                if key in ("customer_id", "pricelist_id"):
                    errors.append({"field": key, "message": _("This field cannot be emptied.")})
                else:
                    values[field] = False
            else:
                model, domain, message = lookups[key]
                if model.search_count([("id", "=", value), *domain], limit=1):
                    values[field] = value
                else:
                    errors.append({"field": key, "message": message(value)})
        return values, errors

    @api.model
    def _ov_api_line_values(self, lines, prefix):
        """:param lines: the API's new lines (dicts of product_id, quantity, price_unit, discount)
        :return: (values of each line without its price, the explicit prices by index, errors)"""
        products = self.env["product.product"].search(
            [("id", "in", [line["product_id"] for line in lines]), ("sale_ok", "=", True)]
        )
        values, prices, errors = [], {}, []
        for index, line in enumerate(lines):
            if line["product_id"] not in products.ids:
                errors.append(
                    {
                        "field": f"{prefix}.{index}.product_id",
                        "message": _("No sellable product %s.", line["product_id"]),
                    }
                )
                continue
            values.append(
                {"product_id": line["product_id"], "product_uom_qty": line["quantity"], "discount": line["discount"]}
            )
            if line.get("price_unit") is not None:
                prices[index] = line["price_unit"]
        return values, prices, errors

    def _ov_api_set_prices(self, lines, prices):
        # Written after the lines exist, as a user does: sale then keeps them when the quantity changes later
        # (a price given at creation would count as the pricelist's own and be recomputed).
        for index, price in prices.items():
            lines[index].price_unit = price

    def _ov_api_check_write(self, action):
        # Raised as a UserError by sale's own checks (an AccessError is one too): the caller's mistake, never a 500
        try:
            return action()
        except AccessError as error:
            raise ApiError(403, str(error)) from None
        except UserError as error:
            raise ApiError(400, [{"field": "body", "message": str(error)}]) from None

    @api.model
    def _ov_api_create(self, data, lines):
        """Create a quotation from the API's header fields `data` and new `lines`.

        :raise ApiError: 400 with every unknown reference, by field
        """
        values, errors = self._ov_api_header_values(data)
        line_values, prices, line_errors = self._ov_api_line_values(lines, "lines")
        if errors or line_errors:
            raise ApiError(400, errors + line_errors)
        values["order_line"] = [Command.create(line) for line in line_values]
        order = self._ov_api_check_write(lambda: self.create(values))
        order._ov_api_set_prices(order.order_line.sorted("id"), prices)
        return order

    def _ov_api_update(self, data):
        """Change the header fields given in `data` of this quotation; a new pricelist re-prices its lines."""
        self._ov_api_check_quotation()
        values, errors = self._ov_api_header_values(data)
        if errors:
            raise ApiError(400, errors)
        repriced = "pricelist_id" in values and values["pricelist_id"] != self.pricelist_id.id
        if values:
            self._ov_api_check_write(lambda: self.write(values))
        if repriced:  # as Sales' "Update prices"; it re-prices the optional products too, which the API never reads
            self.sudo()._recompute_prices()
        return self

    def _ov_api_change_lines(self, add, update, remove):
        """Add, update and remove lines of this quotation in one go; line ids must be product lines of it."""
        self._ov_api_check_quotation()
        own = self.order_line.filtered(lambda line: not line.display_type)
        line_values, prices, errors = self._ov_api_line_values(add, "add")
        seen = set()
        for field, line_id in [(f"update.{i}.id", change["id"]) for i, change in enumerate(update)] + [
            (f"remove.{i}", line_id) for i, line_id in enumerate(remove)
        ]:
            if line_id not in own.ids:
                errors.append(
                    {
                        "field": field,
                        "message": _("No line %(line)s on order %(order)s.", line=line_id, order=self.name),
                    }
                )
            elif line_id in seen:
                errors.append({"field": field, "message": _("Line %s is given twice.", line_id)})
            seen.add(line_id)
        if errors:
            raise ApiError(400, errors)
        before = self.order_line
        commands = [Command.create(line) for line in line_values]
        commands += [
            Command.update(change["id"], {"product_uom_qty": change["quantity"]})
            for change in update
            if change.get("quantity") is not None
        ]
        commands += [Command.delete(line_id) for line_id in remove]
        self._ov_api_check_write(lambda: self.write({"order_line": commands}))
        # prices and discounts given are set after the quantities, which reprice the line from the pricelist
        self._ov_api_set_prices((self.order_line - before).sorted("id"), prices)
        for change in update:
            explicit = {
                field: change[key]
                for key, field in (("price_unit", "price_unit"), ("discount", "discount"))
                if change.get(key) is not None
            }
            if explicit:
                self._ov_api_check_write(
                    lambda change=change, explicit=explicit: self.order_line.browse(change["id"]).write(explicit)
                )
        return self

    def _ov_api_confirm(self):
        """Confirm this quotation of the caller: its write access is checked, then the workflow (pickings, webhooks)
        runs as superuser, which the API user's group does not allow by itself."""
        self._ov_api_check_quotation()
        if not self.order_line.filtered(lambda line: not line.display_type):
            raise ApiError(409, _("Order %s has no lines to confirm.", self.name))
        self._ov_api_check_write(lambda: self.check_access("write"))
        try:
            self.sudo().action_confirm()
        except UserError as error:
            raise ApiError(409, str(error)) from None
        return self
