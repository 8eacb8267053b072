from markupsafe import Markup

from odoo import _, models


class AiBridgeDecision(models.Model):
    _name = "ai.bridge.decision"
    _inherit = ["ai.bridge.decision", "messaging.delivery.mixin"]

    def _notify_awaiting_approval(self):
        # EXTENDS ai_bridge_core: the approver also gets an approval request on its route (Slack buttons first)
        super()._notify_awaiting_approval()
        for decision in self.filtered("task_id.approver_id"):
            self.env["messaging.delivery"]._send(
                "approval.request",
                decision,
                decision.task_id.approver_id,
                {
                    "subject": _("Approve or reject: %s", decision.name),
                    "body": _(
                        "Confidence %(confidence)s %%. %(reasoning)s",
                        confidence=round(decision.confidence * 100),
                        reasoning=decision.reasoning or "",
                    ),
                    "approval": True,
                },
            )

    # === APPROVALS FROM MESSAGING (the interface any model implements to get Slack buttons) === #
    def _messaging_approve(self, reason):
        """Approve as the current user, with their rights; raise AccessError or UserError to refuse."""
        self._approve(reason=reason)
        self._messaging_log(_("Approved in Slack by %s.", self.env.user.name))

    def _messaging_reject(self, reason):
        self._reject(reason=reason)
        self._messaging_log(_("Rejected in Slack by %s.", self.env.user.name))

    def _messaging_log(self, text):
        # reviewers only read decisions: the note is posted as superuser once the review itself was allowed
        self.sudo().message_post(
            body=Markup("<p>%s</p>") % text, author_id=self.env.user.partner_id.id, subtype_xmlid="mail.mt_note"
        )
