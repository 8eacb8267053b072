import json
from datetime import UTC

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.ai_bridge_core.tests.common import run_due_jobs
from odoo.addons.ai_bridge_core.tests.local_server import free_port, without_proxies
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import OvOutletCommon
from .fake_asset_system import FakeAssetSystem, FakeReply

SECRET = "asset-secret-of-the-delivery-tests"
SECRET_FIELDS = ["ov_asset_webhook_url", "ov_asset_webhook_secret"]


@tagged("post_install", "-at_install")
class TestWebhookDelivery(OvOutletCommon):
    """Confirmation -> delivery -> job -> the fake asset system (real ``requests`` on 127.0.0.1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        without_proxies(cls)
        cls.fake = FakeAssetSystem(SECRET).start()
        cls.addClassCleanup(cls.fake.stop)
        cls.params = cls.env["ir.config_parameter"].sudo()
        cls.params.set_param("ov_outlet.asset_webhook_url", cls.fake.webhook_url)
        cls.params.set_param("ov_outlet.asset_webhook_secret", SECRET)
        cls.Delivery = cls.env["ov.outlet.webhook.delivery"]
        cls.deposit = cls.env["product.product"].create(
            {"name": "Battery Deposit", "default_code": "DEP-BAT", "list_price": 50.0, "ov_is_deposit": True}
        )
        cls.customer.write({"email": "buyer@example.com", "ref": "CUST-7"})
        cls.rep_anna.email = "anna@example.com"
        cls.salesman = cls._create_user("wh_salesman", "sales_team.group_sale_salesman")
        cls.sales_manager = cls._create_user("wh_sales_manager", "sales_team.group_sale_manager")
        cls.internal = cls._create_user("wh_internal", "base.group_user")
        cls.portal = cls._create_user("wh_portal", "base.group_portal")

    def setUp(self):
        super().setUp()
        self.fake.reset()

    def _order(self, confirm=True, **values):
        order = self._create_order(outlet=self.outlet_ghent, rep=self.rep_anna, amount=120.0, qty=2, confirm=False)
        order.order_line = [Command.create({"product_id": self.deposit.id, "product_uom_qty": 2, "tax_id": False})]
        if confirm:
            order.action_confirm()
        return order

    def _delivery(self, order):
        return self.Delivery.search([("order_id", "=", order.id)])

    def _run_jobs_now(self):
        """Run the webhook jobs due, making every postponed one due first (as if its backoff had passed)."""
        self.env["queue.job"].sudo().search([("channel", "=", "root.webhook"), ("state", "=", "pending")]).eta = False
        return run_due_jobs(self.env)

    # --- enqueueing and the payload -----------------------------------------------------------------------------

    def test_confirmation_enqueues_one_job_which_stores_the_entitlement_on_the_order(self):
        with trap_jobs() as trap:
            order = self._order()
            delivery = self._delivery(order)
            trap.assert_jobs_count(1)
            trap.assert_enqueued_job(delivery._job_send, properties={"channel": "root.webhook"})
            self.assertEqual(
                (delivery.state, delivery.idempotency_key), ("pending", f"sale.order/{order.id}/confirmed")
            )
            self.assertFalse(self.fake.requests, "nothing is sent within the confirmation")
            self.env.flush_all()
            self.env.cr.precommit.run()  # the job runs in a later transaction: the new order is trackable
            order = order.with_context(tracking_disable=False, mail_notrack=False)
            delivery.with_env(order.env)._job_send()
            self.env.flush_all()
            self.env.cr.precommit.run()  # mail tracking is written before commit
        self.assertEqual(order.state, "sale")
        self.assertEqual((delivery.state, delivery.response_code, delivery.attempts), ("sent", 201, 1))
        self.assertEqual(order.ov_entitlement_id, "ENT-1")
        self.assertEqual(json.loads(order.ov_asset_allocation), {"batteries": ["BAT-001", "BAT-002"]})
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "sale.order"),
                ("mail_message_id.res_id", "=", order.id),
                ("field_id.name", "=", "ov_entitlement_id"),
            ]
        )
        self.assertEqual(tracked.new_value_char, "ENT-1", "the entitlement shows in the chatter")
        request = self.fake.last_request
        self.assertIsNone(request.signature_error, "signed with the shared secret at send time")
        self.assertEqual(request.idempotency_key, delivery.idempotency_key)
        self.assertEqual(request.raw_body, delivery.payload.encode())

    def test_the_payload_describes_the_order_for_the_asset_system(self):
        with trap_jobs():
            order = self._order()
        body = json.loads(self._delivery(order).payload)
        self.assertEqual(body["event"], "sale.order.confirmed")
        self.assertEqual((body["order_id"], body["order_reference"]), (order.id, order.name))
        self.assertEqual(body["confirmation_date"], order.date_order.replace(tzinfo=UTC).isoformat())
        self.assertEqual(body["currency"], order.currency_id.name)
        self.assertEqual(
            body["customer"],
            {"id": self.customer.id, "name": "Outlet Customer", "email": "buyer@example.com", "ref": "CUST-7"},
        )
        self.assertEqual(body["outlet"], {"id": self.outlet_ghent.id, "code": "GNT", "name": "Ghent Store"})
        self.assertEqual(body["channel_partner"]["name"], "North Channel")
        self.assertEqual(body["sales_rep"], {"id": self.rep_anna.id, "name": "Anna Rep", "email": "anna@example.com"})
        widget, deposit = body["lines"]
        self.assertEqual(
            (widget["product_id"], widget["quantity"], widget["unit_price"], widget["subtotal"], widget["deposit"]),
            (self.product.id, 2.0, 120.0, 240.0, False),
        )
        self.assertEqual((deposit["default_code"], deposit["uom"], deposit["subtotal"]), ("DEP-BAT", "Units", 100.0))
        self.assertEqual(body["deposit_amount"], 100.0)

    def test_without_a_url_orders_confirm_and_nothing_is_queued(self):
        self.params.set_param("ov_outlet.asset_webhook_url", "")
        with trap_jobs() as trap:
            order = self._order()
        trap.assert_jobs_count(0)
        self.assertEqual((order.state, self._delivery(order)), ("sale", self.Delivery))

    def test_a_salesman_confirms_but_cannot_see_the_delivery(self):
        order = self._order(confirm=False)
        order.user_id = self.salesman
        with trap_jobs() as trap:
            order.with_user(self.salesman).action_confirm()
        trap.assert_jobs_count(1)
        self.assertEqual(len(self._delivery(order)), 1)
        with self.assertRaises(AccessError):
            self.Delivery.with_user(self.salesman).search([])

    # --- outages, retries, no duplicates --------------------------------------------------------------------------

    def test_asset_system_down_then_back_sends_once_and_confirming_again_sends_nothing_more(self):
        self.params.set_param("ov_outlet.asset_webhook_url", f"http://127.0.0.1:{free_port()}/webhooks/odoo")
        order = self._order()
        self._run_jobs_now()
        delivery = self._delivery(order)
        self.assertEqual(order.state, "sale", "the order confirms whatever happens to the webhook")
        self.assertEqual((delivery.state, delivery.job_state, delivery.job_id.retry), ("pending", "pending", 1))
        self.assertIn("cannot be reached", delivery.job_result)
        self.assertGreater(delivery.job_id.eta, delivery.job_id.date_created, "retried later, with backoff")

        self.params.set_param("ov_outlet.asset_webhook_url", self.fake.webhook_url)
        self._run_jobs_now()
        self.assertEqual((delivery.state, delivery.attempts, order.ov_entitlement_id), ("sent", 2, "ENT-1"))
        self.assertEqual(self.fake.idempotency_keys, [f"sale.order/{order.id}/confirmed"])

        # cancelled, reset and confirmed again: the same order event, no second delivery or job
        order._action_cancel()
        order.action_draft()
        order.action_confirm()
        self.assertEqual(self._delivery(order), delivery)
        self._run_jobs_now()
        with self.assertRaisesRegex(UserError, "cannot be sent twice"):
            delivery.with_user(self.sales_manager).action_send_again()
        self.assertEqual(len(self.fake.requests), 1)

    def test_retries_exhausted_end_failed_with_the_last_error(self):
        self.params.set_param("ai_bridge_core.job_max_attempts", 2)
        self.fake.enqueue(FakeReply(503, {"error": "maintenance"}), FakeReply(429, {}, headers={"Retry-After": "30"}))
        order = self._order()
        self._run_jobs_now()
        delivery = self._delivery(order)
        self.assertEqual(delivery.state, "pending")
        self._run_jobs_now()
        self.assertEqual((delivery.state, delivery.attempts, delivery.response_code), ("failed", 2, 429))
        self.assertIn("429", delivery.last_error)
        self._run_jobs_now()
        self.assertEqual(len(self.fake.requests), 2)

    def test_permanent_refusal_fails_at_once_is_listed_and_send_again_resends_with_the_same_key(self):
        self.fake.enqueue(FakeReply(422, {"error": "unknown outlet GNT"}))
        order = self._order()
        self._run_jobs_now()
        delivery = self._delivery(order)
        self.assertEqual((delivery.state, delivery.attempts, delivery.response_code), ("failed", 1, 422))
        self.assertIn("unknown outlet GNT", delivery.last_error)
        self.assertNotIn(SECRET, delivery.last_error)
        self.assertEqual(order.state, "sale")

        action = self.env.ref("ov_outlet.ov_outlet_webhook_delivery_action")
        search_view = self.env.ref("ov_outlet.ov_outlet_webhook_delivery_view_search")
        self.assertEqual(action.context, "{'search_default_not_sent': 1}")
        self.assertIn("('state', 'in', ('pending', 'failed'))", search_view.arch)
        listed = self.Delivery.with_user(self.sales_manager).search([("state", "in", ("pending", "failed"))])
        self.assertIn(delivery, listed)

        manager_delivery = delivery.with_user(self.sales_manager)
        manager_delivery.action_send_again()
        manager_delivery.action_send_again()  # pressed twice: still one job
        self.assertEqual((delivery.state, delivery.job_state), ("pending", "pending"))
        self._run_jobs_now()
        self.assertEqual((delivery.state, delivery.attempts, order.ov_entitlement_id), ("sent", 2, "ENT-1"))
        self.assertEqual(self.fake.idempotency_keys, [delivery.idempotency_key] * 2)
        self.assertEqual(self.Delivery.search_count([("order_id", "=", order.id)]), 1)

    def test_a_reply_without_entitlement_is_sent_with_a_note(self):
        self.fake.enqueue(FakeReply(200, {"status": "queued"}))
        order = self._order()
        self._run_jobs_now()
        delivery = self._delivery(order)
        self.assertEqual(delivery.state, "sent")
        self.assertIn("no entitlement_id", delivery.last_error)
        self.assertFalse(order.ov_entitlement_id)

    # --- access -------------------------------------------------------------------------------------------------

    def test_only_outlet_managers_read_deliveries_and_nobody_edits_them(self):
        with trap_jobs():
            delivery = self._delivery(self._order())
        for user in (self.salesman, self.internal, self.portal):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    delivery.with_user(user).read(["payload"])
                with self.assertRaises(AccessError):
                    delivery.with_user(user).action_send_again()
        self.assertEqual(delivery.with_user(self.sales_manager).read(["state"])[0]["state"], "pending")
        for values in ({"state": "sent"}, {"payload": "{}"}):
            with self.assertRaises(AccessError):
                delivery.with_user(self.sales_manager).write(values)
        with self.assertRaises(AccessError):
            self.Delivery.with_user(self.sales_manager).create(
                {"order_id": delivery.order_id.id, "idempotency_key": "forged"}
            )

    def test_the_secret_reaches_no_one_but_administrators(self):
        Settings = self.env["res.config.settings"]
        for user in (self.salesman, self.sales_manager, self.internal, self.portal):
            with self.subTest(user=user.login):
                try:
                    defaults = Settings.with_user(user).default_get(SECRET_FIELDS)
                except AccessError:
                    defaults = {}
                self.assertFalse(set(SECRET_FIELDS) & defaults.keys())
                try:
                    result = Settings.with_user(user).onchange({}, [], {"ov_asset_webhook_secret": {}})
                except (AccessError, ValueError):
                    result = {}
                self.assertNotIn(SECRET, json.dumps(result, default=str))
        settings = Settings.create({"ov_asset_webhook_secret": "rotated-secret"})
        settings.execute()
        self.assertEqual(self.params.get_param("ov_outlet.asset_webhook_secret"), "rotated-secret")
        self.assertEqual(Settings.default_get(SECRET_FIELDS)["ov_asset_webhook_secret"], "rotated-secret")

    def test_managers_open_the_views_and_see_only_their_companies_deliveries(self):
        other = self.env["res.company"].create({"name": "Asset Other Co"})
        with trap_jobs():
            here = self._delivery(self._order())
            foreign_order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "company_id": other.id,
                    "order_line": [Command.create({"product_id": self.product.id, "tax_id": False})],
                }
            )
            foreign_order.with_company(other).action_confirm()
        foreign = self._delivery(foreign_order)
        self.assertEqual(foreign.company_id, other)
        Delivery = self.Delivery.with_user(self.sales_manager)
        views = Delivery.get_views([(False, "list"), (False, "form"), (False, "search")])
        self.assertIn("action_send_again", views["views"]["form"]["arch"])
        self.assertEqual(Delivery.search([("id", "in", (here | foreign).ids)]), here)
        order_form = self.env["sale.order"].with_user(self.salesman).get_views([(False, "form")])
        self.assertIn('name="ov_entitlement_id"', order_form["views"]["form"]["arch"])
        menu = self.env.ref("ov_outlet.ov_outlet_webhook_delivery_menu")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.sales_manager)._visible_menu_ids())
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids())

    def test_settings_refuse_a_url_that_is_not_http_or_lacks_a_secret(self):
        Settings = self.env["res.config.settings"]
        with self.assertRaisesRegex(ValidationError, "must start with http"):
            Settings.create({"ov_asset_webhook_url": "assets.example.com/in", "ov_asset_webhook_secret": "s"})
        with self.assertRaisesRegex(ValidationError, "shared secret"):
            Settings.create({"ov_asset_webhook_url": "https://assets.example.com/in", "ov_asset_webhook_secret": ""})
        self.assertEqual(self.params.get_param("ov_outlet.asset_webhook_url"), self.fake.webhook_url, "unchanged")
