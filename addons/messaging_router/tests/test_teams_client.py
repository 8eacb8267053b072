"""Tests of the Teams seam with the real ``requests`` posting to a local fake Workflows webhook.

Odoo's test base lets ``requests`` reach 127.0.0.1 only, so no test can post to a real Teams channel.
"""

from __future__ import annotations

import pickle
import time
from typing import Any
from urllib.parse import urlsplit

from odoo.tests import BaseCase

from odoo.addons.ai_bridge_core.tests.local_server import debug_logs, free_port, without_proxies
from odoo.addons.messaging_router.tests.fake_teams import WEBHOOK_PATH, FakeTeams
from odoo.addons.messaging_router.tools import teams_client
from odoo.addons.messaging_router.tools.teams_client import (
    CARD_CONTENT_TYPE,
    MAX_PAYLOAD_BYTES,
    TeamsError,
    adaptive_card,
    message_payload,
    post_card,
)

CARD = adaptive_card(
    "Invoice 42 is overdue",
    "Azure Interior owes **1,250.00 €** since 2025-01-15.",
    facts={"Customer": "Azure Interior", "Amount": "1,250.00 €"},
    url="https://odoo.example.com/odoo/action-account.action_move_out_invoice_type/42",
)


def closed_port(url: str) -> str:
    """``url`` on a port of 127.0.0.1 where nothing listens (free a moment ago, closed again)."""
    return urlsplit(url)._replace(netloc=f"127.0.0.1:{free_port()}").geturl()


class TestAdaptiveCard(BaseCase):
    def test_full_card(self) -> None:
        self.assertEqual(
            CARD,
            {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": [
                    {
                        "type": "TextBlock",
                        "text": "Invoice 42 is overdue",
                        "weight": "Bolder",
                        "size": "Medium",
                        "wrap": True,
                    },
                    {"type": "TextBlock", "text": "Azure Interior owes **1,250.00 €** since 2025-01-15.", "wrap": True},
                    {
                        "type": "FactSet",
                        "facts": [
                            {"title": "Customer", "value": "Azure Interior"},
                            {"title": "Amount", "value": "1,250.00 €"},
                        ],
                    },
                ],
                "actions": [
                    {
                        "type": "Action.OpenUrl",
                        "title": "Open in Odoo",
                        "url": "https://odoo.example.com/odoo/action-account.action_move_out_invoice_type/42",
                    }
                ],
            },
        )

    def test_minimal_card_has_no_empty_parts(self) -> None:
        """No text, facts or URL: no empty TextBlock, FactSet or actions (Teams shows empty parts as gaps)."""
        card = adaptive_card("Backup done", "")

        self.assertEqual([block["type"] for block in card["body"]], ["TextBlock"])
        self.assertNotIn("actions", card)

    def test_facts_as_pairs_keep_their_order_and_become_text(self) -> None:
        card = adaptive_card("Stock", "Low", facts=[("Qty", 3), ("Min", 10.5), ("Qty", None)], url_title="Open")

        self.assertEqual(
            card["body"][-1]["facts"],
            [{"title": "Qty", "value": "3"}, {"title": "Min", "value": "10.5"}, {"title": "Qty", "value": "None"}],
        )

    def test_message_envelope(self) -> None:
        self.assertEqual(
            message_payload(CARD),
            {"type": "message", "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": CARD}]},
        )
        self.assertEqual(CARD_CONTENT_TYPE, "application/vnd.microsoft.card.adaptive")


