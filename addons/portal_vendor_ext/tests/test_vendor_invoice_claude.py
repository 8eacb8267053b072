"""Claude reading uploaded invoice PDFs through ai_bridge_core, faked above the seam (`MockClaude`): the real reading
engine reads generated samples at upload, the real jobs run (`run_due_jobs`), and the request Claude would get is
checked as recorded."""

import copy

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.ai_bridge_core.tests.common import TEST_API_KEY, MockClaude, run_due_jobs
from odoo.addons.ai_bridge_core.tests.fake_anthropic import only_local_http
from odoo.addons.base.tests.common import BaseCommon

from . import invoice_samples

FEATURE_PARAM = "ai_bridge_core.feature_vendor_invoice_reading"
LAYOUT = "en_ruled"
TOTAL_ERROR = 10.0  # printed total = untaxed + tax + 10: the engine reads totals that do not add up


@tagged("post_install", "-at_install")
class TestVendorInvoiceClaude(BaseCommon, MockClaude):
    """A reading that misses fields, does not add up or holds no text goes to Claude with the PDF; what Claude reads
    more surely is merged when the answer is sure, then matching decides; without Claude the deterministic reading
    is kept and processing goes on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.enterClassContext(only_local_http())
        env = cls.env
        params = env["ir.config_parameter"].sudo()
        params.set_param("ai_bridge_core.api_key", TEST_API_KEY)
        params.set_param("ai_bridge_core.monthly_budget", 0)
        params.set_param(FEATURE_PARAM, True)
        cls.pdf, cls.truth = invoice_samples.sample(LAYOUT)
        cls.wrong_pdf, cls.wrong_truth = invoice_samples.sample(LAYOUT, total_error=TOTAL_ERROR)
        cls.vendor = env["res.partner"].create({"name": "PVC Wood Corner Ltd", "is_company": True})
        cls.vendor_user = new_test_user(
            env, login="pvc_vendor", groups="base.group_portal", name="Vince Claude", parent_id=cls.vendor.id
        )
        currency = env["res.currency"].with_context(active_test=False).search([("name", "=", cls.truth["currency"])])
        currency.active = True
        cls.order = env["purchase.order"].create(
            {
                "partner_id": cls.vendor.id,
                "currency_id": currency.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": env["product.product"]
                            .create(
                                {"name": line["description"], "default_code": line["product_code"], "purchase_ok": True}
                            )
                            .id,
                            "product_qty": line["quantity"],
                            "price_unit": line["unit_price"],
                            "taxes_id": False,
                        }
                    )
                    for line in cls.truth["lines"]
                ],
            }
        )
        cls.order.button_confirm()
        for po_line in cls.order.order_line:
            po_line.qty_received = po_line.product_qty

    def _upload(self, pdf, name="invoice.pdf"):
        """Upload `pdf` as the portal does (as superuser once the controller checked the vendor and the order)."""
        submissions, refusals = (
            self.env["pve.vendor.invoice"]
            .sudo()
            ._pve_submit(self.vendor, self.vendor_user.partner_id, [(name, pdf)], self.order)
        )
        self.assertFalse(refusals)
        return submissions.sudo(False)

    def _run_jobs(self):
        """Run the suite's jobs until none is due: processing, Claude's decision, processing again."""
        for _round in range(5):
            if not run_due_jobs(self.env):
                return

    def _decision(self, submission):
        return self.env["ai.bridge.decision"].search(
            [("res_model", "=", "pve.vendor.invoice"), ("res_id", "=", submission.id)]
        )

    @staticmethod
    def _claude_answer(truth, confidence=0.97, field_confidence=0.99, **changes):
        """Claude's tool input reading `truth` (the sample's true fields), sure of every field."""
        answer = {**copy.deepcopy(truth), **changes}
        answer["field_confidence"] = {key: field_confidence for key in invoice_samples.compare(truth, truth)}
        answer.update(confidence=confidence, reasoning="Read from the PDF.")
        return answer

    def test_feature_switch_is_seeded_on_with_its_task(self):
        self.assertEqual(self.env.ref("portal_vendor_ext.config_feature_vendor_invoice_reading").value, "True")
        task = self.env.ref("portal_vendor_ext.ai_bridge_task_vendor_invoice_reading")
        self.assertEqual((task.code, task.feature), ("vendor_invoice_reading", "vendor_invoice_reading"))
        self.assertIn("pve_feature_vendor_invoice_reading", self.env["res.config.settings"]._fields)

    def test_a_sure_reading_is_not_sent_to_claude(self):
        with self.mock_claude() as claude:
            submission = self._upload(self.pdf)
            self._run_jobs()
        self.assertFalse(claude.requests)
        self.assertFalse(self._decision(submission))
        self.assertEqual(submission.state, "matched")

    def test_claude_corrects_totals_that_do_not_add_up(self):
        """The printed total is off by 10: Claude gets the PDF as a document with the deterministic reading, reads
        the total that adds up, surely: the submission takes it and is matched with a draft bill."""
        right_total = round(self.wrong_truth["amount_untaxed"] + self.wrong_truth["amount_tax"], 2)
        with self.mock_claude(self._claude_answer(self.wrong_truth, amount_total=right_total)) as claude:
            submission = self._upload(self.wrong_pdf)
            self.assertEqual(submission.amount_total, self.wrong_truth["amount_total"])  # as printed
            self._run_jobs()

        [request] = claude.requests
        self.assertEqual(request.documents, (("application/pdf", self.wrong_pdf),))
        self.assertIn("amount_total", request.user_content)
        self.assertIn(str(self.wrong_truth["amount_total"]), request.user_content)
        schema = request.tool.input_schema
        self.assertIn("amount_total", schema["properties"]["field_confidence"]["required"])
        self.assertIn("confidence", schema["required"])
        decision = self._decision(submission)
        self.assertEqual((decision.state, decision.source), ("auto_applied", "claude"))
        self.assertEqual(submission.amount_total, right_total)
        self.assertEqual(submission.read_source, "claude")
        self.assertEqual(submission.confidence_json["amount_total"], 0.99)
        self.assertEqual(submission.state, "matched")
        self.assertFalse(submission.difference_ids)
        self.assertEqual(submission.move_id.invoice_line_ids.purchase_line_id, self.order.order_line)
        [note] = submission.message_ids.filtered(lambda m: "Read by Claude" in (m.body or ""))
        self.assertIn("Total", note.body)

    def test_claude_fills_a_missing_total(self):
        """A total the engine did not find (confidence 0): Claude's total is taken, the others stay as read."""
        submission = self._upload(self.pdf)
        confidence = dict(submission.confidence_json, amount_total=0.0)
        submission.write({"amount_total": False, "confidence_json": confidence, "confidence": 0.0})
        answer = self._claude_answer(self.truth, invoice_number="CLAUDE-WRONG")
        answer["field_confidence"]["invoice_number"] = 0.6  # less sure than the engine: not taken
        with self.mock_claude(answer) as claude:
            self._run_jobs()
        self.assertEqual(len(claude.requests), 1)
        self.assertEqual(submission.amount_total, self.truth["amount_total"])
        self.assertEqual(submission.invoice_number, self.truth["invoice_number"])
        self.assertEqual(submission.state, "matched")

    def test_a_scan_is_read_by_claude(self):
        """A PDF without text: kept at upload, read entirely by Claude, matched."""
        scan, _error = invoice_samples.broken_sample("image_only")
        with self.mock_claude(self._claude_answer(self.truth)) as claude:
            submission = self._upload(scan, "scan.pdf")
            self.assertEqual(submission.error_code, "image_only")
            self._run_jobs()
        self.assertIn("No text could be extracted", claude.requests[0].user_content)
        self.assertEqual(submission.invoice_number, self.truth["invoice_number"])
        self.assertEqual(len(submission.line_ids), len(self.truth["lines"]))
        self.assertFalse(submission.error_code)
        self.assertEqual(submission.state, "matched")

    def test_an_unsure_answer_is_not_applied(self):
        """Claude not sure overall: only logged, the printed total stays and the submission waits for review."""
        right_total = round(self.wrong_truth["amount_untaxed"] + self.wrong_truth["amount_tax"], 2)
        with self.mock_claude(self._claude_answer(self.wrong_truth, confidence=0.5, amount_total=right_total)):
            submission = self._upload(self.wrong_pdf)
            self._run_jobs()
        self.assertEqual(self._decision(submission).state, "logged")
        self.assertEqual(submission.amount_total, self.wrong_truth["amount_total"])
        self.assertEqual(submission.read_source, "pdf")
        self.assertEqual(submission.state, "review")
        self.assertIn("totals", submission.difference_ids.mapped("kind"))

    def test_a_plausible_answer_approved_later_is_merged_and_matched_again(self):
        right_total = round(self.wrong_truth["amount_untaxed"] + self.wrong_truth["amount_tax"], 2)
        with self.mock_claude(self._claude_answer(self.wrong_truth, confidence=0.9, amount_total=right_total)):
            submission = self._upload(self.wrong_pdf)
            self._run_jobs()
        decision = self._decision(submission)
        self.assertEqual((decision.state, submission.state), ("awaiting_approval", "review"))
        self.assertTrue(submission.difference_ids)

        decision._approve(self.env.user, "The PDF says so.")

        self.assertEqual(decision.state, "approved")
        self.assertEqual(submission.amount_total, right_total)
        self.assertEqual(submission.state, "review")  # accounts payable decides
        self.assertFalse(submission.difference_ids)

    def test_claude_off_keeps_the_deterministic_reading(self):
        self.env["ir.config_parameter"].sudo().set_param(FEATURE_PARAM, False)
        with self.mock_claude() as claude:
            submission = self._upload(self.wrong_pdf)
            self._run_jobs()
        self.assertFalse(claude.requests)
        self.assertFalse(self._decision(submission))
        self.assertEqual((submission.read_source, submission.state), ("pdf", "review"))
        self.assertEqual(submission.amount_total, self.wrong_truth["amount_total"])

    def test_claude_failing_falls_back_and_processing_goes_on(self):
        with self.mock_claude(self.final_error()) as claude:
            submission = self._upload(self.wrong_pdf)
            confidence = submission.confidence
            self._run_jobs()
        self.assertEqual(len(claude.requests), 1)
        decision = self._decision(submission)
        self.assertEqual((decision.source, decision.state), ("fallback", "logged"))
        self.assertIn("Claude failed", decision.fallback_reason)
        self.assertEqual((submission.read_source, submission.state), ("pdf", "review"))
        self.assertEqual(submission.amount_total, self.wrong_truth["amount_total"])
        self.assertEqual(submission.confidence, confidence)

    def test_a_decided_submission_refuses_a_late_reading(self):
        right_total = round(self.wrong_truth["amount_untaxed"] + self.wrong_truth["amount_tax"], 2)
        with self.mock_claude(self._claude_answer(self.wrong_truth, confidence=0.9, amount_total=right_total)):
            submission = self._upload(self.wrong_pdf)
            self._run_jobs()
        submission._pve_reject("Wrong total.")
        decision = self._decision(submission)

        decision._approve(self.env.user)

        self.assertEqual(decision.state, "failed")
        self.assertEqual(submission.amount_total, self.wrong_truth["amount_total"])
