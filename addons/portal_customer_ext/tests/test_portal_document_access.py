"""The document center tried from outside, as in test_access_surface: the public, a portal customer, the portal
customer of another company, a vendor's portal contact, an employee without sales rights and a sales manager who
is not a settings administrator. Over JSON-RPC on pce.document, pce.document.category and the new partner field,
and over HTTP on every route of the document center."""

import base64
from urllib.parse import urlparse

from odoo.tests import HttpCase, tagged

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin

from .common import PortalLoginMixin
from .test_portal_document import CONTRACT_RAW, PortalDocumentCommon

PERSONAS = ("portal customer", "other company customer", "vendor", "employee", "sales manager")


@tagged("post_install", "-at_install")
class TestPortalDocumentAccess(PortalLoginMixin, PortalDocumentCommon, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_document_fixtures()
        cls.personas = {
            "portal customer": cls.customer_user,
            "other company customer": cls.other_user,
            "vendor": cls.vendor_user,
            "employee": cls.employee,
            "sales manager": cls.sales_manager,
        }

    def documents_state(self):
        """:return: every document as (id, name, partner, category, company, active, file, dates)."""
        self.env.invalidate_all()
        documents = self.env["pce.document"].with_context(active_test=False).search([])
        return [
            (d.id, d.name, d.partner_id.id, d.category_id.id, d.company_id.id, d.active, d.datas, d.date_end)
            for d in documents
        ]

    # --- JSON-RPC ---------------------------------------------------------------------------------------------------

    def test_rpc_documents_are_read_by_their_customer_and_salespeople_only(self):
        expected = {
            "portal customer": set(self.visible.ids),
            "other company customer": set(self.other_document.ids),
            "vendor": set(),
            "sales manager": set((self.visible | self.rival_document).ids),
        }
        for who in PERSONAS:
            self.login(who)
            with self.subTest(persona=who):
                response = self.call_kw("pce.document", "search_read", [[], ["name", "file_name", "validity_state"]])
                read_rival = self.call_kw("pce.document", "read", [self.rival_document.ids, ["name", "datas"]])
                if who == "employee":
                    self.assert_rpc_refused(response)
                    self.assert_rpc_refused(read_rival)
                    continue
                self.assert_rpc_done(response)
                fixtures = (
                    self.env["pce.document"].with_context(active_test=False).search([("name", "like", "PCE Doc")])
                )
                found = {row["id"] for row in response["result"]} & set(fixtures.ids)  # not the demo documents
                self.assertEqual(found, expected[who])
                if who == "sales manager":
                    self.assert_rpc_done(read_rival)
                else:
                    self.assert_rpc_refused(read_rival)
                    # the customer's own document of another company stays out too
                    self.assert_rpc_refused(self.call_kw("pce.document", "read", [self.customer_abroad.ids, ["name"]]))

    def test_rpc_portal_users_and_employees_change_no_document(self):
        before = self.documents_state()
        new_document = self._document_values("PCE Doc Planted", self.customer, self.cat_contract)
        new_document["datas"] = new_document["datas"].decode()
        for who in ("portal customer", "other company customer", "vendor", "employee"):
            self.login(who)
            with self.subTest(persona=who):
                for document in (self.contract, self.rival_document):
                    self.assert_rpc_refused(self.call_kw("pce.document", "write", [document.ids, {"name": "X"}]))
                    self.assert_rpc_refused(
                        self.call_kw("pce.document", "write", [document.ids, {"date_end": "2999-12-31"}])
                    )
                    self.assert_rpc_refused(self.call_kw("pce.document", "unlink", [document.ids]))
                self.assert_rpc_refused(self.call_kw("pce.document", "create", [new_document]))
                self.assert_rpc_refused(self.call_kw("pce.document", "write", [self.archived.ids, {"active": True}]))
        self.assertEqual(self.documents_state(), before)

    def test_rpc_a_sales_manager_shares_documents(self):
        self.login("sales manager")
        values = self._document_values("PCE Doc Shared By RPC", self.customer_user.partner_id, self.cat_contract)
        values["datas"] = base64.b64encode(b"%PDF-1.4 shared").decode()
        response = self.call_kw("pce.document", "create", [values])
        self.assert_rpc_done(response)
        document = self.env["pce.document"].browse(response["result"])
        self.assertEqual(document.partner_id, self.customer)
        self.assert_rpc_done(self.call_kw("pce.document", "write", [document.ids, {"name": "PCE Doc Renamed"}]))
        self.login("portal customer")
        self.assertEqual(self.url_open(f"/my/documents/{document.id}/download").content, b"%PDF-1.4 shared")

    def test_rpc_categories_are_read_by_portal_users_and_managed_by_sales_managers(self):
        for who in PERSONAS:
            self.login(who)
            with self.subTest(persona=who):
                read = self.call_kw("pce.document.category", "search_read", [[], ["name"]])
                write = self.call_kw("pce.document.category", "write", [self.cat_contract.ids, {"name": "Hijack"}])
                create = self.call_kw("pce.document.category", "create", [{"name": f"PCE Doc New {who}"}])
                if who == "employee":
                    self.assert_rpc_refused(read)
                else:
                    self.assert_rpc_done(read)
                    self.assertIn(self.cat_contract.id, [row["id"] for row in read["result"]])
                if who == "sales manager":
                    self.assert_rpc_done(write)
                    self.assert_rpc_done(create)
                else:
                    self.assert_rpc_refused(write)
                    self.assert_rpc_refused(create)
                    self.assert_rpc_refused(self.call_kw("pce.document.category", "unlink", [self.cat_contract.ids]))

    def test_rpc_the_document_count_of_a_partner_is_for_salespeople(self):
        for who in PERSONAS:
            self.login(who)
            with self.subTest(persona=who):
                response = self.call_kw("res.partner", "read", [self.customer.ids, ["pce_document_count"]])
                if who == "sales manager":
                    self.assert_rpc_done(response)
                    self.assertEqual(response["result"][0]["pce_document_count"], 3)
                else:
                    self.assertNotIn("result", response)

    # --- HTTP -------------------------------------------------------------------------------------------------------

    def test_http_document_pages_per_persona(self):
        """Only the customer's contacts see its documents: on the list (and its pages: the pager shows the last page
        for a page beyond it), never on the order and invoice tabs; the others see none of them."""
        names = set((self.visible | self.rival_document).mapped("name"))
        lists = ("/my/documents", "/my/documents/page/2")
        for who in ("anonymous", *PERSONAS):
            self.login(who)
            with self.subTest(persona=who):
                for url in (*lists, "/my/documents/orders", "/my/documents/invoices"):
                    response = self.url_open(url, allow_redirects=False)
                    if who == "anonymous":
                        self.assertEqual(response.status_code, 303)
                        self.assertEqual(urlparse(response.headers["Location"]).path, "/web/login")
                        continue
                    self.assertEqual(response.status_code, 200)
                    shown = {name for name in names if name in response.text}
                    expected = self.visible.mapped("name") if who == "portal customer" and url in lists else []
                    self.assertEqual(shown, set(expected), url)

    def test_http_downloads_per_persona(self):
        for who in ("anonymous", *PERSONAS):
            self.login(who)
            with self.subTest(persona=who):
                for document in (self.contract, self.rival_document, self.other_document, self.archived):
                    response = self.url_open(f"/my/documents/{document.id}/download", allow_redirects=False)
                    allowed = (
                        (who == "portal customer" and document == self.contract)
                        or (who == "other company customer" and document == self.other_document)
                        or (who == "sales manager" and document in (self.contract, self.rival_document))
                    )
                    if allowed:
                        self.assertEqual(response.status_code, 200)
                    else:
                        self.assertEqual(response.status_code, 303)
                        self.assertEqual(
                            urlparse(response.headers["Location"]).path,
                            "/web/login" if who == "anonymous" else "/my",
                        )
                        self.assertNotIn(CONTRACT_RAW, response.content)
