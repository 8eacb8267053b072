from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # groups: settings are for settings administrators; default_get (callable by any logged-in user) leaves the
    # fields out for others (ai_bridge_core's res.config.settings.default_get). The portal reads the parameters.

    # No field default: a Boolean parameter switched off is deleted, so "on by default" comes from
    # data/ir_config_parameter_data.xml instead (same as base_setup.show_effect).
    pce_reorder_enabled = fields.Boolean(
        string="Portal reorder",
        config_parameter="portal_customer_ext.reorder_enabled",
        groups="base.group_system",
        help="Customers can reorder a confirmed sales order from the portal as a new draft quotation.",
    )
    # Seeded True in data/ir_config_parameter_data.xml, like the suite's other Claude feature switches.
    pce_feature_quotation_matching = fields.Boolean(
        string="Claude for quotation request matching",
        config_parameter="ai_bridge_core.feature_quotation_matching",
        groups="base.group_system",
        help="Free-text lines of portal quotation requests that the offline matcher cannot fill are sent to Claude, "
        "gated: sure answers fill the line, plausible ones wait for a salesperson's approval.",
    )
    pce_catalog_show_exact_qty = fields.Boolean(
        string="Show stock quantities in the portal catalog",
        config_parameter="portal_customer_ext.catalog_show_exact_qty",
        groups="base.group_system",
        help="Customers see the free quantity of the company's warehouse, not only in stock / low / out.",
    )
    pce_catalog_low_stock_threshold = fields.Float(
        string="Low stock threshold",
        config_parameter="portal_customer_ext.catalog_low_stock_threshold",
        groups="base.group_system",
        default=5.0,
        help="At or below this free quantity, the portal catalog shows a product as low on stock.",
    )
    # Seeded True in data/helpdesk_ticket_triage_data.xml, like the suite's other Claude feature switches.
    pce_feature_ticket_triage = fields.Boolean(
        string="Claude for ticket triage",
        config_parameter="ai_bridge_core.feature_ticket_triage",
        groups="base.group_system",
        help="New helpdesk tickets are categorised and prioritised by Claude, gated: sure answers are applied, "
        "plausible ones wait for approval. Off, or without an API key, the offline triage (category keywords and "
        "urgency words) answers, gated the same way.",
    )
