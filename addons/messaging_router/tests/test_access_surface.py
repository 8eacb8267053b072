"""What messaging_router added, tried from outside over JSON-RPC as the people who have a session: a portal
customer, a vendor, an employee without the app's groups, a salesperson and a messaging manager who is not a
settings administrator; and without a session. Each may do what its role allows, and nothing more."""

import json

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ai_bridge_core.models.ai_bridge_audit_mixin import with_audited_writes
from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin

from ..models.messaging_route import DEFAULT_SLACK_TEMPLATES, DEFAULT_TEAMS_TEMPLATES
from .common import MockMessaging

ACCESS_ERROR = "odoo.exceptions.AccessError"
SESSION_EXPIRED = "odoo.http.SessionExpiredException"
SLACK_TS = "1700000000.000100"
INTERNAL = ("employee", "salesperson", "messaging manager")
OUTSIDERS = ("portal customer", "vendor")


@tagged("post_install", "-at_install")
class TestAccessSurface(HttpCase, MockMessaging, JsonRpcMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.configure_slack(cls.env)
        cls.env.company.messaging_sale_approval_amount = 1000.0
        cls.customer, cls.vendor = cls.env["res.partner"].create(
            [
                {"name": "Surface Customer Ltd", "is_company": True, "customer_rank": 1},
                {"name": "Surface Supplies Inc", "is_company": True, "supplier_rank": 1},
            ]
        )
        cls.personas = {
            "portal customer": new_test_user(
                cls.env, login="surface_portal", groups="base.group_portal", parent_id=cls.customer.id
            ),
            "vendor": new_test_user(
                cls.env, login="surface_vendor", groups="base.group_portal", parent_id=cls.vendor.id
            ),
            "employee": new_test_user(cls.env, login="surface_employee", groups="base.group_user"),
            "salesperson": new_test_user(cls.env, login="surface_salesperson", groups="sales_team.group_sale_salesman"),
            "messaging manager": new_test_user(
                cls.env,
                login="surface_messaging_manager",
                groups="messaging_router.group_messaging_router_manager,sales_team.group_sale_salesman_all_leads",
            ),
        }
        cls.salesperson = cls.personas["salesperson"]
        cls.sales_manager = new_test_user(
            cls.env, login="surface_sales_manager", groups="sales_team.group_sale_manager"
        )
        product = cls.env["product.product"].create({"name": "Surface audit day", "type": "service", "taxes_id": []})
        # The salesperson's large order, held for a sales manager.
        cls.order = (
            cls.env["sale.order"]
            .with_user(cls.salesperson)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "order_line": [Command.create({"product_id": product.id, "price_unit": 5000.0})],
                }
            )
        )
        cls.order.action_confirm()
        cls.order.message_subscribe(partner_ids=cls.customer.ids)  # as sending the quotation does: the portal sees it
        cls.thread = (
            cls.env["messaging.slack.thread"]
            .sudo()
            .create(
                {
                    "res_model": "sale.order",
                    "res_id": cls.order.id,
                    "res_name": cls.order.name,
                    "slack_channel": "C0SURFACE",
                    "slack_ts": "1700000000.000001",
                    "state": "open",
                }
            )
        )
        # A reply that came from the order's Slack thread, visible to the customer.
        cls.slack_message = with_audited_writes(cls.order).message_post(
            body="Delivery on Friday",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            messaging_slack_thread_id=cls.thread.id,
            messaging_slack_ts=SLACK_TS,
        )

    def setUp(self):
        super().setUp()
        self.assertEqual((self.order.state, self.order.messaging_approval_state), ("draft", "awaiting"))

    def as_persona(self, who):
        user = self.personas[who]
        self.authenticate(user.login, user.login)
        return user

    # --- sales order approval ----------------------------------------------------------------------------------

    def test_nobody_but_a_sales_manager_answers_an_awaiting_order(self):
        for who in self.personas:
            self.as_persona(who)
            for method in ("action_messaging_approve", "action_messaging_reject"):
                with self.subTest(persona=who, method=method):
                    response = self.call_kw("sale.order", method, [self.order.ids])
                    self.assert_rpc_refused(response, ACCESS_ERROR)
                    self.assertIn("Only sales managers", response["error"]["data"]["message"])
        self.order.invalidate_recordset()
        self.assertEqual((self.order.state, self.order.messaging_approval_state), ("draft", "awaiting"))
        self.assertFalse(self.order.messaging_approval_user_id)
        notes = self.order.message_ids.mapped("body")
        self.assertFalse([body for body in notes if "Approved by" in body or "Rejected by" in body])

        self.authenticate(self.sales_manager.login, self.sales_manager.login)
        self.assert_rpc_done(self.call_kw("sale.order", "action_messaging_approve", [self.order.ids]))
        self.order.invalidate_recordset()
        self.assertEqual((self.order.state, self.order.messaging_approval_user_id), ("sale", self.sales_manager))

    def test_an_awaiting_order_is_not_confirmed_by_writing_its_state(self):
        for who in ("salesperson", "messaging manager"):
            self.as_persona(who)
            with self.subTest(persona=who):
                response = self.call_kw("sale.order", "write", [self.order.ids, {"state": "sale"}])
                self.assert_rpc_refused(response, "odoo.exceptions.UserError")
                self.assertIn("needs a sales manager's approval", response["error"]["data"]["message"])
                self.order.invalidate_recordset()
                self.assertEqual((self.order.state, self.order.messaging_approval_state), ("draft", "awaiting"))

    # --- Slack threads -----------------------------------------------------------------------------------------

    def test_threads_are_read_by_employees_deleted_by_messaging_managers_and_written_by_nobody(self):
        values = {"res_model": "res.partner", "res_id": self.customer.id, "slack_channel": "C0FORGED"}
        for who in self.personas:
            self.as_persona(who)
            with self.subTest(persona=who, method="search_read"):
                response = self.call_kw("messaging.slack.thread", "search_read", [[], ["res_name", "slack_ts"]])
                if who in OUTSIDERS:
                    self.assert_rpc_refused(response, ACCESS_ERROR)
                else:
                    self.assert_rpc_done(response)
                    self.assertIn(self.thread.id, [thread["id"] for thread in response["result"]])
            with self.subTest(persona=who, method="create"):
                self.assert_rpc_refused(self.call_kw("messaging.slack.thread", "create", [values]), ACCESS_ERROR)
            with self.subTest(persona=who, method="write"):
                response = self.call_kw(
                    "messaging.slack.thread", "write", [self.thread.ids, {"slack_channel": "C0HIJACK", "state": "open"}]
                )
                self.assert_rpc_refused(response, ACCESS_ERROR)
            if who != "messaging manager":
                with self.subTest(persona=who, method="unlink"):
                    self.assert_rpc_refused(self.call_kw("messaging.slack.thread", "unlink", [self.thread.ids]))
        self.assertEqual(self.thread.slack_channel, "C0SURFACE")
        self.assertFalse(self.env["messaging.slack.thread"].search([("slack_channel", "=", "C0FORGED")]))

        self.as_persona("messaging manager")
        self.assert_rpc_done(self.call_kw("messaging.slack.thread", "unlink", [self.thread.ids]))
        self.assertFalse(self.thread.exists())

    def test_employees_start_threads_through_the_wizard_on_records_they_can_read_only(self):
        Thread = self.env["messaging.slack.thread"]
        for who in self.personas:
            partner = self.env["res.partner"].create({"name": f"Thread about {who}"})
            user = self.as_persona(who)
            values = {"res_model": "res.partner", "res_id": partner.id, "slack_channel": "C0SURFACE"}
            with self.subTest(persona=who):
                created = self.call_kw("messaging.slack.thread.start", "web_save", [[], values], {"specification": {}})
                if who in OUTSIDERS:
                    self.assert_rpc_refused(created, ACCESS_ERROR)
                    continue
                self.assert_rpc_done(created)
                started = self.call_kw("messaging.slack.thread.start", "action_start", [[created["result"][0]["id"]]])
                self.assert_rpc_done(started)
                thread = Thread.search([("res_model", "=", "res.partner"), ("res_id", "=", partner.id)])
                self.assertEqual((thread.state, thread.user_id), ("pending", user))

        # An order of another salesperson, which neither the employee nor the salesperson may read.
        hidden = self.env["sale.order"].create({"partner_id": self.customer.id, "user_id": self.sales_manager.id})
        for who in ("employee", "salesperson"):
            self.as_persona(who)
            values = {"res_model": "sale.order", "res_id": hidden.id, "slack_channel": "C0SURFACE"}
            with self.subTest(persona=who, record="hidden order"):
                created = self.call_kw(
                    "messaging.slack.thread.start", "web_save", [[], values], {"specification": {"res_name": {}}}
                )
                self.assertNotIn(hidden.name, json.dumps(created), "the wizard shows the name of a hidden record")
                if "result" in created:
                    started = self.call_kw(
                        "messaging.slack.thread.start", "action_start", [[created["result"][0]["id"]]]
                    )
                    self.assert_rpc_refused(started, ACCESS_ERROR)
        self.assertFalse(Thread.search([("res_model", "=", "sale.order"), ("res_id", "=", hidden.id)]))

    # --- the Slack twin of chatter messages --------------------------------------------------------------------

    def test_only_administrators_see_the_slack_twin_of_a_chatter_message(self):
        message_ids = self.slack_message.ids
        for who in self.personas:
            self.as_persona(who)
            for method, args in (
                ("read", [message_ids, ["body", "messaging_slack_ts"]]),
                ("read", [message_ids, ["messaging_slack_thread_id"]]),
                ("search_read", [[("id", "in", message_ids)], ["messaging_slack_ts"]]),
                ("search_read", [[("messaging_slack_ts", "=", SLACK_TS)], ["body"]]),
                ("web_read", [message_ids, {"messaging_slack_ts": {}}]),
            ):
                with self.subTest(persona=who, method=method, args=args):
                    response = self.call_kw("mail.message", method, args)
                    self.assert_rpc_refused(response, ACCESS_ERROR)
                    self.assertNotIn(SLACK_TS, json.dumps(response))
        # The message itself is readable by those who may read the order; the refusals are about the field.
        for who in ("portal customer", "salesperson"):
            self.as_persona(who)
            response = self.call_kw("mail.message", "read", [message_ids, ["body"]])
            self.assert_rpc_done(response)
            self.assertIn("Delivery on Friday", response["result"][0]["body"])
        self.authenticate("admin", "admin")
        response = self.call_kw("mail.message", "read", [message_ids, ["messaging_slack_ts"]])
        self.assertEqual(response["result"][0]["messaging_slack_ts"], SLACK_TS)

    def test_nobody_gives_a_chatter_message_a_slack_twin(self):
        """A message claiming a Slack ts is not sent to Slack, and the real Slack message of that ts is then dropped
        as already in the chatter: only the sync links a message to Slack."""
        Message = self.env["mail.message"].sudo()
        post = {"body": "Pretending to come from Slack", "message_type": "comment", "subtype_xmlid": "mail.mt_comment"}
        message = {"model": "sale.order", "res_id": self.order.id, "body": "Pretending", "message_type": "comment"}
        for who in ("salesperson", "messaging manager"):  # those who may post on the order
            user = self.as_persona(who)
            own = self.order.with_user(user).message_post(body="Mine", message_type="comment")
            for index, path in enumerate(("message_post", "create", "write on their own message")):
                claim = {
                    "messaging_slack_thread_id": self.thread.id,
                    "messaging_slack_ts": f"1700000001.{user.id:03d}{index:03d}",
                }
                model, method, args, kwargs = {
                    "message_post": ("sale.order", "message_post", [self.order.ids], {**post, **claim}),
                    "create": ("mail.message", "create", [{**message, **claim}], {}),
                    "write on their own message": ("mail.message", "write", [own.ids, claim], {}),
                }[path]
                with self.subTest(persona=who, path=path):
                    response = self.call_kw(model, method, args, kwargs)
                    claimed = Message.search([("messaging_slack_ts", "=", claim["messaging_slack_ts"])])
                    self.assertFalse(claimed, "a message claims a Slack twin")
                    self.assert_rpc_refused(response, ACCESS_ERROR)

    # --- notification routes -----------------------------------------------------------------------------------

    def test_only_messaging_managers_edit_the_route_templates(self):
        route = self.env["messaging.route"]._get_route("approval.request")
        before = (route.slack_template, route.teams_template)
        templates = {
            "slack_template": json.dumps(DEFAULT_SLACK_TEMPLATES["alert.critical"]),
            "teams_template": json.dumps(DEFAULT_TEAMS_TEMPLATES["alert.critical"]),
        }
        for who in self.personas:
            if who == "messaging manager":
                continue
            self.as_persona(who)
            for name, template in templates.items():
                with self.subTest(persona=who, field=name):
                    response = self.call_kw("messaging.route", "write", [route.ids, {name: template}])
                    self.assert_rpc_refused(response, ACCESS_ERROR)
        route.invalidate_recordset()
        self.assertEqual((route.slack_template, route.teams_template), before)

        self.as_persona("messaging manager")
        self.assert_rpc_done(self.call_kw("messaging.route", "write", [route.ids, templates]))
        route.invalidate_recordset()
        self.assertEqual((route.slack_template, route.teams_template), tuple(templates.values()))

    # --- settings ----------------------------------------------------------------------------------------------

    def test_messaging_settings_are_saved_by_settings_administrators_only(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("messaging_router.slack_thread_channel", "C0THREADS")
        params.set_param("ai_bridge_core.feature_digest", "True")
        parameters = {"messaging_slack_thread_channel": "C0STOLEN", "messaging_feature_digest": False}
        changes = {**parameters, "messaging_sale_approval_amount": 1.0e9}
        # A settings page an administrator filled in and did not save (the amount, a related field, would be saved
        # at once): nobody else saves it for them.
        pending = self.env["res.config.settings"].create(parameters)
        for who in self.personas:
            self.as_persona(who)
            for method, args, kwargs in (
                ("web_save", [[], changes], {"specification": {}}),
                ("execute", [pending.ids], {}),
                ("set_values", [pending.ids], {}),
                ("action_messaging_sync_slack_users", [pending.ids], {}),
            ):
                with self.subTest(persona=who, method=method):
                    self.assert_rpc_refused(self.call_kw("res.config.settings", method, args, kwargs), ACCESS_ERROR)
            with self.subTest(persona=who, method="res.company write"):
                response = self.call_kw(
                    "res.company", "write", [self.env.company.ids, {"messaging_sale_approval_amount": 1.0e9}]
                )
                self.assert_rpc_refused(response, ACCESS_ERROR)
        self.env.company.invalidate_recordset()
        self.assertEqual(self.env.company.messaging_sale_approval_amount, 1000.0)
        self.assertEqual(params.get_param("messaging_router.slack_thread_channel"), "C0THREADS")
        self.assertEqual(params.get_param("ai_bridge_core.feature_digest"), "True")

        self.authenticate("admin", "admin")
        saved = self.call_kw("res.config.settings", "web_save", [[], changes], {"specification": {}})
        self.assert_rpc_done(self.call_kw("res.config.settings", "execute", [[saved["result"][0]["id"]]]))
        self.env.company.invalidate_recordset()
        self.assertEqual(self.env.company.messaging_sale_approval_amount, 1.0e9)
        self.assertEqual(params.get_param("messaging_router.slack_thread_channel"), "C0STOLEN")

    # --- the stock-out alert's flag ----------------------------------------------------------------------------

    def test_the_stock_out_flag_is_not_written_over_rpc_even_by_an_inventory_manager(self):
        manager = new_test_user(self.env, login="surface_stock_manager", groups="stock.group_stock_manager")
        product = self.env["product.product"].create({"name": "Surface stool", "is_storable": True})
        self.authenticate(manager.login, manager.login)
        for flag in (True, False):  # True silences the next alert; False sends a duplicate
            product.sudo()._write_audited({"messaging_stockout_alerted": not flag})
            with self.subTest(flag=flag):
                response = self.call_kw("product.product", "write", [product.ids, {"messaging_stockout_alerted": flag}])
                self.assert_rpc_refused(response, ACCESS_ERROR)
                product.invalidate_recordset()
                self.assertEqual(product.messaging_stockout_alerted, not flag)
        created = self.call_kw(
            "product.product", "create", [{"name": "Surface pre-alerted", "messaging_stockout_alerted": True}]
        )
        self.assert_rpc_refused(created, ACCESS_ERROR)
        # The product itself stays the inventory manager's to edit.
        self.assert_rpc_done(self.call_kw("product.product", "write", [product.ids, {"name": "Surface chair"}]))

    # --- without a session -------------------------------------------------------------------------------------

    def test_without_a_session_nothing_is_reached(self):
        route = self.env["messaging.route"]._get_route("approval.request")
        self.authenticate(None, None)
        for model, method, args in (
            ("sale.order", "action_messaging_approve", [self.order.ids]),
            ("sale.order", "action_messaging_reject", [self.order.ids]),
            ("messaging.slack.thread", "search_read", [[], ["res_name"]]),
            ("messaging.slack.thread", "unlink", [self.thread.ids]),
            ("messaging.slack.thread.start", "create", [{"res_model": "sale.order", "res_id": self.order.id}]),
            ("mail.message", "read", [self.slack_message.ids, ["messaging_slack_ts"]]),
            ("messaging.route", "write", [route.ids, {"slack_template": False}]),
            ("res.config.settings", "web_save", [[], {"messaging_sale_approval_amount": 1.0}]),
            ("product.product", "write", [[1], {"messaging_stockout_alerted": True}]),
        ):
            with self.subTest(model=model, method=method):
                self.assert_rpc_refused(self.call_kw(model, method, args), SESSION_EXPIRED)
        self.assertEqual(self.order.messaging_approval_state, "awaiting")
        self.assertTrue(self.thread.exists())
