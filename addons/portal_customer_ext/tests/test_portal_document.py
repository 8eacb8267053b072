"""The document center: documents shared with a customer (validity, categories, the commercial partner as the
customer, the Documents button of the partner form) and its portal pages, /my/documents and the downloads."""

import base64
import json
from datetime import timedelta
from urllib.parse import urlparse

from lxml import html

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import LATE_EVENING_UTC, PORTAL_TZ, STAFF_TZ, create_portal_customer

CONTRACT_RAW = b"%PDF-1.4 PCE framework agreement"


class PortalDocumentCommon:
    """Fixtures built from scratch: two document categories; a customer company with two portal contacts and its
    documents (a contract without end, a certificate expiring soon, an expired one, an archived one, one of
    another company); another customer with its document; a vendor's portal contact, an employee without sales
    rights, a salesperson and a sales manager; and a customer of another company with its portal contact.
    The staff and the customer's contacts live in different time zones (STAFF_TZ, PORTAL_TZ): `today` is the day of
    the customer's contacts, who see the documents' validity."""

    freeze_time = LATE_EVENING_UTC  # the staff's day is then already tomorrow, the customer's still today

    @classmethod
    def _setup_document_fixtures(cls) -> None:
        env = cls.env
        env.user.tz = STAFF_TZ
        cls.company = env.company
        cls.cat_contract, cls.cat_certificate = env["pce.document.category"].create(
            [{"name": "PCE Doc Contracts", "sequence": 1}, {"name": "PCE Doc Certificates", "sequence": 2}]
        )
        cls.customer, cls.customer_user = create_portal_customer(
            env, "PCE Doc Customer", "pce_doc_customer", "Dora Document", customer_rank=1
        )
        cls.colleague_user = new_test_user(
            env, login="pce_doc_colleague", groups="base.group_portal", name="Dan Document", parent_id=cls.customer.id
        )
        (cls.customer_user | cls.colleague_user).tz = PORTAL_TZ
        cls.today = fields.Date.context_today(env["pce.document"].with_user(cls.customer_user))
        cls.rival, cls.rival_user = create_portal_customer(
            env, "PCE Doc Rival", "pce_doc_rival", "Rhea Rival", customer_rank=1
        )
        cls.vendor, cls.vendor_user = create_portal_customer(
            env, "PCE Doc Vendor", "pce_doc_vendor", "Vera Vendor", supplier_rank=1
        )
        cls.employee = new_test_user(env, login="pce_doc_employee", groups="base.group_user")
        cls.salesman = new_test_user(env, login="pce_doc_salesman", groups="sales_team.group_sale_salesman")
        cls.sales_manager = new_test_user(env, login="pce_doc_manager", groups="sales_team.group_sale_manager")
        cls.other_company = env["res.company"].create({"name": "PCE Doc Other Company"})
        cls.other_customer = env["res.partner"].create(
            {"name": "PCE Doc Abroad", "is_company": True, "company_id": cls.other_company.id}
        )
        cls.other_user = new_test_user(
            env,
            login="pce_doc_abroad",
            groups="base.group_portal",
            parent_id=cls.other_customer.id,
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )

        Document = env["pce.document"]
        cls.contract = cls._create_document("PCE Doc Framework Agreement", cls.customer, cls.cat_contract,
                                            raw=CONTRACT_RAW, file_name="agreement.pdf",
                                            description="Prices and delivery terms")  # fmt: skip
        cls.expiring = cls._create_document(
            "PCE Doc ISO Certificate", cls.customer, cls.cat_certificate, date_end=cls.today + timedelta(days=10)
        )
        cls.expired = cls._create_document(
            "PCE Doc Fire Certificate", cls.customer, cls.cat_certificate, date_end=cls.today - timedelta(days=1)
        )
        cls.archived = cls._create_document("PCE Doc Old Contract", cls.customer, cls.cat_contract, active=False)
        cls.customer_abroad = cls._create_document(
            "PCE Doc Contract Abroad", cls.customer, cls.cat_contract, company_id=cls.other_company.id
        )
        cls.rival_document = cls._create_document("PCE Doc Rival Contract", cls.rival, cls.cat_contract)
        cls.other_document = Document.with_company(cls.other_company).create(
            cls._document_values("PCE Doc Abroad Contract", cls.other_customer, cls.cat_contract,
                                 company_id=cls.other_company.id)
        )  # fmt: skip
        # what the customer's contacts see on /my/documents
        cls.visible = cls.contract | cls.expiring | cls.expired

    @classmethod
    def _document_values(cls, name, partner, category, raw=None, file_name=None, **values):
        return {
            "name": name,
            "partner_id": partner.id,
            "category_id": category.id,
            "datas": base64.b64encode(raw or f"%PDF-1.4 {name}".encode()),
            "file_name": file_name or f"{name.lower().replace(' ', '_')}.pdf",
            **values,
        }

    @classmethod
    def _create_document(cls, name, partner, category, **values):
        return cls.env["pce.document"].create(cls._document_values(name, partner, category, **values))


