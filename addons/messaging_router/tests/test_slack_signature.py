"""Tests of Slack request signature verification: each refusal says why."""

from __future__ import annotations

import time

from odoo.tests import BaseCase

from odoo.addons.messaging_router.tools.slack_signature import (
    REASON_BAD_SIGNATURE,
    REASON_BAD_TIMESTAMP,
    REASON_EXPIRED,
    REASON_FUTURE,
    REASON_MISSING_SIGNATURE,
    REASON_MISSING_TIMESTAMP,
    REASON_NO_SECRET,
    SlackSignatureError,
    sign_request,
    verify_request,
)

# The worked example of Slack's documentation (https://api.slack.com/authentication/verifying-requests-from-slack).
DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DOC_TIMESTAMP = "1531420618"
DOC_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"

SECRET = "0123456789abcdef0123456789abcdef"
NOW = 1_700_000_000.0
BODY = b'{"type":"event_callback","event_id":"Ev0001","event":{"type":"app_mention","text":"<@U0BOT> hi"}}'


class TestSlackSignature(BaseCase):
    def signed(self, timestamp: str = str(int(NOW)), body: bytes = BODY) -> tuple[str, bytes, str]:
        return timestamp, body, sign_request(SECRET, timestamp, body)

    def refusal(self, *args: object, **kwargs: object) -> SlackSignatureError:
        with self.assertRaises(SlackSignatureError) as caught:
            verify_request(*args, **kwargs)  # type: ignore[arg-type]
        return caught.exception

    # --- accepted --------------------------------------------------------------------------------------------

    def test_slack_documentation_example(self) -> None:
        """``sign_request`` follows Slack's scheme byte for byte: it reproduces the documented signature."""
        self.assertEqual(sign_request(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY), DOC_SIGNATURE)
        verify_request(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY, DOC_SIGNATURE, now=int(DOC_TIMESTAMP) + 60)

    def test_valid_request_passes(self) -> None:
        timestamp, body, signature = self.signed()

        self.assertIsNone(verify_request(SECRET, timestamp, body, signature, now=NOW))
        self.assertRegex(signature, r"^v0=[0-9a-f]{64}$")

    def test_str_body_is_the_same_as_its_utf8_bytes(self) -> None:
        body = '{"text": "café"}'
        verify_request(SECRET, "1700000000", body.encode(), sign_request(SECRET, "1700000000", body), now=NOW)

    def test_default_now_is_the_clock(self) -> None:
        timestamp = str(int(time.time()))

        verify_request(SECRET, timestamp, BODY, sign_request(SECRET, timestamp, BODY))

        error = self.refusal(SECRET, str(int(NOW)), BODY, sign_request(SECRET, str(int(NOW)), BODY))
        self.assertEqual(error.reason, REASON_EXPIRED)  # NOW is in 2023, long gone

    def test_timestamp_at_the_limits_is_accepted(self) -> None:
        for offset in (-300, 300):
            with self.subTest(offset=offset):
                timestamp, body, signature = self.signed(str(int(NOW) + offset))
                verify_request(SECRET, timestamp, body, signature, now=NOW)

    # --- refused, with the reason ----------------------------------------------------------------------------

    def test_wrong_secret(self) -> None:
        timestamp, body, _signature = self.signed()
        signature = sign_request("another-secret-0000000000000000", timestamp, body)

        error = self.refusal(SECRET, timestamp, body, signature, now=NOW)

        self.assertEqual(error.reason, REASON_BAD_SIGNATURE)
        self.assertEqual(str(error), "The X-Slack-Signature does not match the body and the signing secret.")

    def test_tampered_body(self) -> None:
        timestamp, body, signature = self.signed()

        error = self.refusal(SECRET, timestamp, body.replace(b"hi", b"ho"), signature, now=NOW)

        self.assertEqual(error.reason, REASON_BAD_SIGNATURE)

    def test_tampered_timestamp(self) -> None:
        """The timestamp is signed too: moving it within the window still breaks the signature."""
        timestamp, body, signature = self.signed()

        error = self.refusal(SECRET, str(int(timestamp) + 1), body, signature, now=NOW)

        self.assertEqual(error.reason, REASON_BAD_SIGNATURE)

    def test_old_timestamp(self) -> None:
        timestamp, body, signature = self.signed(str(int(NOW) - 301))

        error = self.refusal(SECRET, timestamp, body, signature, now=NOW)

        self.assertEqual(error.reason, REASON_EXPIRED)
        self.assertIn("too old: signed 301 s ago, more than 300 s", str(error))

    def test_future_timestamp(self) -> None:
        timestamp, body, signature = self.signed(str(int(NOW) + 301))

        error = self.refusal(SECRET, timestamp, body, signature, now=NOW)

        self.assertEqual(error.reason, REASON_FUTURE)
        self.assertIn("301 s in the future", str(error))

    def test_max_age_is_configurable(self) -> None:
        timestamp, body, signature = self.signed(str(int(NOW) - 61))

        self.assertEqual(self.refusal(SECRET, timestamp, body, signature, now=NOW, max_age=60).reason, REASON_EXPIRED)
        verify_request(SECRET, timestamp, body, signature, now=NOW, max_age=120)

    def test_missing_headers(self) -> None:
        timestamp, body, signature = self.signed()
        for missing in (None, ""):
            for ts, sig, reason, header in [
                (missing, signature, REASON_MISSING_TIMESTAMP, "X-Slack-Request-Timestamp"),
                (timestamp, missing, REASON_MISSING_SIGNATURE, "X-Slack-Signature"),
            ]:
                with self.subTest(reason, missing=missing):
                    error = self.refusal(SECRET, ts, body, sig, now=NOW)

                    self.assertEqual(error.reason, reason)
                    self.assertEqual(str(error), f"The {header} header is missing.")

    def test_non_numeric_timestamp(self) -> None:
        for timestamp in ("abc", "1700000000.5", "-1700000000", " 1700000000", "1700000000²", "1e9"):
            with self.subTest(timestamp=timestamp):
                signature = sign_request(SECRET, timestamp, BODY)  # even correctly signed

                error = self.refusal(SECRET, timestamp, BODY, signature, now=NOW)

                self.assertEqual(error.reason, REASON_BAD_TIMESTAMP)
                self.assertIn("is not a Unix time in seconds", str(error))

    def test_no_secret_refuses_everything(self) -> None:
        timestamp, body, _signature = self.signed()

        error = self.refusal("", timestamp, body, sign_request("", timestamp, body), now=NOW)

        self.assertEqual(error.reason, REASON_NO_SECRET)

    def test_malformed_signatures(self) -> None:
        """A signature of another version, truncated, upper-cased or with non-ASCII text is refused, not crashed."""
        timestamp, body, signature = self.signed()
        for forged in ("v1=" + signature[3:], signature[:-2], signature.upper(), "v0=é" + signature[4:], "garbage"):
            with self.subTest(forged=forged):
                error = self.refusal(SECRET, timestamp, body, forged, now=NOW)

                self.assertEqual(error.reason, REASON_BAD_SIGNATURE)
        self.assertIn("(it does not start with v0=)", str(self.refusal(SECRET, timestamp, body, "garbage", now=NOW)))
