from datetime import UTC, datetime, time, timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.portal_customer_ext.models.sale_order import REORDER_ENABLED_PARAM

# Days are the reader's, in their timezone: late in the UTC evening the staff (demo admin/OdooBot in Brussels) are
# already in tomorrow while the portal contacts (Los Angeles) are still in today. Tests of pages showing "today" or
# "overdue" freeze the clock then (class attribute `freeze_time = LATE_EVENING_UTC`) and give the users these time
# zones, so that a day computed for the wrong person fails at any hour.
LATE_EVENING_UTC = datetime.combine(datetime.now(UTC).date(), time(23, 30))
STAFF_TZ = "Europe/Brussels"
PORTAL_TZ = "America/Los_Angeles"


def create_portal_customer(env, name: str, login: str, contact_name: str, **partner_values):
    """A customer company and one portal contact of it, who logs in with `login` as login and password.

    :param partner_values: more values of the company (e.g. its pricelist)
    :return: tuple (res.partner, res.users)
    """
    customer = env["res.partner"].create({"name": name, "is_company": True, **partner_values})
    user = new_test_user(
        env, login=login, password=login, groups="base.group_portal", name=contact_name, parent_id=customer.id
    )
    return customer, user


class PortalLoginMixin:
    """Logging in, in `HttpCase` tests, as a persona of `self.personas` (name -> user), a user or the public; test
    users' password is their login."""

    personas: dict = {}

    def login(self, who):
        """:param who: a persona's name, a `res.users`, or "anonymous" / None / an empty user for the public
        :return: the logged-in user (empty for the public)"""
        if isinstance(who, str):
            who = self.env["res.users"] if who == "anonymous" else self.personas[who]
        if not who:
            self.authenticate(None, None)
            return self.env["res.users"]
        self.authenticate(who.login, who.login)
        return who


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


class QuotationRequestCommon(PortalCustomerExtCommon):
    """Fixtures for portal quotation requests, on top of the reorder fixtures: products with internal references
    and barcodes, a customer code (OCA `product.customerinfo` of the pump's template), a product of another
    company, and a 10 % customer pricelist."""

    @classmethod
    def _setup_quotation_request_fixtures(cls) -> None:
        cls._setup_reorder_fixtures()
        env = cls.env
        env["ir.config_parameter"].sudo().set_param("ai_bridge_core.feature_quotation_matching", False)
        cls.customer.user_id = cls.salesman
        cls.team.user_id = cls.salesman
        cls.bolt, cls.pump, cls.valve = env["product.product"].create(
            [
                {"name": "Zinc Plated Hex Bolt M8x40", "default_code": "PCEQ-BOLT-M8", "list_price": 2.0},
                {"name": "Submersible Drainage Pump 400W", "default_code": "PCEQ-PUMP-400", "list_price": 150.0},
                {
                    "name": "Brass Ball Valve 3/4 inch",
                    "default_code": "PCEQ-VALVE-34",
                    "barcode": "5412345678908",
                    "list_price": 12.0,
                },
            ]
        )
        cls.not_for_sale = env["product.product"].create(
            {"name": "PCEQ Internal Spare Part", "default_code": "PCEQ-SPARE", "sale_ok": False}
        )
        cls.other_company = env["res.company"].create({"name": "PCEQ Other Company"})
        cls.other_company_product = env["product.product"].create(
            {"name": "PCEQ Other Company Drill", "default_code": "PCEQ-DRILL", "company_id": cls.other_company.id}
        )
        cls.customer_code = env["product.customerinfo"].create(
            {
                "partner_id": cls.customer.id,
                "product_tmpl_id": cls.pump.product_tmpl_id.id,
                "product_code": "CUST-77",
                "product_name": "our basement pump",
            }
        )
        cls.pricelist = env["product.pricelist"].create(
            {
                "name": "PCEQ Customer Prices",
                "item_ids": [
                    Command.create({"applied_on": "3_global", "compute_price": "percentage", "percent_price": 10.0})
                ],
            }
        )
        cls.customer.property_product_pricelist = cls.pricelist

    @staticmethod
    def request_line(description: str = "", quantity: float = 1.0, product=None, wanted_date=False) -> dict:
        """A line as `sale.order._pce_create_portal_request` takes it."""
        return {
            "product_id": product.id if product else False,
            "description": description,
            "quantity": quantity,
            "wanted_date": wanted_date,
        }


