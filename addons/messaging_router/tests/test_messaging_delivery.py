import json
from datetime import datetime

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, new_test_user

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import MessagingCommon

DEFAULT_TYPES = {
    "payment.reminder": ("email", False),
    "approval.request": ("slack", "email"),
    "order.confirmation": ("email", False),
    "delivery.update": ("email", False),
    "digest.daily": ("slack", "inapp"),
    "alert.critical": ("slack", "email"),
    "sales.followup": ("email", False),
    "invoice.delivery": ("email", False),
}


class TestRoutesAndPreferences(MessagingCommon):
    def test_every_company_has_the_default_routes_new_ones_included(self):
        other = self._create_company(name="Router Co New")
        for company in (self.env.company, other):
            routes = self.env["messaging.route"].search([("company_id", "=", company.id)])
            defaults = {route.notification_type: (route.channel, route.fallback_channel) for route in routes}
            self.assertEqual({code: defaults.get(code) for code in DEFAULT_TYPES}, DEFAULT_TYPES, company.name)
        critical = self.env["messaging.route"]._get_route("alert.critical")
        self.assertTrue(critical.critical)

    def test_a_preference_overrides_the_route_for_that_person_only(self):
        self.env["messaging.preference"].create(
            {"partner_id": self.customer.id, "notification_type": "delivery.update", "channel": "inapp"}
        )
        Delivery = self.env["messaging.delivery"]
        self.assertEqual(Delivery._channels_for("delivery.update", self.customer), ["inapp", "email"])
        self.assertEqual(Delivery._channels_for("delivery.update", self.employee.partner_id), ["email", "inapp"])

    def test_employees_set_their_own_and_customers_preferences_not_colleagues(self):
        colleague = new_test_user(self.env, login="router_colleague", groups="base.group_user")
        Preference = self.env["messaging.preference"].with_user(self.employee)
        Preference.create({"partner_id": self.employee.partner_id.id, "notification_type": "x", "channel": "email"})
        Preference.create({"partner_id": self.customer.id, "notification_type": "x", "channel": "email"})
        with self.assertRaises(AccessError):
            Preference.create({"partner_id": colleague.partner_id.id, "notification_type": "x", "channel": "email"})
        self.env["messaging.preference"].with_user(self.manager).create(
            {"partner_id": colleague.partner_id.id, "notification_type": "x", "channel": "email"}
        )


