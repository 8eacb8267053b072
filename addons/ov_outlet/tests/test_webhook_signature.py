import hashlib
import hmac

from odoo.tests.common import BaseCase

from ..tools.webhook_signature import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureError,
    sign,
    signed_headers,
    verify,
)

SECRET = "s3cret-shared-with-the-asset-system"
BODY = b'{"event_id": "evt-1", "quantity": 3}'
NOW = 1_790_000_000


class TestWebhookSignature(BaseCase):
    def test_signature_is_hmac_sha256_over_timestamp_dot_body(self):
        expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
        self.assertEqual(sign(SECRET, NOW, BODY), f"sha256={expected}")

    def test_signed_headers_verify(self):
        headers = signed_headers(SECRET, BODY, now=NOW)
        self.assertEqual(headers[TIMESTAMP_HEADER], str(NOW))
        self.assertEqual(verify(SECRET, headers, BODY, now=NOW + 299), headers[SIGNATURE_HEADER])
        lower = {key.lower(): value for key, value in headers.items()}
        self.assertEqual(verify(SECRET, lower, BODY, now=NOW), headers[SIGNATURE_HEADER])

    def test_refusals(self):
        headers = signed_headers(SECRET, BODY, now=NOW)
        cases = [
            ("missing", SECRET, {}, BODY, NOW),
            ("missing", SECRET, {TIMESTAMP_HEADER: str(NOW)}, BODY, NOW),
            ("malformed", SECRET, {**headers, TIMESTAMP_HEADER: "yesterday"}, BODY, NOW),
            ("malformed", SECRET, {**headers, SIGNATURE_HEADER: "md5=abc"}, BODY, NOW),
            ("expired", SECRET, headers, BODY, NOW + 301),
            ("expired", SECRET, headers, BODY, NOW - 301),
            ("mismatch", SECRET, headers, BODY + b" ", NOW),
            ("mismatch", "another secret", headers, BODY, NOW),
            ("mismatch", "", headers, BODY, NOW),
            ("mismatch", SECRET, {**headers, TIMESTAMP_HEADER: str(NOW + 1)}, BODY, NOW),
        ]
        for reason, secret, sent_headers, body, now in cases:
            with self.subTest(reason=reason, headers=sent_headers), self.assertRaises(SignatureError) as caught:
                verify(secret, sent_headers, body, now=now)
            self.assertEqual(caught.exception.reason, reason)

    def test_no_secret_no_signature(self):
        with self.assertRaises(ValueError):
            sign("", NOW, BODY)
