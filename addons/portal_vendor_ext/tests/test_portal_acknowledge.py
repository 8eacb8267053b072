from datetime import datetime

from odoo import http
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import HttpCaseWithUserPortal
from odoo.addons.portal_vendor_ext.models.purchase_order import ACK_REQUIRED_PARAM

from .common import PortalVendorExtCommon, VendorPortalHttpMixin


@tagged("post_install", "-at_install")
class TestPortalAcknowledge(VendorPortalHttpMixin, PortalVendorExtCommon, HttpCaseWithUserPortal):
    """`/my/purchase/<id>/acknowledge` for the vendor, another vendor, an internal buyer and the public with and
    without a token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ack_fixtures()

    def _post_acknowledge(self, order, access_token: str | None = None, csrf: bool = True):
        data = {"csrf_token": http.Request.csrf_token(self)} if csrf else {"dummy": "1"}
        if access_token:
            data["access_token"] = access_token
        return self.url_open(f"/my/purchase/{order.id}/acknowledge", data=data, allow_redirects=False)

    def _assertNotAcknowledged(self, order) -> None:
        order.invalidate_recordset()
        self.assertFalse(order.pve_acknowledged_date)
        self.assertFalse(order.pve_acknowledged_by_id)
        self.assertFalse(self.findMessage(order, "Order acknowledged by"))

    def test_vendor_sees_orders_in_portal(self) -> None:
        """The vendor's contact lists the confirmed order at /my/purchase and gets the button on its page."""
        self.authenticate(self.vendor_user.login, self.vendor_user.login)

        listing = self.url_open("/my/purchase")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.order.name, listing.text)

        page = self.url_open(f"/my/purchase/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('id="pve_acknowledge_button"', page.text)
        self.assertNotIn('id="pve_acknowledged"', page.text)

    def test_vendor_acknowledges(self) -> None:
        self.authenticate(self.vendor_user.login, self.vendor_user.login)

        response = self._post_acknowledge(self.order)

        self._assertRedirect(response, f"/my/purchase/{self.order.id}")
        self.order.invalidate_recordset()
        self.assertTrue(self.order.pve_acknowledged_date)
        self.assertEqual(self.order.pve_acknowledged_by_id, self.vendor_user.partner_id)
        message = self.findMessage(self.order, "Order acknowledged by Vera Vendor.")
        self.assertEqual(message.author_id, self.vendor_user.partner_id)

        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertIn('id="pve_acknowledged"', page.text)
        self.assertIn("Acknowledged on", page.text)
        self.assertIn("Vera Vendor", page.text)
        self.assertNotIn('id="pve_acknowledge_button"', page.text)

    def test_second_acknowledgement_changes_nothing(self) -> None:
        self.order._pve_acknowledge(self.vendor_user.partner_id)
        # Move the first acknowledgement into the past so that a rewrite could not go unnoticed.
        first_date = datetime(2026, 1, 15, 8, 0)
        self.order._write_audited({"pve_acknowledged_date": first_date})
        self.authenticate(self.vendor_user.login, self.vendor_user.login)

        response = self._post_acknowledge(self.order)

        query = self._assertRedirect(response, f"/my/purchase/{self.order.id}")
        self.assertNotIn("error", query)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.pve_acknowledged_date, first_date)
        self.assertEqual(len(self.findMessage(self.order, "Order acknowledged by")), 1)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_other_vendor_redirected(self) -> None:
        self.authenticate(self.other_vendor_user.login, self.other_vendor_user.login)

        self.assertEqual(self.url_open(f"/my/purchase/{self.order.id}", allow_redirects=False).status_code, 303)
        response = self._post_acknowledge(self.order)

        self._assertRedirect(response, "/my")
        self._assertNotAcknowledged(self.order)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_public_without_token_redirected(self) -> None:
        self.authenticate(None, None)

        response = self._post_acknowledge(self.order)

        self._assertRedirect(response, "/my")
        self._assertNotAcknowledged(self.order)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_public_with_wrong_token_redirected(self) -> None:
        self.order._portal_ensure_token()
        self.authenticate(None, None)

        response = self._post_acknowledge(self.order, access_token="not-the-token")

        self._assertRedirect(response, "/my")
        self._assertNotAcknowledged(self.order)

    def test_public_with_token_refused(self) -> None:
        """The link in the PO email shows the order, as in stock Odoo, but acknowledging needs the vendor's login."""
        token = self.order._portal_ensure_token()
        self.authenticate(None, None)
        page = self.url_open(f"/my/purchase/{self.order.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.order.name, page.text)
        self.assertNotIn('id="pve_acknowledge_button"', page.text)

        response = self._post_acknowledge(self.order, access_token=token)

        query = self._assertRedirect(response, f"/my/purchase/{self.order.id}")
        self.assertEqual(query["access_token"], token)
        self.assertEqual(query["error"], "pve_ack_login")
        self._assertNotAcknowledged(self.order)
        refused = self.url_open(response.headers["Location"])
        self.assertIn("Sign in to acknowledge", refused.text)
        self.assertIn(f'href="/web/login?redirect=/my/purchase/{self.order.id}"', refused.text)

    def test_other_vendor_with_token_refused(self) -> None:
        """Another vendor's user who got hold of the link sees the order but cannot acknowledge it."""
        token = self.order._portal_ensure_token()
        self.authenticate(self.other_vendor_user.login, self.other_vendor_user.login)
        page = self.url_open(f"/my/purchase/{self.order.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn('id="pve_acknowledge_button"', page.text)

        response = self._post_acknowledge(self.order, access_token=token)

        query = self._assertRedirect(response, f"/my/purchase/{self.order.id}")
        self.assertEqual(query["error"], "pve_ack_not_vendor")
        self._assertNotAcknowledged(self.order)

    def test_repeated_posts_acknowledge_once(self) -> None:
        self.authenticate(self.vendor_user.login, self.vendor_user.login)

        for _i in range(3):
            self._assertRedirect(self._post_acknowledge(self.order), f"/my/purchase/{self.order.id}")

        self.assertEqual(len(self.findMessage(self.order, "Order acknowledged by")), 1)
        self.assertEqual(self.order.pve_acknowledged_by_id, self.vendor_user.partner_id)

    def test_rfq_refused(self) -> None:
        """A request for quotation cannot be acknowledged: clear error, nothing written."""
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        page = self.url_open(f"/my/purchase/{self.rfq.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn('id="pve_acknowledge_button"', page.text)

        response = self._post_acknowledge(self.rfq)

        query = self._assertRedirect(response, f"/my/purchase/{self.rfq.id}")
        self.assertEqual(query["error"], "pve_ack_not_confirmed")
        self._assertNotAcknowledged(self.rfq)
        refused = self.url_open(response.headers["Location"])
        self.assertIn("Only confirmed purchase orders can be acknowledged.", refused.text)

    def test_buyer_cannot_acknowledge_for_the_vendor(self) -> None:
        """An internal purchase user previewing the portal page gets no button and is refused."""
        buyer = new_test_user(self.env, login="pve_buyer", groups="purchase.group_purchase_user")
        self.authenticate(buyer.login, buyer.login)
        page = self.url_open(f"/my/purchase/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn('id="pve_acknowledge_button"', page.text)

        response = self._post_acknowledge(self.order)

        query = self._assertRedirect(response, f"/my/purchase/{self.order.id}")
        self.assertEqual(query["error"], "pve_ack_not_vendor")
        self._assertNotAcknowledged(self.order)

    def test_setting_off_refused(self) -> None:
        """Setting off: no button, and the route refuses with an error."""
        self.env["ir.config_parameter"].set_param(ACK_REQUIRED_PARAM, False)
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        page = self.url_open(f"/my/purchase/{self.order.id}")
        self.assertNotIn('id="pve_acknowledge_button"', page.text)

        response = self._post_acknowledge(self.order)

        query = self._assertRedirect(response, f"/my/purchase/{self.order.id}")
        self.assertEqual(query["error"], "pve_ack_disabled")
        self._assertNotAcknowledged(self.order)
        refused = self.url_open(response.headers["Location"])
        self.assertIn("Acknowledging purchase orders online is not available.", refused.text)

    @mute_logger("odoo.http")
    def test_post_without_csrf_rejected(self) -> None:
        self.authenticate(self.vendor_user.login, self.vendor_user.login)

        response = self._post_acknowledge(self.order, csrf=False)

        self.assertEqual(response.status_code, 400)
        self._assertNotAcknowledged(self.order)
