from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _get_message_create_valid_field_names(self):
        # EXTENDS mail: a reply from a Slack thread is posted with the ts of its Slack twin (messaging.slack.thread)
        return super()._get_message_create_valid_field_names() | {"messaging_slack_thread_id", "messaging_slack_ts"}

    def _message_post_after_hook(self, message, msg_values):
        # EXTENDS mail: notes and messages written by people go to the record's Slack thread, if it has one; not
        # notifications (tracking, automated posts), not OdooBot's, not those that came from Slack (no loop)
        result = super()._message_post_after_hook(message, msg_values)
        if (
            msg_values.get("message_type") == "comment"
            and not msg_values.get("messaging_slack_ts")
            and (msg_values.get("author_id") or msg_values.get("author_guest_id"))
            and msg_values.get("author_id") != self.env["ir.model.data"]._xmlid_to_res_id("base.partner_root")
        ):
            self.env["messaging.slack.thread"]._forward_chatter_message(message)
        return result
