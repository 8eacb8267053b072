from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # No field default: a Boolean parameter switched off is deleted, so "on by default" comes from
    # data/ir_config_parameter_data.xml instead (same as base_setup.show_effect).
    pve_ack_required = fields.Boolean(
        string="Vendor acknowledgement",
        config_parameter="portal_vendor_ext.ack_required",
        help="Vendors acknowledge confirmed purchase orders from the portal.",
    )
    # Tolerances of the three-way check of uploaded vendor invoices (tools/po_matching.py, Tolerances).
    pve_tolerance_quantity_percent = fields.Float(
        string="Quantity tolerance (%)",
        config_parameter="portal_vendor_ext.tolerance_quantity_percent",
        default=0.0,
        help="How much an invoiced quantity may exceed the quantity received and not yet billed, in percent.",
    )
    pve_tolerance_price_percent = fields.Float(
        string="Price tolerance (%)",
        config_parameter="portal_vendor_ext.tolerance_price_percent",
        default=1.0,
        help="How much an invoiced unit price may differ from the purchase order's, in percent.",
    )
    pve_tolerance_total_amount = fields.Float(
        string="Amount tolerance",
        config_parameter="portal_vendor_ext.tolerance_total_amount",
        default=0.01,
        help="How far line amounts and the untaxed, tax and total amounts may be off, in the invoice currency.",
    )
    # Seeded True in data/pve_vendor_invoice_reading_data.xml, like the suite's other Claude feature switches;
    # groups: settings administrators only (ai_bridge_core's res.config.settings.default_get leaves it out for others).
    pve_feature_vendor_invoice_reading = fields.Boolean(
        string="Claude for vendor invoice reading",
        config_parameter="ai_bridge_core.feature_vendor_invoice_reading",
        groups="base.group_system",
        help="Uploaded invoice PDFs whose reading misses fields, does not add up or holds no text (a scan) are sent "
        "to Claude, gated: fields it reads more surely are taken when it is sure, plausible readings wait for "
        "approval. Off, or without an API key, the deterministic reading is kept.",
    )


class ResConfigSettingsCompliance(models.TransientModel):
    _inherit = "res.config.settings"

    pve_compliance_reminder_days = fields.Integer(
        string="Compliance reminder (days)",
        config_parameter="portal_vendor_ext.compliance_reminder_days",
        default=30,
        help="How many days before a vendor's compliance document expires its contacts and buyer are reminded.",
    )
