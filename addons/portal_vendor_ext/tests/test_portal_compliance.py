"""The vendor portal's compliance pages tried as every persona: the vendor, another vendor (with its document ids),
a customer's portal contact, an employee without purchase rights and an anonymous visitor; and the models over
JSON-RPC as a portal user."""

import base64
from datetime import date, timedelta

from odoo.fields import Command
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin

from .common import PortalVendorExtCommon, VendorPortalHttpMixin

PDF = b"%PDF-1.4 insurance policy"


@tagged("post_install", "-at_install")
class TestPortalCompliance(VendorPortalHttpMixin, PortalVendorExtCommon, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ack_fixtures()
        env = cls.env
        env["purchase.order"].create(
            {
                "partner_id": cls.other_vendor.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_qty": 1, "price_unit": 1})],
            }
        )
        cls.insurance = env.ref("portal_vendor_ext.pve_compliance_document_type_insurance")
        cls.iso = env.ref("portal_vendor_ext.pve_compliance_document_type_iso")
        customer = env["res.partner"].create({"name": "PVE Compliance Customer", "is_company": True})
        cls.customer_user = new_test_user(
            env, login="pve_cd_customer", groups="base.group_portal", parent_id=customer.id
        )
        cls.employee = new_test_user(env, login="pve_cd_employee", groups="base.group_user")
        Document = env["pve.compliance.document"]
        cls.mine, cls.theirs = Document.create(
            [
                {
                    "partner_id": partner.id,
                    "type_id": cls.insurance.id,
                    "file": base64.b64encode(PDF),
                    "file_name": name,
                    "valid_until": date(2020, 1, 1),
                    "state": "refused",
                    "refuse_reason": "Policy unreadable",
                }
                for partner, name in ((cls.vendor, "mine-policy.pdf"), (cls.other_vendor, "theirs-policy.pdf"))
            ]
        )
        cls.until = (date.today() + timedelta(days=365)).isoformat()

    def _post(self, url, data, file=("policy.pdf", PDF, "application/pdf")):
        return self.url_open(
            url,
            data={"csrf_token": Request.csrf_token(self), **data},
            files={"file": file} if file else None,
            allow_redirects=False,
        )

    def _count(self):
        return self.env["pve.compliance.document"].search_count([])

    def test_list_shows_own_documents_only(self):
        self._login(self.vendor_user)
        response = self.url_open("/my/compliance")
        self.assertEqual(response.status_code, 200)
        self.assertIn("mine-policy.pdf", response.text)
        self.assertIn("Policy unreadable", response.text)
        self.assertIn(f"/my/compliance/upload?document_id={self.mine.id}", response.text)
        self.assertNotIn("theirs-policy.pdf", response.text)
        self.assertIn("We need from you", response.text)

        self._login(self.other_vendor_user)
        response = self.url_open("/my/compliance")
        self.assertIn("theirs-policy.pdf", response.text)
        self.assertNotIn("mine-policy.pdf", response.text)

    def test_others_are_sent_away(self):
        for user, path in ((None, "/web/login"), (self.customer_user, "/my"), (self.employee, "/my")):
            with self.subTest(user=user and user.login):
                self._login(user)
                for url in ("/my/compliance", "/my/compliance/upload"):
                    self._assertRedirect(self.url_open(url, allow_redirects=False), path)
                count = self._count()
                if user:  # an anonymous POST has no session CSRF token worth testing: it is sent to login anyway
                    response = self._post("/my/compliance/upload", {"type_id": self.iso.id, "valid_until": self.until})
                    self._assertRedirect(response, path)
                self.assertEqual(self._count(), count)

    def test_upload_new_document(self):
        self._login(self.vendor_user)
        response = self._post(
            "/my/compliance/upload",
            # a posted vendor is ignored: the document belongs to the session's company
            {
                "type_id": self.iso.id,
                "valid_from": "2026-01-01",
                "valid_until": self.until,
                "partner_id": self.other_vendor.id,
            },
        )
        self._assertRedirect(response, "/my/compliance")
        document = self.env["pve.compliance.document"].search([("type_id", "=", self.iso.id)])
        self.assertEqual(document.partner_id, self.vendor)
        self.assertEqual(document.state, "submitted")
        self.assertEqual(document.uploaded_by_id, self.vendor_user.partner_id)
        self.assertEqual(document.file_name, "policy.pdf")
        self.assertEqual(document.valid_until.isoformat(), self.until)
        self.assertTrue(self.findMessage(document, "uploaded policy.pdf"))
        self.assertIn("sent for review", self.url_open("/my/compliance?uploaded=1").text)

    def test_bad_input_is_explained_and_stores_nothing(self):
        self._login(self.vendor_user)
        count = self._count()
        cases = [
            ({"type_id": self.iso.id, "valid_until": "2020-01-01"}, None, "already expired"),
            ({"type_id": self.iso.id, "valid_until": "not a date"}, None, "is not a date"),
            ({"type_id": self.iso.id, "valid_until": self.until, "valid_from": "2099-01-01"}, None, "starts after"),
            ({"valid_until": self.until}, None, "Choose the type"),
            (
                {"type_id": self.iso.id, "valid_until": self.until},
                ("virus.exe", b"MZ", "application/octet-stream"),
                "PDF, PNG or JPEG",
            ),
            ({"type_id": self.iso.id, "valid_until": self.until}, ("empty.pdf", b"", "application/pdf"), "empty"),
        ]
        for data, file, message in cases:
            with self.subTest(message=message):
                response = self._post("/my/compliance/upload", data, file or ("policy.pdf", PDF, "application/pdf"))
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertEqual(self._count(), count)
        response = self._post("/my/compliance/upload", {"type_id": self.iso.id, "valid_until": self.until}, file=None)
        self.assertIn("Choose the file", response.text)
        self.assertEqual(self._count(), count)

    def test_upload_again(self):
        self._login(self.vendor_user)
        url = f"/my/compliance/upload?document_id={self.mine.id}"
        self.assertIn("Upload again", self.url_open(url).text)
        # the type of a document uploaded again cannot change
        response = self._post(url, {"valid_until": self.until, "type_id": self.iso.id})
        self._assertRedirect(response, "/my/compliance")
        self.assertEqual(self.mine.state, "submitted")
        self.assertEqual(self.mine.type_id, self.insurance)
        self.assertFalse(self.mine.refuse_reason)
        self.assertEqual(self.mine.file_name, "policy.pdf")
        # submitted now: no new file on it until reviewed
        response = self._post(url, {"valid_until": self.until})
        self.assertIn("being reviewed", response.text)

    def test_other_vendors_ids_are_refused(self):
        self._login(self.vendor_user)
        for document_id in (self.theirs.id, 99999999, "abc"):
            with self.subTest(document_id=document_id):
                url = f"/my/compliance/upload?document_id={document_id}"
                self._assertRedirect(self.url_open(url, allow_redirects=False), "/my")
                self._assertRedirect(self._post(url, {"valid_until": self.until}), "/my")
        self.assertEqual((self.theirs.state, self.theirs.file_name), ("refused", "theirs-policy.pdf"))

    def test_vendor_downloads_own_file_only(self):
        self._login(self.vendor_user)
        self.assertIn(f"/web/content/pve.compliance.document/{self.mine.id}/file", self.url_open("/my/compliance").text)
        response = self.url_open(f"/web/content/pve.compliance.document/{self.mine.id}/file?download=true")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)
        response = self.url_open(f"/web/content/pve.compliance.document/{self.theirs.id}/file?download=true")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(PDF, response.content)
        for user in (None, self.customer_user, self.employee):
            with self.subTest(user=user and user.login):
                self._login(user)
                response = self.url_open(f"/web/content/pve.compliance.document/{self.mine.id}/file?download=true")
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn(PDF, response.content)

    def test_rpc_portal_reads_own_and_writes_nothing(self):
        self._login(self.vendor_user)
        Document = "pve.compliance.document"
        response = self.call_kw(Document, "search_read", [[]], {"fields": ["file_name"]})
        self.assert_rpc_done(response)
        self.assertEqual([row["id"] for row in response["result"]], [self.mine.id])
        self.assert_rpc_refused(self.call_kw(Document, "write", [[self.mine.id], {"state": "approved"}]))
        self.assert_rpc_refused(
            self.call_kw(Document, "create", [{"partner_id": self.vendor.id, "type_id": self.iso.id}])
        )
        self.assert_rpc_refused(self.call_kw(Document, "unlink", [[self.mine.id]]))
        self.assert_rpc_refused(self.call_kw(Document, "action_approve", [[self.mine.id]]))
        self.assert_rpc_refused(
            self.call_kw("pve.compliance.document.type", "write", [[self.iso.id], {"mandatory": True}])
        )
        self.assertEqual(self.mine.state, "refused")
