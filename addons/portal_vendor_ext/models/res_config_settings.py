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
