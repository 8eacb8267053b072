from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # No field default: a Boolean parameter switched off is deleted, so "on by default" comes from
    # data/ir_config_parameter_data.xml instead (same as base_setup.show_effect).
    pce_reorder_enabled = fields.Boolean(
        string="Portal reorder",
        config_parameter="portal_customer_ext.reorder_enabled",
        help="Customers can reorder a confirmed sales order from the portal as a new draft quotation.",
    )
