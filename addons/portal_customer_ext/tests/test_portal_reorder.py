from urllib.parse import parse_qs, urlparse

from odoo import http
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import HttpCaseWithUserPortal
from odoo.addons.portal_customer_ext.models.sale_order import REORDER_ENABLED_PARAM

from .common import PortalCustomerExtCommon


@tagged("post_install", "-at_install")
class TestPortalReorder(PortalCustomerExtCommon, HttpCaseWithUserPortal):
    """`/my/orders/<id>/reorder` for the owner, a colleague, another customer, an internal user and the public
    with and without a token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_reorder_fixtures()

    def _post_reorder(self, order, access_token: str | None = None, csrf: bool = True):
        data = {"csrf_token": http.Request.csrf_token(self)} if csrf else {"dummy": "1"}
        if access_token:
            data["access_token"] = access_token
        return self.url_open(f"/my/orders/{order.id}/reorder", data=data, allow_redirects=False)

    def _reorders_of(self, order):
        self.env.invalidate_all()
        return self.env["sale.order"].search([("pce_reordered_from_id", "=", order.id)])

    def _assertRedirect(self, response, path: str) -> dict:
        """Check a 303 to `path` and return its query parameters."""
        self.assertEqual(response.status_code, 303)
        location = urlparse(response.headers["Location"])
        self.assertEqual(location.path, path)
        return {key: values[0] for key, values in parse_qs(location.query).items()}

    def _assert_reorder_refused(self, user, access_token: str | None = None):
        """`user` sees the order's page without the Reorder button, and a posted reorder is refused.

        :return: the refused POST's redirect"""
        self.authenticate(user.login, user.login)
        query_string = f"?access_token={access_token}" if access_token else ""
        page = self.url_open(f"/my/orders/{self.order.id}{query_string}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn('id="pce_reorder_button"', page.text)

        response = self._post_reorder(self.order, access_token=access_token)

        query = self._assertRedirect(response, f"/my/orders/{self.order.id}")
        self.assertEqual(query["message"], "pce_reorder_refused")
        self.assertFalse(self._reorders_of(self.order))
        return response

    def test_owner_reorders(self) -> None:
        """The customer's portal contact reorders: a draft copy, messages on both orders, redirect to it."""
        self.authenticate(self.customer_user.login, self.customer_user.login)
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('id="pce_reorder_button"', page.text)

        response = self._post_reorder(self.order)

        new_order = self._reorders_of(self.order)
        self.assertEqual(len(new_order), 1)
        query = self._assertRedirect(response, f"/my/orders/{new_order.id}")
        self.assertEqual(query["access_token"], new_order.access_token)
        self.assertEqual(query["message"], "pce_reorder_done")
        self.assertEqual(new_order.state, "draft")
        self.assertEqual(new_order.partner_id, self.customer)
        self.assertEqual(new_order.partner_invoice_id, self.invoice_address)
        self.assertEqual(new_order.partner_shipping_id, self.delivery_address)
        self.assertReorderLines(new_order, [(self.product_a, 3.0), (self.product_b, 2.5)])
        message = self.findMessage(new_order, f"Reordered from {self.order.name} by Carla Customer")
        self.assertEqual(message.author_id, self.customer_user.partner_id)
        self.assertIn(new_order.name, self.findMessage(self.order, "Reorder created").body)

        landing = self.url_open(response.headers["Location"])
        self.assertEqual(landing.status_code, 200)
        self.assertIn(f"This new quotation repeats your order {self.order.name}", landing.text)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_other_customer_redirected(self) -> None:
        """Another customer's portal user is sent to /my and nothing is created."""
        self.authenticate(self.user_portal.login, self.user_portal.login)

        response = self._post_reorder(self.order)

        self._assertRedirect(response, "/my")
        self.assertFalse(self._reorders_of(self.order))

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_public_without_token_redirected(self) -> None:
        self.authenticate(None, None)

        response = self._post_reorder(self.order)

        self._assertRedirect(response, "/my")
        self.assertFalse(self._reorders_of(self.order))

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_public_with_wrong_token_redirected(self) -> None:
        self.order._portal_ensure_token()
        self.authenticate(None, None)

        response = self._post_reorder(self.order, access_token="not-the-token")

        self._assertRedirect(response, "/my")
        self.assertFalse(self._reorders_of(self.order))

    def test_public_with_token_refused(self) -> None:
        """The order's link (its access token) shows the order but does not reorder: sign in first."""
        token = self.order._portal_ensure_token()
        self.authenticate(None, None)
        page = self.url_open(f"/my/orders/{self.order.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.order.name, page.text)
        self.assertNotIn('id="pce_reorder_button"', page.text)

        response = self._post_reorder(self.order, access_token=token)

        query = self._assertRedirect(response, f"/my/orders/{self.order.id}")
        self.assertEqual(query["access_token"], token)
        self.assertEqual(query["message"], "pce_reorder_login")
        self.assertFalse(self._reorders_of(self.order))
        refused = self.url_open(response.headers["Location"])
        self.assertIn("Sign in to reorder", refused.text)
        self.assertIn(f'href="/web/login?redirect=/my/orders/{self.order.id}"', refused.text)

    def test_other_customer_with_token_refused(self) -> None:
        """Another customer's user who got hold of the link sees the order, but cannot reorder for its customer."""
        token = self.order._portal_ensure_token()
        self._assert_reorder_refused(self.rival_user, access_token=token)

    def test_internal_user_outside_the_customer_refused(self) -> None:
        """The salesperson can open the portal page of their order, but is not the customer: no reorder."""
        self._assert_reorder_refused(self.salesman)

    def test_colleague_reorders(self) -> None:
        """Any logged-in contact of the customer (same commercial partner) reorders and is the author."""
        self.authenticate(self.colleague_user.login, self.colleague_user.login)
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('id="pce_reorder_button"', page.text)

        response = self._post_reorder(self.order)

        new_order = self._reorders_of(self.order)
        self.assertEqual(len(new_order), 1)
        self._assertRedirect(response, f"/my/orders/{new_order.id}")
        self.assertEqual(new_order.partner_id, self.customer)
        self.assertEqual(self.findMessage(new_order, "Reordered from").author_id, self.colleague_user.partner_id)

    def test_repeated_post_returns_the_open_quotation(self) -> None:
        """A second click, a reload or a replayed POST lands on the quotation still open, without a new one."""
        self.authenticate(self.customer_user.login, self.customer_user.login)
        first = self._post_reorder(self.order)
        new_order = self._reorders_of(self.order)
        self.assertEqual(len(new_order), 1)
        self._assertRedirect(first, f"/my/orders/{new_order.id}")

        for state in ("draft", "sent"):
            with self.subTest(state=state):
                new_order.state = state
                again = self._post_reorder(self.order)

                query = self._assertRedirect(again, f"/my/orders/{new_order.id}")
                self.assertEqual(query["message"], "pce_reorder_open")
                self.assertEqual(self._reorders_of(self.order), new_order)
        self.assertEqual(len(self.findMessage(self.order, "Reorder created")), 1)
        landing = self.url_open(again.headers["Location"])
        self.assertIn(f"You already reordered {self.order.name}", landing.text)

        # Once that quotation is cancelled (or confirmed), the next reorder creates a new one.
        new_order._action_cancel()
        third = self._post_reorder(self.order)
        reorders = self._reorders_of(self.order)
        self.assertEqual(len(reorders), 2)
        query = self._assertRedirect(third, f"/my/orders/{(reorders - new_order).id}")
        self.assertEqual(query["message"], "pce_reorder_done")

    def test_archived_product_skipped_and_reported(self) -> None:
        self.product_b.action_archive()
        self.authenticate(self.customer_user.login, self.customer_user.login)

        response = self._post_reorder(self.order)

        new_order = self._reorders_of(self.order)
        query = self._assertRedirect(response, f"/my/orders/{new_order.id}")
        self.assertEqual(query["message"], "pce_reorder_partial")
        self.assertReorderLines(new_order, [(self.product_a, 3.0)])
        self.assertTrue(self.findMessage(new_order, "PCE Service"))

        landing = self.url_open(response.headers["Location"])
        self.assertIn('id="pce_reorder_skipped"', landing.text)
        self.assertIn("PCE Service", landing.text)

    def test_setting_off_refused(self) -> None:
        """Setting off: no button, and the route sends the customer back to the order with an error."""
        self.env["ir.config_parameter"].set_param(REORDER_ENABLED_PARAM, False)
        response = self._assert_reorder_refused(self.customer_user)
        refused = self.url_open(response.headers["Location"])
        self.assertIn("This order cannot be reordered online", refused.text)

    @mute_logger("odoo.http")
    def test_post_without_csrf_rejected(self) -> None:
        self.authenticate(self.customer_user.login, self.customer_user.login)

        response = self._post_reorder(self.order, csrf=False)

        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._reorders_of(self.order))
