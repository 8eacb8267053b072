from odoo import http
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from .common import PortalVendorExtCommon, VendorPortalHttpMixin


@tagged("post_install", "-at_install")
class TestPortalVendorInvoice(VendorPortalHttpMixin, PortalVendorExtCommon, HttpCaseWithUserPortal):
    """`/my/vendor-invoices`, its upload form and detail page for the vendor, another vendor and the public."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ack_fixtures()
        Submission = cls.env["pve.vendor.invoice"]
        cls.mine, cls.theirs = Submission.create(
            [
                {"partner_id": cls.vendor.id, "file_name": "mine.pdf", "invoice_number": "MINE-1", "state": "review"},
                {"partner_id": cls.other_vendor.id, "file_name": "theirs.pdf", "invoice_number": "THEIRS-1"},
            ]
        )
        cls.mine.difference_ids = [Command.create({"kind": "low_confidence"})]
        cls.rejected = Submission.create(
            {
                "partner_id": cls.vendor.id,
                "file_name": "old.pdf",
                "invoice_number": "OLD-1",
                "state": "rejected",
                "reject_reason": "Please invoice the received quantity only.",
            }
        )

    def _upload(self, files, order_ids=()):
        data = {"csrf_token": http.Request.csrf_token(self), "order_ids": [str(order_id) for order_id in order_ids]}
        return self.url_open(
            "/my/vendor-invoices/upload",
            data=data,
            files=[("files", (name, content)) for name, content in files],
            allow_redirects=False,
        )

    def test_list_shows_own_submissions_and_statuses(self) -> None:
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        response = self.url_open("/my/vendor-invoices")
        self.assertEqual(response.status_code, 200)
        self.assertIn("MINE-1", response.text)
        self.assertIn("Awaiting review", response.text)
        self.assertIn("OLD-1", response.text)
        self.assertNotIn("THEIRS-1", response.text)
        home = self.url_open("/my")
        self.assertIn("/my/vendor-invoices", home.text)

    def test_detail_owner_sees_differences_and_reason(self) -> None:
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        response = self.url_open(f"/my/vendor-invoices/{self.mine.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Some fields could not be read with certainty", response.text)
        rejected = self.url_open(f"/my/vendor-invoices/{self.rejected.id}")
        self.assertIn("Please invoice the received quantity only.", rejected.text)

    def test_detail_of_another_vendor_redirects(self) -> None:
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        self._assertRedirect(self.url_open(f"/my/vendor-invoices/{self.theirs.id}", allow_redirects=False), "/my")
        self._assertRedirect(self.url_open("/my/vendor-invoices/999999", allow_redirects=False), "/my")

    def test_public_is_sent_to_login(self) -> None:
        self.authenticate(None, None)
        for url in (
            "/my/vendor-invoices",
            f"/my/vendor-invoices/{self.mine.id}",
            "/my/vendor-invoices/upload",
        ):
            with self.subTest(url=url):
                self._assertRedirect(self.url_open(url, allow_redirects=False), "/web/login")

    def test_employee_without_rights_goes_back_to_my(self) -> None:
        employee = new_test_user(self.env, login="pve_plain_employee", password="pve_plain_employee")
        self.authenticate(employee.login, employee.login)
        self._assertRedirect(self.url_open("/my/vendor-invoices", allow_redirects=False), "/my")
        self._assertRedirect(self.url_open(f"/my/vendor-invoices/{self.mine.id}", allow_redirects=False), "/my")

    def test_upload_form_lists_own_orders_only(self) -> None:
        other_order = self.order.copy({"partner_id": self.other_vendor.id})
        other_order.button_confirm()
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        response = self.url_open("/my/vendor-invoices/upload")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'value="{self.order.id}"', response.text)
        self.assertNotIn(other_order.name, response.text)

    def test_upload_bad_file_refused_and_form_kept(self) -> None:
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        before = self.env["pve.vendor.invoice"].search_count([])

        response = self._upload([("notes.txt", b"not an invoice")], order_ids=[self.order.id])

        self.assertEqual(response.status_code, 200)
        self.assertIn("notes.txt", response.text)
        self.assertIn("This file is neither a PDF nor an XML e-invoice.", response.text)
        self.assertIn(f'value="{self.order.id}" id="pve_order_{self.order.id}" checked', response.text)
        self.assertEqual(self.env["pve.vendor.invoice"].search_count([]), before)

    def test_upload_with_another_vendors_order_ignores_it(self) -> None:
        """Posting another vendor's order id does not attach it: the file is refused or stored without it."""
        other_order = self.order.copy({"partner_id": self.other_vendor.id})
        other_order.button_confirm()
        self.authenticate(self.other_vendor_user.login, self.other_vendor_user.login)
        response = self._upload([("x.txt", b"nope")], order_ids=[self.order.id])
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(f'value="{self.order.id}"', response.text)
        self.assertNotIn(self.order.name, response.text)

    def test_upload_without_csrf_rejected(self) -> None:
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        response = self.url_open(
            "/my/vendor-invoices/upload",
            data={"x": "1"},
            files=[("files", ("a.pdf", b"%PDF-1.4"))],
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
