"""AI decisions and jobs are an audit trail: nobody forges them over RPC, and stored method names are checked where
they run, not only where they are created."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import AiBridgeCommon, JsonRpcMixin, run_due_jobs


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
        run_due_jobs(cls.env)
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
        self.assert_rpc_refused(self.call_kw("queue.job", "write", [self.job.ids, {"method_name": "unlink"}]))
        self.assert_rpc_refused(
            self.call_kw("queue.job", "write", [self.job.ids, {"ai_bridge_idempotency_key": "ai.decision:0"}])
        )

    def test_a_manager_cannot_repoint_a_job_but_can_requeue_and_cancel_it(self):
        self.authenticate(self.manager.login, self.manager.login)
        repoint = {"model_name": "res.partner", "method_name": "unlink", "records": "{}"}
        self.assert_rpc_refused(self.call_kw("queue.job", "write", [self.job.ids, repoint]))
        self.job.write({"state": "failed"})
        requeue = self.call_kw("queue.requeue.job", "create", [{"job_ids": [(6, 0, self.job.ids)]}])
        self.assert_rpc_done(self.call_kw("queue.requeue.job", "requeue", [[requeue["result"]]]))
        self.assertEqual(self.job.state, "pending")
        cancel = self.call_kw("queue.jobs.to.cancelled", "create", [{"job_ids": [(6, 0, self.job.ids)]}])
        self.assert_rpc_done(self.call_kw("queue.jobs.to.cancelled", "set_cancelled", [[cancel["result"]]]))
        self.assertEqual((self.job.state, self.job.method_name), ("cancelled", "_job_resolve"))

    def test_only_managers_requeue_or_cancel_jobs(self):
        self.job.write({"state": "failed"})
        self.authenticate(self.ai_user.login, self.ai_user.login)
        self.assert_rpc_refused(self.call_kw("queue.requeue.job", "create", [{"job_ids": [(6, 0, self.job.ids)]}]))
        self.assert_rpc_refused(self.call_kw("queue.job", "requeue", [self.job.ids]))
        self.assertEqual(self.job.state, "failed")

    def test_a_forged_job_method_is_refused_when_it_runs(self):
        self.env.flush_all()
        # a row changed behind the ORM's back (a restored backup, a bad migration, SQL access): run unlink on the
        # job's records (the decision) instead of _job_resolve
        self.env.cr.execute(
            SQL("UPDATE queue_job SET method_name = 'unlink', state = 'enqueued' WHERE id = %s", self.job.id)
        )
        self.job.invalidate_recordset()
        with mute_logger("odoo.addons.queue_job.controllers.main"):
            self.url_open(f"/queue_job/runjob?db={self.env.cr.dbname}&job_uuid={self.job.uuid}")
        self.job.invalidate_recordset()
        self.assertEqual(self.job.state, "failed")
        self.assertIn("is not a job function declared", self.job.exc_info)
        self.assertTrue(self.decision.exists())

    def test_anonymous_visitors_cannot_run_jobs(self):
        self.job.write({"state": "pending"})
        attempts = self.job.retry
        self.authenticate(None, None)
        for job_uuid in (self.job.uuid, "00000000-0000-4000-8000-000000000000"):
            response = self.url_open(f"/queue_job/runjob?db={self.env.cr.dbname}&job_uuid={job_uuid}")
            self.assertEqual((response.status_code, response.text), (200, ""))
        self.job.invalidate_recordset()
        self.assertEqual((self.job.state, self.job.retry), ("pending", attempts), "only the runner's enqueued jobs run")
        self.assertEqual(self.decision.state, "awaiting_approval")

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
