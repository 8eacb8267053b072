from odoo import api, fields, models
from odoo.tools import html2plaintext

PERSON_MESSAGE_TYPES = ("email", "comment")  # what people write; suite logs are "notification"
MAX_MESSAGE_CHARS = 4000  # enough for a prompt, bounded for a long e-mail thread


class AiBridgeDecisionMixin(models.AbstractModel):
    """For business models: the count of their AI decisions, the action behind a smart button, and what prompts
    may quote from the chatter."""

    _name = "ai.bridge.decision.mixin"
    _description = "AI Decisions Mixin"

    # Only AI Bridge users may read decisions in general: without the group, the field is not part of a plain
    # `read()`, export or form, instead of raising for every partner an integration reads.
    ai_decision_count = fields.Integer(
        compute="_compute_ai_decision_count", string="AI Decisions", groups="ai_bridge_core.group_ai_bridge_user"
    )
    ai_last_message = fields.Text(
        compute="_compute_ai_last_message",
        string="Latest Message",
        help="Text of the latest e-mail or message written by a person in the chatter: not internal notes, "
        "not system logs (the suite's own AI lines included). For prompt templates: {{ object.ai_last_message }}.",
    )

    def _compute_ai_decision_count(self):
        counts = dict(
            self.env["ai.bridge.decision"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"], ["__count"]
            )
        )
        for record in self:
            record.ai_decision_count = counts.get(record.id, 0)

    @api.depends_context("uid")
    def _compute_ai_last_message(self):
        last_ids = {}
        if "message_ids" in self._fields and self.ids:
            last_ids = dict(
                self.env["mail.message"]._read_group(
                    [
                        ("model", "=", self._name),
                        ("res_id", "in", self.ids),
                        ("message_type", "in", PERSON_MESSAGE_TYPES),
                        ("author_id", "!=", self.env.ref("base.partner_root").id),
                        "|",
                        ("subtype_id", "=", False),
                        ("subtype_id.internal", "=", False),
                    ],
                    ["res_id"],
                    ["id:max"],
                )
            )
        messages = self.env["mail.message"].browse(last_ids.values())
        for record in self:
            message = messages.browse(last_ids.get(record.id))
            record.ai_last_message = html2plaintext(message.body).strip()[:MAX_MESSAGE_CHARS] if message else False

    def action_view_ai_decisions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ai_bridge_core.ai_bridge_decision_action")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {}
        return action
