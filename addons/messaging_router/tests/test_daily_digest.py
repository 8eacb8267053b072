"""The daily digest per role: figures read with each user's rights, written by Claude when it may, else plain."""

import json
from datetime import UTC, datetime, time, timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.ai_bridge_core.tests.common import AiBridgeCommon, run_due_jobs

from .common import MockMessaging


@tagged("post_install", "-at_install")
class TestDailyDigest(AiBridgeCommon, MockMessaging):
    # Late in the UTC evening, when the cron user's day (Brussels: past midnight) is not the sellers' (Los Angeles)
    freeze_time = datetime.combine(datetime.now(UTC).date(), time(23, 30))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.messaging_sale_approval_amount = 0.0
        cls.env.user.tz = "Europe/Brussels"  # the cron's user (OdooBot)
        cls.Digest = cls.env["messaging.digest"]
        cls.seller = new_test_user(
            cls.env, login="digest_seller", groups="sales_team.group_sale_salesman", tz="America/Los_Angeles"
        )
        # the orders below are the seller's "today": its figures are the digest's of `day` (their "yesterday")
        cls.today = fields.Date.context_today(cls.Digest.with_user(cls.seller))
        cls.other_seller = new_test_user(cls.env, login="digest_other", groups="sales_team.group_sale_salesman")
        cls.accountant = new_test_user(cls.env, login="digest_accountant", groups="account.group_account_invoice")
        cls.plain_employee = new_test_user(cls.env, login="digest_employee", groups="base.group_user")
        cls.customer = cls.env["res.partner"].create({"name": "Digest Customer"})
        cls.product = cls.env["product.product"].create({"name": "Digest service", "type": "service", "taxes_id": []})
        cls.quotes = cls._order(cls.seller, 100.0) | cls._order(cls.seller, 200.0)
        cls.confirmed = cls._order(cls.seller, 300.0)
        cls.confirmed.action_confirm()
        cls.others_quote = cls._order(cls.other_seller, 5000.0)
        # creation dates come from PostgreSQL's clock, which the frozen time does not stop: date them now-frozen
        orders = cls.quotes | cls.confirmed | cls.others_quote
        cls.env.cr.execute(
            SQL("UPDATE sale_order SET create_date = %s WHERE id IN %s", cls.freeze_time, tuple(orders.ids))
        )
        orders.invalidate_recordset(["create_date"])
        cls.task_digest = cls.env.ref("messaging_router.ai_bridge_task_digest")

    @classmethod
    def _order(cls, user, price):
        return cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": user.id,
                "order_line": [Command.create({"product_id": cls.product.id, "price_unit": price})],
            }
        )

    def _lines(self, user):
        sections = self.Digest.with_user(user)._digest_sections(self.today)
        return [section.role for section in sections], {line.key: line for s in sections for line in s.lines}

    def _digests(self, user):
        return self.env["messaging.delivery"].search(
            [("notification_type", "=", "digest.daily"), ("partner_id", "=", user.partner_id.id)]
        )

    def test_a_salesperson_counts_only_what_they_may_see(self):
        roles, lines = self._lines(self.seller)
        self.assertEqual(roles, ["sales"])
        Order = self.env["sale.order"]
        quotations = [("state", "in", ("draft", "sent")), ("company_id", "=", self.env.company.id)]
        theirs = quotations + [("user_id", "in", (self.seller.id, False))]  # sale's "personal orders" rule
        self.assertEqual(lines["pipeline"].count, Order.search_count(theirs))
        self.assertLess(lines["pipeline"].count, Order.search_count(quotations), "others' quotations are not theirs")
        start, end = self.Digest.with_user(self.seller)._digest_day_bounds(self.today)
        new_quotes = [("create_date", ">=", start), ("create_date", "<", end)]
        self.assertEqual(lines["quotations_new"].count, Order.search_count(theirs + new_quotes))
        self.assertGreaterEqual(lines["quotations_new"].count, 2)
        self.assertEqual(lines["orders_confirmed"].count, 1)
        self.assertEqual(lines["orders_confirmed"].amounts, ((self.env.company.currency_id.name, 300.0),))

    def test_each_role_gets_its_own_figures(self):
        roles, lines = self._lines(self.accountant)
        self.assertEqual(roles, ["accounting"])
        self.assertEqual(set(lines), {"invoices_overdue", "bills_to_pay", "payments_received"})
        if "purchase.order" in self.env:
            buyer = new_test_user(self.env, login="digest_buyer", groups="purchase.group_purchase_user")
            self.assertEqual(self._lines(buyer)[0], ["purchase"])
        self.assertEqual(self._lines(self.plain_employee)[0], [])

    def test_ai_decisions_awaiting_the_users_approval_are_in_their_digest(self):
        self.approver.groups_id += self.env.ref("sales_team.group_sale_salesman")
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.api_key", "")
        self._run_action()
        self._run_jobs()  # the fallback answers: awaiting the approver's approval
        roles, lines = self._lines(self.approver)
        self.assertEqual(roles, ["sales", "ai"])
        self.assertEqual(lines["ai_awaiting_approval"].count, 1)

    def test_without_claude_the_plain_summary_is_sent(self):
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.api_key", "")
        with self.mock_claude() as claude:
            outcome = self.Digest._job_send_digest(self.seller, self.today)
        self.assertIn("No Anthropic API key", outcome)
        self.assertFalse(claude.requests)
        (digest,) = self._digests(self.seller)
        self.assertTrue(digest.subject.startswith("Your digest for"))
        self.assertIn("*Sales*", digest.body)
        self.assertIn("• Orders confirmed yesterday: 1 (300.00", digest.body)

    def test_claude_writes_the_digest_from_the_figures_and_its_cost_is_logged(self):
        with self.mock_claude({"text": "One order confirmed, two new quotations."}) as claude:
            self.assertEqual(self.Digest._job_send_digest(self.seller, self.today), "claude")
        (request,) = claude.requests
        self.assertEqual(request.tool.name, "write_digest")
        self.assertEqual(request.model, self.env["ai.bridge.client"]._model_for(self.task_digest))
        figures = {line["key"]: line for section in json.loads(request.user_content) for line in section["lines"]}
        self.assertEqual(figures["orders_confirmed"]["count"], 1)
        (digest,) = self._digests(self.seller)
        self.assertEqual(digest.body, f"{digest.subject}\n\nOne order confirmed, two new quotations.")
        (usage,) = self.env["ai.bridge.usage"].search([("task_id", "=", self.task_digest.id)])
        self.assertEqual(usage.status, "ok")
        self.assertGreater(usage.cost, 0)

    def test_switched_off_or_failing_claude_falls_back_to_the_plain_summary(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("ai_bridge_core.feature_digest", False)
        with self.mock_claude() as claude:
            self.assertIn("switched off", self.Digest._job_send_digest(self.seller, self.today))
        self.assertFalse(claude.requests)
        params.set_param("ai_bridge_core.feature_digest", True)
        with self.mock_claude(self.final_error()):
            self.assertIn("Claude failed", self.Digest._job_send_digest(self.other_seller, self.today))
        (digest,) = self._digests(self.other_seller)
        self.assertIn("*Sales*", digest.body)
        (usage,) = self.env["ai.bridge.usage"].search([("task_id", "=", self.task_digest.id)])
        self.assertEqual(usage.status, "error")

    def test_the_cron_queues_one_digest_per_user_of_a_role_once_a_day(self):
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.api_key", "")
        Job = self.env["queue.job"].sudo()
        domain = [("model_name", "=", "messaging.digest"), ("method_name", "=", "_job_send_digest")]
        self.Digest._cron_send_daily_digests()
        jobs = Job.search(domain)
        users = self.env["res.users"].union(*(job.args[0] for job in jobs))
        self.assertLessEqual(self.seller | self.other_seller | self.accountant, users)
        self.assertNotIn(self.plain_employee, users)
        self.assertFalse(users.filtered("share"))
        self.Digest._cron_send_daily_digests()
        self.assertEqual(Job.search(domain), jobs, "a second run the same day queues nothing")
        # each digest is of its reader's yesterday: the seller's in Los Angeles, the accountant's in UTC, not the
        # cron user's (already the next day in Brussels)
        days = {job.args[0]: job.args[1] for job in jobs}
        self.assertEqual(days[self.seller], self.today - timedelta(days=1))
        self.assertEqual(days[self.accountant], fields.Date.today() - timedelta(days=1))
        self.assertNotEqual(fields.Date.context_today(self.Digest), fields.Date.today(), "Brussels is a day ahead")
        run_due_jobs(self.env)
        self.assertTrue(self._digests(self.seller))
