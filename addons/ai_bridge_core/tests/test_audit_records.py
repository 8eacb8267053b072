"""AI decisions and jobs are an audit trail: nobody forges them over RPC, and stored method names are checked where
they run, not only where they are created."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

from .common import AiBridgeCommon, JsonRpcMixin


@tagged("post_install", "-at_install")
class TestAuditRecordsOverRpc(AiBridgeCommon, HttpCase, JsonRpcMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.api_key", "")  # the fallback answers
        cls.manager = new_test_user(cls.env, login="audit_manager", groups="ai_bridge_core.group_ai_bridge_manager")
        cls.ai_user = new_test_user(cls.env, login="audit_ai_user", groups="ai_bridge_core.group_ai_bridge_user")
        cls.decision = cls._request_decision(cls.company_partner)
        cls.job = cls.decision.job_id

    @classmethod
    def _request_decision(cls, partner):
        decision = cls.env["ai.bridge.decision"]._request(
            cls.task.code,
            partner,
            callback_model="ir.actions.server",
            apply_method="_ai_apply_server_action",
            fallback_method="_ai_fallback_server_action",
            context_data={"action_id": cls.action.id},
        )
        decision.job_id._run_now()
        return decision

    def test_a_manager_cannot_approve_rewrite_or_create_decisions_directly(self):
        self.assertEqual(self.decision.state, "awaiting_approval")
        self.authenticate(self.manager.login, self.manager.login)
        forged = {
            "state": "approved",
            "reviewed_by_id": self.approver.id,
            "output": {"industry_id": "Food Retail"},
            "apply_method": "unlink",
        }
        self.assert_rpc_refused(self.call_kw("ai.bridge.decision", "write", [self.decision.ids, forged]))
        self.assert_rpc_refused(
            self.call_kw("ai.bridge.decision", "web_save", [self.decision.ids, {"state": "approved"}, {}])
        )
        values = {
            "task_id": self.task.id,
            "res_model": "res.partner",
            "res_id": self.company_partner.id,
            "callback_model": "res.partner",
            "apply_method": "unlink",
            "fallback_method": "unlink",
        }
        self.assert_rpc_refused(self.call_kw("ai.bridge.decision", "create", [values]))
        self.assertEqual(self.decision.state, "awaiting_approval")
        self.assertFalse(self.decision.reviewed_by_id)

    def test_not_even_a_settings_administrator_writes_the_trail(self):
        self.authenticate("admin", "admin")
        self.assert_rpc_refused(self.call_kw("ai.bridge.decision", "write", [self.decision.ids, {"state": "approved"}]))
        self.assert_rpc_refused(
            self.call_kw("ai.bridge.job", "write", [self.job.ids, {"handler_method": "_job_anything"}])
        )

    def test_a_manager_cannot_repoint_a_job_but_can_retry_and_cancel_it(self):
        self.authenticate(self.manager.login, self.manager.login)
        repoint = {"handler_model": "res.partner", "handler_method": "unlink", "payload": {}}
        self.assert_rpc_refused(self.call_kw("ai.bridge.job", "write", [self.job.ids, repoint]))
        self.job._write_audited({"state": "failed"})
        self.assert_rpc_done(self.call_kw("ai.bridge.job", "action_retry", [self.job.ids]))
        self.assertEqual(self.job.state, "pending")
        self.assert_rpc_done(self.call_kw("ai.bridge.job", "action_cancel", [self.job.ids]))
        self.assertEqual((self.job.state, self.job.handler_method), ("cancelled", "_job_resolve"))

    def test_only_managers_retry_or_cancel_jobs(self):
        self.job._write_audited({"state": "failed"})
        self.authenticate(self.ai_user.login, self.ai_user.login)
        self.assert_rpc_refused(self.call_kw("ai.bridge.job", "action_retry", [self.job.ids]))
        self.assert_rpc_refused(self.call_kw("ai.bridge.job", "action_cancel", [self.job.ids]))
        self.assertEqual(self.job.state, "failed")

    def test_a_forged_job_handler_is_refused_when_it_runs(self):
        victim = self.env["res.partner"].create({"name": "Victim"})
        self.job._write_audited({"state": "pending"})
        self.env.flush_all()
        # a row changed behind the ORM's back (a restored backup, a bad migration, SQL access)
        self.env.cr.execute(
            SQL(
                "UPDATE ai_bridge_job SET handler_model = 'res.partner', handler_method = 'unlink' WHERE id = %s",
                self.job.id,
            )
        )
        self.job.invalidate_recordset()
        self.job._run_now()
        self.assertEqual(self.job.state, "failed")
        self.assertIn("invalid job handler", self.job.last_error)
        self.assertTrue(victim.exists())

    def test_a_forged_apply_method_is_refused_when_it_runs(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE ai_bridge_decision SET callback_model = 'res.partner', apply_method = 'unlink' WHERE id = %s",
                self.decision.id,
            )
        )
        self.decision.invalidate_recordset()
        self.decision.with_user(self.approver)._approve(reason="Looks right")
        self.assertEqual(self.decision.state, "failed")
        self.assertIn("invalid AI callback", self.decision.error)
        self.assertTrue(self.company_partner.exists())
