from urllib.parse import urlencode

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

from ..tools.ticket_triage import TriageCategory, parse_keywords, triage
from .messaging_route import TICKET_STATUS_ROUTE

# Form parameters of the portal's ticket form naming what the ticket is about, and the ticket's link fields
PCE_PORTAL_LINK_PARAMS = {
    "order_id": "pce_sale_order_id",
    "invoice_id": "pce_invoice_id",
    "product_id": "pce_product_id",
}
PCE_PORTAL_INVOICE_TYPES = ("out_invoice", "out_refund")
# Transaction data (cr.precommit): tickets whose status change was notified through messaging_router
PCE_STATUS_NOTIFIED_KEY = "portal_customer_ext.ticket_status_notified"
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

    pce_triage_decision_id = fields.Many2one(
        comodel_name="ai.bridge.decision",
        string="Triage Decision",
        groups="base.group_user",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The AI decision that categorised and prioritised this ticket when it arrived.",
    )

    # === CONSTRAINTS === #

    @api.constrains("partner_id", "pce_sale_order_id", "pce_invoice_id")
    def _check_pce_links(self):
        """A ticket is about an order or invoice of its own customer: the portal shows the linked documents to every
        contact of the ticket's customer, who must not see another customer's."""
        for ticket in self.sudo():
            commercial = ticket.partner_id.commercial_partner_id
            if not commercial:
                continue
            for document in (ticket.pce_sale_order_id, ticket.pce_invoice_id):
                if document and document.partner_id.commercial_partner_id != commercial:
                    raise ValidationError(
                        _(
                            "The ticket %(ticket)s is about %(document)s, which belongs to another customer.",
                            ticket=ticket.display_name,
                            document=document.display_name,
                        )
                    )

    # === CRUD === #

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS helpdesk_mgmt: every new ticket (portal, e-mail, backend) is triaged
        tickets = super().create(vals_list)
        tickets._pce_request_triage()
        return tickets

    def write(self, vals):
        """Tell the customer's contacts of each change of status (also when a new team moves the ticket to its
        first stage)."""
        watched = "stage_id" in vals or "team_id" in vals
        stages_before = {ticket.id: ticket.stage_id for ticket in self} if watched else {}
        result = super().write(vals)
        if stages_before:
            self.filtered(lambda ticket: ticket.stage_id != stages_before[ticket.id])._pce_notify_status_change()
        return result

    # === PORTAL: what a ticket is about === #

    @api.model
    def _pce_portal_linkable(self, field_name, record_id):
        """The document a visitor may open a ticket about, checked as the visitor: an order or a customer invoice
        their record rules let them read and that belongs to their own customer, or a product of the catalog when
        they are a customer's contact.

        :param str field_name: a link field of the ticket (a value of `PCE_PORTAL_LINK_PARAMS`)
        :param int record_id: the id the visitor sent (may be unknown or forbidden)
        :return: the record, or an empty recordset when the visitor may not; products as superuser (portal users do
                 not read products), orders and invoices as the visitor
        """
        user = self.env.user
        empty = self.env[self._fields[field_name].comodel_name].browse()
        if not isinstance(record_id, int) or record_id <= 0 or user._is_public():
            return empty
        if field_name == "pce_product_id":
            Product = self.env["product.product"]
            if not Product._pce_is_catalog_customer(user):
                return empty
            return Product._pce_catalog_products([record_id], self.env.company)
        record = empty.sudo(False).browse(record_id).exists()
        if not record or not record.has_access("read"):
            return empty
        record_sudo = record.sudo()
        if record_sudo.partner_id.commercial_partner_id != user.partner_id.commercial_partner_id:
            return empty
        if field_name == "pce_invoice_id" and record_sudo.move_type not in PCE_PORTAL_INVOICE_TYPES:
            return empty
        return record

    @api.model
    def _pce_portal_ticket_url(self, record):
        """:return: the URL of the ticket form about `record` (an order, invoice or product), or False when the
        visitor may not open a ticket about it (the pages show their *Open a ticket* button with this)."""
        for param, field_name in PCE_PORTAL_LINK_PARAMS.items():
            if self._fields[field_name].comodel_name == record._name:
                if self._pce_portal_linkable(field_name, record.id):
                    return f"/new/ticket?{urlencode({param: record.id})}"
                return False
        return False

    @api.model
    def _pce_portal_document(self, record):
        """:return: dict {"label", "name", "url"}: `record` (an order, invoice or product) as the portal names and
        links it (read as superuser: call for documents the visitor may see)"""
        record = record.sudo()
        if record._name == "sale.order":
            label = _("Quotation") if record.state in ("draft", "sent") else _("Order")
            return {"label": label, "name": record.name, "url": f"/my/orders/{record.id}"}
        if record._name == "account.move":
            return {"label": _("Invoice"), "name": record.name, "url": f"/my/invoices/{record.id}"}
        search = urlencode({"search": record.default_code or record.name})
        return {"label": _("Product"), "name": record.display_name, "url": f"/my/catalog?{search}"}

    def _pce_get_portal_documents(self):
        """The documents each ticket is about, as its customer sees them in the portal.

        Read as superuser: call on tickets the visitor may read (their record rules, or a checked access token).
        `_check_pce_links` keeps orders and invoices to the ticket's own customer.

        :return: dict {ticket id: list of dicts {"label", "name", "url"}}
        """
        return {
            ticket.id: [
                self._pce_portal_document(document)
                for document in (ticket.pce_sale_order_id, ticket.pce_invoice_id, ticket.pce_product_id)
                if document
            ]
            for ticket in self.sudo()
        }

    def _pce_portal_closing_stages(self):
        """:return: the stages in which the customer may close the ticket from the portal: the closing stages its
        team offers there; none once the ticket is closed."""
        self.ensure_one()
        if self.closed:
            return self.env["helpdesk.ticket.stage"]
        return self.team_id._get_applicable_stages().filtered("close_from_portal")

    # === STATUS NOTIFICATIONS (messaging_router) === #

    def _pce_get_status_recipients(self):
        """:return: `res.partner` told of the ticket's status changes: its contact and the followers who are
        contacts of the same customer (never the staff following it)."""
        self.ensure_one()
        commercial = self.partner_id.commercial_partner_id
        if not commercial:
            return self.env["res.partner"]
        return (self.partner_id | self.message_partner_ids).filtered(
            lambda partner: (
                partner.commercial_partner_id == commercial
                and not partner.user_ids.filtered(lambda user: not user.share)
            )
        )

    def _pce_notify_status_change(self):
        """Send `helpdesk.ticket.status` to the customer's contacts of each ticket, except the one who made the
        change; helpdesk_mgmt's stage e-mail is left out for these tickets (`_track_template`), so that the
        customer hears once of each change.

        :return: the queued `messaging.delivery` records
        """
        Delivery = self.env["messaging.delivery"].sudo()
        deliveries = Delivery.browse()
        notified = self.env.cr.precommit.data.setdefault(PCE_STATUS_NOTIFIED_KEY, set())
        for ticket in self.sudo():
            recipients = ticket._pce_get_status_recipients()
            if not recipients:
                continue
            notified.add(ticket.id)
            recipients -= self.env.user.partner_id
            if not recipients:
                continue
            values = {
                "subject": _("Ticket %(number)s: %(stage)s", number=ticket.number, stage=ticket.stage_id.name),
                "body": _(
                    'Your ticket %(number)s "%(title)s" is now: %(stage)s.',
                    number=ticket.number,
                    title=ticket.name,
                    stage=ticket.stage_id.name,
                ),
                "url": f"{ticket.get_base_url()}{ticket.access_url}",
            }
            deliveries |= Delivery._send(TICKET_STATUS_ROUTE[0], ticket, recipients, values)
        return deliveries

    # EXTENDS helpdesk_mgmt
    def _track_template(self, tracking):
        """Leave out the stage's e-mail template when the change was notified through messaging_router."""
        templates = super()._track_template(tracking)
        if "stage_id" in templates and self[:1].id in self.env.cr.precommit.data.get(PCE_STATUS_NOTIFIED_KEY, ()):
            del templates["stage_id"]
        return templates

    # === TRIAGE: category and priority on arrival (ai_bridge_core decision, offline triage as fallback) === #

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
