from collections.abc import Callable
from unittest.mock import patch
from urllib.parse import urlparse

from lxml import html

from odoo.http import request
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal_customer_ext.controllers.portal_account import CustomerPortalStatement

from .common import LATE_EVENING_UTC, PortalInvoiceCommon, PortalLoginMixin, create_portal_customer


class PortalStatementHttpMixin(PortalLoginMixin):
    def _page(self, url: str, user=None, status: int = 200):
        """GET `url` as `user` (already logged in when None) and return its parsed HTML."""
        if user:
            self.login(user)
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, status, url)
        return html.fromstring(response.content)

    def _assertRedirect(self, response, path: str) -> None:
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual(urlparse(response.headers["Location"]).path, path)

    def _text(self, tree, element_id: str) -> str:
        nodes = tree.xpath(f"//*[@id='{element_id}']")
        return " ".join(nodes[0].text_content().split()) if nodes else ""

    def _row_names(self, tree) -> list[str]:
        return [
            " ".join(row.xpath("./td[1]/a")[0].text_content().split())
            for row in tree.xpath("//tr[hasclass('pce_statement_row')]")
        ]

    def _money(self, amount: float) -> str:
        """The figure of `amount` as the monetary widget prints it (without the currency symbol)."""
        return f"{amount:,.2f}"

    def _count_queries(self, url: str) -> int:
        self.url_open(url)  # warm the caches (templates, ormcache, registry)
        before = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def assertQueryCountConstant(self, url: str, add_documents: Callable[[object, int], None]) -> None:
        """`url` runs as many queries for a customer with 3 documents as for a customer with 30.

        :param add_documents: gives a new customer its documents, called with (res.partner, 3 or 30)
        """
        counts = {}
        for number in (3, 30):
            customer, user = create_portal_customer(
                self.env, f"PCE Volume {number}", f"pce_volume_{number}", f"PCE Volume User {number}"
            )
            add_documents(customer, number)
            self.authenticate(user.login, user.login)
            counts[number] = self._count_queries(url)
        self.assertEqual(counts[3], counts[30], counts)


