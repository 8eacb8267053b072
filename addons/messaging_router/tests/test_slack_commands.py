"""The /odoo slash command: parsing, the response_url seam, and signed commands answered with the user's rights."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

from odoo.fields import Command as OrmCommand
from odoo.tests import BaseCase, HttpCase, new_test_user, tagged

from odoo.addons.ai_bridge_core.tests.common import run_due_jobs

from ..tools import slack_client, slack_commands
from ..tools.slack_client import SlackError
from .common import SLACK_SIGNING_SECRET, MockMessaging, slack_signed_headers


class TestCommandParsing(BaseCase):
    def test_commands(self):
        parse = slack_commands.parse
        self.assertEqual(parse(""), slack_commands.Command("help"))
        self.assertEqual(parse("HELP"), slack_commands.Command("help"))
        self.assertEqual(
            parse("search customer Deco  Addict"), slack_commands.Command("search_customer", "Deco Addict")
        )
        self.assertEqual(parse("search customer"), slack_commands.Command("help"))
        self.assertEqual(parse("Order S00042"), slack_commands.Command("order", "S00042"))
        self.assertEqual(parse("pipeline summary"), slack_commands.Command("pipeline_summary"))
        self.assertEqual(parse("dance"), slack_commands.Command("unknown", "dance"))

    def test_long_results_are_cut(self):
        rows = [(f"Customer {n}", "", f"https://odoo.example/{n}") for n in range(15)]
        (block,) = slack_commands.rows_blocks("Customers", rows, "none")
        self.assertIn("<https://odoo.example/9|Customer 9>", block["text"]["text"])
        self.assertNotIn("Customer 10>", block["text"]["text"])
        self.assertIn("and 5 more", block["text"]["text"])


class _ResponseUrl(BaseHTTPRequestHandler):
    """Slack's response_url endpoint: records JSON answers; the path chooses the status."""

    received: list = []

    def do_POST(self):
        type(self).received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        status = int(self.path.rsplit("/", 1)[-1])
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", "7")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format, *args):  # stdlib signature
        pass


class TestRespondSeam(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), _ResponseUrl)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.base = f"http://127.0.0.1:{cls.server.server_address[1]}/actions/T1/secret-part"

    def test_an_ephemeral_answer_with_blocks(self):
        _ResponseUrl.received.clear()
        slack_client.respond(
            f"{self.base}/200", "Found 2", [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}]
        )
        (body,) = _ResponseUrl.received
        self.assertEqual((body["text"], body["response_type"]), ("Found 2", "ephemeral"))
        self.assertEqual(body["blocks"][0]["type"], "section")

    def test_errors_say_whether_to_retry_and_never_show_the_url(self):
        with self.assertRaises(SlackError) as caught:
            slack_client.respond(f"{self.base}/429", "x")
        self.assertEqual((caught.exception.retryable, caught.exception.retry_after), (True, 7.0))
        with self.assertRaises(SlackError) as caught:
            slack_client.respond(f"{self.base}/500", "x")
        self.assertTrue(caught.exception.retryable)
        with self.assertRaises(SlackError) as caught:
            slack_client.respond(f"{self.base}/404", "x")
        self.assertFalse(caught.exception.retryable)
        self.assertNotIn("secret-part", str(caught.exception))


@tagged("post_install", "-at_install")
class TestSlashCommands(HttpCase, MockMessaging):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.configure_slack(cls.env)
        cls.hidden_group = cls.env["res.groups"].create({"name": "Slack command test: hidden partners"})
        cls.visible, cls.hidden = cls.env["res.partner"].create(
            [{"name": "Zephyr Visible Trading", "email": "z@visible.example"}, {"name": "Zephyr Hidden Trading"}]
        )
        cls.env["ir.rule"].create(
            {
                "name": "Hidden Zephyr",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "domain_force": [("id", "!=", cls.hidden.id)],
                "groups": [OrmCommand.link(cls.hidden_group.id)],
            }
        )
        cls.seller = new_test_user(cls.env, login="slack_seller", groups="base.group_user")
        cls.seller.write({"messaging_slack_user_id": "U0SELLER", "groups_id": [OrmCommand.link(cls.hidden_group.id)]})

    def _command(self, slack_user, text, secret=SLACK_SIGNING_SECRET):
        form = {
            "token": "legacy",
            "team_id": "T0TEAM",
            "channel_id": "C0SALES",
            "user_id": slack_user,
            "user_name": slack_user.lower(),
            "command": "/odoo",
            "text": text,
            "response_url": "https://hooks.slack.invalid/commands/T0TEAM/1/xyz",
            "trigger_id": "1.2.3",
        }
        body = urlencode(form).encode()
        return self.url_open("/messaging/slack/command", data=body, headers=slack_signed_headers(secret, body))

    def _answers(self):
        with self.mock_slack() as slack:
            run_due_jobs(self.env)
        return slack.responses

    def test_search_answers_with_what_the_user_may_see(self):
        response = self._command("U0SELLER", "search customer Zephyr")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["response_type"], "ephemeral")
        (answer,) = self._answers()
        self.assertEqual(answer["response_url"], "https://hooks.slack.invalid/commands/T0TEAM/1/xyz")
        listing = answer["blocks"][0]["text"]["text"]
        self.assertIn(f"/odoo/res.partner/{self.visible.id}|Zephyr Visible Trading>", listing)
        self.assertNotIn("Hidden", listing)

    def test_help_and_unknown_commands_list_the_commands(self):
        self._command("U0SELLER", "dance")
        (answer,) = self._answers()
        self.assertIn("/odoo search customer", answer["text"])

    def test_an_unlinked_slack_user_gets_no_data(self):
        self._command("U0NOBODY", "search customer Zephyr")
        (answer,) = self._answers()
        self.assertIn("not linked to an Odoo user", answer["text"])
        self.assertNotIn("Zephyr", json.dumps(answer))

    def test_unsigned_commands_are_refused(self):
        self.assertEqual(self._command("U0SELLER", "help", secret="wrong").status_code, 401)
        self.assertFalse(self.env["messaging.slack.request"].search([]))
