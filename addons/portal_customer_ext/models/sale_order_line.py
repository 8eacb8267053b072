from odoo import models
from odoo.fields import Command


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # === BUSINESS METHODS === #

    def _pce_is_reorder_candidate(self):
        """:return: whether the line stands for something the customer ordered (a reorder copies or reports it).

        Not sections and notes, down payments, shipping costs (recomputed when the carrier is chosen again) nor
        combo items, which belong to their combo line.
        """
        self.ensure_one()
        return not (self.display_type or self.is_downpayment or self.combo_item_id or self._is_delivery())

    def _pce_is_product_reorderable(self):
        """:return: whether the line's product can still be sold in the order's company.

        Combo products are refused too: their items are chosen in the configurator, which a reorder skips.
        """
        self.ensure_one()
        product = self.product_id
        return bool(
            product.active
            and product.product_tmpl_id.active
            and product.sale_ok
            and product.type != "combo"
            and product.filtered_domain(product._check_company_domain(self.order_id.company_id))
        )

    def _pce_prepare_reorder_line_values(self):
        """:return: `sale.order.line` create values repeating this line; price, taxes and description are
        computed afresh."""
        self.ensure_one()
        template = self.product_id.product_tmpl_id
        template_values = template.valid_product_template_attribute_line_ids.product_template_value_ids
        # Keep the customer's attribute choices that still exist on the product.
        no_variant_values = self.product_no_variant_attribute_value_ids.filtered(
            lambda ptav: ptav.ptav_active and ptav in template_values
        )
        custom_commands = []
        for custom in self.product_custom_attribute_value_ids:
            ptav = custom.custom_product_template_attribute_value_id
            if ptav in template_values:
                custom_commands.append(
                    Command.create(
                        {"custom_product_template_attribute_value_id": ptav.id, "custom_value": custom.custom_value}
                    )
                )
        values = {
            "sequence": self.sequence,
            "product_id": self.product_id.id,
            "product_uom_qty": self.product_uom_qty,
            "product_no_variant_attribute_value_ids": [Command.set(no_variant_values.ids)],
            "product_custom_attribute_value_ids": custom_commands,
        }
        if self.product_uom.category_id == self.product_id.uom_id.category_id:
            values["product_uom"] = self.product_uom.id
        return values
