from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin

from .common import VendorPortalHttpMixin
from .test_shipping_notice import ShippingNoticeCommon


@tagged("post_install", "-at_install")
class TestPortalShippingNotice(VendorPortalHttpMixin, ShippingNoticeCommon, JsonRpcMixin, HttpCase):
    """`/my/purchase/<id>/shipping-notice/<picking id>` for the vendor, another vendor, another order's receipt,
    the public, a customer's portal contact and an employee; and receipts over JSON-RPC as a portal vendor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_asn_fixtures()
        customer = cls.env["res.partner"].create({"name": "PVE ASN Customer", "is_company": True})
        cls.customer_user = new_test_user(
            cls.env, login="pve_asn_customer", groups="base.group_portal", parent_id=customer.id
        )
        cls.employee = new_test_user(cls.env, login="pve_asn_employee", groups="purchase.group_purchase_user")

    def _post(self, order, picking, data: dict, access_token: str | None = None):
        data = dict(data, csrf_token=http.Request.csrf_token(self))
        if access_token:
            data["access_token"] = access_token
        return self.url_open(f"/my/purchase/{order.id}/shipping-notice/{picking.id}", data=data, allow_redirects=False)

    def _data(self, **changes) -> dict:
        form = self._form()
        data = {
            "expected_date": form["expected_date"],
            "carrier": form["carrier"],
            "tracking_ref": form["tracking_ref"],
            f"move_{self.move.id}_qty": "4",
        }
        data.update(changes)
        return data

    def _assertUntouched(self, *pickings) -> None:
        for picking in pickings or (self.receipt, self.other_receipt):
            picking.invalidate_recordset()
            self.assertFalse(picking.pve_asn_submitted_date, picking.name)
            self.assertFalse(picking.move_ids.pve_asn_qty)
        self.assertFalse(self._deliveries())

    def test_vendor_sends_a_notice(self) -> None:
        self._login(self.vendor_user)
        page = self.url_open(f"/my/purchase/{self.order.id}")
        self.assertIn('id="pve_asn_sections"', page.text)
        self.assertIn(self.receipt.name, page.text)

        response = self._post(self.order, self.receipt, self._data())

        query = self._assertRedirect(response, f"/my/purchase/{self.order.id}")
        self.assertEqual(query["success"], "pve_asn")
        self.assertEqual(self.receipt.pve_asn_tracking_ref, "JD0123456789")
        self.assertEqual(self.move.pve_asn_qty, 4.0)
        self.assertEqual(self._deliveries().partner_id, self.buyer.partner_id)
        page = self.url_open(response.headers["Location"])
        self.assertIn('id="pve_asn_success"', page.text)
        self.assertIn('value="JD0123456789"', page.text, "the form shows what was sent")

    def test_bad_input_shows_error_and_keeps_what_was_typed(self) -> None:
        self._login(self.vendor_user)

        response = self._post(
            self.order, self.receipt, self._data(**{f"move_{self.move.id}_qty": "9", "tracking_ref": "TYPED-42"})
        )

        query = self._assertRedirect(response, f"/my/purchase/{self.order.id}")
        self.assertEqual(query["error"], "pve_asn_invalid")
        self._assertUntouched()
        page = self.url_open(response.headers["Location"])
        self.assertIn('id="pve_asn_error"', page.text)
        self.assertIn("than ordered", page.text)
        self.assertIn('value="TYPED-42"', page.text)
        self.assertIn('value="9"', page.text)
        self.assertIn('value="DHL Freight"', page.text)

    def test_another_orders_receipt_refused(self) -> None:
        self._login(self.vendor_user)

        response = self._post(self.order, self.other_receipt, self._data())

        query = self._assertRedirect(response, f"/my/purchase/{self.order.id}")
        self.assertEqual(query["error"], "pve_asn_invalid")
        self._assertUntouched()

    def test_other_vendor_refused(self) -> None:
        self._login(self.other_vendor_user)
        page = self.url_open(f"/my/purchase/{self.order.id}", allow_redirects=False)
        self.assertNotEqual(page.status_code, 200)

        self._assertRedirect(self._post(self.order, self.receipt, self._data()), "/my")
        # Its own order with our receipt id: not a receipt of that order.
        response = self._post(self.other_order, self.receipt, self._data())
        self.assertEqual(
            self._assertRedirect(response, f"/my/purchase/{self.other_order.id}")["error"], "pve_asn_invalid"
        )
        self._assertUntouched()

    def test_anonymous_customer_and_employee_refused(self) -> None:
        for user, path in ((None, "/my"), (self.customer_user, "/my")):
            with self.subTest(user=user and user.login):
                self._login(user)
                self._assertRedirect(self._post(self.order, self.receipt, self._data()), path)
        self._login(self.employee)
        page = self.url_open(f"/my/purchase/{self.order.id}")
        self.assertNotIn('id="pve_asn_sections"', page.text)
        response = self._post(self.order, self.receipt, self._data())
        query = self._assertRedirect(response, f"/my/purchase/{self.order.id}")
        self.assertEqual(query["error"], "pve_asn_not_vendor")
        self._assertUntouched()

    def test_anonymous_with_access_token_must_sign_in(self) -> None:
        self._login(None)
        token = self.order._portal_ensure_token()

        response = self._post(self.order, self.receipt, self._data(), access_token=token)

        self.assertEqual(self._assertRedirect(response, f"/my/purchase/{self.order.id}")["error"], "pve_asn_login")
        self._assertUntouched()

    def test_rfq_refused(self) -> None:
        self._login(self.vendor_user)
        response = self._post(self.rfq, self.receipt, self._data())
        self.assertEqual(
            self._assertRedirect(response, f"/my/purchase/{self.rfq.id}")["error"], "pve_asn_not_confirmed"
        )
        self._assertUntouched()

    def test_portal_vendor_cannot_touch_receipts_over_rpc(self) -> None:
        self._login(self.vendor_user)
        self.assert_rpc_refused(self.call_kw("stock.picking", "read", [self.receipt.ids, ["name"]]))
        self.assert_rpc_refused(self.call_kw("stock.picking", "write", [self.receipt.ids, {"pve_asn_carrier": "X"}]))
        self.assert_rpc_refused(self.call_kw("stock.move", "write", [self.move.ids, {"pve_asn_qty": 1}]))
        response = self.call_kw(
            "stock.picking", "_pve_submit_shipping_notice", [self.receipt.ids, self.order.id, self.vendor.id, {}]
        )
        self.assertIn("error", response)
        self._assertUntouched()

    def test_declined_order_refused(self) -> None:
        self.order._pve_decline(self.vendor_user.partner_id, "Out of steel")
        self._login(self.vendor_user)
        self.assertNotIn('id="pve_asn_sections"', self.url_open(f"/my/purchase/{self.order.id}").text)

        response = self._post(self.order, self.receipt, self._data())

        self.assertEqual(self._assertRedirect(response, f"/my/purchase/{self.order.id}")["error"], "pve_asn_declined")
        self.assertIn("You declined this order", self.url_open(response.headers["Location"]).text)
        self._assertUntouched()
