from odoo import http
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin
from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from .common import PortalVendorExtCommon, VendorPortalHttpMixin


@tagged("post_install", "-at_install")
class TestPortalPoChange(VendorPortalHttpMixin, PortalVendorExtCommon, JsonRpcMixin, HttpCaseWithUserPortal):
    """`/my/purchase/<id>/decline` and `/propose` for the vendor, another vendor, the public, a customer's portal
    contact and an employee; and the models over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ack_fixtures()
        env = cls.env
        customer = env["res.partner"].create({"name": "PVE Change Customer", "is_company": True})
        cls.customer_user = new_test_user(
            env, login="pve_chg_customer", groups="base.group_portal", parent_id=customer.id
        )
        cls.employee = new_test_user(env, login="pve_chg_employee", groups="purchase.group_purchase_user")
        cls.line = cls.order.order_line

    def _post(self, order, action: str, data: dict, access_token: str | None = None):
        data = dict(data, csrf_token=http.Request.csrf_token(self))
        if access_token:
            data["access_token"] = access_token
        return self.url_open(f"/my/purchase/{order.id}/{action}", data=data, allow_redirects=False)

    def _assertUntouched(self, order) -> None:
        order.invalidate_recordset()
        self.assertFalse(order.pve_declined_date)
        self.assertFalse(order.pve_change_ids)

    def test_vendor_proposes_changes(self) -> None:
        self._login(self.vendor_user)
        page = self.url_open(f"/my/purchase/{self.order.id}")
        self.assertIn('id="pve_propose_button"', page.text)
        self.assertIn('id="pve_decline_button"', page.text)

        response = self._post(
            self.order,
            "propose",
            {f"line_{self.line.id}_qty": "3", f"line_{self.line.id}_price": "12", "comment": "Only 3 in stock"},
        )

        query = self._assertRedirect(response, f"/my/purchase/{self.order.id}")
        self.assertEqual(query["success"], "pve_change")
        change = self.order.pve_change_ids
        self.assertEqual(change.line_ids.new_product_qty, 3.0)
        self.assertEqual(change.comment, "Only 3 in stock")
        page = self.url_open(response.headers["Location"])
        self.assertIn('id="pve_proposals"', page.text)
        self.assertIn("quantity 5.0 → 3.0", page.text)
        self.assertNotIn('id="pve_propose_button"', page.text, "one proposal at a time")

    def test_vendor_bad_input_shows_error(self) -> None:
        self._login(self.vendor_user)

        response = self._post(self.order, "propose", {f"line_{self.line.id}_qty": "lots"})

        query = self._assertRedirect(response, f"/my/purchase/{self.order.id}")
        self.assertEqual(query["error"], "pve_change_invalid")
        self._assertUntouched(self.order)
        page = self.url_open(response.headers["Location"])
        self.assertIn("quantity and unit price must be numbers", page.text)
        self.assertNotIn("must be numbers", self.url_open(response.headers["Location"]).text, "shown once")

    def test_vendor_declines(self) -> None:
        self._login(self.vendor_user)

        response = self._post(self.order, "decline", {"reason": "Factory closed"})

        self._assertRedirect(response, f"/my/purchase/{self.order.id}")
        self.assertEqual(self.order.pve_decline_reason, "Factory closed")
        page = self.url_open(response.headers["Location"])
        self.assertIn('id="pve_declined"', page.text)
        self.assertNotIn('id="pve_decline_button"', page.text)
        again = self._assertRedirect(
            self._post(self.order, "decline", {"reason": "x"}), f"/my/purchase/{self.order.id}"
        )
        self.assertEqual(again["error"], "pve_change_declined")
        self.assertEqual(self.order.pve_decline_reason, "Factory closed")

    def test_vendor_cannot_change_another_orders_line(self) -> None:
        """A line id of another vendor's order slipped into the form is ignored."""
        other_order = self.order.copy({"partner_id": self.other_vendor.id})
        other_order.button_confirm()
        self._login(self.vendor_user)

        response = self._post(self.order, "propose", {f"line_{other_order.order_line.id}_qty": "1"})

        self.assertEqual(self._assertRedirect(response, f"/my/purchase/{self.order.id}")["error"], "pve_change_invalid")
        self._assertUntouched(self.order)
        self.assertEqual(other_order.order_line.product_qty, 5.0)

    def test_rfq_refused(self) -> None:
        self._login(self.vendor_user)
        self.assertNotIn('id="pve_propose_button"', self.url_open(f"/my/purchase/{self.rfq.id}").text)
        for action, data in (("decline", {"reason": "No"}), ("propose", {f"line_{self.rfq.order_line.id}_qty": "1"})):
            with self.subTest(action=action):
                query = self._assertRedirect(self._post(self.rfq, action, data), f"/my/purchase/{self.rfq.id}")
                self.assertEqual(query["error"], "pve_change_not_confirmed")
        self._assertUntouched(self.rfq)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_other_vendor_customer_and_public_redirected(self) -> None:
        for user in (self.other_vendor_user, self.customer_user, None):
            self.authenticate(user and user.login, user and user.login)
            for action, data in (("decline", {"reason": "No"}), ("propose", {f"line_{self.line.id}_qty": "1"})):
                with self.subTest(user=user and user.login, action=action):
                    self._assertRedirect(self._post(self.order, action, data), "/my")
        self._assertUntouched(self.order)

    def test_public_with_token_asked_to_sign_in(self) -> None:
        token = self.order._portal_ensure_token()
        self.authenticate(None, None)
        self.assertNotIn(
            'id="pve_decline_button"', self.url_open(f"/my/purchase/{self.order.id}?access_token={token}").text
        )

        response = self._post(self.order, "decline", {"reason": "No"}, access_token=token)

        self.assertEqual(self._assertRedirect(response, f"/my/purchase/{self.order.id}")["error"], "pve_change_login")
        self._assertUntouched(self.order)

    def test_employee_cannot_act_for_the_vendor(self) -> None:
        self._login(self.employee)
        self.assertNotIn('id="pve_decline_button"', self.url_open(f"/my/purchase/{self.order.id}").text)

        response = self._post(self.order, "decline", {"reason": "No"})

        self.assertEqual(
            self._assertRedirect(response, f"/my/purchase/{self.order.id}")["error"], "pve_change_not_vendor"
        )
        self._assertUntouched(self.order)

    def test_portal_users_cannot_use_the_models_over_rpc(self) -> None:
        change = self.order._pve_propose_changes(self.vendor_user.partner_id, {self.line.id: {"qty": "2"}})
        for user in (self.vendor_user, self.other_vendor_user, self.customer_user):
            self._login(user)
            with self.subTest(user=user.login):
                self.assert_rpc_refused(self.call_kw("pve.po.change", "write", [change.ids, {"state": "accepted"}]))
                self.assert_rpc_refused(self.call_kw("pve.po.change", "action_accept", [change.ids]))
                self.assert_rpc_refused(
                    self.call_kw("pve.po.change.line", "write", [change.line_ids.ids, {"new_product_qty": 1}])
                )
                self.assert_rpc_refused(
                    self.call_kw(
                        "pve.po.change", "create", [{"order_id": self.order.id, "partner_id": user.partner_id.id}]
                    )
                )
                self.assert_rpc_refused(
                    self.call_kw("purchase.order", "write", [self.order.ids, {"pve_decline_reason": "x"}])
                )
        change.invalidate_recordset()
        self.assertEqual(change.state, "proposed")
        self.assertEqual(self.line.product_qty, 5.0)
        self._login(self.employee)
        self.assert_rpc_done(self.call_kw("pve.po.change", "action_accept", [change.ids]))
        self.assertEqual(self.line.product_qty, 2.0)
