from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

API_KEY_SCOPE = "ov_outlet_api"  # keys of this scope open the /api routes only, not XML-RPC or JSON-RPC


class ResUsers(models.Model):
    _inherit = "res.users"

    ov_outlet_api_user = fields.Boolean(
        string="Integration API User", compute="_compute_ov_outlet_api_user", groups="base.group_system"
    )

    @api.depends("groups_id")
    def _compute_ov_outlet_api_user(self):
        api_group = self.env.ref("ov_outlet.group_ov_outlet_api")
        for user in self:
            user.ov_outlet_api_user = api_group in user.groups_id

    def action_ov_outlet_new_api_key(self):
        """Generate an API key of this integration user, valid on the /api routes only, and show it once.

        Stock Odoo lets users make keys only for themselves, and the integration user never signs in.
        """
        self.ensure_one()
        if not self.env.user._is_system():
            raise AccessError(_("Only administrators can create API keys for the integration API."))
        if not self.sudo().ov_outlet_api_user:
            raise UserError(_("%s is not in the Outlets: Integration API group.", self.name))
        name = _("Integration API key made by %s", self.env.user.name)
        key = self.env["res.users.apikeys"].with_user(self).sudo()._generate(API_KEY_SCOPE, name, None)
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.users.apikeys.show",
            "name": _("API Key Ready"),
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_key": key},
        }
