from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MessagingSlackThreadStart(models.TransientModel):
    """Start a Slack thread about the record the action was opened from."""

    _name = "messaging.slack.thread.start"
    _description = "Start a Slack Thread"

    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", required=True, readonly=True)
    res_name = fields.Char(string="Record", compute="_compute_res_name")
    slack_channel = fields.Char(
        required=True,
        default=lambda self: self._default_slack_channel(),
        help="Channel ID (C0123ABCD) or #name; the Odoo bot must be a member of it (/invite @Odoo in the channel).",
    )

    @api.model
    def default_get(self, fields_list):
        # EXTENDS base: the record the action was opened from (the action is bound to its model's form)
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") and context.get("active_id"):
            values.setdefault("res_model", context["active_model"])
            values.setdefault("res_id", context["active_id"])
        return values

    @api.model
    def _default_slack_channel(self):
        """The channel set for threads in the settings, else the one of the approval requests' route."""
        channel = self.env["ir.config_parameter"].sudo().get_param("messaging_router.slack_thread_channel")
        return channel or self.env["messaging.route"]._get_route("approval.request").slack_channel

    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        for wizard in self:
            record = wizard.res_model in self.env and self.env[wizard.res_model].browse(wizard.res_id).exists()
            wizard.res_name = record.display_name if record else False

    def action_start(self):
        self.ensure_one()
        if self.res_model not in self.env:
            raise UserError(_("Open this from the record to discuss in Slack."))
        thread = self.env["messaging.slack.thread"]._start(
            self.env[self.res_model].browse(self.res_id), self.slack_channel
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Slack thread"),
                "message": _(
                    "The thread about %(record)s is being started in %(channel)s; it will be noted in the chatter.",
                    record=thread.res_name,
                    channel=thread.slack_channel,
                ),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
