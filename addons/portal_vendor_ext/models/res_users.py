from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _pve_purchase_managers(self):
        """:return: the active internal purchase managers: who hears of a vendor's action when nobody is its buyer"""
        return self.env.ref("purchase.group_purchase_manager").users.filtered(
            lambda user: user.active and user._is_internal()
        )
