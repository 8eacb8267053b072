from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

from .common import PortalVendorExtCommon

# Not read by any test: the submission's reading is written directly, so that these tests need the matching module
# (tools/po_matching.py) but not the reading engine.
PDF_BYTES = b"%PDF-1.4\n% vendor invoice\n"


class TestVendorInvoice(PortalVendorExtCommon, BaseCommon):
    """Processing of a read submission: three-way match, draft bill, review, rejection, duplicates, access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ack_fixtures()
        cls.product.default_code = "BOLT-5"
        cls.order.order_line.qty_received = 5.0

    def _submission(self, quantity=5.0, unit_price=12.0, number="INV-001", **values):
        submission = self.env["pve.vendor.invoice"].create(
            {
                "partner_id": self.vendor.id,
                "uploaded_by_id": self.vendor_user.partner_id.id,
                "file_name": "inv.pdf",
                "purchase_order_ids": [Command.set(self.order.ids)],
                "read_source": "pdf",
                "invoice_number": number,
                "invoice_date": "2026-03-01",
                "currency_id": self.order.currency_id.id,
                "amount_untaxed": quantity * unit_price,
                "amount_tax": 0.0,
                "amount_total": quantity * unit_price,
                "confidence": 1.0,
                "line_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "description": "PVE Steel Bolt",
                            "product_code": "BOLT-5",
                            "quantity": quantity,
                            "unit_price": unit_price,
                            "amount": quantity * unit_price,
                        }
                    )
                ],
                **values,
            }
        )
        submission.attachment_id = self.env["ir.attachment"].create(
            {"name": "inv.pdf", "raw": PDF_BYTES, "res_model": submission._name, "res_id": submission.id}
        )
        return submission

    def test_matching_invoice_gets_draft_bill_linked_to_po(self) -> None:
        submission = self._submission()

        submission._job_process()

        self.assertEqual(submission.state, "matched")
        self.assertFalse(submission.difference_ids)
        bill = submission.move_id
        self.assertEqual(bill.state, "draft")
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.ref, "INV-001")
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, self.order.order_line)
        self.assertEqual(bill.amount_untaxed, 60.0)
        self.assertEqual(self.order.order_line.qty_invoiced, 5.0)
        self.assertTrue(bill.message_ids.attachment_ids.filtered(lambda a: a.raw == PDF_BYTES))

    def test_over_received_and_price_go_to_review_in_words(self) -> None:
        self.order.order_line.qty_received = 3.0
        submission = self._submission(quantity=5.0, unit_price=13.0)

        submission._job_process()

        self.assertEqual(submission.state, "review")
        self.assertFalse(submission.move_id)
        messages = submission.difference_ids.mapped("message")
        self.assertIn("Line 1 (PVE Steel Bolt): 5 invoiced, but 3 received so far (5 ordered).", messages)
        self.assertIn("Line 1 (PVE Steel Bolt): unit price 13.00 invoiced, 12.00 on the purchase order.", messages)

    def test_over_ordered_goes_to_review_in_words(self) -> None:
        submission = self._submission(quantity=7.0)

        submission._job_process()

        self.assertEqual(submission.state, "review")
        self.assertEqual(
            submission.difference_ids.mapped("message"), ["Line 1 (PVE Steel Bolt): 7 invoiced, but only 5 ordered."]
        )

    def test_product_billed_on_ordered_quantities_needs_no_receipt(self) -> None:
        self.order.order_line.qty_received = 0.0
        self.product.purchase_method = "purchase"

        submission = self._submission()
        submission._job_process()

        self.assertEqual(submission.state, "matched", submission.difference_ids.mapped("message"))

    def test_vendor_own_code_matches_the_po_line(self) -> None:
        """The vendor prints its own code (the product's vendor pricelist) and its own wording of the product."""
        self.env["product.supplierinfo"].create(
            {"partner_id": self.vendor.id, "product_id": self.product.id, "product_code": "WC-7781", "price": 12.0}
        )
        submission = self._submission()
        submission.line_ids.write({"product_code": "WC-7781", "description": "Hex fastener M8 zinc"})

        submission._job_process()

        self.assertEqual(submission.state, "matched", submission.difference_ids.mapped("message"))
        self.assertEqual(submission.line_ids.purchase_line_id, self.order.order_line)

    def test_invoice_in_another_currency_is_compared_at_the_rate(self) -> None:
        """A PO in the company currency invoiced in another one: PO prices are converted before the comparison."""
        other = self.env["res.currency"].create({"name": "PVX", "symbol": "X", "rounding": 0.01})
        self.env["res.currency.rate"].create(
            {"currency_id": other.id, "name": "2026-01-01", "rate": 2.0 * self.order.currency_id.rate}
        )
        submission = self._submission(unit_price=24.0, currency_id=other.id)

        submission._job_process()

        self.assertEqual(submission.state, "matched", submission.difference_ids.mapped("message"))

    def test_order_found_by_the_printed_reference(self) -> None:
        submission = self._submission(
            purchase_order_ids=[Command.clear()], po_reference=f"Your order {self.order.name}"
        )

        submission._job_process()

        self.assertEqual(submission.purchase_order_ids, self.order)
        self.assertEqual(submission.state, "matched", submission.difference_ids.mapped("message"))

    def test_order_found_by_vendor_and_total_when_only_one_fits(self) -> None:
        """No order ticked nor printed: the vendor's only open order with the invoice's total (Odoo's own last
        resort, `_match_purchase_orders`); with two such orders nothing is guessed and the invoice waits."""
        submission = self._submission(
            purchase_order_ids=[Command.clear()], amount_tax=self.order.amount_tax, amount_total=self.order.amount_total
        )
        self.assertEqual(submission._pve_find_purchase_orders(), self.order)

        twin = self.order.copy()
        twin.button_confirm()
        self.assertFalse(submission._pve_find_purchase_orders())
        submission._job_process()
        self.assertEqual(submission.state, "review")
        self.assertFalse(submission.move_id)

    def test_review_then_create_bill_approves(self) -> None:
        submission = self._submission(unit_price=13.0)
        submission._job_process()
        self.assertEqual(submission.state, "review")

        submission.action_create_bill()

        self.assertEqual(submission.state, "approved")
        self.assertEqual(submission.move_id.invoice_line_ids.price_unit, 13.0)

    def test_uncertain_reading_waits_for_review(self) -> None:
        submission = self._submission(confidence=0.6)

        submission._job_process()

        self.assertEqual(submission.state, "review")
        self.assertEqual(
            submission.difference_ids.mapped("message"),
            ["Some fields could not be read with certainty: accounts payable checks them."],
        )

    def test_reject_needs_a_reason_and_removes_the_draft_bill(self) -> None:
        submission = self._submission()
        submission._job_process()
        bill = submission.move_id

        with self.assertRaises(UserError):
            submission._pve_reject("  ")
        wizard = (
            self.env["pve.vendor.invoice.reject"]
            .with_context(active_ids=submission.ids)
            .create({"reason": "Wrong VAT number"})
        )
        wizard.action_reject()

        self.assertEqual(submission.state, "rejected")
        self.assertEqual(submission.reject_reason, "Wrong VAT number")
        self.assertFalse(bill.exists())

    def test_duplicate_number_refused_naming_the_earlier_one(self) -> None:
        self._submission()
        with self.assertRaisesRegex(
            ValidationError, r"Invoice INV-001 was already submitted on .* \(inv.pdf, Processing\)"
        ):
            self._submission()
        # A rejected invoice may be sent again.
        other = self._submission(number="INV-002")
        other._pve_reject("Wrong address")
        self._submission(number="INV-002")

    def test_bad_files_refused_others_kept(self) -> None:
        Submission = self.env["pve.vendor.invoice"]
        submissions, refusals = Submission._pve_submit(
            self.vendor,
            self.vendor_user.partner_id,
            [("notes.txt", b"hello"), ("big.pdf", b"%PDF-" + b"0" * (16 << 20))],
            self.order,
        )
        self.assertFalse(submissions)
        self.assertEqual(
            refusals,
            [
                ("notes.txt", "This file is neither a PDF nor an XML e-invoice."),
                ("big.pdf", "This file is larger than 15 MB."),
            ],
        )
        self.assertFalse(Submission.search([("partner_id", "=", self.vendor.id)]))

    def test_access(self) -> None:
        """Portal contacts read their company's submissions only; purchase users read; accounts payable manage."""
        mine, theirs = self._submission(), self._submission(number="X-1", partner_id=self.other_vendor.id)
        Submission = self.env["pve.vendor.invoice"]
        self.assertEqual(Submission.with_user(self.vendor_user).search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.vendor_user).read(["state"])
        with self.assertRaises(AccessError):
            mine.with_user(self.vendor_user).write({"state": "approved"})
        self.assertEqual(mine.difference_ids.with_user(self.vendor_user).search([]), mine.difference_ids)
        buyer = new_test_user(self.env, login="pve_buyer_ro", groups="purchase.group_purchase_user")
        self.assertEqual(Submission.with_user(buyer).search([("id", "in", (mine | theirs).ids)]), mine | theirs)
        with self.assertRaises(AccessError):
            mine.with_user(buyer).write({"invoice_number": "Y"})
        payable = new_test_user(self.env, login="pve_ap", groups="account.group_account_invoice")
        mine.with_user(payable).write({"invoice_number": "INV-001B"})
