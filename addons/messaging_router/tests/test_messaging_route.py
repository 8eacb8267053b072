from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import BaseCommon


class TestMessagingRoute(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Route = cls.env["messaging.route"]
        cls.route_approval = Route.create(
            {"name": "Approvals", "notification_type": "test.approval", "channel": "slack", "fallback_channel": "email"}
        )
        cls.route_digest = Route.create({"name": "Digest", "notification_type": "test.digest", "channel": "email"})

    def test_channels_in_order_with_fallback_and_inbox_last(self):
        Route = self.env["messaging.route"]
        self.assertEqual(Route._get_channels("test.approval"), ["slack", "email", "inapp"])
        self.assertEqual(Route._get_channels("test.digest"), ["email", "inapp"])
        self.assertEqual(Route._get_channels("test.unrouted"), ["inapp"])

    def test_archived_route_is_not_used(self):
        self.route_approval.active = False
        self.assertEqual(self.env["messaging.route"]._get_channels("test.approval"), ["inapp"])

    def test_routes_are_per_company(self):
        other = self._create_company(name="Router Co B")
        self.env["messaging.route"].create(
            {"name": "B approvals", "notification_type": "test.approval", "channel": "teams", "company_id": other.id}
        )
        Route = self.env["messaging.route"]
        self.assertEqual(Route.with_company(other)._get_channels("test.approval"), ["teams", "inapp"])
        self.assertEqual(Route._get_channels("test.approval"), ["slack", "email", "inapp"])
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            Route.create({"name": "Dup", "notification_type": "test.approval", "channel": "email"})

    def test_only_managers_change_routes(self):
        employee = new_test_user(self.env, login="mr_employee", groups="base.group_user")
        manager = new_test_user(self.env, login="mr_manager", groups="messaging_router.group_messaging_router_manager")
        self.assertEqual(self.route_digest.with_user(employee).channel, "email")
        with self.assertRaises(AccessError):
            self.route_digest.with_user(employee).channel = "slack"
        self.route_digest.with_user(manager).channel = "slack"
        self.assertEqual(self.route_digest.channel, "slack")

    def test_slack_secrets_are_settings_for_admins_only(self):
        settings = self.env["res.config.settings"].create({"messaging_slack_bot_token": "xoxb-test-token"})
        settings.execute()
        self.assertEqual(
            self.env["ir.config_parameter"].sudo().get_param("messaging_router.slack_bot_token"), "xoxb-test-token"
        )
        field = self.env["res.config.settings"]._fields["messaging_slack_bot_token"]
        self.assertEqual(field.groups, "base.group_system")
