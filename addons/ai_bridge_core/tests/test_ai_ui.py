from odoo.tests import HttpCase, tagged

from .common import AiBridgeCommon


@tagged("post_install", "-at_install")
class TestAiApprovalQueueUi(HttpCase, AiBridgeCommon):
    def test_approve_from_the_queue_in_the_browser(self):
        partner = self.env["res.partner"].create({"name": "Tour Construction Works"})
        with self.mock_claude(self._answer("Construction Works", 0.9)):
            decision = self._run_action(partner)
            self._run_jobs()
        self.assertEqual(decision.state, "awaiting_approval")
        self.start_tour(
            "/odoo/action-ai_bridge_core.ai_bridge_decision_action_approval", "ai_bridge_approval_tour", login="admin"
        )
        self.assertEqual(decision.state, "approved")
        self.assertEqual(decision.review_reason, "Checked on their website")
        self.assertEqual(partner.industry_id, self.industry_construction)
