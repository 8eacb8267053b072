import logging
import threading

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.ai_bridge_core.tools import gating

from ..tools.product_matcher import CatalogProduct, ProductMatcher

_logger = logging.getLogger(__name__)

REQUEST_LINE_STATES = [
    ("text", "Text only"),
    ("proposed", "Proposed"),
    ("matched", "Matched"),
]
MATCH_SOURCES = [
    ("catalog", "Chosen by the customer"),
    ("customer_code", "Customer code"),
    ("default_code", "Internal reference"),
    ("barcode", "Barcode"),
    ("name", "Product name"),
    ("claude", "Claude"),
    ("salesperson", "Salesperson"),
]
MATCHING_TASK_CODE = "portal_quotation_matching"
MATCHING_CANDIDATES = 5  # catalog products offered to Claude for one line

# The matcher of each database and company, rebuilt when its products change: {(dbname, company_id): (stamp, matcher)}
_MATCHER_CACHE = {}
_MATCHER_CACHE_LOCK = threading.Lock()


class PceQuotationRequestLine(models.Model):
    """One line a customer typed or chose in a portal quotation request, kept as typed, with how it was matched.

    The record is an audit trail: what the customer asked never changes, and the match changes only through
    the matching itself, a salesperson's one-click acceptance or an AI decision (`ai.bridge.audit.mixin`).
    """

    _name = "pce.quotation.request.line"
    _description = "Quotation Request Line"
    _inherit = ["ai.bridge.audit.mixin"]
    _order = "order_id, sequence, id"

    # === FIELDS === #

    order_id = fields.Many2one("sale.order", string="Quotation", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(string="Customer's Text")
    quantity = fields.Float(digits="Product Unit of Measure", required=True, default=1.0)
    wanted_date = fields.Date(string="Wanted By")
    state = fields.Selection(REQUEST_LINE_STATES, required=True, default="text", index=True)
    product_id = fields.Many2one("product.product", string="Matched Product", ondelete="set null")
    proposed_product_id = fields.Many2one("product.product", string="Proposed Product", ondelete="set null")
    confidence = fields.Float(digits=(3, 2))
    match_source = fields.Selection(MATCH_SOURCES, string="Matched By")
    sale_line_id = fields.Many2one("sale.order.line", string="Quotation Line", ondelete="set null")
    decision_id = fields.Many2one("ai.bridge.decision", string="AI Decision", ondelete="set null")
    decision_state = fields.Selection(related="decision_id.state", string="AI Decision State")

    # === BUSINESS METHODS: catalog and matching === #

    @api.model
    def _pce_buyable_product_domain(self, company):
        """:return: domain of the products a customer of `company` may ask for in a quotation request."""
        return [
            ("sale_ok", "=", True),
            ("type", "!=", "combo"),
            *self.env["product.product"]._check_company_domain(company),
        ]

    @api.model
    def _pce_catalog_stamp(self, company):
        """One aggregate query that changes whenever a product of the matcher's catalog is added, changed,
        archived or removed: (count, latest write of a variant, latest write of a template)."""
        self.env["product.product"].flush_model()
        self.env["product.template"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT count(*), max(pp.write_date), max(pt.write_date)
                     FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
                    WHERE pp.active AND pt.active AND pt.sale_ok AND pt.type != 'combo'
                      AND (pt.company_id IS NULL OR pt.company_id = %s)""",
                company.id,
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _pce_load_catalog(self, company):
        """:return: the company's sellable products as `CatalogProduct`, read in one query (100,000 products in
        well under a second; the ORM would build that many records)."""
        lang = self.env.lang or "en_US"
        self.env.cr.execute(
            SQL(
                """SELECT pp.id, COALESCE(pt.name->>%s, pt.name->>'en_US'), pp.default_code, pp.barcode
                     FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
                    WHERE pp.active AND pt.active AND pt.sale_ok AND pt.type != 'combo'
                      AND (pt.company_id IS NULL OR pt.company_id = %s)
                 ORDER BY pp.id""",
                lang,
                company.id,
            )
        )
        return [
            CatalogProduct(id=pid, name=name or "", default_code=code or "", barcode=barcode or "")
            for pid, name, code, barcode in self.env.cr.fetchall()
        ]

    @api.model
    def _pce_get_matcher(self, company):
        """The product matcher over `company`'s sellable products, built once and kept per database and company
        until a product changes (`_pce_catalog_stamp`), so a request costs one aggregate query, not a catalog load.
        """
        key = (self.env.cr.dbname, company.id, self.env.lang or "en_US")
        stamp = self._pce_catalog_stamp(company)
        cached = _MATCHER_CACHE.get(key)
        if cached and cached[0] == stamp:
            return cached[1]
        matcher = ProductMatcher(self._pce_load_catalog(company))
        with _MATCHER_CACHE_LOCK:
            _MATCHER_CACHE[key] = (stamp, matcher)
        return matcher

    @api.model
    def _pce_match_text(self, text, partner, company, limit=MATCHING_CANDIDATES):
        """Match a customer's free text to catalog products, the customer's own codes first.

        :return: list of `Match`, best first, only products of the catalog
        """
        customer_codes = self.env["product.customerinfo"]._pce_get_matcher_codes(partner, company)
        return self._pce_get_matcher(company).match(text, customer_codes=customer_codes, limit=limit)

    @api.model
    def _pce_get_matching_task(self):
        return self.env["ai.bridge.task"].sudo().search([("code", "=", MATCHING_TASK_CODE)], limit=1)

    @api.model
    def _pce_gate(self, confidence):
        """:return: gating.AUTO_APPLY, ASK_HUMAN or LOG_ONLY with the thresholds of the matching task (the same
        for the offline matcher and Claude)."""
        task = self._pce_get_matching_task()
        auto = task.auto_threshold if task else gating.DEFAULT_AUTO_THRESHOLD
        approval = task.approval_threshold if task else gating.DEFAULT_APPROVAL_THRESHOLD
        return gating.gate(confidence, auto, approval)

    @api.model
    def _pce_is_claude_matching_enabled(self):
        task = self._pce_get_matching_task()
        return bool(task and task.active and task._claude_enabled())

    def _pce_apply_match(self, product, confidence, source):
        """Act on a match, as the gating says: fill the quotation line, propose it, or leave the text alone.

        :param product: `product.product` (may be empty)
        :param float confidence: 0..1
        :param str source: a MATCH_SOURCES code
        """
        self.ensure_one()
        if self.state == "matched":
            return
        gate = self._pce_gate(confidence) if product else gating.LOG_ONLY
        if gate == gating.AUTO_APPLY:
            self._pce_fill(product, confidence, source)
        elif gate == gating.ASK_HUMAN:
            self._write_audited(
                {
                    "state": "proposed",
                    "proposed_product_id": product.id,
                    "confidence": confidence,
                    "match_source": source,
                }
            )
        else:
            self._write_audited({"confidence": confidence})

    def _pce_fill(self, product, confidence, source):
        """Add `product` with the customer's quantity to the quotation, priced as Odoo prices it for the order
        (the customer's pricelist), and mark the line matched. Does nothing on a line matched already."""
        self.ensure_one()
        if self.state == "matched":
            return self.sale_line_id
        order = self.order_id.sudo()
        if order.state not in ("draft", "sent"):
            raise UserError(_("Quotation %s is no longer a quotation: its lines cannot change.", order.name))
        if not product.filtered_domain(self._pce_buyable_product_domain(order.company_id)):
            raise UserError(_("%s cannot be sold.", product.display_name))
        sale_line = (
            self.env["sale.order.line"]
            .sudo()
            .create(
                {
                    "order_id": order.id,
                    "product_id": product.id,
                    "product_uom_qty": self.quantity,
                    "sequence": self.sequence,
                }
            )
        )
        self._write_audited(
            {
                "state": "matched",
                "product_id": product.id,
                "proposed_product_id": False,
                "confidence": confidence,
                "match_source": source,
                "sale_line_id": sale_line.id,
            }
        )
        return sale_line

    # === BUSINESS METHODS: Claude (ai_bridge_core decisions) === #

    def _pce_request_ai_matching(self, matches):
        """Ask Claude (or, without it, the offline matcher) to pick among the candidates; gated like any decision.

        :param matches: the offline matcher's `Match` list for this line, best first (the candidates)
        """
        self.ensure_one()
        candidates = self.env["product.product"].sudo().browse([match.product_id for match in matches])
        lines = "\n".join(
            f"- id {product.id}: {product.display_name}" + (f" (barcode {product.barcode})" if product.barcode else "")
            for product in candidates
        )
        user_content = _(
            "A customer asked for a quotation. Choose the catalog product they mean, or none.\n"
            "Customer's text: %(text)s\nQuantity: %(quantity)s\nCandidates:\n%(candidates)s",
            text=self.description or "",
            quantity=self.quantity,
            candidates=lines or _("(none)"),
        )
        tool_schema = {
            "type": "object",
            "properties": {
                "product_id": {
                    "type": ["integer", "null"],
                    "enum": [*candidates.ids, None],
                    "description": "The id of the candidate the customer means, or null when none fits.",
                },
            },
            "required": ["product_id"],
        }
        decision = self.env["ai.bridge.decision"]._request(
            MATCHING_TASK_CODE,
            self,
            apply_method="_ai_apply_quotation_match",
            fallback_method="_ai_fallback_quotation_match",
            user_content=user_content,
            input_summary=(self.description or "")[:500],
            tool_schema=tool_schema,
            context_data={
                "candidate_ids": candidates.ids,
                "matches": [[match.product_id, match.confidence, match.reason] for match in matches],
            },
        )
        self._write_audited({"decision_id": decision.id})
        return decision

    def _pce_decision_product(self, decision):
        """:return: the product a decision names, only if it was one of the candidates offered."""
        product_id = (decision.output or {}).get("product_id")
        if not product_id or product_id not in (decision.context_data or {}).get("candidate_ids", []):
            return self.env["product.product"]
        return self.env["product.product"].sudo().browse(product_id).exists()

    @api.model
    def _ai_apply_quotation_match(self, decision):
        """Apply method of the matching decisions: fill the line with the chosen product (once)."""
        line = decision._get_record()
        product = line._pce_decision_product(decision)
        if not product:
            raise UserError(_("The answer names no candidate product."))
        source = "claude" if decision.source == "claude" else (line.match_source or "name")
        line._pce_fill(product, decision.confidence, source)

    @api.model
    def _ai_fallback_quotation_match(self, decision):
        """Fallback method of the matching decisions: the offline matcher's best candidate, as computed when the
        request came in (so it answers the same without an API key)."""
        matches = (decision.context_data or {}).get("matches") or []
        if not matches:
            return {"output": {"product_id": None}, "confidence": 0.0, "reasoning": _("No catalog product matches.")}
        product_id, confidence, reason = matches[0]
        return {
            "output": {"product_id": product_id},
            "confidence": confidence,
            "reasoning": _("Offline matcher: best candidate by %s.", reason),
        }

    def _pce_on_ai_proposal(self, decision):
        """A matching decision waits for approval: show its product as the line's proposal."""
        self.ensure_one()
        product = self._pce_decision_product(decision)
        if product and self.state != "matched":
            source = "claude" if decision.source == "claude" else (self.match_source or "name")
            self._write_audited(
                {
                    "state": "proposed",
                    "proposed_product_id": product.id,
                    "confidence": decision.confidence,
                    "match_source": source,
                }
            )

    # === ACTIONS === #

    def action_pce_accept_proposal(self):
        """One click by a salesperson: the proposed product goes on the quotation with the customer's quantity.

        An AI decision waiting for approval on this line is approved with it: through ai_bridge_core's review
        (`_approve`, which applies it) for AI Bridge users; otherwise it is recorded as approved by this
        salesperson, who may change the quotation and so decides this line.
        """
        for line in self:
            line.order_id.check_access("write")
            if line.state != "proposed" or not line.proposed_product_id:
                raise UserError(_("Nothing to accept on this line: it has no proposal."))
            decision = line.decision_id.sudo()
            reason = _("Accepted on quotation %s", line.order_id.name)
            if (
                decision.state == "awaiting_approval"
                and line._pce_decision_product(decision) == line.proposed_product_id
                and self.env.user.has_group("ai_bridge_core.group_ai_bridge_user")
            ):
                decision.with_user(self.env.user)._approve(self.env.user, reason)
            if line.state != "matched":
                line._pce_fill(line.proposed_product_id, line.confidence, line.match_source or "salesperson")
            if decision.state == "awaiting_approval":
                decision._write_audited(
                    {
                        "state": "approved",
                        "reviewed_by_id": self.env.user.id,
                        "reviewed_at": fields.Datetime.now(),
                        "review_reason": reason,
                        "applied_at": fields.Datetime.now(),
                    }
                )
                decision._close_approval_activities()
            line.order_id.message_post(
                body=Markup("%s")
                % _(
                    "Proposal accepted: %(product)s × %(quantity)s for “%(text)s”.",
                    product=line.product_id.display_name,
                    quantity=line.quantity,
                    text=line.description or "",
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return True
