from odoo.fields import Command
from odoo.tests import TransactionCase, tagged

from .common import PortalInvoiceCommon


@tagged("post_install", "-at_install")
class TestResPartnerCredit(PortalInvoiceCommon, TransactionCase):
    """`res.partner._pce_get_portal_credit`: the figure of Odoo's own credit warning, or None."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_invoice_fixtures()
        cls.contact = cls.customer_user.partner_id

    def _credit(self, partner=None):
        partner = partner or self.contact
        partner.invalidate_recordset()
        return partner.sudo()._pce_get_portal_credit()

    def test_nothing_without_the_company_setting_or_a_limit(self) -> None:
        self._create_invoice(self.customer, 1000.0)
        self._set_credit_limit(self.customer, 25000.0, enabled=False)
        self.assertIsNone(self._credit())
        self._set_credit_limit(self.customer, 0.0)
        self.assertIsNone(self._credit())

    def test_available_credit_of_the_commercial_partner(self) -> None:
        """A contact sees its company's credit: limit minus open receivables (invoices less credit notes)."""
        self._set_credit_limit(self.customer, 25000.0)
        self._create_invoice(self.customer, 8000.0, days_ago=10)
        self._create_invoice(self.contact, 2000.0)
        self._create_invoice(self.customer, 500.0, move_type="out_refund")
        paid = self._create_invoice(self.customer, 4000.0)
        self._register_payment(paid)
        self._create_invoice(self.customer, 9999.0, post=False)  # drafts owe nothing
        self._create_invoice(self.rival, 7000.0)

        credit = self._credit()

        self.assertEqual(credit["currency"], self.currency)
        self.assertAlmostEqual(credit["limit"], 25000.0)
        self.assertAlmostEqual(credit["receivable"], 9500.0)
        self.assertAlmostEqual(credit["to_invoice"], 0.0)
        self.assertAlmostEqual(credit["available"], 15500.0)
        self.assertFalse(credit["exceeded"])
        self.assertEqual(self._credit(self.customer), credit)

    def test_company_default_limit(self) -> None:
        """Without a limit of its own, the partner gets the company's default credit limit (as sale's warning)."""
        self.company.account_use_credit_limit = True
        self.env["ir.default"].set("res.partner", "credit_limit", 3000.0, company_id=self.company.id)
        self._create_invoice(self.customer, 1000.0)
        self.assertAlmostEqual(self._credit()["available"], 2000.0)

    def test_confirmed_orders_not_invoiced_count_as_sale_does(self) -> None:
        self._set_credit_limit(self.customer, 5000.0)
        self._create_invoice(self.customer, 3000.0)
        product = self.env["product.product"].create(
            {"name": "PCE Retainer", "type": "service", "invoice_policy": "order", "list_price": 2500.0, "taxes_id": []}
        )
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "order_line": [Command.create({"product_id": product.id})]}
        )
        order.action_confirm()

        credit = self._credit()

        self.assertAlmostEqual(credit["to_invoice"], 2500.0)
        self.assertAlmostEqual(credit["used"], 5500.0)
        self.assertAlmostEqual(credit["available"], 0.0)
        self.assertTrue(credit["exceeded"])
        self.assertAlmostEqual(credit["over"], 500.0)
        # the same figure as the credit warning of a new quotation for this customer
        quotation = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.assertIn("has reached its credit limit", quotation.partner_credit_warning)
