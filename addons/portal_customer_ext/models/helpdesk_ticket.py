from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from ..tools.ticket_triage import TriageCategory, parse_keywords, triage

TRIAGE_TASK_CODE = "helpdesk_ticket_triage"
TRIAGE_DESCRIPTION_MAX = 4000  # characters of the description sent to Claude


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # === FIELDS: what the ticket is about (opened from a portal order, invoice or product page) === #

    pce_sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Sales Order",
        index="btree_not_null",
        ondelete="set null",
        help="The customer's order this ticket is about.",
    )
    pce_invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        index="btree_not_null",
        ondelete="set null",
        domain=[("move_type", "in", ("out_invoice", "out_refund"))],
        help="The customer's invoice or credit note this ticket is about.",
    )
    pce_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        index="btree_not_null",
        ondelete="set null",
        help="The product this ticket is about.",
    )

    # === TRIAGE: category and priority on arrival (ai_bridge_core decision, offline triage as fallback) === #

    pce_triage_decision_id = fields.Many2one(
        comodel_name="ai.bridge.decision",
        string="Triage Decision",
        groups="base.group_user",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The AI decision that categorised and prioritised this ticket when it arrived.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS helpdesk_mgmt: every new ticket (portal, e-mail, backend) is triaged
        tickets = super().create(vals_list)
        tickets._pce_request_triage()
        return tickets

    @api.model
    def _pce_get_triage_task(self):
        """:return: the triage task (empty when an administrator archived it: no triage at all)"""
        return self.env["ai.bridge.task"].sudo().search([("code", "=", TRIAGE_TASK_CODE)], limit=1)

    def _pce_triage_categories(self):
        """:return: the active categories this ticket may belong to: shared ones and those of its company"""
        self.ensure_one()
        Category = self.env["helpdesk.ticket.category"].sudo()
        return Category.search(Category._check_company_domain(self.company_id))

    def _pce_request_triage(self):
        """Ask for the triage decision of each new ticket: Claude when it is switched on for ticket triage, else
        (and whenever Claude is unavailable) the offline triage computed here, both gated by the task's thresholds.

        Without Claude, a ticket the offline triage finds nothing about gets no decision: it would only log
        "nothing found" on every ticket.
        """
        task = self._pce_get_triage_task()
        if not task:
            return
        claude_enabled = task._claude_enabled()
        for ticket in self:
            categories = ticket._pce_triage_categories()
            description = html2plaintext(ticket.description or "")
            result = triage(
                ticket.name,
                description,
                [
                    TriageCategory(category.id, category.complete_name, parse_keywords(category.pce_triage_keywords))
                    for category in categories
                ],
            )
            offline = ticket._pce_offline_triage_answer(result, categories)
            if not claude_enabled and not offline["output"]:
                continue
            decision = self.env["ai.bridge.decision"]._request(
                TRIAGE_TASK_CODE,
                ticket,
                apply_method="_ai_apply_ticket_triage",
                fallback_method="_ai_fallback_ticket_triage",
                user_content=ticket._pce_triage_prompt(categories, description),
                input_summary=(ticket.name or "")[:500],
                tool_schema=ticket._pce_triage_tool_schema(categories),
                context_data={
                    "category_ids": categories.ids,
                    "category_chosen": bool(ticket.category_id),
                    "priority_at_creation": ticket.priority,
                    "offline": offline,
                },
            )
            ticket.sudo().pce_triage_decision_id = decision

    def _pce_offline_triage_answer(self, result, categories):
        """The offline triage as a decision's answer: what it would set, how sure, and why.

        The category counts only when the ticket arrived without one (the customer's choice stays), and the
        confidence of the answer is that of its least sure part.

        :param result: `TriageResult` of this ticket
        :param categories: the categories offered
        :return: dict ``{"output", "confidence", "reasoning"}``, output empty when there is nothing to set
        """
        self.ensure_one()
        output, confidences = {}, []
        if result.category_key and not self.category_id:
            output["category_id"] = result.category_key
            confidences.append(result.category_confidence)
        if result.priority:
            output["priority"] = result.priority
            confidences.append(result.priority_confidence)
        names = {category.id: category.complete_name for category in categories}
        priorities = dict(self._fields["priority"]._description_selection(self.env))
        reasons = []
        for reason in result.reasons:
            if reason.kind in ("keyword", "typo") and "category_id" not in output:
                continue
            values = {
                "found": reason.found,
                "rule": reason.rule,
                "category": names.get(reason.target, ""),
                "priority": priorities.get(reason.target, ""),
            }
            reasons.append(
                {
                    "keyword": _("“%(found)s” is a keyword of %(category)s.", **values),
                    "typo": _("“%(found)s” reads like “%(rule)s”, a keyword of %(category)s.", **values),
                    "urgency": _("“%(found)s”: priority %(priority)s.", **values),
                    "urgency_typo": _("“%(found)s” reads like “%(rule)s”: priority %(priority)s.", **values),
                }[reason.kind]
            )
        return {
            "output": output,
            "confidence": min(confidences) if confidences else 0.0,
            "reasoning": " ".join([_("Offline triage:"), *reasons]) if reasons else _("Offline triage: nothing found."),
        }

    def _pce_triage_prompt(self, categories, description):
        """:return: what Claude is told about the ticket: its text, the categories offered and the priority scale
        (no contact details: the customer's name and e-mail are not needed to triage)"""
        self.ensure_one()
        lines = "\n".join(
            f"- id {category.id}: {category.complete_name}"
            + (f" (keywords: {category.pce_triage_keywords.strip()})" if category.pce_triage_keywords else "")
            for category in categories
        )
        prompt = _(
            "A customer opened a support ticket. Choose the category it belongs to among the candidates (or none) "
            "and its priority: 0 low (a question, no hurry), 1 medium (the usual), 2 high (a problem that must be "
            "solved soon, a reminder), 3 very high (work or production stopped, safety, a deadline today).\n"
            "Subject: %(subject)s\nDescription:\n%(description)s\nCandidate categories:\n%(categories)s",
            subject=self.name or "",
            description=description[:TRIAGE_DESCRIPTION_MAX],
            categories=lines or _("(none)"),
        )
        if self.category_id:
            prompt += "\n" + _(
                "The customer chose the category %s: it stays as they chose; answer the priority.",
                self.category_id.complete_name,
            )
        return prompt

    def _pce_triage_tool_schema(self, categories):
        """:return: the JSON schema of the triage answer: one of the offered categories (or null) and a priority"""
        return {
            "type": "object",
            "properties": {
                "category_id": {
                    "type": ["integer", "null"],
                    "enum": [*categories.ids, None],
                    "description": "The id of the candidate category the ticket belongs to, or null when none fits.",
                },
                "priority": {
                    "type": "string",
                    "enum": [key for key, _label in self._fields["priority"].selection],
                    "description": "0 low, 1 medium, 2 high, 3 very high.",
                },
            },
            "required": ["category_id", "priority"],
        }

    @api.model
    def _ai_apply_ticket_triage(self, decision):
        """Apply method of the triage decisions: set the category and the priority, but never over a person's
        choice: the category only on a ticket that still has none (a category the customer chose, or an agent set
        since, stays), the priority only while nobody changed it since the ticket arrived.

        :raise UserError: when the answer names a category that was not offered or an unknown priority (the
            decision fails and the ticket is left as it is)
        """
        ticket = decision._get_record()
        output, data = decision.output or {}, decision.context_data or {}
        values = {}
        category_id = output.get("category_id")
        if category_id:
            category = self.env["helpdesk.ticket.category"].browse(category_id).exists()
            if not category or category_id not in data.get("category_ids", []):
                raise UserError(_("The answer names a category that was not offered."))
            if not ticket.category_id:
                values["category_id"] = category.id
        priority = output.get("priority")
        if priority:
            if priority not in dict(self._fields["priority"].selection):
                raise UserError(_("The answer names an unknown priority: %s.", priority))
            if ticket.priority == data.get("priority_at_creation"):
                values["priority"] = priority
        if values:
            ticket.write(values)

    @api.model
    def _ai_fallback_ticket_triage(self, decision):
        """Fallback method of the triage decisions: the offline triage, as computed when the ticket arrived (so it
        answers the same without an API key)."""
        offline = (decision.context_data or {}).get("offline") or {}
        return {
            "output": offline.get("output") or {},
            "confidence": offline.get("confidence", 0.0),
            "reasoning": offline.get("reasoning", ""),
        }
