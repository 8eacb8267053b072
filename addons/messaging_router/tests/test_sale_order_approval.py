"""Large sales orders confirmed by a salesperson wait for a sales manager, who answers from Slack (clicks sent as
Slack sends them, over real HTTP) or from the order's form; either way once, and only with the rights to."""

import time

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin, run_due_jobs

from .common import (
    SLACK_INTERACTIVITY_URL,
    SLACK_SIGNING_SECRET,
    MockMessaging,
    slack_click_body,
    slack_signed_headers,
)


@tagged("post_install", "-at_install")
class TestSaleOrderApproval(HttpCase, MockMessaging, JsonRpcMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.configure_slack(cls.env)
        cls.company = cls.env.company
        cls.company.messaging_sale_approval_amount = 1000.0
        cls.salesperson = new_test_user(cls.env, login="approval_salesperson", groups="sales_team.group_sale_salesman")
        cls.salesperson.messaging_slack_user_id = "U0SALES"
        cls.sales_manager = new_test_user(cls.env, login="approval_manager", groups="sales_team.group_sale_manager")
        cls.sales_manager.messaging_slack_user_id = "U0MANAGER"
        cls.stranger = new_test_user(cls.env, login="approval_stranger", groups="base.group_user")
        cls.stranger.messaging_slack_user_id = "U0STRANGER"
        cls.customer = cls.env["res.partner"].create({"name": "Approval Customer"})
        cls.product = cls.env["product.product"].create({"name": "Consulting day", "type": "service", "taxes_id": []})

    def setUp(self):
        super().setUp()
        self.order = self._order(self.salesperson, 1500.0)

    def _order(self, user, price):
        return (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.product.id, "price_unit": price})],
                }
            )
        )

    def _request(self):
        """The salesperson confirms: the order is held, and the managers' requests go out on Slack."""
        self.order.action_confirm()
        with self.mock_slack() as slack:
            run_due_jobs(self.env)
        return next(call for call in slack.calls if call["channel"] == "U0MANAGER")

    def _click(self, slack_user, message, action="messaging_approve", timestamp=None):
        body = slack_click_body(slack_user, action, f"sale.order:{self.order.id}", message["blocks"])
        headers = slack_signed_headers(SLACK_SIGNING_SECRET, body, timestamp=timestamp)
        self.assertEqual(self.url_open(SLACK_INTERACTIVITY_URL, data=body, headers=headers).status_code, 200)

    def _handle_clicks(self):
        with self.mock_slack() as slack:
            run_due_jobs(self.env)
        return slack

    def _notes(self, text):
        return self.order.message_ids.filtered(lambda message: text in (message.body or ""))

    def test_a_large_order_of_a_salesperson_is_held_and_the_sales_managers_are_asked(self):
        self.order.action_confirm()
        self.assertEqual((self.order.state, self.order.messaging_approval_state), ("draft", "awaiting"))
        self.assertTrue(self._notes("Waiting for a sales manager"))
        requests = self.env["messaging.delivery"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", self.order.id)]
        )
        self.assertIn(self.sales_manager.partner_id, requests.partner_id)
        self.assertNotIn(self.salesperson.partner_id, requests.partner_id)
        self.assertEqual(set(requests.mapped("notification_type")), {"approval.request"})
        self.assertTrue(all(requests.mapped("approval")))
        messaging_manager = new_test_user(
            self.env,
            login="approval_messaging_manager",
            groups="messaging_router.group_messaging_router_manager,sales_team.group_sale_salesman_all_leads",
        )
        order = self.order.with_user(messaging_manager)
        self.assertEqual(order.messaging_delivery_count, len(requests), "the order's Notifications smart button")
        self.assertEqual(
            self.env["messaging.delivery"].search(order.action_view_messaging_deliveries()["domain"]), requests
        )
        with self.mock_slack() as slack:
            run_due_jobs(self.env)
        message = next(call for call in slack.calls if call["channel"] == "U0MANAGER")
        actions = next(block for block in message["blocks"] if block["type"] == "actions")
        buttons = {element.get("action_id"): element.get("value") for element in actions["elements"]}
        value = f"sale.order:{self.order.id}"
        self.assertEqual((buttons["messaging_approve"], buttons["messaging_reject"]), (value, value))
        with self.assertRaisesRegex(UserError, "awaits a sales manager's approval"):
            self.order.action_confirm()

    def test_small_orders_managers_and_a_zero_amount_confirm_at_once(self):
        small = self._order(self.salesperson, 999.0)
        small.action_confirm()
        self.assertEqual((small.state, small.messaging_approval_state), ("sale", False))
        managers_order = self._order(self.sales_manager, 5000.0)
        managers_order.action_confirm()
        self.assertEqual(managers_order.state, "sale")
        self.company.messaging_sale_approval_amount = 0.0
        self.order.action_confirm()
        self.assertEqual(self.order.state, "sale")

    def test_a_click_approves_as_the_mapped_manager_confirms_logs_and_replaces_the_buttons(self):
        message = self._request()
        self._click("U0MANAGER", message)
        slack = self._handle_clicks()
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(
            (self.order.messaging_approval_state, self.order.messaging_approval_user_id),
            ("approved", self.sales_manager),
        )
        (note,) = self._notes(f"Approved by {self.sales_manager.name}")
        self.assertEqual(note.author_id, self.sales_manager.partner_id)
        (update,) = slack.updates
        self.assertNotIn("actions", [block["type"] for block in update["blocks"]], "no buttons left")
        self.assertIn(f"Approved by {self.sales_manager.name}", update["text"])

    def test_a_reject_click_keeps_the_quotation_marked_rejected(self):
        message = self._request()
        self._click("U0MANAGER", message, "messaging_reject")
        self._handle_clicks()
        self.assertEqual((self.order.state, self.order.messaging_approval_state), ("draft", "rejected"))
        self.assertTrue(self._notes(f"Rejected by {self.sales_manager.name}"))
        self.order.action_confirm()  # confirming again asks again
        self.assertEqual(self.order.messaging_approval_state, "awaiting")

    def test_two_clicks_apply_once_and_the_second_is_told_who_answered(self):
        message = self._request()
        now = int(time.time())
        self._click("U0MANAGER", message, timestamp=now)
        self._click("U0MANAGER", message, "messaging_reject", timestamp=now - 5)  # another request (signature)
        slack = self._handle_clicks()
        self.assertEqual((self.order.state, self.order.messaging_approval_state), ("sale", "approved"))
        self.assertEqual(len(slack.updates), 1)
        (refusal,) = slack.calls
        self.assertEqual(refusal["channel"], "U0MANAGER")
        self.assertIn(f"already answered: approved by {self.sales_manager.name}", refusal["text"])
        self.assertEqual(len(self._notes("Approved by")), 1)
        self.assertFalse(self._notes("Rejected by"))

    def test_a_click_in_slack_after_an_answer_in_odoo_changes_nothing(self):
        message = self._request()
        self.order.with_user(self.sales_manager).action_messaging_approve()
        self.assertEqual(self.order.state, "sale")
        self.assertTrue(self._notes("(in Odoo)"))
        self._click("U0MANAGER", message, "messaging_reject")
        slack = self._handle_clicks()
        self.assertEqual(self.order.messaging_approval_state, "approved")
        self.assertIn("already answered", slack.calls[0]["text"])
        self.assertFalse(slack.updates)

    def test_unmapped_slack_users_and_users_without_the_rights_are_refused(self):
        message = self._request()
        self._click("U0NOBODY", message)
        self._click("U0STRANGER", message)
        self._click("U0SALES", message)
        slack = self._handle_clicks()
        self.assertEqual((self.order.state, self.order.messaging_approval_state), ("draft", "awaiting"))
        refusals = {call["channel"]: call["text"] for call in slack.calls}
        self.assertIn("not linked to an Odoo user", refusals["U0NOBODY"])
        self.assertIn(f"{self.stranger.name} cannot do this", refusals["U0STRANGER"])
        self.assertIn("Only sales managers", refusals["U0SALES"])
        self.assertFalse(slack.updates)
        with self.assertRaises(AccessError):
            self.order.action_messaging_approve()  # the salesperson, in Odoo

    def test_the_salesperson_cannot_write_the_approval_over_rpc(self):
        self.authenticate(self.salesperson.login, self.salesperson.login)
        skipped = self.call_kw("sale.order", "write", [[self.order.id], {"state": "sale"}])
        self.assert_rpc_refused(skipped, "odoo.exceptions.UserError")  # before asking, too: no confirming by write
        self.assertEqual(self.order.state, "draft")
        self.order.action_confirm()
        for values in ({"messaging_approval_state": "approved"}, {"messaging_approval_user_id": self.salesperson.id}):
            self.assert_rpc_refused(self.call_kw("sale.order", "write", [[self.order.id], values]))
        created = self.call_kw(
            "sale.order", "create", [{"partner_id": self.customer.id, "messaging_approval_state": "approved"}]
        )
        self.assert_rpc_refused(created)
        self.assertEqual(self.order.messaging_approval_state, "awaiting")
        audited = self.env["sale.order"]._audited_fields()
        self.assertIn("messaging_approval_state", audited)
        if "pce_reordered_from_id" in self.env["sale.order"]._fields:  # each module adds its own audited fields
            self.assertIn("pce_reordered_from_id", audited)
        self.assertNotIn("note", audited, "the order itself stays editable")