@tagged("post_install", "-at_install")
class TestPortalStatement(PortalInvoiceCommon, PortalStatementHttpMixin, HttpCase):
    """`/my/statement`: documents, totals, aging, filters, access, credit box, read-only cursor, query count."""

    freeze_time = LATE_EVENING_UTC  # the aging counts from the customer's day, not the staff's

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_invoice_fixtures()
        contact = cls.customer_user.partner_id
        # Olga's own overdue invoice (stock's "pay overdue" page pays the visitor's own), the company's invoices
        # at each age, a credit note, a paid invoice; another customer's invoice; a draft
        cls.inv_overdue_5 = cls._create_invoice(contact, 1000.0, days_ago=5)
        cls.inv_overdue_45 = cls._create_invoice(cls.customer, 2000.0, days_ago=45)
        cls.inv_overdue_75 = cls._create_invoice(cls.customer, 3000.0, days_ago=75)
        cls.inv_overdue_120 = cls._create_invoice(cls.customer, 4000.0, days_ago=120)
        cls.inv_not_due = cls._create_invoice(cls.customer, 500.0, days_ago=-10)
        cls.refund = cls._create_invoice(cls.customer, 300.0, days_ago=-10, move_type="out_refund")
        cls.inv_paid = cls._create_invoice(cls.customer, 700.0, days_ago=20)
        cls._register_payment(cls.inv_paid)
        cls.inv_draft = cls._create_invoice(cls.customer, 800.0, post=False)
        cls.rival_invoice = cls._create_invoice(cls.rival, 900.0, days_ago=30)
        cls._set_credit_limit(cls.customer, 25000.0)

    def test_owner_sees_totals_aging_and_rows(self) -> None:
        tree = self._page("/my/statement?filterby=all", self.customer_user)

        names = self._row_names(tree)
        expected = self.inv_overdue_5 | self.inv_overdue_45 | self.inv_overdue_75 | self.inv_overdue_120
        expected |= self.inv_not_due | self.refund | self.inv_paid
        self.assertCountEqual(names, expected.mapped("name"))
        self.assertNotIn(self.rival_invoice.name, tree.text_content())
        # open: 1000 + 2000 + 3000 + 4000 + 500 - 300; overdue: the first four; not yet due: 500 - 300
        self.assertIn(self._money(10200.0), self._text(tree, "pce_total_open"))
        self.assertIn(self._money(10000.0), self._text(tree, "pce_total_overdue"))
        self.assertIn(self._money(200.0), self._text(tree, "pce_total_not_due"))
        buckets = {
            cell.get("data-bucket"): " ".join(cell.text_content().split())
            for cell in tree.xpath("//table[@id='pce_statement_aging']//td")
        }
        for bucket, amount in {
            "current": 200.0,
            "1_30": 1000.0,
            "31_60": 2000.0,
            "61_90": 3000.0,
            "90_plus": 4000.0,
        }.items():
            self.assertIn(self._money(amount), buckets[bucket], bucket)

        row = tree.xpath(f"//tr[@data-move-id='{self.inv_overdue_45.id}']")[0]
        self.assertEqual(" ".join(row.xpath(".//td[hasclass('pce_days_overdue')]")[0].text_content().split()), "45")
        self.assertEqual(
            row.xpath(".//a[hasclass('pce_pdf_download')]/@href"),
            [f"/my/invoices/{self.inv_overdue_45.id}?report_type=pdf&download=true"],
        )
        paid_row = tree.xpath(f"//tr[@data-move-id='{self.inv_paid.id}']")[0]
        self.assertIn("Paid", paid_row.xpath(".//td[hasclass('pce_payment_state')]")[0].text_content())
        refund_row = tree.xpath(f"//tr[@data-move-id='{self.refund.id}']")[0]
        self.assertIn("-", refund_row.xpath("./td[5]")[0].text_content())
        # Olga has an overdue invoice of her own: stock's page pays it
        self.assertEqual(tree.xpath("//a[@id='pce_pay_overdue']/@href"), ["/my/invoices/overdue"])
        # the credit box: 25,000 - 10,200
        self.assertIn(
            f"You have $ {self._money(14800.0)} of $ {self._money(25000.0)} credit available",
            self._text(tree, "pce_credit_box").replace("\xa0", " "),
        )

    def test_colleague_sees_the_company_statement(self) -> None:
        tree = self._page("/my/statement?filterby=open", self.colleague_user)
        self.assertIn(self.inv_overdue_5.name, self._row_names(tree))
        self.assertNotIn(self.inv_paid.name, self._row_names(tree))
        self.assertIn(self._money(10200.0), self._text(tree, "pce_total_open"))
        self.assertIn("credit available", self._text(tree, "pce_credit_box"))
        # stock's overdue payment page only pays Colm's own invoices: none
        self.assertFalse(tree.xpath("//a[@id='pce_pay_overdue']"))

    def test_filters_search_sort_and_pager(self) -> None:
        self.login(self.customer_user)
        cases = {
            "open": self.inv_overdue_5
            | self.inv_overdue_45
            | self.inv_overdue_75
            | self.inv_overdue_120
            | self.inv_not_due
            | self.refund,
            "overdue": self.inv_overdue_5 | self.inv_overdue_45 | self.inv_overdue_75 | self.inv_overdue_120,
            "paid": self.inv_paid,
        }
        for filterby, moves in cases.items():
            with self.subTest(filterby=filterby):
                self.assertCountEqual(
                    self._row_names(self._page(f"/my/statement?filterby={filterby}")), moves.mapped("name")
                )
        # default: what is still to pay
        self.assertCountEqual(self._row_names(self._page("/my/statement")), cases["open"].mapped("name"))

        tree = self._page(f"/my/statement?filterby=all&search={self.inv_overdue_75.name}")
        self.assertEqual(self._row_names(tree), [self.inv_overdue_75.name])
        # totals are the whole account's, whatever the search
        self.assertIn(self._money(10200.0), self._text(tree, "pce_total_open"))

        tree = self._page("/my/statement?filterby=overdue&sortby=duedate")
        self.assertEqual(
            self._row_names(tree),
            (self.inv_overdue_120 | self.inv_overdue_75 | self.inv_overdue_45 | self.inv_overdue_5).mapped("name"),
        )
        tree = self._page("/my/statement?filterby=overdue&sortby=amount_due")
        self.assertEqual(self._row_names(tree)[0], self.inv_overdue_120.name)

        with patch.object(CustomerPortal, "_items_per_page", 2):
            first = self._row_names(self._page("/my/statement?filterby=overdue&sortby=duedate"))
            second = self._row_names(self._page("/my/statement/page/2?filterby=overdue&sortby=duedate"))
        self.assertEqual(first, [self.inv_overdue_120.name, self.inv_overdue_75.name])
        self.assertEqual(second, [self.inv_overdue_45.name, self.inv_overdue_5.name])

        # unknown values fall back to the defaults instead of failing
        self.assertTrue(self._row_names(self._page("/my/statement?filterby=bogus&sortby=bogus&search_in=bogus")))

    def test_another_customer_sees_nothing_of_it(self) -> None:
        tree = self._page("/my/statement?filterby=all", self.rival_user)
        self.assertEqual(self._row_names(tree), [self.rival_invoice.name])
        self.assertNotIn(self._money(10200.0), tree.text_content())
        # no limit on the other customer: no credit box, and never this customer's
        self.assertFalse(tree.xpath("//*[@id='pce_credit_box']"))

    def test_anonymous_and_internal_users_are_sent_away(self) -> None:
        self.authenticate(None, None)
        response = self.url_open("/my/statement", allow_redirects=False)
        self._assertRedirect(response, "/web/login")

        self.login(self.internal_user)
        response = self.url_open("/my/statement", allow_redirects=False)
        self._assertRedirect(response, "/my")

    def test_credit_box_on_home_and_account(self) -> None:
        self.login(self.customer_user)
        for url in ("/my", "/my/account"):
            with self.subTest(url=url):
                tree = self._page(url)
                self.assertIn(
                    f"You have $ {self._money(14800.0)} of $ {self._money(25000.0)} credit available",
                    self._text(tree, "pce_credit_box").replace("\xa0", " "),
                )
        home = self._page("/my")
        self.assertTrue(home.xpath("//a[@href='/my/statement']"))
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["pce_statement_count"]})
        self.assertEqual(counters["pce_statement_count"], 1)

        self.login(self.rival_user)
        for url in ("/my", "/my/account"):
            with self.subTest(url=url, user="rival"):
                self.assertFalse(self._page(url).xpath("//*[@id='pce_credit_box']"))

    def test_credit_box_hidden_without_limit_or_feature_and_warns_when_exceeded(self) -> None:
        self.login(self.customer_user)
        self._set_credit_limit(self.customer, 0.0)
        self.assertFalse(self._page("/my").xpath("//*[@id='pce_credit_box']"))
        self._set_credit_limit(self.customer, 25000.0, enabled=False)
        self.assertFalse(self._page("/my/statement").xpath("//*[@id='pce_credit_box']"))

        self._set_credit_limit(self.customer, 10000.0)
        tree = self._page("/my/statement")
        box = tree.xpath("//*[@id='pce_credit_box']")[0]
        self.assertIn("alert-danger", box.get("class"))
        self.assertIn(
            f"Your credit limit of $ {self._money(10000.0)} is exceeded by $ {self._money(200.0)}.",
            self._text(tree, "pce_credit_exceeded").replace("\xa0", " "),
        )

    def test_statement_is_served_by_a_read_only_cursor(self) -> None:
        """A write on /my/statement fails on its read-only cursor; Odoo retries it with a read/write one."""
        self.login(self.customer_user)
        with self.assertNoLogs("odoo.http", "WARNING"):
            self._page("/my/statement")

        original = CustomerPortalStatement._pce_get_statement_totals

        def writing_totals(controller, domain, today):
            request.env.user.partner_id.sudo().write({"comment": "written by the statement"})
            return original(controller, domain, today)

        with (
            patch.object(CustomerPortalStatement, "_pce_get_statement_totals", writing_totals),
            self.assertLogs("odoo.http", "WARNING") as logs,
        ):
            self._page("/my/statement")
        self.assertTrue(
            any(
                "read-only transaction" in line and "retrying with a read/write cursor" in line for line in logs.output
            ),
            logs.output,
        )

    def test_constant_query_count(self) -> None:
        """The same number of queries for 3 and for 30 documents of a customer."""

        def add_documents(customer, number: int) -> None:
            for index in range(number):
                self._create_invoice(customer, 100.0 + index, days_ago=index * 7)
            self._register_payment(self._create_invoice(customer, 50.0))
            self._set_credit_limit(customer, 100000.0)

        self.assertQueryCountConstant("/my/statement?filterby=all", add_documents)


