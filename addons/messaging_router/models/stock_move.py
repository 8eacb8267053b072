from odoo import _, models
from odoo.tools import float_compare

INVENTORY_MANAGER_GROUP = "stock.group_stock_manager"
WAITING_MOVE_STATES = ("waiting", "confirmed", "partially_available", "assigned")  # not done, cancelled or draft


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        # EXTENDS stock: a move that empties the warehouses of a product that confirmed orders wait for alerts at once
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._messaging_check_stock_outs()
        return moves

    def _messaging_check_stock_outs(self):
        """Send `alert.critical` for each storable product of these done moves that has no stock left in its
        company's warehouses while confirmed sales orders still wait for it; once per stock-out, until a later
        move brings it back in stock.

        Runs as superuser: the user was allowed to move the stock, and who waits for it (orders of other
        salespersons, inventory managers) is not limited to what that user may read.
        """
        done = self.filtered(lambda move: move.state == "done" and move.product_id.is_storable).sudo()
        for company in done.company_id:
            products = done.filtered(lambda move, company=company: move.company_id == company).product_id
            done.with_company(company)._messaging_check_company_stock_outs(products.with_company(company))

    def _messaging_check_company_stock_outs(self, products):
        company = self.env.company
        on_hand = dict(
            self.env["stock.quant"]._read_group(
                [
                    ("product_id", "in", products.ids),
                    ("company_id", "=", company.id),
                    ("location_id.usage", "=", "internal"),
                    ("location_id.warehouse_id", "!=", False),
                ],
                ["product_id"],
                ["quantity:sum"],
            )
        )
        out_of_stock = products.filtered(
            lambda product: (
                float_compare(on_hand.get(product, 0.0), 0.0, precision_rounding=product.uom_id.rounding) <= 0
            )
        )
        (products - out_of_stock).filtered("messaging_stockout_alerted")._write_audited(
            {"messaging_stockout_alerted": False}
        )
        waiting = self.search(
            [
                ("product_id", "in", out_of_stock.filtered(lambda product: not product.messaging_stockout_alerted).ids),
                ("company_id", "=", company.id),
                ("sale_line_id", "!=", False),
                ("state", "in", WAITING_MOVE_STATES),
            ]
        )
        if not waiting:
            return
        managers = self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref(INVENTORY_MANAGER_GROUP).id),
                ("share", "=", False),
                ("company_ids", "in", company.id),
            ]
        )
        for product in waiting.product_id:
            orders = waiting.filtered(lambda move, product=product: move.product_id == product).sale_line_id.order_id
            self.env["messaging.delivery"]._send(
                "alert.critical",
                product,
                orders.user_id | managers,
                {
                    "subject": _("Out of stock: %s", product.display_name),
                    "body": _(
                        "No %(product)s is left in the warehouses of %(company)s, and %(count)s confirmed order(s) "
                        "wait for it: %(orders)s.",
                        product=product.display_name,
                        company=company.name,
                        count=len(orders),
                        orders=", ".join(f"{order.name} ({order.partner_id.display_name})" for order in orders),
                    ),
                },
            )
            product._write_audited({"messaging_stockout_alerted": True})