class TestSending(MessagingCommon):
    def test_send_returns_at_once_one_delivery_per_record_and_recipient_on_the_messaging_lane(self):
        records = self.env["res.partner"].create([{"name": "About A"}, {"name": "About B"}])
        with trap_jobs() as trap:
            deliveries = self.env["messaging.delivery"]._send(
                "delivery.update", records, self.customer | self.employee.partner_id, {"body": "Shipped"}
            )
        self.assertEqual(len(deliveries), 4)
        self.assertEqual(set(deliveries.mapped("state")), {"queued"})
        trap.assert_jobs_count(4)
        for delivery in deliveries:
            trap.assert_enqueued_job(delivery._job_deliver, properties={"channel": "root.messaging"})
        self.assertEqual(deliveries[0].url.rsplit("/", 2)[-2:], ["res.partner", str(records[0].id)])

    def test_email_to_the_contact_or_to_the_address_they_prefer(self):
        self.env["messaging.preference"].create(
            {
                "partner_id": self.customer.id,
                "notification_type": "delivery.update",
                "channel": "email",
                "email": "warehouse@customer.example",
            }
        )
        self.env["messaging.delivery"]._send("delivery.update", self.customer, self.customer, {"body": "On its way"})
        self._run_jobs()
        delivery = self._deliveries(self.customer)
        self.assertEqual((delivery.channel, delivery.state), ("email", "sent"))
        self.assertEqual(delivery.mail_id.email_to, "warehouse@customer.example")
        self.assertIn("On its way", delivery.mail_id.body_html)

    def test_slack_to_the_mapped_user(self):
        with self.mock_slack() as slack:
            self.env["messaging.delivery"]._send(
                "approval.request", self.customer, self.employee, {"subject": "Approve S001", "body": "Please"}
            )
            self._run_jobs()
        delivery = self._deliveries(self.employee.partner_id)
        self.assertEqual((delivery.channel, delivery.state, delivery.slack_channel), ("slack", "sent", "U0EMPLOYEE"))
        self.assertEqual(delivery.slack_ts, "1700000000.000001")
        self.assertEqual(slack.calls[0]["blocks"][0]["text"]["text"], "Approve S001")

    def test_without_slack_user_the_fallback_takes_over_at_once(self):
        with self.mock_slack() as slack:
            self.env["messaging.delivery"]._send("approval.request", self.customer, self.customer)
            self._run_jobs()
            self._run_jobs()
        slack_delivery, email_delivery = self._deliveries(self.customer)
        self.assertEqual((slack_delivery.state, email_delivery.fallback_of_id), ("fell_back", slack_delivery))
        self.assertIn("no Slack user", slack_delivery.error)
        self.assertEqual((email_delivery.channel, email_delivery.state), ("email", "sent"))
        self.assertFalse(slack.calls)

    def test_a_slack_outage_is_retried_then_falls_back_and_nothing_is_lost_or_sent_twice(self):
        self.env["ir.config_parameter"].sudo().set_param("ai_bridge_core.job_max_attempts", 3)
        with freeze_time("2026-11-20 10:00:00"), self.mock_slack(*[self.slack_outage(retry_after=40)] * 3) as slack:
            self.env["messaging.delivery"]._send("approval.request", self.customer, self.employee)
            self._run_jobs()
            delivery = self._deliveries(self.employee.partner_id)
            self.assertEqual((delivery.state, delivery.job_id.state, delivery.job_id.retry), ("queued", "pending", 1))
            self.assertGreaterEqual(delivery.job_id.eta, datetime(2026, 11, 20, 10, 0, 40), "never before Retry-After")
        with freeze_time("2026-11-20 11:00:00"), self.mock_slack(self.slack_outage()) as slack:
            self._run_jobs()
        with freeze_time("2026-11-20 13:00:00"), self.mock_slack(self.slack_outage()) as slack:
            self._run_jobs()  # the last attempt fails too: e-mail instead
            self._run_jobs()
        slack_delivery, email_delivery = self._deliveries(self.employee.partner_id)
        self.assertEqual(slack_delivery.state, "fell_back")
        self.assertEqual(len(slack.calls), 1)
        self.assertEqual((email_delivery.channel, email_delivery.state), ("email", "sent"))
        self.assertEqual(len(self._deliveries(self.employee.partner_id)), 2, "one e-mail, no duplicate")

    def test_the_inbox_is_the_last_resort(self):
        self.customer.email = False
        self.env["messaging.delivery"]._send("invoice.delivery", self.customer, self.customer, {"body": "Due"})
        self._run_jobs()
        self._run_jobs()
        email_delivery, inbox_delivery = self._deliveries(self.customer)
        self.assertEqual(email_delivery.state, "fell_back")
        self.assertEqual((inbox_delivery.channel, inbox_delivery.state), ("inapp", "delivered"))
        self.assertIn(self.customer, inbox_delivery.message_id.partner_ids)

    def test_teams_gets_an_adaptive_card(self):
        self.env["messaging.route"]._get_route("alert.critical").channel = "teams"
        with self.mock_teams() as teams:
            self.env["messaging.delivery"]._send(
                "alert.critical", self.customer, self.employee, {"subject": "Stock-out", "body": "Chairs: 0"}
            )
            self._run_jobs()
        self.assertEqual(self._deliveries(self.employee.partner_id).state, "sent")
        self.assertIn("Stock-out", str(teams.calls[0]["card"]))

    def test_quiet_hours_hold_everything_but_critical_alerts(self):
        self.employee.partner_id.write({"tz": "Europe/Brussels", "messaging_quiet_start": 20, "messaging_quiet_end": 7})
        with freeze_time("2026-11-20 22:30:00"), trap_jobs() as trap:  # 23:30 in Brussels
            Delivery = self.env["messaging.delivery"]
            normal = Delivery._send("sales.followup", self.customer, self.employee)
            critical = Delivery._send("alert.critical", self.customer, self.employee)
        trap.assert_enqueued_job(normal._job_deliver, properties={"eta": datetime(2026, 11, 21, 6, 0)})
        trap.assert_enqueued_job(critical._job_deliver, properties={"eta": None})