@tagged("post_install", "-at_install")
class TestPortalInvoicePdf(PortalInvoiceCommon, PortalStatementHttpMixin, HttpCase):
    """The PDF download of stock `/my/invoices/<id>` that the statement and the invoice list link to."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_invoice_fixtures()
        cls.invoice = cls._create_invoice(cls.customer, 1234.0, days_ago=3)

    def _download(self, user, access_token: str | None = None):
        self.login(user)
        token = f"&access_token={access_token}" if access_token else ""
        return self.url_open(
            f"/my/invoices/{self.invoice.id}?report_type=pdf&download=true{token}", allow_redirects=False
        )

    def test_download_matrix(self) -> None:
        for label, user in (("owner", self.customer_user), ("colleague", self.colleague_user)):
            with self.subTest(user=label):
                response = self._download(user)
                self.assertEqual(response.status_code, 200)
                self.assertIn("attachment", response.headers.get("Content-Disposition", ""))
        refused = {
            "another customer": (self.rival_user, None),
            "another customer, wrong token": (self.rival_user, "not-the-token"),
            "anonymous": (None, None),
            "anonymous, wrong token": (None, "not-the-token"),
            "internal user without accounting rights": (self.internal_user, None),
        }
        with mute_logger("odoo.http"):
            for label, (user, token) in refused.items():
                with self.subTest(user=label):
                    self._assertRedirect(self._download(user, token), "/my")
        response = self._download(None, self.invoice._portal_ensure_token())
        self.assertEqual(response.status_code, 200)

    def test_guessed_ids_are_refused(self) -> None:
        rival_invoice = self._create_invoice(self.rival, 99.0)
        draft = self._create_invoice(self.customer, 99.0, post=False)
        self.login(self.customer_user)
        for move in (rival_invoice, draft):
            response = self.url_open(f"/my/invoices/{move.id}?report_type=pdf&download=true", allow_redirects=False)
            self._assertRedirect(response, "/my")
        missing_id = self.env["account.move"].search([], order="id desc", limit=1).id + 1000
        response = self.url_open(f"/my/invoices/{missing_id}?report_type=pdf&download=true", allow_redirects=False)
        self._assertRedirect(response, "/my")


@tagged("post_install", "-at_install")
class TestPortalMyInvoices(PortalInvoiceCommon, PortalStatementHttpMixin, HttpCase):
    """Stock `/my/invoices` with the payment-state filters and the PDF buttons."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_invoice_fixtures()
        cls.env["ir.config_parameter"].sudo().set_param("account_payment.enable_portal_payment", "True")
        cls.open_invoice = cls._create_invoice(cls.customer, 400.0, days_ago=3)
        cls.paid_invoice = cls._create_invoice(cls.customer, 600.0, days_ago=10)
        cls._register_payment(cls.paid_invoice)

    def _invoice_rows(self, tree) -> dict[str, object]:
        rows = {}
        for row in tree.xpath("//table//tbody/tr"):
            link = row.xpath("./td[1]/a")
            if link:
                rows[" ".join(link[0].text_content().split())] = row
        return rows

    def test_filters_and_buttons(self) -> None:
        tree = self._page("/my/invoices", self.customer_user)
        labels = [
            " ".join(a.text_content().split())
            for a in tree.xpath("//div[@aria-labelledby='portal_searchbar_filters']/a")
        ]
        self.assertIn("To pay", labels)
        self.assertIn("Paid", labels)
        self.assertIn("Overdue invoices", labels)  # stock's, kept

        rows = self._invoice_rows(tree)
        self.assertEqual(set(rows), {self.open_invoice.name, self.paid_invoice.name})
        for invoice in (self.open_invoice, self.paid_invoice):
            self.assertEqual(
                rows[invoice.name].xpath(".//a[hasclass('pce_pdf_download')]/@href"),
                [f"/my/invoices/{invoice.id}?report_type=pdf&download=true"],
            )
        # stock account_payment's "Pay Now" on rows with an amount due, to the invoice page's payment section
        pay_links = rows[self.open_invoice.name].xpath(".//a[@title='Pay Now']/@href")
        self.assertEqual(len(pay_links), 1)
        self.assertIn("#portal_pay", pay_links[0])
        self.assertFalse(rows[self.paid_invoice.name].xpath(".//a[@title='Pay Now']"))

        self.assertEqual(
            set(self._invoice_rows(self._page("/my/invoices?filterby=pce_open"))), {self.open_invoice.name}
        )
        self.assertEqual(
            set(self._invoice_rows(self._page("/my/invoices?filterby=pce_paid"))), {self.paid_invoice.name}
        )

    def test_pdf_buttons_add_no_query_per_row(self) -> None:
        """Stock /my/invoices with our column: as many queries for 3 invoices as for 30."""

        def add_documents(customer, number: int) -> None:
            for index in range(number):
                invoice = self._create_invoice(customer, 100.0 + index, days_ago=index)
                invoice._portal_ensure_token()  # stock's rows link with the token: created once, not on this page

        self.assertQueryCountConstant("/my/invoices?filterby=pce_open", add_documents)
