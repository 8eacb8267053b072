from odoo import fields, models


class PvePoChangeRefuse(models.TransientModel):
    _name = "pve.po.change.refuse"
    _description = "Refuse Vendor Proposed Changes"

    change_id = fields.Many2one(comodel_name="pve.po.change", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.change_id._pve_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
