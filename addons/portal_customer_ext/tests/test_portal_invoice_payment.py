from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PortalInvoiceCommon
from .test_portal_statement import PortalStatementHttpMixin


@tagged("post_install", "-at_install")
class TestPortalInvoicePayment(PortalInvoiceCommon, PortalStatementHttpMixin, HttpCase):
    """A portal customer pays an invoice online through stock's flow with payment_demo: the invoice's transaction
    route, the provider's notification, the post-processing; the payment reconciles the invoice as in stock Odoo,
    and the statement and the credit box follow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_invoice_fixtures()
        cls.env["ir.config_parameter"].sudo().set_param("account_payment.enable_portal_payment", "True")
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.payment_method = cls.env.ref("payment_demo.payment_method_demo")
        cls.provider.write({"state": "test", "is_published": True, "payment_method_ids": [(4, cls.payment_method.id)]})
        if not cls.provider.journal_id:
            cls.provider.journal_id = cls.env["account.journal"].search(
                [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
            )
        cls.invoice = cls._create_invoice(cls.customer, 1200.0, days_ago=3)
        cls.other_invoice = cls._create_invoice(cls.customer, 300.0)
        cls._set_credit_limit(cls.customer, 5000.0)

    def _credit_text(self, tree) -> str:
        return self._text(tree, "pce_credit_box").replace("\xa0", " ")

    def test_portal_customer_pays_an_invoice_online(self) -> None:
        self.login(self.customer_user)
        tree = self._page("/my/statement?filterby=open")
        self.assertIn(f"You have $ {self._money(3500.0)} of $ {self._money(5000.0)}", self._credit_text(tree))

        # the invoice page offers stock's payment form with the demo provider
        page = self.url_open(f"/my/invoices/{self.invoice.id}?payment=True")
        self.assertEqual(page.status_code, 200)
        self.assertIn('id="portal_pay"', page.text)
        self.assertIn("o_payment_form", page.text)

        with mute_logger("odoo.addons.payment.models.payment_transaction"):
            processing_values = self.make_jsonrpc_request(
                f"/invoice/transaction/{self.invoice.id}",
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.payment_method.id,
                    "token_id": None,
                    "amount": self.invoice.amount_residual,
                    "flow": "direct",
                    "tokenization_requested": False,
                    "landing_route": self.invoice.get_portal_url(),
                    "access_token": None,
                },
            )
        transaction = self.env["payment.transaction"].search([("reference", "=", processing_values["reference"])])
        self.assertEqual(transaction.invoice_ids, self.invoice)
        self.assertEqual(transaction.partner_id, self.customer_user.partner_id)

        # what payment_demo's inline form sends when the customer clicks Pay, then the status page's poll
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": transaction.reference, "payment_details": "4242", "simulated_state": "done"},
        )
        status = self.make_jsonrpc_request("/payment/status/poll", {})
        self.assertEqual(status["state"], "done")

        self.env.invalidate_all()
        self.assertTrue(transaction.is_post_processed)
        self.assertIn(self.invoice.payment_state, ("in_payment", "paid"))
        self.assertTrue(self.currency.is_zero(self.invoice.amount_residual))
        payment = transaction.payment_id
        self.assertIn(payment.state, ("in_process", "paid"))
        self.assertEqual(payment.reconciled_invoice_ids, self.invoice)
        self.assertTrue(self.currency.compare_amounts(payment.amount, 1200.0) == 0)
        receivable = self.invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        self.assertTrue(all(receivable.mapped("reconciled")))
        self.assertEqual(self.other_invoice.payment_state, "not_paid")

        # the statement now shows it paid, and the credit available grew by the payment
        tree = self._page("/my/statement?filterby=paid")
        self.assertEqual(self._row_names(tree), [self.invoice.name])
        state_label = dict(self.invoice._fields["payment_state"]._description_selection(self.env))[
            self.invoice.payment_state
        ]
        row = tree.xpath(f"//tr[@data-move-id='{self.invoice.id}']")[0]
        self.assertIn(state_label, row.xpath(".//td[hasclass('pce_payment_state')]")[0].text_content())
        self.assertIn(self._money(300.0), self._text(tree, "pce_total_open"))
        self.assertIn(f"You have $ {self._money(4700.0)} of $ {self._money(5000.0)}", self._credit_text(tree))
