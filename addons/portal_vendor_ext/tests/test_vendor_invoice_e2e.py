import html
import re

from odoo import http
from odoo.tests import new_test_user, tagged

from odoo.addons.ai_bridge_core.tests.common import run_due_jobs
from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from . import invoice_samples
from .common import VendorInvoiceEndToEndCommon


@tagged("post_install", "-at_install")
class TestVendorInvoiceEndToEnd(VendorInvoiceEndToEndCommon, HttpCaseWithUserPortal):
    """What the vendor and accounts payable see, from a generated PDF uploaded in the portal to the draft bill,
    through the real reading engine, the job and the matching."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ack_fixtures()

    def _upload(self, files, orders=None):
        """POST files to the upload form as the vendor's contact.

        :return: the response, not following a redirect
        """
        self.authenticate(self.vendor_user.login, self.vendor_user.login)
        return self.url_open(
            "/my/vendor-invoices/upload",
            data={"csrf_token": http.Request.csrf_token(self), "order_ids": [str(order.id) for order in orders or ()]},
            files=[("files", (name, content)) for name, content in files],
            allow_redirects=False,
        )

    @staticmethod
    def _refusals(response) -> list[str]:
        """:return: the refusals shown by the upload form, as the vendor reads them ("file: reason")"""
        blocks = re.findall(r'class="alert alert-danger pve_refusal"[^>]*>(.*?)</div>', response.text, re.DOTALL)
        return [html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", block))).strip() for block in blocks]

    def _submission(self, file_name: str):
        return self.env["pve.vendor.invoice"].search([("file_name", "=", file_name)])

    def _assert_matched_with_bill(self, layout: str, seed: int) -> None:
        pdf, truth = invoice_samples.sample(layout, seed)
        order = self._order_for_truth(truth)
        file_name = f"{layout}.pdf"

        response = self._upload([(file_name, pdf)], orders=order)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/my/vendor-invoices?uploaded=1", response.headers["Location"])
        submission = self._submission(file_name)
        self.assertEqual(submission.state, "processing")
        self.assertEqual(self.url_open(f"/my/vendor-invoices/{submission.id}").status_code, 200)

        self.assertGreaterEqual(run_due_jobs(self.env), 1)

        self.assertEqual(submission.state, "matched", submission.difference_ids.mapped("message"))
        self.assertEqual(submission.read_source, "pdf")
        self.assertEqual(submission.invoice_number, truth["invoice_number"])
        self.assertEqual(submission.currency_id.name, truth["currency"])
        bill = submission.move_id
        self.assertEqual(bill.state, "draft")
        self.assertEqual(bill.partner_id, self.vendor)
        self.assertFalse(bill.create_uid.share, "booked by the system, not by the vendor's portal user")
        self.assertEqual(bill.ref, truth["invoice_number"])
        self.assertEqual(str(bill.invoice_date), truth["invoice_date"])
        self.assertEqual(bill.currency_id.name, truth["currency"])
        self.assertAlmostEqual(bill.amount_untaxed, truth["amount_untaxed"], places=2)
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, order.order_line)
        self.assertEqual(order.order_line.mapped("qty_invoiced"), order.order_line.mapped("product_qty"))
        self.assertTrue(bill.message_ids.attachment_ids.filtered(lambda attachment: attachment.raw == pdf))
        page = self.url_open(f"/my/vendor-invoices/{submission.id}").text
        self.assertIn("Matched", page)
        self.assertIn("Your invoice matches the purchase order", page)

    def test_english_pdf_matched_with_draft_bill(self) -> None:
        self._assert_matched_with_bill("en_ruled", 1)

    def test_french_pdf_matched_with_draft_bill(self) -> None:
        self._assert_matched_with_bill("fr_plain", 0)

    def test_price_difference_reviewed_then_rejected_vendor_sees_why(self) -> None:
        pdf, truth = invoice_samples.sample("en_ruled", 1)
        line = truth["lines"][0]
        po_price = round(line["unit_price"] - 1.0, 2)
        order = self._order_for_truth(truth, price_changes={0: po_price})

        self._upload([("priced.pdf", pdf)], orders=order)
        run_due_jobs(self.env)

        submission = self._submission("priced.pdf")
        self.assertEqual(submission.state, "review")
        self.assertFalse(submission.move_id)
        page = self.url_open(f"/my/vendor-invoices/{submission.id}").text
        self.assertIn("Awaiting review", page)
        expected = (
            f"Line 1 ({line['description']}): unit price {line['unit_price']:.2f} invoiced, {po_price:.2f} on the "
            "purchase order."
        )
        self.assertEqual(submission.difference_ids.mapped("message"), [expected])
        self.assertIn(expected, page)

        payable = new_test_user(self.env, login="pve_ap_e2e", groups="account.group_account_invoice")
        reason = "The price of the bookcases is the one of our order: please send a corrected invoice."
        wizard = (
            self.env["pve.vendor.invoice.reject"]
            .with_user(payable)
            .with_context(active_ids=submission.ids)
            .create({"reason": reason})
        )
        wizard.action_reject()

        page = self.url_open(f"/my/vendor-invoices/{submission.id}").text
        self.assertIn("Rejected", page)
        self.assertIn(reason, page)
        self.assertIn(expected, page)
        # Rejected: the vendor may send the corrected invoice under the same number.
        response = self._upload([("corrected.pdf", pdf)], orders=order)
        self.assertEqual(response.status_code, 303)

    def test_duplicate_refused_naming_the_earlier_one(self) -> None:
        pdf, truth = invoice_samples.sample("fr_plain", 0)
        order = self._order_for_truth(truth)
        self._upload([("first.pdf", pdf)], orders=order)
        run_due_jobs(self.env)
        first = self._submission("first.pdf")
        self.assertEqual(first.state, "matched")

        response = self._upload([("again.pdf", pdf)], orders=order)

        self.assertEqual(response.status_code, 200)
        (refusal,) = self._refusals(response)
        self.assertRegex(
            refusal,
            rf"^again\.pdf: Invoice {re.escape(truth['invoice_number'])} was already submitted on "
            r"\d{4}-\d{2}-\d{2} \(first\.pdf, Matched\)\.$",
        )
        self.assertFalse(self._submission("again.pdf"))
        self.assertEqual(first.move_id.state, "draft")

    def test_broken_files_refused_with_their_message_others_kept(self) -> None:
        pdf, truth = invoice_samples.sample("fr_plain", 0)
        order = self._order_for_truth(truth)
        broken = {kind: invoice_samples.broken_sample(kind)[0] for kind in invoice_samples.BROKEN}
        files = [(f"{kind}.pdf", data) for kind, data in broken.items()] + [("good.pdf", pdf)]

        response = self._upload(files, orders=order)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self._refusals(response),
            [
                "encrypted.pdf: This PDF is password-protected: please upload it without a password.",
                "not_pdf.pdf: This file is neither a PDF nor an XML e-invoice.",
                "truncated.pdf: This PDF is damaged and cannot be opened.",
                "too_many_pages.pdf: This PDF has too many pages for one invoice.",
            ],
        )
        for kind in ("encrypted", "not_pdf", "truncated", "too_many_pages"):
            self.assertFalse(self._submission(f"{kind}.pdf"), kind)
        # The other files are kept: the invoice, and the scan, which accounts payable reads by hand.
        self.assertIn('id="pve_accepted"', response.text)
        run_due_jobs(self.env)
        good = self._submission("good.pdf")
        self.assertEqual(good.state, "matched", good.difference_ids.mapped("message"))
        scan = self._submission("image_only.pdf")
        self.assertEqual(scan.state, "review")
        self.assertEqual(scan.attachment_id.raw, broken["image_only"])
        page = self.url_open(f"/my/vendor-invoices/{scan.id}").text
        self.assertIn("This PDF holds no text (a scan?): it will be checked by hand.", html.unescape(page))
        self.assertIn("The file holds no readable text (a scan?): accounts payable reads it by hand.", page)
