import json
import time

from odoo.tests.common import BaseCase

from odoo.addons.ai_bridge_core.tests.local_server import debug_logs, free_port, without_proxies

from ..tools.asset_client import AssetSystemError, post_event
from ..tools.webhook_signature import IDEMPOTENCY_HEADER, signed_headers
from .fake_asset_system import FakeAssetSystem, FakeReply

SECRET = "asset-secret-for-the-seam-tests"
BODY = json.dumps({"event": "sale.order.confirmed", "order_reference": "S00042"}).encode()


class TestAssetClient(BaseCase):
    """``post_event`` against a fake asset system, through the real ``requests``."""

    fake: FakeAssetSystem

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        without_proxies(cls)
        cls.fake = FakeAssetSystem(SECRET).start()
        cls.addClassCleanup(cls.fake.stop)

    def setUp(self) -> None:
        super().setUp()
        self.fake.reset()

    def _post(self, key: str = "sale.order/42/confirmed", timeout: float = 2.0, secret: str = SECRET) -> dict:
        headers = {**signed_headers(secret, BODY), IDEMPOTENCY_HEADER: key}
        return post_event(self.fake.webhook_url, BODY, headers, timeout=timeout)

    def test_accepted_event_returns_the_entitlement_and_the_server_verifies_the_signature(self) -> None:
        reply = self._post()
        self.assertEqual(reply, {"entitlement_id": "ENT-1", "asset_allocation": {"batteries": ["BAT-001", "BAT-002"]}})
        self.assertEqual(reply.status, 201)
        request = self.fake.last_request
        self.assertIsNone(request.signature_error)
        self.assertEqual(request.raw_body, BODY)
        self.assertEqual(request.idempotency_key, "sale.order/42/confirmed")
        self.assertEqual(request.headers["content-type"], "application/json")

    def test_a_wrong_secret_is_refused_by_the_receiver_and_not_retried(self) -> None:
        with self.assertRaises(AssetSystemError) as caught:
            self._post(secret="not-the-shared-secret")
        self.assertFalse(caught.exception.retryable)
        self.assertEqual(caught.exception.status, 401)
        self.assertIn("401", str(caught.exception))
        self.assertEqual(self.fake.last_request.signature_error, "mismatch")

    def test_server_error_is_retryable(self) -> None:
        self.fake.enqueue(FakeReply(500, {"error": "database down"}))
        with self.assertRaises(AssetSystemError) as caught:
            self._post()
        error = caught.exception
        self.assertEqual((error.retryable, error.retry_after, error.status), (True, None, 500))
        self.assertIn("500", str(error))
        self.assertIn("database down", str(error))

    def test_too_many_requests_is_retryable_after_the_servers_delay(self) -> None:
        self.fake.enqueue(FakeReply(429, {"error": "slow down"}, headers={"Retry-After": "42"}))
        with self.assertRaises(AssetSystemError) as caught:
            self._post()
        self.assertEqual((caught.exception.retryable, caught.exception.retry_after), (True, 42.0))

    def test_other_client_errors_are_permanent(self) -> None:
        self.fake.enqueue(FakeReply(422, {"error": "unknown outlet GNT"}))
        with self.assertRaises(AssetSystemError) as caught:
            self._post()
        self.assertFalse(caught.exception.retryable)
        self.assertIn("unknown outlet GNT", str(caught.exception))

    def test_timeout_is_retryable_and_does_not_wait_for_the_reply(self) -> None:
        self.fake.enqueue(FakeReply(delay=3))
        started = time.monotonic()
        with self.assertRaises(AssetSystemError) as caught:
            self._post(timeout=0.3)
        self.assertLess(time.monotonic() - started, 2.5)
        self.assertTrue(caught.exception.retryable)
        self.assertIn("did not answer within 0.3 seconds", str(caught.exception))

    def test_refused_connection_is_retryable(self) -> None:
        url = f"http://127.0.0.1:{free_port()}/webhooks/odoo"
        with self.assertRaises(AssetSystemError) as caught:
            post_event(url, BODY, signed_headers(SECRET, BODY), timeout=2)
        self.assertTrue(caught.exception.retryable)
        self.assertIn("cannot be reached", str(caught.exception))

    def test_malformed_json_reply_is_a_clear_permanent_error(self) -> None:
        for body in (b"<html>Welcome</html>", b'["not", "an", "object"]'):
            self.fake.enqueue(FakeReply(200, body))
            with self.assertRaises(AssetSystemError) as caught:
                self._post()
            self.assertFalse(caught.exception.retryable)
            self.assertIn("not a JSON object", str(caught.exception))

    def test_an_invalid_url_is_refused_without_a_request(self) -> None:
        with self.assertRaises(AssetSystemError) as caught:
            post_event("ftp://assets.example.com/in", BODY, {}, timeout=1)
        self.assertFalse(caught.exception.retryable)
        self.assertFalse(self.fake.requests)

    def test_messages_and_logs_never_carry_the_signature_or_the_query_string(self) -> None:
        headers = {**signed_headers(SECRET, BODY), IDEMPOTENCY_HEADER: "k"}
        signature = headers["X-OV-Signature"]
        self.fake.enqueue(FakeReply(503, {"error": "maintenance"}))
        with debug_logs(self, ["odoo.addons.ov_outlet"]) as logs, self.assertRaises(AssetSystemError) as caught:
            post_event(f"{self.fake.webhook_url}?token=receiver-token", BODY, headers, timeout=2)
        self.assertEqual(caught.exception.status, 503)
        ours = [line for line in logs if "ov_outlet" in line]
        self.assertTrue(ours)
        for text in (str(caught.exception), *ours):
            self.assertNotIn(signature, text)
            self.assertNotIn("receiver-token", text)
            self.assertNotIn(SECRET, text)
