from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user

from odoo.addons.ai_bridge_core.tests.common import TEST_API_KEY, MockClaude, run_due_jobs
from odoo.addons.ai_bridge_core.tests.fake_anthropic import only_local_http
from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.portal_customer_ext.models.ir_attachment import PORTAL_UPLOAD_MAX_SIZE

from .common import LATE_EVENING_UTC, PORTAL_TZ, STAFF_TZ, QuotationRequestCommon

FEATURE_PARAM = "ai_bridge_core.feature_quotation_matching"
NONSENSE = "qqzx vrrk plomf"  # matches no product of any catalog
VAGUE = "ball valve or hex bolt"  # candidates, none sure


class TestQuotationRequest(QuotationRequestCommon, BaseCommon, MockClaude):
    """`sale.order._pce_create_portal_request`: the draft quotation, its notes and files, the matching of
    free-text lines and its gating, one-click acceptance, Claude, pricing and the notification."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.enterClassContext(only_local_http())
        cls._setup_quotation_request_fixtures()
        cls.author = cls.customer_user.partner_id
        cls.tomorrow = cls._author_today() + timedelta(days=1)

    @classmethod
    def _author_today(cls):
        """:return: the author's today, the day wanted dates may not be before"""
        return fields.Date.context_today(cls.env["sale.order"].with_user(cls.customer_user))

    def _create(self, lines, **kwargs):
        return self.env["sale.order"].sudo()._pce_create_portal_request(self.author, lines, **kwargs)

    def _orders(self):
        return self.env["sale.order"].search([("partner_id", "=", self.customer.id), ("pce_portal_request", "=", True)])

    def _enable_claude(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("ai_bridge_core.api_key", TEST_API_KEY)
        params.set_param("ai_bridge_core.monthly_budget", 0)
        params.set_param(FEATURE_PARAM, True)

    # --- creation --- #

    def test_creates_draft_quotation_for_the_customer(self):
        order = self._create(
            [
                self.request_line(product=self.bolt, quantity=100, wanted_date=self.tomorrow),
                self.request_line("Something special for the workshop", 3),
            ],
            reference="PO-4711",
            note="Please deliver to the back door.\nCall first.",
        )
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.pce_portal_request)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.partner_invoice_id, self.invoice_address)
        self.assertEqual(order.partner_shipping_id, self.delivery_address)
        self.assertEqual(order.client_order_ref, "PO-4711")
        self.assertEqual(order.user_id, self.salesman)
        self.assertIn(self.author, order.message_partner_ids)
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in order.order_line], [(self.bolt, 100)])
        note = str(order.note)
        self.assertIn("Please deliver to the back door.", note)
        self.assertIn("100 × [PCEQ-BOLT-M8] Zinc Plated Hex Bolt M8x40 (wanted by", note)
        self.assertIn("3 × Something special for the workshop", note)
        request_lines = order.pce_request_line_ids
        self.assertEqual(request_lines.mapped("state"), ["matched", "text"])
        self.assertEqual(request_lines[0].match_source, "catalog")
        self.assertEqual(request_lines[1].description, "Something special for the workshop")
        self.assertEqual(request_lines[0].wanted_date, self.tomorrow)
        message = self.findMessage(order, "Quotation request sent from the portal by Carla Customer")
        self.assertEqual(message.author_id, self.author)

    def test_marker_is_an_audit_field(self):
        order = self._create([self.request_line("Anything", 1)])
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).write({"pce_portal_request": False})
        with self.assertRaises(AccessError):
            order.pce_request_line_ids.with_user(self.salesman).write({"description": "changed"})

    def test_attachments_on_the_order_with_clean_names(self):
        order = self._create(
            [self.request_line("Spec attached", 1)],
            attachments=[
                {"name": "../../etc/Spec sheet <v2>.pdf", "raw": b"%PDF-1.4 spec", "mimetype": "text/html"},
                {"name": "drawing.png", "raw": b"\x89PNG\r\n\x1a\n0000", "mimetype": "image/png"},
            ],
        )
        attachments = self.env["ir.attachment"].search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])
        self.assertEqual(sorted(attachments.mapped("name")), ["Spec sheet _v2_.pdf", "drawing.png"])
        pdf = attachments.filtered(lambda attachment: attachment.name.endswith(".pdf"))
        self.assertEqual(pdf.mimetype, "application/pdf", "the type comes from the content, not the browser")
        message = self.findMessage(order, "Quotation request sent from the portal")
        self.assertEqual(message.attachment_ids, attachments, "the customer sees them in the portal chatter")

    # --- bad input: a clear message, nothing created --- #

    def assertRefused(self, message: str, lines, **kwargs):
        with self.assertRaisesRegex(UserError, message):
            self._create(lines, **kwargs)
        self.assertFalse(self._orders())

    def test_refuses_bad_input(self):
        yesterday = self._author_today() - timedelta(days=1)
        cases = [
            ("at least one line", []),
            ("Line 1: the quantity must be a positive number", [self.request_line("Bolts", 0)]),
            ("Line 1: the quantity must be a positive number", [self.request_line("Bolts", -2)]),
            ("Line 2: describe what you need", [self.request_line("Bolts", 1), self.request_line("", 1)]),
            ("Line 1: the text is too long", [self.request_line("x" * 501, 1)]),
            ("Line 1: the wanted date is in the past", [self.request_line("Bolts", 1, wanted_date=yesterday)]),
            ("Line 1: this product is not available to you", [self.request_line(product=self.not_for_sale)]),
            ("Line 1: this product is not available to you", [self.request_line(product=self.other_company_product)]),
        ]
        for message, lines in cases:
            with self.subTest(message=message):
                self.assertRefused(message, lines)

    @freeze_time(LATE_EVENING_UTC)
    def test_a_wanted_date_is_in_the_past_in_the_authors_day(self):
        """Late in the UTC evening the staff calling (Brussels) are already in tomorrow, the author (Los Angeles)
        still in today: today is a valid wanted date, yesterday is not."""
        self.env.user.tz = STAFF_TZ
        self.customer_user.tz = PORTAL_TZ
        today = self._author_today()
        self.assertLess(today, fields.Date.context_today(self.env["sale.order"]))
        self.assertRefused(
            "Line 1: the wanted date is in the past",
            [self.request_line("Bolts", 1, wanted_date=today - timedelta(days=1))],
        )
        order = self._create([self.request_line("Bolts", 1, wanted_date=today)])
        self.assertEqual(order.pce_request_line_ids.wanted_date, today)

    def test_refuses_bad_attachments_and_texts(self):
        line = [self.request_line("Bolts", 1)]
        big = b"0" * (PORTAL_UPLOAD_MAX_SIZE + 1)
        cases = [
            ("too large", {"attachments": [{"name": "big.pdf", "raw": big, "mimetype": "application/pdf"}]}),
            ("is empty", {"attachments": [{"name": "empty.pdf", "raw": b"", "mimetype": "application/pdf"}]}),
            ("cannot be attached", {"attachments": [{"name": "run.exe", "raw": b"MZ", "mimetype": "x"}]}),
            (
                "10 files at most",
                {"attachments": [{"name": f"{n}.txt", "raw": b"a", "mimetype": "x"} for n in range(11)]},
            ),
            ("reference is too long", {"reference": "R" * 101}),
            ("note is too long", {"note": "N" * 5001}),
        ]
        for message, kwargs in cases:
            with self.subTest(message=message):
                self.assertRefused(message, line, **kwargs)

    # --- matching and gating --- #

    def test_exact_internal_reference_fills_the_line(self):
        order = self._create([self.request_line("PCEQ-VALVE-34", 5)])
        request_line = order.pce_request_line_ids
        self.assertEqual(request_line.state, "matched")
        self.assertEqual(request_line.product_id, self.valve)
        self.assertGreaterEqual(request_line.confidence, 0.95)
        self.assertEqual(request_line.sale_line_id.product_id, self.valve)
        self.assertEqual(request_line.sale_line_id.product_uom_qty, 5)

    def test_customer_code_wins(self):
        """The customer's own code names the pump, whatever the catalog's names and references say."""
        self.env["product.product"].create({"name": "CUST-77", "default_code": "CUST-77-X"})
        order = self._create([self.request_line("CUST-77", 2)])
        request_line = order.pce_request_line_ids
        self.assertEqual(request_line.state, "matched")
        self.assertEqual(request_line.product_id, self.pump)
        self.assertEqual(request_line.match_source, "customer_code")

    def test_gating_without_claude(self):
        """At 0.96 the line is filled, at 0.9 proposed, at 0.5 left as text (thresholds of the matching task)."""
        order = self._create([self.request_line(NONSENSE, 4) for _ in range(3)])
        filled, proposed, text = order.pce_request_line_ids
        filled._pce_apply_match(self.bolt, 0.96, "name")
        proposed._pce_apply_match(self.valve, 0.9, "name")
        text._pce_apply_match(self.pump, 0.5, "name")
        self.assertEqual(
            (filled.state, filled.product_id, filled.sale_line_id.product_uom_qty), ("matched", self.bolt, 4)
        )
        self.assertEqual((proposed.state, proposed.proposed_product_id), ("proposed", self.valve))
        self.assertFalse(proposed.sale_line_id)
        self.assertEqual((text.state, text.proposed_product_id), ("text", self.env["product.product"]))
        self.assertEqual(order.order_line.product_id, self.bolt)
        self.assertEqual(order.pce_request_proposal_count, 1)

    def test_one_click_accept(self):
        order = self._create([self.request_line(NONSENSE, 6)])
        request_line = order.pce_request_line_ids
        request_line._pce_apply_match(self.valve, 0.9, "name")

        request_line.with_user(self.salesman).action_pce_accept_proposal()

        self.assertEqual(request_line.state, "matched")
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in order.order_line], [(self.valve, 6)])
        self.assertTrue(self.findMessage(order, "Proposal accepted"))
        with self.assertRaisesRegex(UserError, "no proposal"):
            request_line.with_user(self.salesman).action_pce_accept_proposal()
        self.assertEqual(len(order.order_line), 1, "a second click adds nothing")

    def test_accept_needs_write_access_on_the_order(self):
        other_salesman = new_test_user(self.env, login="pceq_other_sales", groups="sales_team.group_sale_salesman")
        order = self._create([self.request_line(NONSENSE, 1)])
        request_line = order.pce_request_line_ids
        request_line._pce_apply_match(self.valve, 0.9, "name")
        with self.assertRaises(AccessError):
            request_line.with_user(other_salesman).action_pce_accept_proposal()
        self.assertFalse(order.order_line)

    def test_prices_from_the_customer_pricelist(self):
        order = self._create([self.request_line(product=self.pump, quantity=2), self.request_line("PCEQ-BOLT-M8", 10)])
        self.assertEqual(order.pricelist_id, self.pricelist)
        pump_line, bolt_line = order.order_line
        self.assertAlmostEqual(pump_line.price_subtotal, 2 * 150.0 * 0.9)
        self.assertAlmostEqual(bolt_line.price_subtotal, 10 * 2.0 * 0.9)
        self.assertNotAlmostEqual(order.amount_untaxed, 2 * 150.0 + 10 * 2.0, msg="not the public price")

    # --- notification --- #

    def test_sales_team_notified(self):
        order = self._create([self.request_line("PCEQ-VALVE-34", 1), self.request_line(NONSENSE, 1)])
        deliveries = self.env["messaging.delivery"].search(
            [
                ("notification_type", "=", "quotation.request"),
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
            ]
        )
        self.assertEqual(deliveries.partner_id, self.salesman.partner_id)
        self.assertIn(order.name, deliveries.subject)
        self.assertIn("2 line(s), 1 filled", deliveries.body)

    def test_recipients_fallback(self):
        order = self._create([self.request_line("Anything", 1)])
        self.assertEqual(order._pce_get_request_recipients(), self.salesman)
        order.user_id = False
        leader = new_test_user(self.env, login="pceq_leader", groups="sales_team.group_sale_salesman")
        order.team_id = self.env["crm.team"].create({"name": "PCEQ Team 2", "user_id": leader.id})
        self.assertEqual(order._pce_get_request_recipients(), leader)
        order.team_id = self.env["crm.team"].create({"name": "PCEQ Team 3", "member_ids": [self.salesman.id]})
        self.assertEqual(order._pce_get_request_recipients(), self.salesman)
        order.team_id = False
        self.assertIn(self.env.ref("base.user_admin"), order._pce_get_request_recipients())

    # --- Claude --- #

    def test_claude_gating(self):
        """Claude's answer on lines the offline matcher cannot fill: 0.96 fills, 0.9 proposes, 0.5 leaves text."""
        self._enable_claude()
        order = self._create([self.request_line(VAGUE, 3) for _ in range(3)])
        filled, proposed, text = order.pce_request_line_ids
        self.assertTrue(all(filled.decision_id + proposed.decision_id + text.decision_id))
        candidates = filled.decision_id.context_data["candidate_ids"]
        self.assertTrue(candidates, "the offline matcher's candidates are offered to Claude")
        product = self.env["product.product"].browse(candidates[0])
        answers = [
            {"product_id": product.id, "confidence": 0.96, "reasoning": "sure"},
            {"product_id": product.id, "confidence": 0.9, "reasoning": "likely"},
            {"product_id": product.id, "confidence": 0.5, "reasoning": "unsure"},
        ]
        with self.mock_claude(*answers) as claude:
            run_due_jobs(self.env)
        self.assertEqual(len(claude.requests), 3)
        self.assertIn(VAGUE, claude.requests[0].user_content)
        self.assertEqual((filled.state, filled.product_id, filled.match_source), ("matched", product, "claude"))
        self.assertEqual(filled.decision_id.state, "auto_applied")
        self.assertEqual((proposed.state, proposed.proposed_product_id), ("proposed", product))
        self.assertEqual(proposed.decision_id.state, "awaiting_approval")
        self.assertEqual(text.state, "text")
        self.assertEqual(text.decision_id.state, "logged")
        self.assertEqual(order.order_line.product_id, product)

        proposed.with_user(self.salesman).action_pce_accept_proposal()
        self.assertEqual(proposed.state, "matched")
        self.assertEqual(proposed.decision_id.state, "approved")
        self.assertEqual(proposed.decision_id.reviewed_by_id, self.salesman)
        self.assertEqual(len(order.order_line), 2)

    def test_claude_answer_outside_the_candidates_is_refused(self):
        self._enable_claude()
        order = self._create([self.request_line(VAGUE, 1)])
        request_line = order.pce_request_line_ids
        with self.mock_claude({"product_id": self.other_company_product.id, "confidence": 0.99, "reasoning": "x"}):
            run_due_jobs(self.env)
        self.assertEqual(request_line.decision_id.state, "failed")
        self.assertEqual(request_line.state, "text")
        self.assertFalse(order.order_line)

    def test_ai_bridge_user_accept_approves_through_ai_bridge(self):
        self._enable_claude()
        self.salesman.groups_id += self.env.ref("ai_bridge_core.group_ai_bridge_user")
        order = self._create([self.request_line(VAGUE, 2)])
        request_line = order.pce_request_line_ids
        product_id = request_line.decision_id.context_data["candidate_ids"][0]
        with self.mock_claude({"product_id": product_id, "confidence": 0.9, "reasoning": "likely"}):
            run_due_jobs(self.env)
        request_line.with_user(self.salesman).action_pce_accept_proposal()
        self.assertEqual(request_line.decision_id.state, "approved")
        self.assertTrue(request_line.decision_id.applied_at)
        self.assertEqual(order.order_line.product_id.id, product_id)
        self.assertEqual(order.order_line.product_uom_qty, 2)

    def test_fallback_without_key_gives_the_offline_result(self):
        """Claude switched on but no API key: the decision's fallback answers with the offline match."""
        self.env["ir.config_parameter"].sudo().set_param(FEATURE_PARAM, True)
        order = self._create([self.request_line(VAGUE, 1)])
        request_line = order.pce_request_line_ids
        offline_confidence = request_line.confidence
        with self.mock_claude() as claude:
            run_due_jobs(self.env)
        self.assertFalse(claude.requests)
        self.assertEqual(request_line.decision_id.source, "fallback")
        self.assertAlmostEqual(request_line.decision_id.confidence, offline_confidence, places=2)

    def test_no_decision_when_claude_is_off(self):
        order = self._create([self.request_line(VAGUE, 1)])
        self.assertFalse(order.pce_request_line_ids.decision_id)

    def test_no_decision_without_candidates(self):
        """Claude would only answer "none" when the catalog offers no candidate: no call is made."""
        self._enable_claude()
        order = self._create([self.request_line(NONSENSE, 1)])
        self.assertFalse(order.pce_request_line_ids.decision_id)
        self.assertEqual(order.pce_request_line_ids.state, "text")

    # --- catalog cache --- #

    def test_matcher_catalog_follows_product_changes(self):
        RequestLine = self.env["pce.quotation.request.line"]
        company = self.env.company
        matcher = RequestLine._pce_get_matcher(company)
        self.assertIs(RequestLine._pce_get_matcher(company), matcher, "kept while nothing changes")
        new_product = self.env["product.product"].create({"name": "PCEQ Brand New Gadget", "default_code": "PCEQ-NEW"})
        self.assertIsNot(RequestLine._pce_get_matcher(company), matcher, "rebuilt once a product is added")
        order = self._create([self.request_line("PCEQ-NEW", 1)])
        self.assertEqual(order.pce_request_line_ids.product_id, new_product)
        new_product.sale_ok = False
        order = self._create([self.request_line("PCEQ-NEW", 1)])
        self.assertNotEqual(order.pce_request_line_ids.product_id, new_product, "no longer sellable")