class TestTeamsClient(BaseCase):
    """``post_card`` against the fake webhook, through the real ``requests``."""

    fake: FakeTeams

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        without_proxies(cls)
        cls.fake = FakeTeams().start()
        cls.addClassCleanup(cls.fake.stop)

    def setUp(self) -> None:
        super().setUp()
        self.fake.reset()

    def post_error(self, url: str | None = None, **kwargs: Any) -> TeamsError:
        with self.assertRaises(TeamsError) as caught:
            post_card(self.fake.webhook_url if url is None else url, CARD, **{"timeout": 5, **kwargs})
        return caught.exception

    # --- success ---------------------------------------------------------------------------------------------

    def test_post_card_sends_the_envelope(self) -> None:
        status = post_card(self.fake.webhook_url, CARD, timeout=5)

        self.assertEqual(status, 202)
        [sent] = self.fake.requests
        self.assertEqual((sent.method, urlsplit(sent.path).path), ("POST", WEBHOOK_PATH))
        self.assertEqual(sent.query["sig"], self.fake.sig)
        self.assertEqual(sent.headers["content-type"], "application/json")
        self.assertEqual(
            sent.body, {"type": "message", "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": CARD}]}
        )
        self.assertEqual(sent.card, CARD)

    def test_legacy_connector_200_is_a_success(self) -> None:
        self.fake.reply_status(200, b"1")

        self.assertEqual(post_card(self.fake.webhook_url, CARD, timeout=5), 200)

    # --- retryable -------------------------------------------------------------------------------------------

    def test_429_is_retryable_with_retry_after(self) -> None:
        self.fake.reply_rate_limited(retry_after=5)

        error = self.post_error()

        self.assertEqual((error.retryable, error.retry_after, error.status), (True, 5.0, 429))
        self.assertEqual(
            error.message,
            "The Teams webhook answered HTTP 429: WorkflowRequestsThrottled: Rate limit is exceeded.; retry after 5 s",
        )
        self.assertEqual(len(self.fake.requests), 1)

    def test_429_without_retry_after(self) -> None:
        self.fake.reply_rate_limited(retry_after=None)

        error = self.post_error()

        self.assertEqual((error.retryable, error.retry_after, error.status), (True, None, 429))

    def test_5xx_is_retryable(self) -> None:
        for status in (500, 502, 503, 504):
            with self.subTest(status=status):
                self.fake.reset()
                self.fake.reply_status(status, b"<html>Service Unavailable</html>")

                error = self.post_error()

                self.assertEqual((error.retryable, error.status), (True, status))
                self.assertEqual(
                    error.message, f"The Teams webhook answered HTTP {status}: <html>Service Unavailable</html>"
                )

    def test_timeout_is_retryable(self) -> None:
        self.fake.reply_slow(3.0)

        started = time.monotonic()
        error = self.post_error(timeout=0.3)

        self.assertLess(time.monotonic() - started, 2.0)
        self.assertEqual((error.retryable, error.status), (True, None))
        self.assertEqual(error.message, "The Teams webhook did not answer within 0.3 s.")

    def test_connection_refused_is_retryable(self) -> None:
        error = self.post_error(closed_port(self.fake.webhook_url))

        self.assertEqual((error.retryable, error.status), (True, None))
        self.assertEqual(error.message, "Could not connect to the Teams webhook (ConnectionError).")

    # --- final -----------------------------------------------------------------------------------------------

    def test_4xx_is_final(self) -> None:
        """A card Workflows refuse, a deleted or disabled flow: retrying would fail the same way."""
        for status, code in [(400, "TriggerInputSchemaMismatch"), (403, "WorkflowDisabled"), (404, "TriggerNotFound")]:
            with self.subTest(status=status):
                self.fake.reset()
                self.fake.reply_error(status, code, "Nope.", headers={"Retry-After": "10"})

                error = self.post_error()

                self.assertEqual((error.retryable, error.status), (False, status))
                self.assertEqual(error.message, f"The Teams webhook answered HTTP {status}: {code}: Nope.")

    def test_400_from_the_fake_workflow_for_a_bad_envelope(self) -> None:
        """Not scripted: the fake checks the envelope like the flow's trigger; a card without it is refused."""
        import requests

        response = requests.post(self.fake.webhook_url, json=CARD, timeout=5)

        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["code"], "TriggerInputSchemaMismatch")

    def test_wrong_signature_is_final(self) -> None:
        url = self.fake.webhook_url.replace(self.fake.sig, "x" * 43)

        error = self.post_error(url)

        self.assertEqual((error.retryable, error.status), (False, 401))
        self.assertIn("DirectApiInvalidAuthorizationSignature", error.message)

    def test_redirect_is_not_followed(self) -> None:
        self.fake.reply_status(302, headers={"Location": f"{self.fake.url}/elsewhere"})

        error = self.post_error()

        self.assertEqual((error.retryable, error.status), (False, 302))
        self.assertEqual(len(self.fake.requests), 1)

    def test_too_large_card_is_not_sent(self) -> None:
        card = adaptive_card("Huge", "x" * MAX_PAYLOAD_BYTES)

        with self.assertRaises(TeamsError) as caught:
            post_card(self.fake.webhook_url, card, timeout=5)

        self.assertFalse(caught.exception.retryable)
        self.assertIn("too large", caught.exception.message)
        self.assertEqual(self.fake.requests, [])

    def test_missing_or_unusable_url(self) -> None:
        for url, expected in [
            ("", "No Microsoft Teams webhook URL is configured."),
            ("127.0.0.1/workflows/abc?sig=secretsecret", "The Teams webhook URL cannot be used (MissingSchema)."),
        ]:
            with self.subTest(url=url):
                error = self.post_error(url)

                self.assertEqual((error.retryable, error.message), (False, expected))
        self.assertEqual(self.fake.requests, [])

    # --- the URL stays secret --------------------------------------------------------------------------------

    def test_url_never_in_errors_or_logs(self) -> None:
        """Success, 400/401/500 bodies echoing the URL, 429, timeout, refused connection, unusable URL: neither
        the URL, nor its path, nor its ``sig`` appears in a message, repr or log line, although ``urllib3`` logs
        each request line at DEBUG; no ``requests`` exception is chained onto the error."""
        url = self.fake.webhook_url
        path_and_query = url[len(self.fake.url) :]
        scenarios = [
            ("success", lambda: None, url, {}),
            ("400 echo", lambda: self.fake.reply_error(400, "BadRequest", f"Bad request to {url}"), url, {}),
            ("500 echo", lambda: self.fake.reply_status(500, f"error at {path_and_query}".encode()), url, {}),
            ("401", lambda: None, url.replace(self.fake.sig, "y" * 43), {}),
            ("429", lambda: self.fake.reply_rate_limited(retry_after=1), url, {}),
            ("timeout", lambda: self.fake.reply_slow(3.0), url, {"timeout": 0.2}),
            ("refused", lambda: None, closed_port(url), {}),
            ("unusable", lambda: None, f"htp{url[4:]}", {}),
        ]
        for label, queue, target, kwargs in scenarios:
            with self.subTest(label):
                self.fake.reset()
                queue()
                texts = []
                with debug_logs(self, ("urllib3", "requests", "odoo.addons.messaging_router")) as output:
                    try:
                        post_card(target, CARD, **{"timeout": 5, **kwargs})
                    except TeamsError as error:
                        texts += [str(error), repr(error)]
                        self.assertIsNone(error.__cause__)
                        self.assertIsNone(error.__context__)

                self.assertEqual(bool(texts), label != "success")
                everything = "\n".join(texts + output)
                for secret in (self.fake.sig, "y" * 43, WEBHOOK_PATH, urlsplit(target).query):
                    self.assertNotIn(secret, everything)
                if label not in ("timeout", "refused", "unusable"):  # no answer, no request line
                    # urllib3's request line was logged, and redacted
                    self.assertTrue(any("[redacted]" in line and "POST" in line for line in output), output)
        self.assertEqual(teams_client._filter._secrets, {})  # nothing left registered after the posts

    def test_teams_error_survives_pickling(self) -> None:
        error = TeamsError("The Teams webhook answered HTTP 429", True, 5.0, 429)

        copy = pickle.loads(pickle.dumps(error))

        self.assertEqual(repr(copy), repr(error))
