import csv
import io
import logging
import zipfile
from datetime import timedelta
from unittest.mock import patch
from urllib.parse import urlparse

from lxml import html

from odoo import http
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import format_date, mute_logger

from odoo.addons.base.tests.common import HttpCaseWithUserPortal
from odoo.addons.portal_customer_ext.controllers.order_tracking import CustomerPortalOrderTracking

from .common import PortalCustomerExtCommon, PortalLoginMixin
from .order_tracking_common import OrderTrackingCommon


@tagged("post_install", "-at_install")
class TestPortalOrderTracking(PortalLoginMixin, PortalCustomerExtCommon, OrderTrackingCommon, HttpCaseWithUserPortal):
    """The order tracking pages, export and "Confirm receipt" for the owner, a colleague, another customer, an
    internal user without sales rights and the public with and without the order's token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_reorder_fixtures()
        cls.order.client_order_ref = "PO-CARLA-1"
        cls.internal_user = new_test_user(cls.env, login="pce_internal", groups="base.group_user")
        cls.rival_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.rival.id,
                "client_order_ref": "PO-RIVAL-1",
                "order_line": [Command.create({"product_id": cls.product_a.id, "product_uom_qty": 1.0})],
            }
        )
        cls.rival_order.action_confirm()

    def _assertRedirect(self, response, path: str) -> None:
        self.assertEqual(response.status_code, 303, response.text[:200] if response.status_code == 200 else "")
        self.assertEqual(urlparse(response.headers["Location"]).path, path)

    # --- list --- #

    def test_list_matrix(self) -> None:
        for user in (self.customer_user, self.colleague_user):
            self.login(user)
            page = self.url_open("/my/order-tracking")
            self.assertEqual(page.status_code, 200)
            self.assertIn(self.order.name, page.text)
            self.assertIn('data-status="confirmed"', page.text)
            self.assertNotIn(self.rival_order.name, page.text)
        self.login(self.rival_user)
        page = self.url_open("/my/order-tracking")
        self.assertIn(self.rival_order.name, page.text)
        self.assertNotIn(self.order.name, page.text)
        self.login(self.internal_user)
        page = self.url_open("/my/order-tracking")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(self.order.name, page.text)
        self.login(None)
        self._assertRedirect(self.url_open("/my/order-tracking", allow_redirects=False), "/web/login")

    def test_list_search_filter_sort_pages(self) -> None:
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "client_order_ref": f"REF-{i}",
                    "order_line": [Command.create({"product_id": self.product_b.id, "product_uom_qty": 1.0})],
                }
                for i in range(3)
            ]
        )
        orders.action_confirm()  # services: "delivered"
        self.login(self.customer_user)
        text = self.url_open("/my/order-tracking?search=PO-CARLA&search_in=ref").text
        self.assertIn(self.order.name, text)
        self.assertNotIn(orders[0].name, text)
        text = self.url_open("/my/order-tracking?search=PCE Widget&search_in=product").text
        self.assertIn(self.order.name, text)
        self.assertNotIn(orders[0].name, text)
        text = self.url_open(f"/my/order-tracking?search={orders[1].name}").text
        self.assertIn(orders[1].name, text)
        self.assertNotIn(self.order.name, text)
        text = self.url_open("/my/order-tracking?filterby=shipped").text
        self.assertIn(orders[0].name, text)
        self.assertNotIn(self.order.name, text)
        text = self.url_open("/my/order-tracking?filterby=open&sortby=amount").text
        self.assertIn(self.order.name, text)
        self.assertNotIn(orders[0].name, text)
        # unknown options fall back to the defaults
        self.assertEqual(self.url_open("/my/order-tracking?filterby=nope&sortby=nope&search_in=x").status_code, 200)
        with patch.object(CustomerPortalOrderTracking, "_items_per_page", 2):
            first = self.url_open("/my/order-tracking").text
            second = self.url_open("/my/order-tracking/page/2").text
        self.assertEqual(first.count("pce_tracking_row"), 2)
        self.assertEqual(second.count("pce_tracking_row"), 2)
        self.assertIn("/my/order-tracking/page/2", first)

    def test_home_counter(self) -> None:
        self.login(self.customer_user)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["pce_tracking_count"]})
        self.assertEqual(counters["pce_tracking_count"], 1)
        self.assertIn("/my/order-tracking", self.url_open("/my").text)
        self.login(self.rival_user)
        self.assertEqual(
            self.make_jsonrpc_request("/my/counters", {"counters": ["pce_tracking_count"]}), {"pce_tracking_count": 1}
        )

    # --- detail --- #

    def test_detail_matrix(self) -> None:
        url = f"/my/order-tracking/{self.order.id}"
        token = self.order._portal_ensure_token()
        for user in (self.customer_user, self.colleague_user):
            self.login(user)
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200)
            self.assertIn('id="pce_timeline"', page.text)
        for user in (self.rival_user, self.internal_user, None):
            self.login(user)
            self._assertRedirect(self.url_open(url, allow_redirects=False), "/my")
        self.login(None)
        self.assertEqual(self.url_open(f"{url}?access_token={token}").status_code, 200)
        self._assertRedirect(self.url_open(f"{url}?access_token=wrong", allow_redirects=False), "/my")
        self.login(self.customer_user)
        self._assertRedirect(self.url_open(f"/my/order-tracking/{self.rival_order.id}", allow_redirects=False), "/my")
        self._assertRedirect(self.url_open("/my/order-tracking/999999999", allow_redirects=False), "/my")

    def test_detail_content(self) -> None:
        carrier = self.env["delivery.carrier"].create(
            {
                "name": "PCE Express",
                "product_id": self.env["product.product"].create({"name": "PCE shipping", "type": "service"}).id,
                "tracking_url": "https://track.example.com/?ref=<shipmenttrackingnumber>",
            }
        )
        delivery = self.order.picking_ids
        delivery.write({"carrier_id": carrier.id, "carrier_tracking_ref": "TRK123"})
        self.ship(self.order)
        invoice = self.invoice(self.order)
        self.login(self.customer_user)
        text = self.url_open(f"/my/order-tracking/{self.order.id}").text
        self.assertIn("PCE Express", text)
        self.assertIn("https://track.example.com/?ref=TRK123", text)
        self.assertIn(f"/my/picking/pdf/{delivery.id}", text)
        self.assertIn(f"/my/invoices/{invoice.id}", text)
        self.assertIn(invoice.name, text)
        self.assertIn('data-status="invoiced"', text)
        self.assertIn("pce_receipt_button", text)
        self.assertIn(f"/my/orders/{self.order.id}", text)
        # the stock order page links here
        self.assertIn(f"/my/order-tracking/{self.order.id}", self.url_open(f"/my/orders/{self.order.id}").text)

    def test_detail_timeline_paid_date(self) -> None:
        """Once paid, the timeline dates the paid step with the day the invoice was paid."""
        self.ship(self.order)
        invoice = self.invoice(self.order)
        paid_on = invoice.invoice_date + timedelta(days=6)
        self.login(self.customer_user)

        def paid_step():
            tree = html.fromstring(self.url_open(f"/my/order-tracking/{self.order.id}").text)
            (step,) = tree.xpath("//ol[@id='pce_timeline']/li[@data-step='paid']")
            return step.get("data-reached"), " ".join(step.xpath("string(.//small)").split())

        self.assertEqual(paid_step(), ("0", ""))
        self.pay(invoice, payment_date=paid_on)
        self.assertEqual(paid_step(), ("1", format_date(self.env(user=self.customer_user), paid_on)))

    # --- confirm receipt --- #

    def _post_receipt(self, picking, access_token=None):
        data = {"csrf_token": http.Request.csrf_token(self)}
        if access_token:
            data["access_token"] = access_token
        return self.url_open(
            f"/my/order-tracking/{self.order.id}/receipt/{picking.id}", data=data, allow_redirects=False
        )

    def test_confirm_receipt(self) -> None:
        picking = self.ship(self.order)
        token = self.order._portal_ensure_token()
        url = f"/my/order-tracking/{self.order.id}"
        for user in (self.rival_user, self.internal_user):
            self.login(user)
            self._assertRedirect(self._post_receipt(picking), "/my")
        self.login(None)
        self._assertRedirect(self._post_receipt(picking, access_token=token), "/web/login")
        self.assertFalse(picking.pce_received_date)
        # another customer's picking through this order: refused
        self.ship(self.rival_order)
        self.login(self.customer_user)
        response = self.url_open(
            f"/my/order-tracking/{self.order.id}/receipt/{self.rival_order.picking_ids.id}",
            data={"csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )
        self.assertIn("pce_receipt_refused", response.headers["Location"])
        self.assertFalse(self.rival_order.picking_ids.pce_received_date)
        # without CSRF token
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/my/order-tracking/{self.order.id}/receipt/{picking.id}", data={"x": "1"}, allow_redirects=False
            )
        self.assertEqual(response.status_code, 400)
        self.login(self.colleague_user)
        response = self._post_receipt(picking)
        self._assertRedirect(response, url)
        self.assertIn("pce_receipt_done", response.headers["Location"])
        self.env.invalidate_all()
        self.assertTrue(picking.pce_received_date)
        self.assertEqual(self.order.pce_portal_status, "delivered")
        # twice: refused, nothing changes
        self.assertIn("pce_receipt_refused", self._post_receipt(picking).headers["Location"])

    # --- export --- #

    def _csv_rows(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/csv", response.headers["Content-Type"])
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    def test_export(self) -> None:
        self.login(self.customer_user)
        response = self.url_open("/my/order-tracking/export/csv")
        self.assertRegex(response.headers["Content-Disposition"], r"orders-\d{4}-\d{2}-\d{2}\.csv")
        rows = self._csv_rows(response)
        self.assertEqual(rows[0][:4], ["Order", "Your Reference", "Order Date", "Status"])
        self.assertEqual(
            [(r[0], r[7], r[9]) for r in rows[1:]],
            [
                (self.order.name, "PCE Widget", "3.0"),
                (self.order.name, "PCE Service", "2.5"),
            ],
        )
        self.assertEqual(rows[1][3], "Confirmed")
        # current filters apply
        self.assertEqual(len(self._csv_rows(self.url_open("/my/order-tracking/export/csv?filterby=paid"))), 1)
        xlsx = self.url_open("/my/order-tracking/export/xlsx?search=PCE Widget&search_in=product")
        self.assertEqual(xlsx.status_code, 200)
        with zipfile.ZipFile(io.BytesIO(xlsx.content)) as archive:
            strings = archive.read("xl/sharedStrings.xml").decode()
        self.assertIn(self.order.name, strings)
        self.assertNotIn(self.rival_order.name, strings)
        self.assertEqual(self.url_open("/my/order-tracking/export/pdf").status_code, 404)
        # another customer exports only their own orders
        self.login(self.rival_user)
        names = {row[0] for row in self._csv_rows(self.url_open("/my/order-tracking/export/csv"))[1:]}
        self.assertEqual(names, {self.rival_order.name})
        self.login(self.internal_user)
        self._assertRedirect(self.url_open("/my/order-tracking/export/csv", allow_redirects=False), "/my")
        self.login(None)
        self._assertRedirect(self.url_open("/my/order-tracking/export/xlsx", allow_redirects=False), "/web/login")

    # --- read-only routes --- #

    def test_readonly_routes_refuse_writes(self) -> None:
        """The list, detail and export run on a read-only cursor: a write there is refused by PostgreSQL and
        Odoo retries the request on a read/write cursor (logged); the pages themselves write nothing."""
        self.login(self.customer_user)
        for url in (
            "/my/order-tracking",
            f"/my/order-tracking/{self.order.id}",
            "/my/order-tracking/export/csv",
        ):
            with self.assertNoLogs("odoo.http", level=logging.WARNING):
                self.assertEqual(self.url_open(url).status_code, 200)

        cursors = []
        original = CustomerPortalOrderTracking._pce_status_labels

        def writing_labels(controller):
            cursors.append(http.request.env.cr.readonly)
            http.request.env.cr.execute("UPDATE sale_order SET note = note WHERE id = %s", [self.order.id])
            return original(controller)

        with (
            patch.object(CustomerPortalOrderTracking, "_pce_status_labels", writing_labels),
            self.assertLogs("odoo.http", level=logging.WARNING) as logs,
        ):
            self.assertEqual(self.url_open("/my/order-tracking").status_code, 200)
        self.assertEqual(cursors, [True, False], "refused on the read-only cursor, retried on a read/write one")
        self.assertIn("read-only transaction", logs.output[0])
        self.assertIn("retrying with a read/write cursor", logs.output[0])
