"""About one Slack message per second and Slack channel: the next one waits for its second, without using up
an attempt of its job."""

from datetime import datetime

from odoo.tests import freeze_time, new_test_user

from .common import MessagingCommon


class TestSlackRateLimit(MessagingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = new_test_user(cls.env, login="router_rate_colleague", groups="base.group_user")
        cls.colleague.messaging_slack_user_id = "U0COLLEAGUE"
        cls.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.job_max_attempts", 2)

    def _send(self, user, subject):
        return self.env["messaging.delivery"]._send("approval.request", self.customer, user, {"subject": subject})

    def test_a_second_message_to_a_slack_channel_in_the_same_second_waits_a_second_another_channel_does_not(self):
        with freeze_time("2026-11-20 10:00:10"), self.mock_slack() as slack:
            first, second = self._send(self.employee, "First"), self._send(self.employee, "Second")
            other = self._send(self.colleague, "Other channel")
            self._run_jobs()
        self.assertEqual([call["channel"] for call in slack.calls], ["U0EMPLOYEE", "U0COLLEAGUE"])
        self.assertEqual((first.state, other.state), ("sent", "sent"))
        job = second.job_id
        self.assertEqual((second.state, job.state, job.retry), ("queued", "pending", 0), "postponed, no attempt used")
        self.assertEqual(job.eta, datetime(2026, 11, 20, 10, 0, 11))
        self.assertIn("slack:U0EMPLOYEE: 1 requests per second reached", job.result)
        with freeze_time("2026-11-20 10:00:11"), self.mock_slack() as slack:
            self._run_jobs()
        self.assertEqual(second.state, "sent")
        self.assertEqual(slack.calls[0]["channel"], "U0EMPLOYEE")

    def test_a_burst_to_one_channel_goes_out_one_per_second_and_never_falls_back(self):
        with freeze_time("2026-11-20 10:00:10"), self.mock_slack():
            deliveries = self.env["messaging.delivery"].browse()
            for n in range(5):  # more than the job's 2 attempts
                deliveries |= self._send(self.employee, f"Burst {n}")
            self._run_jobs()
        self.assertEqual(deliveries.sorted("id").mapped("state"), ["sent"] + ["queued"] * 4)
        # Each postponed job waits at least a second (when its turn comes with a committed counter; here the test's
        # rolled-back savepoints forget the postponed requests, and the next second is retried by all of them)
        waiting = deliveries.job_id.filtered(lambda job: job.state == "pending")
        self.assertEqual((len(waiting), set(waiting.mapped("retry"))), (4, {0}))
        self.assertGreaterEqual(min(waiting.mapped("eta")), datetime(2026, 11, 20, 10, 0, 11))
        for second in (11, 12, 13, 14):
            with freeze_time(f"2026-11-20 10:00:{second}"), self.mock_slack() as slack:
                self._run_jobs()
            self.assertEqual(len(slack.calls), 1, f"10:00:{second}: one message")
        self.assertEqual(set(deliveries.mapped("state")), {"sent"})
        self.assertEqual(set(deliveries.job_id.mapped("retry")), {1}, "one attempt each: the one that sent it")
        self.assertFalse(self.env["messaging.delivery"].search([("fallback_of_id", "in", deliveries.ids)]))
