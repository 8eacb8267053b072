from datetime import timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.portal_customer_ext.models.sale_order import REORDER_ENABLED_PARAM


class PortalCustomerExtCommon:
    """Fixtures for reorder tests, built from scratch (no demo data).

    A customer company with invoice and delivery addresses and two portal contacts, another customer company
    with its portal contact, a salesperson, two sellable products and a confirmed order of the first company
    with a section, both products and a note.
    """

    @classmethod
    def _setup_reorder_fixtures(cls) -> None:
        env = cls.env
        env["ir.config_parameter"].sudo().set_param(REORDER_ENABLED_PARAM, "True")

        cls.customer = env["res.partner"].create(
            {"name": "PCE Customer Ltd", "is_company": True, "email": "orders@pce-customer.example.com"}
        )
        cls.invoice_address, cls.delivery_address = env["res.partner"].create(
            [
                {"name": "PCE Accounts", "type": "invoice", "parent_id": cls.customer.id},
                {"name": "PCE Warehouse", "type": "delivery", "parent_id": cls.customer.id},
            ]
        )
        cls.customer_user = new_test_user(
            env, login="pce_customer", groups="base.group_portal", name="Carla Customer", parent_id=cls.customer.id
        )
        cls.colleague_user = new_test_user(
            env, login="pce_colleague", groups="base.group_portal", name="Colin Colleague", parent_id=cls.customer.id
        )
        cls.rival = env["res.partner"].create({"name": "PCE Rival Stores", "is_company": True})
        cls.rival_user = new_test_user(
            env, login="pce_rival", groups="base.group_portal", name="Rita Rival", parent_id=cls.rival.id
        )
        cls.salesman = new_test_user(env, login="pce_salesman", groups="sales_team.group_sale_salesman")
        cls.team = env["crm.team"].create({"name": "PCE Team"})

        cls.product_a, cls.product_b = env["product.product"].create(
            [
                {"name": "PCE Widget", "type": "consu", "list_price": 10.0},
                {"name": "PCE Service", "type": "service", "list_price": 20.0},
            ]
        )
        cls.order = env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "partner_invoice_id": cls.invoice_address.id,
                "partner_shipping_id": cls.delivery_address.id,
                "user_id": cls.salesman.id,
                "team_id": cls.team.id,
                "order_line": [
                    Command.create({"display_type": "line_section", "name": "Hardware"}),
                    Command.create({"product_id": cls.product_a.id, "product_uom_qty": 3.0}),
                    Command.create({"product_id": cls.product_b.id, "product_uom_qty": 2.5}),
                    Command.create({"display_type": "line_note", "name": "Deliver to the back door"}),
                ],
            }
        )
        cls.order.action_confirm()
        cls.line_a, cls.line_b = cls.order.order_line.filtered("product_id")

    def assertReorderLines(self, new_order, expected: list[tuple]) -> None:
        """Check the new order's lines as (product, quantity) pairs, in order."""
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in new_order.order_line], expected)

    def findMessage(self, record, text: str):
        """:return: the messages of `record` whose body contains `text` (read afresh from the database)."""
        record.invalidate_recordset(["message_ids"])
        return record.message_ids.filtered(lambda message: text in (message.body or ""))


class PortalInvoiceCommon:
    """Fixtures for the invoice, statement and credit tests, built from scratch (no demo data).

    A customer company with two portal contacts, another customer with its portal contact, an internal user without
    accounting rights, and a helper creating posted customer invoices in the main company (sale journal, no taxes,
    immediate payment term, so that the due date is the invoice date).
    """

    @classmethod
    def _setup_invoice_fixtures(cls) -> None:
        env = cls.env
        cls.company = env.company
        cls.currency = cls.company.currency_id
        cls.customer = env["res.partner"].create({"name": "PCE Billing Ltd", "is_company": True})
        cls.customer_user = new_test_user(
            env, login="pce_bill_owner", groups="base.group_portal", name="Olga Owner", parent_id=cls.customer.id
        )
        cls.colleague_user = new_test_user(
            env,
            login="pce_bill_colleague",
            groups="base.group_portal",
            name="Colm Colleague",
            parent_id=cls.customer.id,
        )
        cls.rival = env["res.partner"].create({"name": "PCE Other Customer", "is_company": True})
        cls.rival_user = new_test_user(
            env, login="pce_bill_rival", groups="base.group_portal", name="Rory Rival", parent_id=cls.rival.id
        )
        cls.internal_user = new_test_user(env, login="pce_bill_internal", groups="base.group_user")
        cls.immediate_term = env.ref("account.account_payment_term_immediate")

    @classmethod
    def _create_invoice(cls, partner, amount: float, days_ago: int = 0, move_type: str = "out_invoice", post=True):
        """:return: a customer invoice (or credit note) of `amount`, dated and due `days_ago` days before today."""
        invoice_date = fields.Date.context_today(cls.env["account.move"]) - timedelta(days=days_ago)
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_payment_term_id": cls.immediate_term.id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "PCE consulting", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _register_payment(cls, invoice, amount: float | None = None):
        """Pay `invoice` (in full by default) as an accountant does: Register Payment."""
        values = {"amount": amount} if amount is not None else {}
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(values)
        )
        return wizard._create_payments()

    @classmethod
    def _set_credit_limit(cls, partner, limit: float, enabled: bool = True) -> None:
        cls.company.account_use_credit_limit = enabled
        partner.with_company(cls.company).credit_limit = limit
