from odoo import http
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from .common import PortalCustomerExtCommon


@tagged("post_install", "-at_install")
class TestPortalQuotations(PortalCustomerExtCommon, HttpCaseWithUserPortal):
    """A reorder quotation is a draft: it is listed in /my/quotes and counted on /my for its customer only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_reorder_fixtures()

    def _reorder_as(self, user):
        """Reorder `self.order` through the portal route as `user` and return the new quotation."""
        self.authenticate(user.login, user.login)
        response = self.url_open(
            f"/my/orders/{self.order.id}/reorder",
            data={"csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        return self.env["sale.order"].search([("pce_reordered_from_id", "=", self.order.id)])

    def _quotes_page(self, user) -> str:
        self.authenticate(user.login, user.login)
        response = self.url_open("/my/quotes")
        self.assertEqual(response.status_code, 200)
        return response.text

    def _counters(self, user) -> dict:
        """:return: the /my home page counters of `user`, as its JavaScript fetches them."""
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request("/my/counters", {"counters": ["quotation_count", "order_count"]})

    def test_reorder_quotation_listed_and_counted_for_the_customer(self) -> None:
        self.assertEqual(self._counters(self.customer_user)["quotation_count"], 0)

        new_order = self._reorder_as(self.customer_user)

        self.assertEqual(new_order.state, "draft")
        for user in (self.customer_user, self.colleague_user):
            with self.subTest(user=user.login):
                # sale's portal record rule (followers within the customer) lets every contact read it ...
                self.assertTrue(new_order.with_user(user).has_access("read"))
                # ... and it is where customers look for quotations.
                page = self._quotes_page(user)
                self.assertIn(new_order.name, page)
                self.assertIn(f'href="/my/orders/{new_order.id}?', page)
                self.assertEqual(self._counters(user), {"quotation_count": 1, "order_count": 1})
                self.assertEqual(self.url_open(f"/my/orders/{new_order.id}").status_code, 200)

    def test_reorder_quotation_hidden_from_other_customers(self) -> None:
        new_order = self._reorder_as(self.customer_user)

        self.assertFalse(new_order.with_user(self.rival_user).has_access("read"))
        self.assertNotIn(new_order.name, self._quotes_page(self.rival_user))
        self.assertEqual(self._counters(self.rival_user), {"quotation_count": 0, "order_count": 0})

    def test_other_drafts_stay_unlisted(self) -> None:
        """Only open drafts created by a portal reorder are added: a draft the salesperson is still preparing
        and a cancelled reorder stay out; sent quotations are listed as before."""
        reorder = self._reorder_as(self.customer_user)
        reorder._action_cancel()
        draft, sent = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 1.0})],
                }
                for _i in range(2)
            ]
        )
        (draft | sent).message_subscribe(partner_ids=self.customer.ids)
        sent.action_quotation_sent()

        page = self._quotes_page(self.customer_user)
        self.assertIn(sent.name, page)
        self.assertNotIn(draft.name, page)
        self.assertNotIn(reorder.name, page)
        self.assertEqual(self._counters(self.customer_user)["quotation_count"], 1)
