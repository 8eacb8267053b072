import io

from odoo import http
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools.pdf import OdooPdfFileReader, OdooPdfFileWriter

from odoo.addons.ai_bridge_core.tests.common import run_due_jobs
from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from . import invoice_samples
from .common import VendorInvoiceEndToEndCommon


@tagged("post_install", "-at_install")
class TestVendorInvoiceEInvoice(VendorInvoiceEndToEndCommon, HttpCaseWithUserPortal):
    """E-invoices made by Odoo's own exporters (account_edi_ubl_cii) for a customer invoice of the vendor's company,
    uploaded by the vendor: read from the XML (confidence 1.0) into a draft bill linked to the PO lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ack_fixtures()
        # The vendor is a company of this database too, with its own chart of accounts: it invoices us (the
        # current company) and exports its invoices as e-invoices, as its own Odoo would.
        cls.vendor.write(
            {
                "vat": "BE0477472701",
                "country_id": cls.env.ref("base.be").id,
                "street": "Rue de la Loi 16",
                "zip": "1000",
                "city": "Brussels",
            }
        )
        cls.buyer_company = cls.env.company
        cls.vendor_company = cls.env["res.company"].create(
            {"name": cls.vendor.name, "partner_id": cls.vendor.id, "currency_id": cls.buyer_company.currency_id.id}
        )
        cls.env["account.chart.template"].try_loading("generic_coa", company=cls.vendor_company, install_demo=False)

    def _customer_invoice(self, truth: dict):
        """The vendor's posted customer invoice to us for the lines of `truth`."""
        products = self.env["product.product"].search(
            [("default_code", "in", [li["product_code"] for li in truth["lines"]])]
        )
        by_code = {product.default_code: product for product in products}
        invoice = (
            self.env["account.move"]
            .with_company(self.vendor_company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.buyer_company.partner_id.id,
                    "invoice_date": truth["invoice_date"],
                    "currency_id": self.buyer_company.currency_id.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": by_code[line["product_code"]].id,
                                "name": line["description"],
                                "quantity": line["quantity"],
                                "price_unit": line["unit_price"],
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for line in truth["lines"]
                    ],
                }
            )
        )
        invoice.action_post()
        return invoice

    def _truth(self, seed: int) -> dict:
        truth = invoice_samples.sample("us_dollar", seed)[1]
        truth["currency"] = self.buyer_company.currency_id.name
        return truth

    def _upload_and_process(self, file_name: str, data: bytes, order):
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        response = self.url_open(
            "/my/vendor-invoices/upload",
            data={"csrf_token": http.Request.csrf_token(self), "order_ids": [str(order.id)]},
            files=[("files", (file_name, data))],
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[-2000:])
        run_due_jobs(self.env)
        return self.env["pve.vendor.invoice"].search([("file_name", "=", file_name)])

    def _assert_read_from_xml_into_bill(self, submission, invoice, order) -> None:
        self.assertEqual(submission.state, "matched", submission.difference_ids.mapped("message"))
        self.assertEqual(submission.read_source, "xml")
        self.assertEqual(submission.confidence, 1.0)
        self.assertTrue(submission.confidence_json)
        self.assertEqual(set(submission.confidence_json.values()), {1.0})
        self.assertEqual(submission.invoice_number, invoice.name)
        self.assertEqual(submission.amount_total, invoice.amount_total)
        self.assertEqual(len(submission.line_ids), len(invoice.invoice_line_ids))
        bill = submission.move_id
        self.assertEqual(bill.state, "draft")
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.company_id, self.buyer_company)
        self.assertEqual(bill.partner_id, self.vendor)
        self.assertEqual(bill.ref, invoice.name)
        self.assertAlmostEqual(bill.amount_untaxed, invoice.amount_untaxed, places=2)
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, order.order_line)
        self.assertEqual(order.order_line.mapped("qty_invoiced"), order.order_line.mapped("product_qty"))

    def test_ubl_and_cii_xml_read_exactly_into_draft_bill(self) -> None:
        for seed, (builder, file_name) in enumerate(
            [("account.edi.xml.ubl_bis3", "invoice_ubl.xml"), ("account.edi.xml.cii", "invoice_cii.xml")]
        ):
            with self.subTest(builder=builder):
                truth = self._truth(seed)
                order = self._order_for_truth(truth)
                invoice = self._customer_invoice(truth)
                xml = self.env[builder]._export_invoice(invoice)[0]

                submission = self._upload_and_process(file_name, xml, order)

                self._assert_read_from_xml_into_bill(submission, invoice, order)

    def test_factur_x_pdf_read_from_its_xml(self) -> None:
        """A PDF carrying Factur-X: the PDF printed by the vendor with the CII XML embedded the way
        account_edi_ubl_cii does it outside tests (it skips the embedding when tests run)."""
        pdf, truth = invoice_samples.sample("us_dollar", 2)
        truth["currency"] = self.buyer_company.currency_id.name
        order = self._order_for_truth(truth)
        invoice = self._customer_invoice(truth)
        writer = OdooPdfFileWriter()
        writer.cloneReaderDocumentRoot(OdooPdfFileReader(io.BytesIO(pdf), strict=False))
        writer.addAttachment("factur-x.xml", self.env["account.edi.xml.cii"]._export_invoice(invoice)[0], "text/xml")
        buffer = io.BytesIO()
        writer.write(buffer)

        submission = self._upload_and_process("facturx.pdf", buffer.getvalue(), order)

        self._assert_read_from_xml_into_bill(submission, invoice, order)
