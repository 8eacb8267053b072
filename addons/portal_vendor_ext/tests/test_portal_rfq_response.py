from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin

from .common import VendorPortalHttpMixin
from .test_rfq_response import RfqResponseCommon


@tagged("post_install", "-at_install")
class TestPortalRfqResponse(VendorPortalHttpMixin, RfqResponseCommon, JsonRpcMixin, HttpCase):
    """`/my/purchase/<id>/rfq-response` for the vendor, another vendor (its ids and ours), the public (with and
    without the RFQ's token), a customer's portal contact, an employee without purchase rights and a purchase
    user; and the response models over JSON-RPC as portal vendors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_rfq_fixtures()
        customer = cls.env["res.partner"].create({"name": "PVE RFQ Customer", "is_company": True})
        cls.customer_user = new_test_user(
            cls.env, login="pve_rfq_customer", groups="base.group_portal", parent_id=customer.id
        )
        cls.employee = new_test_user(cls.env, login="pve_rfq_employee", groups="base.group_user")

    def _post(self, order, data: dict, access_token: str | None = None):
        data = dict(data, csrf_token=http.Request.csrf_token(self))
        if access_token:
            data["access_token"] = access_token
        return self.url_open(f"/my/purchase/{order.id}/rfq-response", data=data, allow_redirects=False)

    def _data(self, line=None, **changes) -> dict:
        line = line or self.rfq_line
        values = {"price": "9.5", "min_qty": "10", "lead_time": "7", "valid_until": self.valid_until.isoformat()}
        values.update(changes)
        data = {f"line_{line.id}_{key}": value for key, value in values.items()}
        data["comment"] = "Portal comment"
        return data

    def _assertNoResponse(self) -> None:
        self.assertFalse(self._responses())
        self.assertFalse(self._deliveries())

    def test_vendor_answers_and_revises(self) -> None:
        self._login(self.vendor_user)
        page = self.url_open(f"/my/purchase/{self.rfq.id}")
        self.assertIn('id="pve_rfq_section"', page.text)
        self.assertIn(f'name="line_{self.rfq_line.id}_price"', page.text)

        response = self._post(self.rfq, self._data())

        self.assertEqual(self._assertRedirect(response, f"/my/purchase/{self.rfq.id}")["success"], "pve_rfq")
        answer = self._responses()
        self.assertEqual(answer.line_ids.price_unit, 9.5)
        self.assertEqual(answer.comment, "Portal comment")
        self.assertEqual(self._deliveries().partner_id, self.buyer.partner_id)
        page = self.url_open(response.headers["Location"])
        self.assertIn('id="pve_rfq_success"', page.text)
        self.assertIn('value="9.5"', page.text, "the form shows what was sent")

        self._post(self.rfq, self._data(price="8.25"))
        self.assertEqual(self._responses(), answer)
        self.assertEqual(answer.line_ids.price_unit, 8.25)

    def test_bad_input_shows_error_and_keeps_what_was_typed(self) -> None:
        self._login(self.vendor_user)

        response = self._post(self.rfq, self._data(price="-3", lead_time="12"))

        self.assertEqual(self._assertRedirect(response, f"/my/purchase/{self.rfq.id}")["error"], "pve_rfq_invalid")
        self._assertNoResponse()
        page = self.url_open(response.headers["Location"])
        self.assertIn('id="pve_rfq_error"', page.text)
        self.assertIn("cannot be negative", page.text)
        self.assertIn('value="-3"', page.text)
        self.assertIn('value="12"', page.text)
        self.assertIn("Portal comment", page.text)

    def test_other_vendor_refused(self) -> None:
        self._login(self.other_vendor_user)
        page = self.url_open(f"/my/purchase/{self.rfq.id}", allow_redirects=False)
        self.assertNotEqual(page.status_code, 200)
        self._assertRedirect(self._post(self.rfq, self._data()), "/my")
        # Its own RFQ with our line's id: not a line of that RFQ, nothing quoted.
        response = self._post(self.alternative, self._data())
        self.assertEqual(
            self._assertRedirect(response, f"/my/purchase/{self.alternative.id}")["error"], "pve_rfq_invalid"
        )
        self._assertNoResponse()

    def test_anonymous_and_customer_refused(self) -> None:
        for user in (None, self.customer_user, self.employee):
            with self.subTest(user=user and user.login):
                self._login(user)
                self._assertRedirect(self._post(self.rfq, self._data()), "/my")
        self._assertNoResponse()

    def test_anonymous_with_access_token_must_sign_in(self) -> None:
        self._login(None)
        token = self.rfq._portal_ensure_token()
        page = self.url_open(f"/my/purchase/{self.rfq.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn('id="pve_rfq_section"', page.text)

        response = self._post(self.rfq, self._data(), access_token=token)

        self.assertEqual(self._assertRedirect(response, f"/my/purchase/{self.rfq.id}")["error"], "pve_rfq_login")
        self._assertNoResponse()

    def test_purchase_user_cannot_answer_for_the_vendor(self) -> None:
        self._login(self.buyer)
        page = self.url_open(f"/my/purchase/{self.rfq.id}")
        self.assertNotIn('id="pve_rfq_section"', page.text)
        response = self._post(self.rfq, self._data())
        self.assertEqual(self._assertRedirect(response, f"/my/purchase/{self.rfq.id}")["error"], "pve_rfq_not_vendor")
        self._assertNoResponse()

    def test_confirmed_order_and_chosen_rfq_refused(self) -> None:
        self._login(self.vendor_user)
        response = self._post(self.order, self._data(self.order.order_line))
        self.assertEqual(self._assertRedirect(response, f"/my/purchase/{self.order.id}")["error"], "pve_rfq_not_rfq")
        self._assertNoResponse()

        self._respond(order=self.alternative).action_accept()
        self.assertTrue(self.rfq.state == "cancel")
        page = self.url_open(f"/my/purchase/{self.rfq.id}")
        self.assertNotIn('id="pve_rfq_section"', page.text)

    def test_closed_group_refused(self) -> None:
        # The alternative's response accepted while this RFQ stays open (e.g. re-opened by the buyer).
        accepted = self._respond(order=self.alternative)
        accepted.action_accept()
        self.rfq.button_draft()
        self._login(self.vendor_user)
        page = self.url_open(f"/my/purchase/{self.rfq.id}")
        self.assertIn('id="pve_rfq_closed"', page.text)
        response = self._post(self.rfq, self._data())
        self.assertEqual(self._assertRedirect(response, f"/my/purchase/{self.rfq.id}")["error"], "pve_rfq_closed")
        self.assertEqual(self._responses(), accepted)

    def test_rpc_vendors_read_only_their_own(self) -> None:
        ours = self._respond()
        theirs = self._respond(order=self.alternative)
        self._login(self.vendor_user)
        self.assert_rpc_done(self.call_kw("pve.rfq.response", "read", [ours.ids, ["state"]]))
        self.assert_rpc_done(self.call_kw("pve.rfq.response.line", "read", [ours.line_ids.ids, ["price_unit"]]))
        self.assert_rpc_refused(self.call_kw("pve.rfq.response", "read", [theirs.ids, ["state"]]))
        self.assert_rpc_refused(self.call_kw("pve.rfq.response.line", "read", [theirs.line_ids.ids, ["price_unit"]]))
        found = self.call_kw("pve.rfq.response", "search_read", [[], ["id"]])
        self.assertEqual([row["id"] for row in found["result"]], ours.ids)
        self.assert_rpc_refused(self.call_kw("pve.rfq.response", "write", [ours.ids, {"comment": "x"}]))
        self.assert_rpc_refused(
            self.call_kw("pve.rfq.response.line", "write", [ours.line_ids.ids, {"price_unit": 1.0}])
        )
        self.assert_rpc_refused(
            self.call_kw(
                "pve.rfq.response",
                "create",
                [{"order_id": self.rfq.id, "partner_id": self.vendor.id, "responded_by_id": self.vendor.id}],
            )
        )
        self.assert_rpc_refused(self.call_kw("pve.rfq.response", "action_accept", [ours.ids]))
        self.assertEqual(ours.state, "submitted")
        self.assertEqual(self.rfq.state, "draft")
