"""Slack threads tied to record chatter: events sent exactly as Slack sends them (signed JSON over real HTTP),
replies posted in the chatter once, chatter notes posted in the thread once, and no loop between the two."""

import json
import time
from datetime import datetime, timedelta

from markupsafe import Markup

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import BaseCase, Form, HttpCase, freeze_time, new_test_user, tagged

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin, run_due_jobs

from ..tools import slack_threads
from ..tools.slack_client import SlackError
from .common import SLACK_SIGNING_SECRET, MockMessaging, slack_signed_headers

URL = "/messaging/slack/events"
CHANNEL = "C0SALES"
BOT_ID = "B0ODOOBOT"


class TestThreadText(BaseCase):
    def reply(self, **event: object) -> dict:
        base = {"type": "message", "channel": CHANNEL, "user": "U1", "text": "hi", "ts": "2.0", "thread_ts": "1.0"}
        return {**base, **event}

    def test_only_replies_written_by_people_are_thread_replies(self) -> None:
        self.assertEqual(
            slack_threads.thread_reply(self.reply()), slack_threads.ThreadReply(CHANNEL, "1.0", "2.0", "U1", "hi")
        )
        self.assertTrue(slack_threads.thread_reply(self.reply(subtype="thread_broadcast")))
        for event in (
            self.reply(thread_ts="2.0"),  # the thread's parent
            self.reply(thread_ts=None),  # a message in the channel
            self.reply(bot_id=BOT_ID),  # the bot's own post, echoed
            self.reply(subtype="message_changed"),
            self.reply(subtype="message_deleted"),
            self.reply(user=None),
            self.reply(type="reaction_added"),
            None,
            "message",
        ):
            with self.subTest(event=event):
                self.assertIsNone(slack_threads.thread_reply(event))

    def test_mrkdwn_becomes_plain_text(self) -> None:
        names = {"U1": "Ann Lee"}.get
        text = (
            "<@U1> and <@U2> in <#C1|sales>, <!here>: see <https://example.com/a?b=1&amp;c=2|the doc> "
            "and <https://example.com>, mail <mailto:x@example.com|x@example.com>; 1 &lt; 2 &amp;&amp; 3 &gt; 2 "
            "<script>"
        )
        self.assertEqual(
            slack_threads.mrkdwn_to_text(text, names),
            "@Ann Lee and @U2 in #sales, @here: see the doc: https://example.com/a?b=1&c=2 and https://example.com, "
            "mail x@example.com; 1 < 2 && 3 > 2 script",
        )

    def test_chatter_text_is_escaped_and_cut_for_slack(self) -> None:
        self.assertEqual(
            slack_threads.reply_text("Ann <Lee>", "a < b & <@U1>", ["quote.pdf"]),
            "*Ann &lt;Lee&gt;*: a &lt; b &amp; &lt;@U1&gt;\n:paperclip: quote.pdf",
        )
        long_text = slack_threads.reply_text("Ann", "x" * 5000)
        self.assertEqual(len(long_text), len("*Ann*: ") + slack_threads.MAX_REPLY_TEXT)
        self.assertTrue(long_text.endswith("…"))