class PortalInvoiceCommon:
    """Fixtures for the invoice, statement and credit tests, built from scratch (no demo data).

    A customer company with two portal contacts, another customer with its portal contact, an internal user without
    accounting rights, and a helper creating posted customer invoices in the main company (sale journal, no taxes,
    immediate payment term, so that the due date is the invoice date). The staff and the portal contacts live in
    different time zones (STAFF_TZ, PORTAL_TZ); `today` is the customer's contacts' day, which their pages count from.
    """

    @classmethod
    def _setup_invoice_fixtures(cls) -> None:
        env = cls.env
        env.user.tz = STAFF_TZ
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
        (cls.customer_user | cls.colleague_user | cls.rival_user).tz = PORTAL_TZ
        cls.today = fields.Date.context_today(env["account.move"].with_user(cls.customer_user))
        cls.internal_user = new_test_user(env, login="pce_bill_internal", groups="base.group_user")
        cls.immediate_term = env.ref("account.account_payment_term_immediate")

    @classmethod
    def _create_invoice(cls, partner, amount: float, days_ago: int = 0, move_type: str = "out_invoice", post=True):
        """:return: a customer invoice (or credit note) of `amount`, dated and due `days_ago` days before the
        customer's contacts' today."""
        invoice_date = cls.today - timedelta(days=days_ago)
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


