from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.ai_bridge_core.tests.common import TEST_API_KEY, MockClaude, run_due_jobs
from odoo.addons.ai_bridge_core.tests.fake_anthropic import only_local_http
from odoo.addons.base.tests.common import BaseCommon

from .common import create_portal_customer

FEATURE_PARAM = "ai_bridge_core.feature_ticket_triage"
RAW_EMAIL = """From: Carla Customer <carla@pce-triage.example.com>
To: support@pce-triage.example.com
Subject: Rechnung falsch
Message-ID: <pce-triage-email-1@pce-triage.example.com>
Content-Type: text/plain; charset=utf-8

Die Rechnung ist falsch, bitte dringend korrigieren.
"""


@tagged("post_install", "-at_install")
class TestHelpdeskTicketTriage(BaseCommon, MockClaude):
    """Every new ticket (portal, e-mail, backend) is categorised and prioritised by an AI decision: Claude when
    switched on, else the offline triage, gated by the task's thresholds; a person's choice always stays."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.enterClassContext(only_local_http())
        env = cls.env
        env["ir.config_parameter"].sudo().set_param(FEATURE_PARAM, False)
        Category = env["helpdesk.ticket.category"]
        Category.search([]).action_archive()  # the shipped and demo categories would compete with ours
        cls.delivery, cls.invoicing, cls.quality = Category.create(
            [
                {"name": "PCET Delivery", "pce_triage_keywords": "late delivery, tracking, parcel, livraison"},
                {"name": "PCET Invoicing", "pce_triage_keywords": "invoice, credit note, facture, Rechnung"},
                {"name": "PCET Quality", "pce_triage_keywords": "broken, damaged"},
            ]
        )
        cls.other_company = env["res.company"].create({"name": "PCET Other Company"})
        cls.other_company_category = Category.create(
            {"name": "PCET Parcels Abroad", "pce_triage_keywords": "parcel", "company_id": cls.other_company.id}
        )
        cls.customer, cls.portal_user = create_portal_customer(
            env, "PCET Customer Ltd", "pcet_portal", "Carla Customer", email="orders@pcet.example.com"
        )
        cls.portal_user.partner_id.email = "carla@pce-triage.example.com"
        cls.agent = new_test_user(env, login="pcet_agent", groups="helpdesk_mgmt.group_helpdesk_user")
        cls.approver = new_test_user(
            env, login="pcet_approver", groups="base.group_user,ai_bridge_core.group_ai_bridge_user"
        )

    def _portal_ticket(self, subject, description, category=None):
        """A ticket as the portal form creates it: as superuser, for the visitor's contact, their category."""
        partner = self.portal_user.partner_id
        return (
            self.env["helpdesk.ticket"]
            .with_user(self.portal_user)
            .sudo()
            .create(
                {
                    "name": subject,
                    "description": f"<p>{description}</p>",
                    "partner_id": partner.id,
                    "partner_email": partner.email,
                    "category_id": category.id if category else False,
                }
            )
        )

    def _enable_claude(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("ai_bridge_core.api_key", TEST_API_KEY)
        params.set_param("ai_bridge_core.monthly_budget", 0)
        params.set_param(FEATURE_PARAM, True)

    # --- offline --- #

    def test_offline_sure_triage_is_applied(self):
        ticket = self._portal_ticket("Late delivery", "Where is my parcel? It is urgent.")
        decision = ticket.pce_triage_decision_id
        self.assertEqual(decision.state, "proposed", "decided by a job, after the customer's request")
        self.assertEqual((ticket.category_id, ticket.priority), (self.env["helpdesk.ticket.category"], "1"))
        run_due_jobs(self.env)
        self.assertEqual((decision.state, decision.source), ("auto_applied", "fallback"))
        self.assertEqual((ticket.category_id, ticket.priority), (self.delivery, "3"))
        self.assertIn("parcel", decision.reasoning)
        self.assertTrue(ticket.message_ids.filtered(lambda message: "AI decision" in (message.body or "")))

    def test_offline_typo_is_only_logged(self):
        ticket = self._portal_ticket("Wrong invocie", "Please correct it.")
        run_due_jobs(self.env)
        decision = ticket.pce_triage_decision_id
        self.assertEqual(decision.state, "logged")
        self.assertEqual(decision.output, {"category_id": self.invoicing.id})
        self.assertLess(decision.confidence, 0.85)
        self.assertFalse(ticket.category_id, "a guess from a typo changes nothing without a human")

    def test_no_decision_without_evidence_when_claude_is_off(self):
        ticket = self._portal_ticket("Hello", "Please call me back.")
        self.assertFalse(ticket.pce_triage_decision_id)
        self._enable_claude()
        self.assertTrue(self._portal_ticket("Hello", "Please call me back.").pce_triage_decision_id)

    def test_fallback_without_key_gives_the_offline_result(self):
        """Claude switched on but no API key: the decision's fallback answers with the offline triage."""
        self.env["ir.config_parameter"].sudo().set_param(FEATURE_PARAM, True)
        ticket = self._portal_ticket("Facture", "Merci de corriger la facture, pas urgent.")
        with self.mock_claude() as claude:
            run_due_jobs(self.env)
        self.assertFalse(claude.requests)
        self.assertEqual(ticket.pce_triage_decision_id.source, "fallback")
        self.assertEqual((ticket.category_id, ticket.priority), (self.invoicing, "0"))

    def test_categories_of_another_company_are_not_offered(self):
        ticket = self._portal_ticket("Parcel", "Where is it?")
        offered = ticket.pce_triage_decision_id.context_data["category_ids"]
        self.assertIn(self.delivery.id, offered)
        self.assertNotIn(self.other_company_category.id, offered)
        self.assertGreaterEqual(ticket.pce_triage_decision_id.context_data["offline"]["confidence"], 0.95)

    # --- every way a ticket arrives --- #

    def test_email_ticket_is_triaged(self):
        ticket_id = self.env["mail.thread"].message_process("helpdesk.ticket", RAW_EMAIL)
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(ticket.partner_id, self.portal_user.partner_id)
        run_due_jobs(self.env)
        self.assertEqual((ticket.category_id, ticket.priority), (self.invoicing, "3"))

    def test_backend_ticket_by_an_agent_is_triaged(self):
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create(
                {
                    "name": "Broken pump",
                    "description": "<p>The pump arrived broken.</p>",
                    "partner_id": self.customer.id,
                }
            )
        )
        self.assertEqual(ticket.pce_triage_decision_id.requested_by_id, self.agent)
        run_due_jobs(self.env)
        self.assertEqual(ticket.category_id, self.quality)

    # --- a person's choice stays --- #

    def test_category_chosen_by_the_customer_stays(self):
        self._enable_claude()
        ticket = self._portal_ticket("Late delivery", "The parcel of my invoice never came.", self.invoicing)
        decision = ticket.pce_triage_decision_id
        self.assertTrue(decision.context_data["category_chosen"])
        self.assertNotIn("category_id", decision.context_data["offline"]["output"])
        answer = {"category_id": self.delivery.id, "priority": "3", "confidence": 0.99, "reasoning": "late"}
        with self.mock_claude(answer) as claude:
            run_due_jobs(self.env)
        self.assertIn("PCET Invoicing: it stays", claude.requests[0].user_content)
        self.assertEqual(decision.state, "auto_applied")
        self.assertEqual((ticket.category_id, ticket.priority), (self.invoicing, "3"))

    def test_customer_category_without_urgency_needs_no_decision(self):
        ticket = self._portal_ticket("Late delivery", "Where is the parcel?", self.invoicing)
        self.assertFalse(ticket.pce_triage_decision_id, "nothing left to set: the category is the customer's")
        self.assertEqual(ticket.category_id, self.invoicing)

    def test_changes_by_an_agent_before_the_decision_stay(self):
        ticket = self._portal_ticket("Late delivery", "Where is my parcel? Urgent!")
        ticket.with_user(self.agent).write({"category_id": self.quality.id, "priority": "0"})
        run_due_jobs(self.env)
        self.assertEqual(ticket.pce_triage_decision_id.state, "auto_applied")
        self.assertEqual((ticket.category_id, ticket.priority), (self.quality, "0"))

    # --- Claude --- #

    def test_claude_gating(self):
        """Claude's answers: 0.96 is applied, 0.9 waits for approval (and is applied when approved), 0.5 is logged."""
        self._enable_claude()
        sure, likely, unsure = (self._portal_ticket(f"Question {index}", "Please call me back.") for index in range(3))
        answers = [
            {"category_id": self.delivery.id, "priority": "2", "confidence": 0.96, "reasoning": "sure"},
            {"category_id": self.quality.id, "priority": "3", "confidence": 0.9, "reasoning": "likely"},
            {"category_id": self.invoicing.id, "priority": "0", "confidence": 0.5, "reasoning": "unsure"},
        ]
        with self.mock_claude(*answers) as claude:
            run_due_jobs(self.env)
        self.assertEqual(len(claude.requests), 3)
        request = claude.requests[0]
        self.assertIn("Question 0", request.user_content)
        self.assertIn(f"id {self.delivery.id}: PCET Delivery (keywords: late delivery", request.user_content)
        self.assertNotIn("carla@pce-triage.example.com", request.user_content, "no contact details sent")
        self.assertEqual(
            request.tool.input_schema["properties"]["category_id"]["enum"],
            [*sure.pce_triage_decision_id.context_data["category_ids"], None],
        )
        self.assertEqual(sure.pce_triage_decision_id.state, "auto_applied")
        self.assertEqual((sure.category_id, sure.priority), (self.delivery, "2"))
        self.assertEqual(likely.pce_triage_decision_id.state, "awaiting_approval")
        self.assertEqual((likely.category_id.id, likely.priority), (False, "1"))
        self.assertEqual(unsure.pce_triage_decision_id.state, "logged")
        self.assertEqual((unsure.category_id.id, unsure.priority), (False, "1"))

        likely.pce_triage_decision_id.with_user(self.approver)._approve(self.approver, "right")
        self.assertEqual(likely.pce_triage_decision_id.state, "approved")
        self.assertEqual((likely.category_id, likely.priority), (self.quality, "3"))

    def test_claude_answer_outside_the_categories_is_refused(self):
        self._enable_claude()
        ticket = self._portal_ticket("Question", "Please call me back.")
        answer = {"category_id": self.other_company_category.id, "priority": "3", "confidence": 0.99, "reasoning": ""}
        with self.mock_claude(answer):
            run_due_jobs(self.env)
        self.assertEqual(ticket.pce_triage_decision_id.state, "failed")
        self.assertEqual((ticket.category_id.id, ticket.priority), (False, "1"))

    # --- configuration --- #

    def test_settings_switch(self):
        settings = self.env["res.config.settings"].create({"pce_feature_ticket_triage": True})
        settings.execute()
        task = self.env.ref("portal_customer_ext.ai_bridge_task_ticket_triage")
        self.assertTrue(task._claude_enabled())
        self.env["res.config.settings"].create({"pce_feature_ticket_triage": False}).execute()
        self.assertFalse(task._claude_enabled())

    def test_archived_task_stops_triage(self):
        self.env.ref("portal_customer_ext.ai_bridge_task_ticket_triage").active = False
        self.assertFalse(self._portal_ticket("Late delivery", "Urgent!").pce_triage_decision_id)

    def test_keywords_on_the_category_form_for_employees_only(self):
        arch = self.env["helpdesk.ticket.category"].get_view(view_type="form")["arch"]
        self.assertIn('name="pce_triage_keywords"', arch)
        with self.assertRaises(AccessError):
            self.delivery.with_user(self.portal_user).read(["pce_triage_keywords"])

    def test_shipped_categories_in_five_languages(self):
        Category = self.env["helpdesk.ticket.category"].with_context(active_test=False)
        Category.search([]).action_archive()
        names = ("delivery", "invoicing", "quality", "returns", "technical", "other")
        shipped = Category.browse([self.env.ref(f"portal_customer_ext.helpdesk_ticket_category_{n}").id for n in names])
        shipped.action_unarchive()
        for subject, description, name in (
            ("Colis pas livré", "Le transporteur n'est pas venu.", "delivery"),
            ("Rechnung falsch", "Bitte Gutschrift senden.", "invoicing"),
            ("Pump", "The pump is defective and leaking.", "quality"),
            ("Retourneren", "Wij willen de bestelling terugsturen.", "returns"),
            ("Instalación", "¿Tienen la ficha técnica?", "technical"),
        ):
            with self.subTest(name=name):
                ticket = self._portal_ticket(subject, description)
                run_due_jobs(self.env)
                self.assertEqual(
                    ticket.category_id, self.env.ref(f"portal_customer_ext.helpdesk_ticket_category_{name}")
                )
