from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    messaging_slack_user_id = fields.Char(
        string="Slack User ID",
        copy=False,
        help="The user's Slack member ID (U...), found by e-mail from the settings; Slack messages for them go there "
        "and their clicks in Slack act as them in Odoo.",
    )
