"""Mapping Odoo users to Slack users by e-mail, from *Settings > Messaging > Slack*.

The real ``slack_sdk`` talks HTTP to the local fake Slack (``fake_slack``), reached through the system parameter
``messaging_router.slack_base_url``, so ``users.lookupByEmail``, its 429 and its errors are the SDK's real
behaviour. ``only_local_urllib`` makes any request to another host fail.
"""

from __future__ import annotations

from typing import Any

import yaml
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools.misc import file_path

from odoo.addons.ai_bridge_core.tests.local_server import without_proxies
from odoo.addons.base.tests.common import BaseCommon

from .fake_slack import FakeSlack, auto_reply, only_local_urllib, rate_limited_reply, raw_reply

TOKEN = "xoxb-1234567890-0987654321-SyncTokenForTests"
ALREADY_MAPPED = "U0ALREADY"


class TestSlackUserSync(BaseCommon):
    fake: FakeSlack

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        without_proxies(cls)
        cls.enterClassContext(only_local_urllib())
        cls.fake = FakeSlack(expected_token=TOKEN).start()
        cls.addClassCleanup(cls.fake.stop)

        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("messaging_router.slack_bot_token", TOKEN)
        params.set_param("messaging_router.slack_base_url", cls.fake.api_url)
        # the database's own users (admin, demo...) are out of the way: only this class's users are to look up
        cls.env["res.users"]._messaging_slack_sync_candidates().messaging_slack_user_id = ALREADY_MAPPED

        cls.admin = new_test_user(cls.env, login="sync_admin", groups="base.group_system", email="root@sync.example")
        cls.admin.messaging_slack_user_id = "U0ADMIN"
        cls.ann = new_test_user(cls.env, login="sync_ann", groups="base.group_user", email="Ann@Sync.example")
        cls.bob = new_test_user(cls.env, login="sync_bob", groups="base.group_user", email="bob@sync.example")
        cls.dan = new_test_user(
            cls.env, login="sync_dan", groups="base.group_user", email='"Dan Dee" <dan@sync.example>'
        )
        cls.carol = new_test_user(cls.env, login="sync_carol", groups="base.group_user", email="carol@sync.example")
        cls.carol.messaging_slack_user_id = "U0CAROLBYHAND"
        cls.portal = new_test_user(cls.env, login="sync_portal", groups="base.group_portal", email="pat@sync.example")
        cls.archived = new_test_user(cls.env, login="sync_gone", groups="base.group_user", email="gone@sync.example")
        cls.archived.active = False
        cls.no_email = new_test_user(cls.env, login="sync_nomail", groups="base.group_user")
        cls.no_email.partner_id.email = False
        cls.manager = new_test_user(
            cls.env, login="sync_manager", groups="messaging_router.group_messaging_router_manager"
        )
        cls.manager.messaging_slack_user_id = "U0MANAGER"

    def setUp(self) -> None:
        super().setUp()
        self.fake.reset()
        # everyone the settings could map is in Slack; Bob has no Slack account
        for email, slack_id in (
            ("ann@sync.example", "U0ANN"),
            ("dan@sync.example", "U0DAN"),
            ("carol@sync.example", "U0CAROL"),
            ("pat@sync.example", "U0PAT"),
            ("gone@sync.example", "U0GONE"),
        ):
            self.fake.add_user(email, slack_id)

    def sync(self, user=None, **settings: Any) -> dict[str, Any]:
        """Click *Sync Slack users* as a settings administrator; the notification's parameters."""
        settings_form = self.env["res.config.settings"].with_user(user or self.admin).create(settings)
        action = settings_form.action_messaging_sync_slack_users()
        self.assertEqual((action["type"], action["tag"]), ("ir.actions.client", "display_notification"))
        return action["params"]

    def looked_up(self) -> list[str]:
        self.assertTrue(all(request.api_method == "users.lookupByEmail" for request in self.fake.requests))
        return [request.params["email"] for request in self.fake.requests]

    # --- mapping -----------------------------------------------------------------------------------------------

    def test_sync_maps_unmapped_internal_users_by_email(self) -> None:
        """Active internal users with an e-mail and no Slack user are looked up by their normalised address; a
        user without a Slack account is left empty; mapped, portal and archived users are not touched."""
        notification = self.sync()

        self.assertEqual(self.looked_up(), ["ann@sync.example", "bob@sync.example", "dan@sync.example"])
        self.assertEqual(self.ann.messaging_slack_user_id, "U0ANN")
        self.assertEqual(self.dan.messaging_slack_user_id, "U0DAN")
        self.assertFalse(self.bob.messaging_slack_user_id)
        self.assertEqual(self.carol.messaging_slack_user_id, "U0CAROLBYHAND")  # a hand-typed id stays
        self.assertFalse(self.portal.messaging_slack_user_id)
        self.assertFalse(self.archived.messaging_slack_user_id)
        self.assertFalse(self.no_email.messaging_slack_user_id)
        self.assertEqual(notification["type"], "warning")
        self.assertEqual(notification["message"], "2 user(s) mapped to Slack, 1 not found by e-mail.")
        self.assertTrue(all(request.token == TOKEN for request in self.fake.requests))

    def test_model_method_returns_counts_and_can_map_chosen_users(self) -> None:
        """The reusable method: any recordset, counts back; users without an address count as not found."""
        users = (self.carol | self.bob | self.no_email).with_user(self.admin)
        result = users._messaging_sync_slack_ids()

        self.assertEqual(result, {"mapped": 1, "not_found": 2, "conflicts": 0, "not_tried": 0, "error": None})
        self.assertEqual(self.looked_up(), ["carol@sync.example", "bob@sync.example"])
        self.assertEqual(self.carol.messaging_slack_user_id, "U0CAROL")

    def test_a_slack_user_is_never_given_to_two_users(self) -> None:
        """A Slack user id decides whom a click in Slack acts as: one held by another user (archived included) is
        not given again, e.g. to a user who typed a colleague's address as their own."""
        eve = new_test_user(self.env, login="sync_eve", groups="base.group_user", email="ann@sync.example")
        self.archived.messaging_slack_user_id = "U0DAN"
        notification = self.sync()

        self.assertEqual(self.ann.messaging_slack_user_id, "U0ANN")
        self.assertFalse(eve.messaging_slack_user_id)
        self.assertFalse(self.dan.messaging_slack_user_id)
        self.assertEqual(notification["type"], "warning")
        self.assertEqual(
            notification["message"],
            "1 user(s) mapped to Slack, 1 not found by e-mail. 2 user(s) left unmapped: their Slack user is "
            "already another user's (same e-mail).",
        )
        self.assertEqual(
            self.env["res.users"].browse(eve.id).with_user(self.admin)._messaging_sync_slack_ids()["conflicts"], 1
        )

    def test_nothing_to_map_says_so_without_calling_slack(self) -> None:
        (self.ann | self.bob | self.dan).messaging_slack_user_id = "U0SOMEONE"
        notification = self.sync()

        self.assertEqual(notification["type"], "info")
        self.assertIn("already has a Slack user ID", notification["message"])
        self.assertFalse(self.fake.requests)

    # --- Slack errors ------------------------------------------------------------------------------------------

    def test_rate_limit_is_reported_and_keeps_what_was_mapped(self) -> None:
        """A 429 stops the sync with Slack's exact error; Ann, mapped before it, stays mapped, and clicking again
        later looks up only the users left."""
        self.fake.enqueue(auto_reply(), rate_limited_reply(retry_after=30))
        notification = self.sync()

        self.assertEqual(self.looked_up(), ["ann@sync.example", "bob@sync.example"])
        self.assertEqual(self.ann.messaging_slack_user_id, "U0ANN")
        self.assertFalse(self.bob.messaging_slack_user_id)
        self.assertFalse(self.dan.messaging_slack_user_id)
        self.assertEqual(notification["type"], "danger")
        self.assertTrue(notification["sticky"])
        self.assertEqual(
            notification["message"],
            "1 user(s) mapped to Slack, 0 not found by e-mail. Slack stopped the sync: Slack refused "
            "users.lookupByEmail: ratelimited (HTTP 429); retry after 30 s. 2 user(s) not looked up yet: run it "
            "again later.",
        )
        self.assertNotIn(TOKEN, notification["message"])

        self.fake.reset()
        self.fake.add_user("dan@sync.example", "U0DAN")
        notification = self.sync()
        self.assertEqual(self.looked_up(), ["bob@sync.example", "dan@sync.example"])
        self.assertEqual(self.dan.messaging_slack_user_id, "U0DAN")
        self.assertEqual(self.ann.messaging_slack_user_id, "U0ANN")
        self.assertEqual(notification["message"], "1 user(s) mapped to Slack, 1 not found by e-mail.")

    def test_settings_are_saved_first_and_the_token_never_shows(self) -> None:
        """The button saves a token just typed, then uses it; Slack's refusal is reported word for word, without
        the token, even when a proxy's error page quotes it."""
        wrong_token = "xoxb-1111111111-2222222222-WrongTokenTyped"
        notification = self.sync(messaging_slack_bot_token=wrong_token)

        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("messaging_router.slack_bot_token"), wrong_token)
        self.assertEqual([request.token for request in self.fake.requests], [wrong_token])
        self.assertEqual(notification["type"], "danger")
        self.assertIn("Slack refused users.lookupByEmail: invalid_auth.", notification["message"])
        self.assertIn("3 user(s) not looked up yet", notification["message"])
        self.assertNotIn(wrong_token, repr(notification))

        params.set_param("messaging_router.slack_bot_token", TOKEN)
        self.fake.enqueue(raw_reply(502, f"<html>bad gateway for Bearer {TOKEN}</html>".encode()))
        notification = self.sync()
        self.assertIn("Slack answered users.lookupByEmail with HTTP 502", notification["message"])
        self.assertNotIn(TOKEN, repr(notification))
        self.assertNotIn("SyncTokenForTests", repr(notification))
        self.assertFalse(self.ann.messaging_slack_user_id)

    def test_without_token_a_clear_notification_and_no_call(self) -> None:
        self.env["ir.config_parameter"].sudo().set_param("messaging_router.slack_bot_token", False)
        notification = self.sync()

        self.assertEqual(notification["type"], "warning")
        self.assertEqual(
            notification["message"],
            "No Slack bot token is configured: enter it in Settings > Messaging > Slack first.",
        )
        with self.assertRaises(UserError):
            self.ann.with_user(self.admin)._messaging_sync_slack_ids()
        self.assertFalse(self.fake.requests)
        self.assertFalse(self.ann.messaging_slack_user_id)

    # --- access ------------------------------------------------------------------------------------------------

    def test_only_settings_administrators_can_sync(self) -> None:
        """A messaging manager (not a settings administrator) gets AccessError from the method, even for their own
        user, and cannot reach the button; an Access Rights administrator neither. Slack is never called."""
        erp_manager = new_test_user(self.env, login="sync_erp_manager", groups="base.group_erp_manager")
        for user in (self.manager, erp_manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    (self.ann | user).with_user(user)._messaging_sync_slack_ids()
                with self.assertRaises(AccessError):
                    self.env["res.config.settings"].with_user(user).create({}).action_messaging_sync_slack_users()
        self.assertFalse(self.fake.requests)
        self.assertFalse(self.ann.messaging_slack_user_id)

    # --- views -------------------------------------------------------------------------------------------------

    def test_button_in_slack_settings_and_column_in_users_list(self) -> None:
        settings_arch = etree.fromstring(
            self.env["res.config.settings"].with_user(self.admin).get_views([(False, "form")])["views"]["form"]["arch"]
        )
        (button,) = settings_arch.xpath(
            "//app[@name='messaging_router']//block[@name='messaging_router_slack']"
            "//button[@name='action_messaging_sync_slack_users']"
        )
        self.assertEqual((button.get("type"), button.get("string")), ("object", "Sync Slack users"))

        list_view = self.env.ref("base.view_users_tree").id
        for user, visible in ((self.admin, True), (self.manager, False)):
            with self.subTest(user=user.login):
                arch = self.env["res.users"].with_user(user).get_views([(list_view, "list")])["views"]["list"]["arch"]
                columns = etree.fromstring(arch).xpath("//field[@name='messaging_slack_user_id']")
                self.assertEqual(bool(columns), visible)
                if visible:
                    self.assertEqual(columns[0].get("optional"), "show")


class TestSlackAppManifest(BaseCommon):
    def test_shipped_manifest_parses_and_names_the_suite_endpoints(self) -> None:
        """data/slack_app_manifest.yaml is what Slack's "From a manifest" takes: the scopes the suite uses, and
        nothing it does not; the request URLs of the module's controllers; the /odoo command; the message events of
        the channels the bot is in (replies in threads tied to records)."""
        with open(file_path("messaging_router/data/slack_app_manifest.yaml"), encoding="utf-8") as manifest_file:
            manifest = yaml.safe_load(manifest_file)

        self.assertEqual(manifest["display_information"]["name"], "Odoo")
        self.assertEqual(manifest["features"]["bot_user"]["display_name"], "Odoo")
        self.assertEqual(
            set(manifest["oauth_config"]["scopes"]["bot"]),
            {"chat:write", "users:read", "users:read.email", "commands", "channels:history", "groups:history"},
        )
        (command,) = manifest["features"]["slash_commands"]
        self.assertEqual((command["command"], command["url"]), ("/odoo", "https://YOUR-ODOO/messaging/slack/command"))
        settings = manifest["settings"]
        self.assertEqual(
            settings["interactivity"],
            {"is_enabled": True, "request_url": "https://YOUR-ODOO/messaging/slack/interactivity"},
        )
        self.assertEqual(
            settings["event_subscriptions"],
            {
                "request_url": "https://YOUR-ODOO/messaging/slack/events",
                "bot_events": ["message.channels", "message.groups"],
            },
        )