@tagged("post_install", "-at_install")
class TestSlackThreads(HttpCase, MockMessaging, JsonRpcMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.configure_slack(cls.env)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("messaging_router.slack_thread_channel", CHANNEL)
        cls.customer = cls.env["res.partner"].create({"name": "Thread Customer"})
        cls.order = cls.env["sale.order"].create({"partner_id": cls.customer.id})
        cls.seller = new_test_user(cls.env, login="thread_seller", groups="sales_team.group_sale_salesman_all_leads")
        cls.seller.messaging_slack_user_id = "U0SELLER"
        cls.employee = new_test_user(cls.env, login="thread_employee", groups="base.group_user")
        cls.portal = new_test_user(cls.env, login="thread_portal", groups="base.group_portal")

    def setUp(self):
        super().setUp()
        self.clock = datetime.now()
        with self.mock_slack() as slack:
            self.thread = self._start(self.order)
        (self.root,) = slack.calls
        self.event_number = 0

    # --- helpers -----------------------------------------------------------------------------------------------

    def _run_jobs(self, seconds=2):
        """Run the due jobs a little later each time: Slack's pace of one message per second and channel holds."""
        self.clock += timedelta(seconds=seconds)
        with freeze_time(self.clock):
            run_due_jobs(self.env)
        failed = self.env["queue.job"].search([("state", "=", "failed")])
        self.assertFalse(failed.mapped("exc_info"), "no job fails")

    def _start(self, record, user=None, channel=None):
        Wizard = self.env["messaging.slack.thread.start"].with_user(user or self.seller)
        with Form(Wizard.with_context(active_model=record._name, active_id=record.id)) as wizard:
            self.assertEqual(wizard.res_name, record.display_name)
            if channel:
                wizard.slack_channel = channel
        wizard.save().action_start()
        thread = self.env["messaging.slack.thread"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )
        self.assertEqual(thread.state, "pending", "the first message is posted by a job")
        self._run_jobs()
        return thread

    def _reply(self, text, *, user="U0SELLER", ts="1700000100.000200", **event):
        return {
            "type": "message",
            "user": user,
            "text": text,
            "ts": ts,
            "thread_ts": self.thread.slack_ts,
            "parent_user_id": "U0ODOOBOT",
            "channel": CHANNEL,
            "event_ts": ts,
            "channel_type": "channel",
            "client_msg_id": "1a2b3c4d-0000-4000-8000-000000000000",
            **event,
        }

    def _send(self, body, *, secret=SLACK_SIGNING_SECRET, timestamp=None, headers=None):
        body = body if isinstance(body, bytes) else json.dumps(body).encode()
        signed = slack_signed_headers(secret, body, "application/json", timestamp)
        return self.url_open(URL, data=body, headers={**signed, **(headers or {})})

    def _event(self, event, *, event_id=None, **send):
        """POST an ``event_callback`` as Slack does; a new ``event_id`` unless one is given."""
        if not event_id:
            self.event_number += 1
            event_id = f"Ev0THREAD{self.event_number:04d}"
        envelope = {
            "token": "legacy-verification-token",
            "team_id": "T0TEAM",
            "api_app_id": "A0ODOO",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0TEAM", "user_id": "U0ODOOBOT", "is_bot": True}],
            "is_ext_shared_channel": False,
        }
        return self._send(envelope, **send)

    def _from_slack(self):
        return self.order.message_ids.filtered(lambda message: message.sudo().messaging_slack_ts)

    # --- starting a thread --------------------------------------------------------------------------------------

    def test_a_thread_starts_with_a_message_about_the_record_and_a_note_in_its_chatter(self):
        self.assertEqual((self.root["channel"], self.root["thread_ts"]), (CHANNEL, None))
        self.assertEqual(self.root["text"], self.order.name)
        button = self.root["blocks"][-1]["elements"][0]
        self.assertTrue(button["url"].endswith(f"/odoo/sale.order/{self.order.id}"))
        self.assertEqual(
            (self.thread.state, self.thread.slack_channel, self.thread.slack_ts, self.thread.user_id),
            ("open", CHANNEL, "1700000000.000001", self.seller),
        )
        self.assertIn("A Slack thread was started in C0SALES", self.order.message_ids[0].body)
        action = self.thread.with_user(self.seller).action_open_record()
        self.assertEqual((action["res_model"], action["res_id"]), ("sale.order", self.order.id))
        with self.assertRaisesRegex(UserError, "has a Slack thread already"):
            self._start(self.order)

    def test_the_wizard_is_offered_on_contacts_sales_orders_and_ai_decisions(self):
        actions = self.env["ir.actions.act_window"].search([("res_model", "=", "messaging.slack.thread.start")])
        self.assertEqual(
            set(actions.mapped("binding_model_id.model")), {"res.partner", "sale.order", "ai.bridge.decision"}
        )

    def test_the_channel_defaults_to_the_settings_then_to_the_approval_route(self):
        Wizard = self.env["messaging.slack.thread.start"].with_user(self.seller)
        self.assertEqual(Wizard.default_get(["slack_channel"])["slack_channel"], CHANNEL)
        self.env["ir.config_parameter"].sudo().set_param("messaging_router.slack_thread_channel", False)
        self.env["messaging.route"]._get_route("approval.request").slack_channel = "#approvals"
        self.assertEqual(Wizard.default_get(["slack_channel"])["slack_channel"], "#approvals")

    def test_a_thread_slack_refuses_is_failed_noted_and_can_be_started_again(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        refusal = SlackError("Slack refused chat.postMessage: channel_not_found", False, error_code="channel_not_found")
        with self.mock_slack(refusal):
            thread = self._start(order)
        self.assertEqual((thread.state, thread.error), ("failed", "Slack refused chat.postMessage: channel_not_found"))
        self.assertIn("could not be started", order.message_ids[0].body)
        with self.mock_slack() as slack:
            self.assertEqual(self._start(order, channel="#sales"), thread)
        self.assertEqual((thread.state, slack.calls[0]["channel"]), ("open", "#sales"))

    def test_a_thread_needs_read_access_to_the_record(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id})  # the employee has no Sales rights
        hidden_group = self.env["res.groups"].create({"name": "Thread test: hidden contact"})
        hidden = self.env["res.partner"].create({"name": "Hidden Contact"})
        self.env["ir.rule"].create(
            {
                "name": "Hidden contact",
                "model_id": self.env.ref("base.model_res_partner").id,
                "domain_force": [("id", "!=", hidden.id)],
                "groups": [Command.link(hidden_group.id)],
            }
        )
        self.employee.groups_id = [Command.link(hidden_group.id)]
        for record in (order, hidden):
            values = {"res_model": record._name, "res_id": record.id, "slack_channel": CHANNEL}
            with self.subTest(record=record._name), self.assertRaises(AccessError):
                self.env["messaging.slack.thread.start"].with_user(self.employee).create(values).action_start()
            with self.subTest(record=record._name), self.assertRaises(AccessError):
                self.env["messaging.slack.thread"].with_user(self.employee)._start(record, CHANNEL)
        self.assertFalse(self.env["messaging.slack.thread"].search([("res_id", "in", (order.id, hidden.id))]))

    def test_a_thread_belongs_to_its_records_company(self):
        other = self.env["res.company"].create({"name": "Thread Co B"})
        self.seller.company_ids = [Command.link(other.id)]
        order = self.env["sale.order"].with_company(other).create({"partner_id": self.customer.id})
        with self.mock_slack():
            thread = self._start(order, channel="C0COMPANYB")
        self.assertEqual((thread.company_id, thread.state), (other, "open"))
        job = self.env["queue.job"].search([("method_name", "=", "_job_post_root")], order="id desc", limit=1)
        self.assertEqual(job.company_id, other)
        self.employee.groups_id = [Command.link(self.env.ref("sales_team.group_sale_salesman_all_leads").id)]
        Thread = self.env["messaging.slack.thread"].with_user(self.employee)
        self.assertEqual(Thread.search([]), self.thread, "only the threads of the user's companies")

    def test_portal_and_anonymous_users_cannot_reach_threads_over_rpc(self):
        values = {"res_model": "res.partner", "res_id": self.customer.id, "slack_channel": CHANNEL}
        self.authenticate("thread_portal", "thread_portal")
        for model, method, args in (
            ("messaging.slack.thread.start", "create", [values]),
            ("messaging.slack.thread", "search_read", []),
        ):
            with self.subTest(model=model):
                self.assert_rpc_refused(self.call_kw(model, method, args))
        self.authenticate(None, None)
        self.assert_rpc_refused(
            self.call_kw("messaging.slack.thread.start", "create", [values]), "odoo.http.SessionExpiredException"
        )

    # --- events: verification --------------------------------------------------------------------------------

    def test_url_verification_answers_the_challenge(self):
        body = {
            "token": "legacy",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
        response = self._send(body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"challenge": body["challenge"]})
        self.assertEqual(self._send(body, secret="not-the-secret").status_code, 401)

    def test_bad_signatures_old_requests_and_replays_are_refused(self):
        Request = self.env["messaging.slack.request"]
        self.assertEqual(self._event(self._reply("forged"), secret="not-the-secret").status_code, 401)
        self.assertEqual(self._event(self._reply("old"), timestamp=int(time.time()) - 301).status_code, 401)
        self.assertEqual(self._send(b"not json").status_code, 400)
        self.assertFalse(Request.search([]))

        body = json.dumps({"type": "event_callback", "event_id": "Ev0REPLAY", "event": self._reply("once")}).encode()
        headers = slack_signed_headers(SLACK_SIGNING_SECRET, body, "application/json")
        for _attempt in range(2):
            self.assertEqual(self.url_open(URL, data=body, headers=headers).status_code, 200, "a replay is ignored")
        self.assertEqual(len(Request.search([])), 1)
        with self.mock_slack() as slack:
            self._run_jobs()
        self.assertEqual(self._from_slack().mapped("body"), ["<p>once</p>"])
        self.assertFalse(slack.calls)

    # --- events: Slack to chatter ------------------------------------------------------------------------------

    def test_a_reply_lands_once_in_the_chatter_even_when_slack_retries_it(self):
        event = self._reply(
            "Delivery moved to *Friday* &lt;b&gt;bold?&lt;/b&gt; <https://carrier.example/t/1|tracking>"
        )
        self.assertEqual(self._event(event, event_id="Ev0RETRIED").status_code, 200)
        self.assertFalse(self._from_slack(), "the reply is posted by a job")
        retry = self._event(
            event, event_id="Ev0RETRIED", timestamp=int(time.time()) - 2, headers={"X-Slack-Retry-Num": "1"}
        )
        self.assertEqual(retry.status_code, 200)
        with self.mock_slack() as slack:
            self._run_jobs()
        (message,) = self._from_slack()
        self.assertEqual(message.author_id, self.seller.partner_id)
        self.assertEqual((message.message_type, message.subtype_id), ("comment", self.env.ref("mail.mt_note")))
        self.assertIn("Delivery moved to *Friday* &lt;b&gt;bold?&lt;/b&gt; tracking: <a", message.body)
        self.assertIn('href="https://carrier.example/t/1"', message.body)
        self.assertNotIn("<b>", message.body)
        self.assertEqual(message.sudo().messaging_slack_ts, "1700000100.000200")
        self.assertNotIn(self.seller.partner_id, self.order.message_partner_ids, "a reply subscribes nobody")
        self.assertFalse(slack.calls, "a reply from Slack is not sent back to Slack")

        self._event(event)  # the same message under another event id: still once
        self._run_jobs()
        self.assertEqual(len(self._from_slack()), 1)

    def test_a_reply_from_an_unmapped_slack_user_is_posted_by_odoobot_with_their_id(self):
        self._event(self._reply("Who is on it? <@U0SELLER>", user="U0STRANGER"))
        with self.mock_slack() as slack:
            self._run_jobs()
        (message,) = self._from_slack()
        self.assertEqual(message.author_id, self.env.ref("base.partner_root"))
        self.assertIn("Slack user U0STRANGER wrote:", message.body)
        self.assertIn(f"Who is on it? @{self.seller.name}", message.body)
        self.assertFalse(slack.calls)

    def test_bot_echoes_and_other_messages_are_dropped_at_the_door(self):
        for event in (
            self._reply("*Mitchell*: a note", bot_id=BOT_ID, app_id="A0ODOO", user="U0ODOOBOT"),
            self._reply("edited", subtype="message_changed"),
            self._reply("in the channel", thread_ts=None),
            self._reply("another thread", thread_ts="1600000000.000001"),
            {**self._reply("another channel"), "channel": "C0OTHER"},
        ):
            self.assertEqual(self._event(event).status_code, 200)
        self.assertFalse(self.env["messaging.slack.request"].search([]))

    # --- chatter to Slack --------------------------------------------------------------------------------------

    def test_notes_and_messages_by_people_go_to_the_thread_once(self):
        order = self.order.with_user(self.seller)
        with self.mock_slack() as slack:
            note = order.message_post(
                body=Markup("<p>Called them: <b>ok</b> &amp; done</p>"),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            order.message_post(body="Automated", subtype_xmlid="mail.mt_note")  # a notification
            self.order.message_post(body="OdooBot speaking", message_type="comment")  # as superuser: OdooBot
            self._run_jobs()
            self._run_jobs()
        (reply,) = slack.calls
        self.assertEqual((reply["channel"], reply["thread_ts"]), (CHANNEL, self.thread.slack_ts))
        self.assertEqual(reply["text"], f"*{self.seller.name}*: Called them: *ok* &amp; done")
        self.assertEqual(note.sudo().messaging_slack_ts, "1700000000.000001")

        # Slack's echo of that post, had it no bot_id, is known by its ts: no loop
        self._event(self._reply(reply["text"], ts=note.sudo().messaging_slack_ts))
        with self.mock_slack() as slack:
            self._run_jobs()
        self.assertEqual(self._from_slack(), note)
        self.assertFalse(slack.calls)

    def test_a_retried_job_posts_once(self):
        with self.mock_slack(self.slack_outage(retry_after=30)) as slack:
            note = self.order.with_user(self.seller).message_post(body="Shipped", message_type="comment")
            self._run_jobs()
            self.assertFalse(note.sudo().messaging_slack_ts, "Slack was down: retried later")
            self._run_jobs(seconds=3600)
            self._run_jobs(seconds=3600)
        self.assertEqual(len(slack.calls), 2, "one failed attempt, one post")
        self.assertEqual(note.sudo().messaging_slack_ts, "1700000000.000002")
        job = self.env["queue.job"].search(
            [("ai_bridge_idempotency_key", "=", f"messaging.slack.thread.reply:{note.id}")]
        )
        self.assertEqual(job.state, "done")
        with self.mock_slack() as slack:
            self.assertEqual(self.thread._job_post_reply(note), "skipped: deleted, or already in Slack")
            self.thread._forward_chatter_message(note)  # enqueued again: the same job, done
            self._run_jobs()
        self.assertFalse(slack.calls)
