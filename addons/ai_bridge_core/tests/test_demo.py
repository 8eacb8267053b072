"""The demo tells the AI Bridge story without an API key (these tests read the demo data on purpose)."""

from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestAiBridgeDemo(BaseCommon):
    def _decisions(self, xmlid):
        partner = self.env.ref(f"ai_bridge_core.{xmlid}")
        return self.env["ai.bridge.decision"].search([("res_model", "=", "res.partner"), ("res_id", "=", partner.id)])

    def test_one_applied_one_awaiting_approval_one_logged(self):
        ghent = self._decisions("res_partner_ghent_food_demo")
        industry = ghent.filtered(lambda decision: decision.task_id.code == "demo_partner_industry")
        self.assertEqual((industry.state, industry.source), ("approved", "fallback"))
        self.assertEqual(industry.reviewed_by_id, self.env.ref("base.user_admin"))
        self.assertEqual(
            self.env.ref("ai_bridge_core.res_partner_ghent_food_demo").industry_id.name, "Food/Hospitality"
        )
        self.assertEqual(self._decisions("res_partner_brussels_construction_demo").state, "awaiting_approval")
        self.assertEqual(self._decisions("res_partner_meridian_demo").state, "logged")

    def test_the_reply_draft_quotes_the_customers_email(self):
        reply = self._decisions("res_partner_ghent_food_demo").filtered(
            lambda decision: decision.task_id.code == "demo_customer_reply"
        )
        self.assertEqual(reply.state, "logged")
        self.assertIn("delivered before Saturday", reply.user_content)
        self.assertNotIn("AI decision", reply.user_content)

    def test_every_demo_job_ran(self):
        decisions = self.env["ai.bridge.decision"].search([("res_model", "=", "res.partner")])
        jobs = decisions.filtered(lambda decision: decision.task_id.code.startswith("demo_")).job_id
        self.assertEqual(len(jobs), 4)
        self.assertEqual(set(jobs.mapped("state")), {"done"})
        self.assertEqual(set(jobs.mapped("channel")), {"root.ai"})