class TestPceDocument(PortalDocumentCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_document_fixtures()

    def test_validity_state(self):
        valid = self._create_document(
            "PCE Doc Valid", self.customer, self.cat_contract, date_end=self.today + timedelta(days=31)
        )
        ends_today = self._create_document("PCE Doc Ends Today", self.customer, self.cat_contract, date_end=self.today)
        # as the customer's contacts see it, in their day
        documents = (self.visible | valid | ends_today).with_context(tz=PORTAL_TZ)
        states = {doc: doc.validity_state for doc in documents}
        self.assertEqual(
            states,
            {
                self.contract: "no_end",
                self.expiring: "expiring",
                self.expired: "expired",
                valid: "valid",
                ends_today: "expiring",
            },
        )
        # in the staff's day (already tomorrow in Brussels), the document ending today has expired
        self.assertEqual(ends_today.validity_state, "expired")
        Document = self.env["pce.document"].with_context(tz=PORTAL_TZ)
        mine = [("partner_id", "=", self.customer.id), ("company_id", "=", self.company.id)]
        self.assertEqual(Document.search(mine + [("validity_state", "=", "expired")]), self.expired)
        self.assertEqual(
            Document.search(mine + [("validity_state", "in", ("expiring", "valid"))]),
            self.expiring | valid | ends_today,
        )
        # "not expired" keeps the documents without an end date
        self.assertEqual(
            Document.search(mine + [("validity_state", "!=", "expired")]),
            self.contract | self.expiring | valid | ends_today,
        )

    def test_a_document_cannot_end_before_it_starts(self):
        with self.assertRaises(ValidationError):
            self.contract.write({"date_start": self.today, "date_end": self.today - timedelta(days=1)})

    def test_no_executable_file_is_shared(self):
        for file_name in ("setup.exe", "invoice.pdf.js", "page.HTML"):
            with self.subTest(file_name=file_name), self.assertRaises(ValidationError):
                self.contract.file_name = file_name
        self.contract.file_name = "agreement-v2.pdf"
        self.assertEqual(self.contract.file_name, "agreement-v2.pdf")

    def test_a_document_is_shared_with_the_customer_not_one_contact(self):
        document = self._create_document("PCE Doc For Dora", self.customer_user.partner_id, self.cat_contract)
        self.assertEqual(document.partner_id, self.customer)
        document.partner_id = self.rival_user.partner_id
        self.assertEqual(document.partner_id, self.rival)

    def test_documents_button_of_the_partner_form(self):
        customer = self.customer.with_user(self.salesman)
        # active documents of the current company; a contact shows its company's
        self.assertEqual(customer.pce_document_count, 3)
        self.assertEqual(self.customer_user.partner_id.with_user(self.salesman).pce_document_count, 3)
        action = customer.action_pce_open_documents()
        self.assertEqual(action["res_model"], "pce.document")
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        found = self.env["pce.document"].with_user(self.salesman).search([("partner_id", "=", self.customer.id)])
        self.assertEqual(found, self.visible)
        # active documents of the salesperson's company: the contract and the rival's
        self.assertEqual(self.cat_contract.with_user(self.salesman).document_count, 2)


@tagged("post_install", "-at_install")
class TestPortalDocument(PortalDocumentCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_document_fixtures()

    def login(self, user):
        self.authenticate(user.login, user.login)

    def get(self, url):
        return self.url_open(url, allow_redirects=False)

    def assertRedirect(self, response, path):
        self.assertEqual(response.status_code, 303, response.text[:300] if response.status_code == 200 else "")
        self.assertEqual(urlparse(response.headers["Location"]).path, path)

    def rows(self, url) -> dict:
        """:return: {document id: validity shown} of the rows of a /my/documents page."""
        response = self.get(url)
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.text)
        return {
            int(row.get("data-document-id")): row.xpath(".//span[@data-validity]/@data-validity")[0]
            for row in tree.xpath("//tr[@data-document-id]")
        }

    def test_contacts_of_the_customer_see_its_documents_with_their_validity(self):
        expected = {self.contract.id: "no_end", self.expiring.id: "expiring", self.expired.id: "expired"}
        for user in (self.customer_user, self.colleague_user):
            with self.subTest(user=user.login):
                self.login(user)
                self.assertEqual(self.rows("/my/documents"), expected)
        page = self.get("/my/documents").text
        self.assertIn("Expired", page)
        self.assertIn("Prices and delivery terms", page)
        self.login(self.rival_user)
        self.assertEqual(self.rows("/my/documents"), {self.rival_document.id: "no_end"})

    def test_filter_search_and_sort(self):
        self.login(self.customer_user)
        self.assertEqual(set(self.rows(f"/my/documents?filterby=category_{self.cat_certificate.id}")),
                         {self.expiring.id, self.expired.id})  # fmt: skip
        self.assertEqual(set(self.rows("/my/documents?search=delivery+terms")), {self.contract.id})
        self.assertEqual(set(self.rows("/my/documents?search=delivery+terms&search_in=name")), set())
        self.assertEqual(list(self.rows("/my/documents?sortby=date_end")),
                         [self.expired.id, self.expiring.id, self.contract.id])  # fmt: skip
        # unknown options fall back to the defaults
        self.assertEqual(set(self.rows("/my/documents?filterby=category_0&sortby=id;drop")), set(self.visible.ids))

    def test_pager_and_constant_queries(self):
        self.login(self.customer_user)
        urls = ["/my/documents", "/my/documents/orders", "/my/documents/invoices"]

        def count(url):
            self.url_open(url)  # warm the caches
            before = self.cr.sql_log_count
            self.assertEqual(self.url_open(url).status_code, 200)
            return self.cr.sql_log_count - before

        few = {url: count(url) for url in urls}
        self.env["pce.document"].create(
            [self._document_values(f"PCE Doc Bulk {n:03}", self.customer, self.cat_certificate) for n in range(80)]
        )
        orders = self.env["sale.order"].create(
            [{"partner_id": self.customer.id, "order_line": [Command.create({"product_id": self.product.id})]}
             for _n in range(5)]
        )  # fmt: skip
        orders.action_confirm()
        orders._create_invoices().action_post()
        self.env.flush_all()
        self.assertEqual({url: count(url) for url in urls}, few)
        self.assertEqual(len(self.rows("/my/documents")), 80)
        self.assertEqual(len(self.rows("/my/documents/page/2")), 3)

    @classmethod
    def _setup_orders(cls):
        cls.product = cls.env["product.product"].create({"name": "PCE Doc Widget", "list_price": 10.0})
        cls.order, cls.rival_order = cls.env["sale.order"].create(
            [
                {"partner_id": partner.id, "order_line": [Command.create({"product_id": cls.product.id})]}
                for partner in (cls.customer, cls.rival)
            ]
        )
        (cls.order | cls.rival_order).action_confirm()
        cls.invoice = cls.order._create_invoices()
        cls.rival_invoice = cls.rival_order._create_invoices()
        (cls.invoice | cls.rival_invoice).action_post()

    def setUp(self):
        super().setUp()
        self._setup_orders()

    def test_order_and_invoice_pdfs(self):
        self.login(self.colleague_user)
        orders = self.get("/my/documents/orders")
        self.assertEqual(orders.status_code, 200)
        self.assertIn(f"/my/orders/{self.order.id}?report_type=pdf&amp;download=true", orders.text)
        self.assertNotIn(self.rival_order.name, orders.text)
        invoices = self.get("/my/documents/invoices")
        self.assertIn(f"/my/invoices/{self.invoice.id}?report_type=pdf&amp;download=true", invoices.text)
        self.assertIn(self.invoice.name, invoices.text)
        self.assertNotIn(self.rival_invoice.name, invoices.text)
        self.assertEqual(self.get("/my/documents/quotes").status_code, 404)
        # the links are sale's and account's own pages: they serve the customer's contacts, not another customer's
        for own, rival in ((self.order, self.rival_order), (self.invoice, self.rival_invoice)):
            with self.subTest(model=own._name):
                self.assertEqual(self.get(f"{own.access_url}?report_type=pdf&download=true").status_code, 200)
                self.assertRedirect(self.get(f"{rival.access_url}?report_type=pdf&download=true"), "/my")

    def test_download_by_the_customers_contacts_only(self):
        url = f"/my/documents/{self.contract.id}/download"
        for user in (self.customer_user, self.colleague_user):
            with self.subTest(user=user.login):
                self.login(user)
                response = self.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.content, CONTRACT_RAW)
                self.assertIn("agreement.pdf", response.headers["Content-Disposition"])
                self.assertIn("attachment", response.headers["Content-Disposition"])
        for user in (self.rival_user, self.vendor_user, self.employee, self.other_user):
            with self.subTest(user=user.login):
                self.login(user)
                self.assertRedirect(self.get(url), "/my")
        self.authenticate(None, None)
        self.assertRedirect(self.get(url), "/web/login")

    def test_guessed_archived_and_foreign_documents_are_not_downloaded(self):
        self.login(self.customer_user)
        missing = self.env["pce.document"].search([], order="id desc", limit=1).id + 1000
        for document_id in (self.rival_document.id, self.other_document.id, self.archived.id,
                            self.customer_abroad.id, missing):  # fmt: skip
            with self.subTest(document_id=document_id):
                self.assertRedirect(self.get(f"/my/documents/{document_id}/download"), "/my")

    def test_stock_binary_route_follows_the_same_rules(self):
        """/web/content streams any binary field of a record the visitor may read: the record rules keep other
        customers' files out of it too."""
        url = f"/web/content/pce.document/{self.contract.id}/datas"
        self.login(self.customer_user)
        self.assertEqual(self.get(url).content, CONTRACT_RAW)
        for user in (self.rival_user, self.vendor_user, self.employee, self.other_user, None):
            with self.subTest(user=user and user.login):
                if user:
                    self.login(user)
                else:
                    self.authenticate(None, None)
                response = self.get(url)
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn(CONTRACT_RAW, response.content)

    def test_home_counter(self):
        def counter(user):
            self.login(user)
            response = self.url_open(
                "/my/counters",
                data=json.dumps({"params": {"counters": ["pce_document_count"]}}),
                headers={"Content-Type": "application/json"},
            )
            return response.json()["result"]["pce_document_count"]

        self.assertEqual(counter(self.customer_user), 3)
        self.assertEqual(counter(self.rival_user), 1)
        self.assertEqual(counter(self.vendor_user), 0)
        self.assertEqual(counter(self.employee), 0)
        self.login(self.customer_user)
        self.assertIn('href="/my/documents"', self.get("/my").text)