class TestTemplates(MessagingCommon):
    def test_a_types_slack_blocks_come_from_its_template_with_the_approval_buttons_added(self):
        route = self.env["messaging.route"]._get_route("approval.request")
        route.slack_template = json.dumps(
            [
                {"type": "section", "text": {"type": "mrkdwn", "text": ":ballot_box: *{{subject}}* for {{recipient}}"}},
                {"type": "context", "elements": [{"type": "mrkdwn", "text": "{{record}}: {{body}}"}]},
            ]
        )
        with self.mock_slack() as slack:
            self.env["messaging.delivery"]._send(
                "approval.request",
                self.customer,
                self.employee,
                {"subject": "Approve S7", "body": "12,500 EUR", "approval": True},
            )
            self._run_jobs()
        blocks = slack.calls[0]["blocks"]
        self.assertEqual(blocks[0]["text"]["text"], f":ballot_box: *Approve S7* for {self.employee.name}")
        self.assertEqual(blocks[1]["elements"][0]["text"], "Router Customer: 12,500 EUR")
        self.assertEqual(
            [button["action_id"] for button in blocks[2]["elements"]], ["messaging_approve", "messaging_reject"]
        )
        self.assertEqual(blocks[2]["elements"][0]["value"], f"res.partner:{self.customer.id}")

    def test_critical_alerts_ship_with_their_own_slack_and_teams_templates(self):
        with self.mock_slack() as slack:
            self.env["messaging.delivery"]._send(
                "alert.critical", self.customer, self.employee, {"subject": "Out of stock", "body": "Chairs: 0"}
            )
            self._run_jobs()
        self.assertEqual(slack.calls[0]["blocks"][0]["text"]["text"], ":rotating_light: Out of stock")
        self.assertEqual(slack.calls[0]["blocks"][-1]["elements"][0]["style"], "danger")
        route = self.env["messaging.route"]._get_route("alert.critical")
        route.channel = "teams"
        with self.mock_teams() as teams:
            self.env["messaging.delivery"]._send(
                "alert.critical", None, self.employee, {"subject": "Fraud suspected", "body": "3 cards declined"}
            )
            self._run_jobs()
        card = teams.calls[0]["card"]
        self.assertEqual((card["body"][0]["text"], card["body"][0]["color"]), ("⚠ Fraud suspected", "Attention"))
        self.assertEqual(card["actions"], [], "no record, no link: the Open in Odoo button is left out")

    def test_a_template_that_slack_or_teams_would_refuse_cannot_be_saved(self):
        Route = self.env["messaging.route"]
        with self.assertRaisesRegex(ValidationError, "Slack blocks: Unknown placeholder"):
            Route._get_route(
                "delivery.update"
            ).slack_template = '[{"type": "section", "text": {"type": "mrkdwn", "text": "{{total}}"}}]'
        with self.assertRaisesRegex(ValidationError, "Teams card: A Teams template is an Adaptive Card"):
            Route._get_route("invoice.delivery").teams_template = "[]"


class TestDeliveryLogAccess(MessagingCommon):
    def test_employees_see_their_own_deliveries_managers_all_nobody_edits(self):
        deliveries = self.env["messaging.delivery"]._send(
            "delivery.update", self.customer, self.customer | self.employee.partner_id
        )
        mine = deliveries.filtered(lambda delivery: delivery.partner_id == self.employee.partner_id)
        self.assertEqual(self.env["messaging.delivery"].with_user(self.employee).search([]), mine)
        self.assertEqual(
            self.env["messaging.delivery"].with_user(self.manager).search([("id", "in", deliveries.ids)]), deliveries
        )
        with self.assertRaises(AccessError):
            mine.with_user(self.manager).write({"state": "delivered"})
        with self.assertRaises(AccessError):
            mine.sudo().write({"state": "delivered"})


class TestDeliveriesOnTheRecord(MessagingCommon):
    def test_the_record_shows_its_notifications_to_messaging_managers(self):
        about = self.env["res.partner"].create({"name": "About This Co"})
        deliveries = self.env["messaging.delivery"]._send(
            "delivery.update", about, self.customer | self.employee.partner_id
        )
        as_manager = about.with_user(self.manager)
        self.assertEqual(as_manager.messaging_delivery_count, 2)
        action = as_manager.action_view_messaging_deliveries()
        self.assertEqual(self.env["messaging.delivery"].search(action["domain"]), deliveries)
        # hidden from employees without the group, so that their plain reads and exports of contacts skip it
        self.assertNotIn("messaging_delivery_count", about.with_user(self.employee).fields_get())
        self.assertIn("messaging_delivery_count", about.with_user(self.manager).fields_get())
