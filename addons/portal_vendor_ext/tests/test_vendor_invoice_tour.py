from odoo.tests import tagged

from odoo.addons.ai_bridge_core.tests.common import run_due_jobs
from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from . import invoice_samples
from .common import VendorInvoiceEndToEndCommon

TOUR_SAMPLE = ("en_ruled", 1)  # invoice INV/2025/06735, which the tour looks for in the list


@tagged("post_install", "-at_install")
class TestVendorInvoiceTour(VendorInvoiceEndToEndCommon, HttpCaseWithUserPortal):
    """Upload to draft bill in a real browser: the vendor uploads a PDF to a purchase order in the portal and sees
    it in the list; the job then books the draft bill."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ack_fixtures()

    def test_upload_to_draft_bill_tour(self) -> None:
        pdf, truth = invoice_samples.sample(*TOUR_SAMPLE)
        self.assertEqual(truth["invoice_number"], "INV/2025/06735")
        order = self._order_for_truth(truth)
        order.partner_ref = "PVE-TOUR-PO"
        # The PDF the tour puts in the file input, at /web/content/portal_vendor_ext.pve_tour_invoice_pdf.
        attachment = self.env["ir.attachment"].create(
            {"name": "tour_invoice.pdf", "raw": pdf, "mimetype": "application/pdf", "public": True}
        )
        self.env["ir.model.data"].create(
            {
                "module": "portal_vendor_ext",
                "name": "pve_tour_invoice_pdf",
                "model": "ir.attachment",
                "res_id": attachment.id,
            }
        )

        self.start_tour("/my/vendor-invoices", "portal_vendor_ext_vendor_invoice_upload", login=self.vendor_user.login)

        submission = self.env["pve.vendor.invoice"].search([("partner_id", "=", self.vendor.id)])
        self.assertEqual(submission.file_name, "tour_invoice.pdf")
        self.assertEqual(submission.purchase_order_ids, order)
        self.assertEqual(submission.uploaded_by_id, self.vendor_user.partner_id)
        self.assertEqual(submission.attachment_id.raw, pdf)

        run_due_jobs(self.env)

        self.assertEqual(submission.state, "matched", submission.difference_ids.mapped("message"))
        self.assertEqual(submission.move_id.state, "draft")
        self.assertEqual(submission.move_id.ref, truth["invoice_number"])
        self.assertEqual(submission.move_id.invoice_line_ids.purchase_line_id, order.order_line)