class PortalCatalogCommon:
    """Fixtures for the catalog and saved-cart tests (part C), built from scratch.

    A customer company with two portal contacts and a pricelist (10 % off everything, a fixed price for the
    widget), a customer without pricelist, another customer priced in a second currency, a vendor's portal contact,
    a salesperson and an employee without sales rights; products named "PCE Cat ..." in every catalog situation
    (storable in stock, low, out; a service; an untracked consumable; not sold, archived, a combo and another
    company's, which the catalog leaves out).
    """

    CATALOG_SEARCH = "PCE Cat"

    @classmethod
    def _setup_catalog_fixtures(cls) -> None:
        env = cls.env
        cls.company = env.company
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        params = env["ir.config_parameter"].sudo()
        params.set_param("portal_customer_ext.catalog_show_exact_qty", "False")
        params.set_param("portal_customer_ext.catalog_low_stock_threshold", "5")

        cls.categ_tools = env["product.category"].create({"name": "PCE Cat Tools"})
        cls.categ_parts = env["product.category"].create({"name": "PCE Cat Parts", "parent_id": cls.categ_tools.id})
        Product = env["product.product"]
        cls.widget = Product.create(
            {
                "name": "PCE Cat Widget",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "default_code": "PCEW-100",
                "barcode": "4006381333931",
                "categ_id": cls.categ_tools.id,
            }
        )
        cls.bolt, cls.nut = Product.create(
            [
                {"name": "PCE Cat Bolt", "type": "consu", "is_storable": True, "list_price": 10.0,
                 "default_code": "PCEB-10", "categ_id": cls.categ_parts.id},
                {"name": "PCE Cat Nut", "type": "consu", "is_storable": True, "list_price": 5.0,
                 "default_code": "PCEN-5", "categ_id": cls.categ_parts.id},
            ]
        )  # fmt: skip
        cls.service = Product.create({"name": "PCE Cat Installation", "type": "service", "list_price": 20.0})
        cls.consumable = Product.create({"name": "PCE Cat Paper", "type": "consu", "list_price": 2.0})
        cls.not_sold = Product.create({"name": "PCE Cat Internal Part", "sale_ok": False, "list_price": 1.0})
        cls.archived = Product.create({"name": "PCE Cat Old Model", "active": False, "list_price": 1.0})
        combo_choice = env["product.combo"].create(
            {"name": "PCE Cat Choice", "combo_item_ids": [Command.create({"product_id": cls.consumable.id})]}
        )
        cls.combo = Product.create(
            {"name": "PCE Cat Combo", "type": "combo", "list_price": 1.0, "combo_ids": [Command.link(combo_choice.id)]}
        )
        cls.other_company = env["res.company"].create({"name": "PCE Other Company"})
        cls.other_company_product = Product.create(
            {"name": "PCE Cat Foreign", "list_price": 1.0, "company_id": cls.other_company.id}
        )
        Quant = env["stock.quant"]
        Quant._update_available_quantity(cls.widget, cls.warehouse.lot_stock_id, 50.0)
        Quant._update_available_quantity(cls.bolt, cls.warehouse.lot_stock_id, 3.0)

        cls.pricelist = env["product.pricelist"].create(
            {
                "name": "PCE Customer Prices",
                "currency_id": cls.company.currency_id.id,
                "company_id": cls.company.id,
                "item_ids": [
                    Command.create(
                        {"applied_on": "0_product_variant", "product_id": cls.widget.id, "compute_price": "fixed",
                         "fixed_price": 70.0}
                    ),
                    Command.create({"applied_on": "3_global", "compute_price": "percentage", "percent_price": 10.0}),
                ],
            }
        )  # fmt: skip
        cls.customer, cls.customer_user = create_portal_customer(
            env, "PCE Cat Customer", "pce_cat_customer", "Cora Catalog", customer_rank=1,
            property_product_pricelist=cls.pricelist.id,
        )  # fmt: skip
        cls.colleague_user = new_test_user(
            env, login="pce_cat_colleague", groups="base.group_portal", name="Cole Catalog", parent_id=cls.customer.id
        )
        cls.plain, cls.plain_user = create_portal_customer(
            env, "PCE Cat Plain", "pce_cat_plain", "Paula Plain", customer_rank=1
        )
        cls.eur = env.ref("base.EUR")
        cls.eur.active = True
        if cls.company.currency_id == cls.eur:
            cls.eur = env.ref("base.USD")
            cls.eur.active = True
        env["res.currency.rate"].search([("currency_id", "=", cls.eur.id)]).unlink()
        env["res.currency.rate"].create(
            {"currency_id": cls.eur.id, "rate": 2.0, "name": "2000-01-01", "company_id": cls.company.id}
        )
        cls.rival_pricelist = env["product.pricelist"].create(
            {"name": "PCE Rival Prices", "currency_id": cls.eur.id, "company_id": cls.company.id}
        )
        cls.rival, cls.rival_user = create_portal_customer(
            env, "PCE Cat Rival", "pce_cat_rival", "Rex Rival", customer_rank=1,
            property_product_pricelist=cls.rival_pricelist.id,
        )  # fmt: skip
        cls.vendor, cls.vendor_user = create_portal_customer(
            env, "PCE Cat Vendor", "pce_cat_vendor", "Vic Vendor", supplier_rank=1
        )
        cls.cat_salesman = new_test_user(env, login="pce_cat_salesman", groups="sales_team.group_sale_salesman")
        cls.employee = new_test_user(env, login="pce_cat_employee", groups="base.group_user")

        Cart = env["pce.saved.cart"]
        cls.cart = Cart.create({"name": "PCE Weekly", "partner_id": cls.customer.id, "user_id": cls.customer_user.id})
        cls.cart_line_widget, cls.cart_line_service = env["pce.saved.cart.line"].create(
            [
                {"cart_id": cls.cart.id, "product_id": cls.widget.id, "quantity": 2.0, "note": "Blue ones"},
                {"cart_id": cls.cart.id, "product_id": cls.service.id, "quantity": 1.0},
            ]
        )
        cls.rival_cart = Cart.create({"name": "PCE Rival List", "partner_id": cls.rival.id})
        cls.rival_line = env["pce.saved.cart.line"].create(
            {"cart_id": cls.rival_cart.id, "product_id": cls.bolt.id, "quantity": 7.0}
        )
