"""The scorecard pages tried as every persona: the vendor (its own figures only, whatever partner id it adds to the
URL), another vendor, a customer's portal contact, an employee without purchase rights, a purchase user and an
anonymous visitor; the period filter's errors; the scorecard model over JSON-RPC as a portal user."""

from html import unescape

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin

from .common import VendorPortalHttpMixin
from .test_vendor_scorecard import VendorScorecardCommon

MARCH = {"period": "custom", "date_from": "2026-03-01", "date_to": "2026-03-31"}


@tagged("post_install", "-at_install")
class TestPortalScorecard(VendorPortalHttpMixin, VendorScorecardCommon, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_scorecard_fixtures()
        env = cls.env
        customer = env["res.partner"].create({"name": "PVE Scorecard Customer", "is_company": True})
        cls.customer_user = new_test_user(
            env, login="pve_sc_customer", groups="base.group_portal", parent_id=customer.id
        )
        cls.employee = new_test_user(env, login="pve_sc_employee", groups="base.group_user")
        cls.buyer = new_test_user(env, login="pve_sc_buyer", groups="purchase.group_purchase_user")

    def _get(self, url, params=None):
        query = "&".join(f"{key}={value}" for key, value in (params or {}).items())
        return self.url_open(f"{url}?{query}" if query else url, allow_redirects=False)

    def assertMetric(self, html, key, value, status):
        row = html.split(f'data-metric="{key}"', 1)[1].split("</tr>", 1)[0]
        self.assertIn(value, row)
        self.assertIn(status, row)

    def test_vendor_sees_own_figures(self):
        self._login(self.vendor_user)
        response = self._get("/my/scorecard", MARCH)
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertMetric(html, "on_time", "50.0 %", "missed")
        self.assertMetric(html, "quality", "90.0 %", "missed")
        self.assertMetric(html, "price", "+15.8 %", "missed")
        self.assertMetric(html, "response", "24.0 h", "met")
        self.assertMetric(html, "invoice", "50.0 %", "missed")
        self.assertEqual(html.count('class="o_pve_trend"'), 5)
        self.assertIn('value="2026-03-01"', html)

    def test_vendor_never_sees_another_vendors_figures(self):
        self._login(self.other_vendor_user)
        for params in (MARCH, {**MARCH, "partner_id": self.vendor.id}):
            html = self._get("/my/scorecard", params).text
            self.assertMetric(html, "on_time", "100.0 %", "met")
            self.assertMetric(html, "price", "-15.8 %", "met")
            self.assertMetric(html, "response", "no data", "no data")
            self.assertNotIn("+15.8 %", html)
        # and the buyers' pages send it back to /my, any vendor id
        for url in ("/pve/scorecard", f"/pve/scorecard/{self.vendor.id}", f"/pve/scorecard/{self.other_vendor.id}"):
            self._assertRedirect(self._get(url, MARCH), "/my")

    def test_default_period_has_no_data(self):
        # the fixtures are of March 2026: nothing in the last 30 days, shown as "no data", not 0 or 100 %
        self._login(self.vendor_user)
        html = self._get("/my/scorecard").text
        self.assertIn('id="pve_scorecard_range"', html)
        for key in ("on_time", "quality", "price", "response", "invoice"):
            self.assertMetric(html, key, "no data", "no data")
        self.assertNotIn(">met</span>", html)
        self.assertNotIn(">missed</span>", html)

    def test_period_errors_keep_typed_dates(self):
        self._login(self.vendor_user)
        for params, message in (
            ({"period": "custom", "date_from": "2026-03-31", "date_to": "2026-03-01"}, "ends before it starts"),
            ({"period": "custom", "date_from": "31/03/2026", "date_to": "2026-04-01"}, "YYYY-MM-DD"),
            ({"period": "custom", "date_from": "", "date_to": "2026-04-01"}, "Give both"),
        ):
            with self.subTest(params=params):
                response = self._get("/my/scorecard", params)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertIn(f'value="{params["date_to"]}"', response.text)
                self.assertNotIn("pve_scorecard_metrics", response.text)

    def test_not_a_vendor(self):
        for user in (self.customer_user, self.employee):
            with self.subTest(user=user.login):
                self._login(user)
                response = self._get("/my/scorecard", MARCH)
                self.assertEqual(response.status_code, 200)
                self.assertIn("no purchase relationship", response.text)
                self.assertNotIn("pve_scorecard_metrics", response.text)
                self._assertRedirect(self._get(f"/pve/scorecard/{self.vendor.id}"), "/my")
                self._assertRedirect(self._get("/pve/scorecard"), "/my")

    def test_anonymous(self):
        self._login(None)
        for url in ("/my/scorecard", "/pve/scorecard", f"/pve/scorecard/{self.vendor.id}"):
            self._assertRedirect(self._get(url, MARCH), "/web/login")

    def test_home_entry_for_vendors_only(self):
        self._login(self.vendor_user)
        self.assertIn('href="/my/scorecard"', self._get("/my").text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["pve_scorecard_count"]})
        self.assertEqual(counters["pve_scorecard_count"], 1)
        self._login(self.customer_user)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["pve_scorecard_count"]})
        self.assertEqual(counters["pve_scorecard_count"], 0)

    def test_buyer_pages(self):
        self._login(self.buyer)
        response = self._get(f"/pve/scorecard/{self.vendor.id}", MARCH)
        self.assertEqual(response.status_code, 200)
        self.assertMetric(response.text, "quality", "90.0 %", "missed")
        self.assertEqual(response.text.count('class="o_pve_trend"'), 5)
        # a contact's id shows its company's scorecard
        contact = self.env["res.partner"].create({"name": "Sam Sales", "parent_id": self.other_vendor.id})
        self.assertMetric(self._get(f"/pve/scorecard/{contact.id}", MARCH).text, "price", "-15.8 %", "met")
        self.assertEqual(self._get("/pve/scorecard/999999999").status_code, 404)
        html = self._get("/pve/scorecard", MARCH).text
        for vendor, value in ((self.vendor, "+15.8 %"), (self.other_vendor, "-15.8 %")):
            row = html.split(f'data-partner-id="{vendor.id}"', 1)[1].split("</tr>", 1)[0]
            self.assertIn(vendor.name, row)
            self.assertIn(value, row)
        self.assertNotIn("{'key':", unescape(html), "no metric dict leaks into the page's head")
        # vendors without figures in the period are not listed
        self.assertNotIn(f'data-partner-id="{self.customer_user.partner_id.parent_id.id}"', html)
        february = self._get("/pve/scorecard", {**MARCH, "date_from": "2026-02-01", "date_to": "2026-02-28"}).text
        self.assertNotIn(f'data-partner-id="{self.vendor.id}"', february)
        self.assertIn("ends before it starts", self._get("/pve/scorecard", {**MARCH, "date_to": "2026-02-01"}).text)
        # the vendor form's smart button opens that page
        action = self.vendor.with_user(self.buyer).action_pve_view_scorecard()
        self.assertEqual(action["url"], f"/pve/scorecard/{self.vendor.id}")

    def test_rpc_refused_to_portal_users(self):
        self._login(self.vendor_user)
        for method in ("_compute_scorecard", "_compute_trend", "_pve_metric_rows"):
            response = self.call_kw(
                "pve.vendor.scorecard", method, [[self.other_vendor.id], "2026-03-01", "2026-03-31"]
            )
            self.assertNotIn("result", response, method)
