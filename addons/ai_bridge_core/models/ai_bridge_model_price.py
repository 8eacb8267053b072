from odoo import api, fields, models


class AiBridgeModelPrice(models.Model):
    _name = "ai.bridge.model.price"
    _description = "AI Model Price"
    _order = "model"

    model = fields.Char(
        required=True, help="Model identifier, or its prefix (claude-sonnet-4-5 also prices dated snapshots)."
    )
    input_price = fields.Float(string="Input (USD / MTok)", digits=(12, 4), required=True)
    output_price = fields.Float(string="Output (USD / MTok)", digits=(12, 4), required=True)
    cache_write_price = fields.Float(string="Cache Write (USD / MTok)", digits=(12, 4))
    cache_read_price = fields.Float(string="Cache Read (USD / MTok)", digits=(12, 4))

    _sql_constraints = [("model_uniq", "unique(model)", "One price line per model.")]

    @api.model
    def _price_for(self, model_name):
        """The price line whose model is the longest prefix of `model_name`, or an empty recordset."""
        prices = self.sudo().search([])
        matching = prices.filtered(lambda price: model_name.startswith(price.model))
        return matching.sorted(lambda price: len(price.model))[-1:] if matching else matching

    @api.model
    def _cost(self, model_name, input_tokens, output_tokens, cache_write_tokens=0, cache_read_tokens=0):
        """USD cost of one call; 0.0 for a model without a price line."""
        price = self._price_for(model_name)
        return (
            input_tokens * price.input_price
            + output_tokens * price.output_price
            + cache_write_tokens * price.cache_write_price
            + cache_read_tokens * price.cache_read_price
        ) / 1_000_000
