from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.portal_customer_ext.models.sale_order import REORDER_ENABLED_PARAM

from .common import PortalCustomerExtCommon


class TestSaleOrderReorder(PortalCustomerExtCommon, BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_reorder_fixtures()
        cls.author = cls.customer_user.partner_id

    def test_reorder_copies_customer_and_products(self) -> None:
        """A draft quotation for the same customer, addresses, salesperson and products; layout lines and
        prices are not copied."""
        new_order, skipped, _created = self.order._pce_create_reorder(author=self.author)

        self.assertFalse(skipped)
        self.assertEqual(new_order.state, "draft")
        self.assertNotEqual(new_order, self.order)
        self.assertEqual(new_order.partner_id, self.customer)
        self.assertEqual(new_order.partner_invoice_id, self.invoice_address)
        self.assertEqual(new_order.partner_shipping_id, self.delivery_address)
        self.assertEqual(new_order.user_id, self.salesman)
        self.assertEqual(new_order.team_id, self.team)
        self.assertEqual(new_order.company_id, self.order.company_id)
        self.assertEqual(new_order.origin, self.order.name)
        self.assertEqual(new_order.pce_reordered_from_id, self.order)
        self.assertReorderLines(new_order, [(self.product_a, 3.0), (self.product_b, 2.5)])

    def test_reorder_recomputes_pricelist_and_prices(self) -> None:
        """The customer's current pricelist applies, not the prices of the old order."""
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "PCE Loyalty",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.product_a.id,
                            "compute_price": "fixed",
                            "fixed_price": 7.0,
                        }
                    )
                ],
            }
        )
        self.customer.property_product_pricelist = pricelist

        new_order, _skipped, _created = self.order._pce_create_reorder(author=self.author)

        self.assertEqual(new_order.pricelist_id, pricelist)
        self.assertEqual(new_order.order_line.filtered(lambda line: line.product_id == self.product_a).price_unit, 7.0)
        self.assertEqual(self.line_a.price_unit, 10.0)

    def test_reorder_posts_on_both_orders(self) -> None:
        """The customer sees "Reordered from" on the quotation; the old order logs an internal note."""
        new_order, _skipped, _created = self.order._pce_create_reorder(author=self.author)

        message = self.findMessage(new_order, "Reordered from")
        self.assertEqual(len(message), 1)
        self.assertIn(f"Reordered from {self.order.name} by Carla Customer.", message.body)
        self.assertEqual(message.author_id, self.author)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))

        note = self.findMessage(self.order, "Reorder created")
        self.assertEqual(len(note), 1)
        self.assertIn(new_order.name, note.body)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))

    def test_reorder_author_defaults_to_customer(self) -> None:
        new_order, _skipped, _created = self.order._pce_create_reorder()

        message = self.findMessage(new_order, "Reordered from")
        self.assertEqual(message.author_id, self.customer)

    def test_reorder_skips_products_no_longer_sold(self) -> None:
        """Products no longer for sale or archived are left out and listed in the customer's message."""
        self.product_b.sale_ok = False

        new_order, skipped, _created = self.order._pce_create_reorder(author=self.author)

        self.assertEqual(skipped, self.line_b)
        self.assertReorderLines(new_order, [(self.product_a, 3.0)])
        message = self.findMessage(new_order, "Reordered from")
        self.assertIn("no longer available", message.body)
        self.assertIn("PCE Service", message.body)

        new_order._action_cancel()  # else reordering again returns this open quotation
        self.product_b.sale_ok = True
        self.product_a.action_archive()
        new_order, skipped, _created = self.order._pce_create_reorder(author=self.author)
        self.assertEqual(skipped, self.line_a)
        self.assertReorderLines(new_order, [(self.product_b, 2.5)])

    def test_reorder_keeps_attribute_choices(self) -> None:
        """Choices of "never create variant" attributes and custom values are repeated and priced again."""
        attribute = self.env["product.attribute"].create(
            {
                "name": "PCE Finish",
                "create_variant": "no_variant",
                "value_ids": [Command.create({"name": "Oak"}), Command.create({"name": "Custom", "is_custom": True})],
            }
        )
        template = self.env["product.template"].create(
            {
                "name": "PCE Desk",
                "list_price": 100.0,
                "attribute_line_ids": [
                    Command.create({"attribute_id": attribute.id, "value_ids": [Command.set(attribute.value_ids.ids)]})
                ],
            }
        )
        custom_ptav = template.attribute_line_ids.product_template_value_ids.filtered(lambda v: v.name == "Custom")
        custom_ptav.price_extra = 15.0
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": template.product_variant_id.id,
                            "product_uom_qty": 1.0,
                            "product_no_variant_attribute_value_ids": [Command.set(custom_ptav.ids)],
                            "product_custom_attribute_value_ids": [
                                Command.create(
                                    {
                                        "custom_product_template_attribute_value_id": custom_ptav.id,
                                        "custom_value": "Walnut",
                                    }
                                )
                            ],
                        }
                    )
                ],
            }
        )
        order.action_confirm()

        new_order, _skipped, _created = order._pce_create_reorder(author=self.author)

        line = new_order.order_line
        self.assertEqual(line.product_no_variant_attribute_value_ids, custom_ptav)
        self.assertEqual(line.product_custom_attribute_value_ids.custom_value, "Walnut")
        self.assertEqual(line.price_unit, 115.0)

    def test_reorder_leaves_archived_salesperson_out(self) -> None:
        self.salesman.action_archive()

        new_order, _skipped, _created = self.order._pce_create_reorder(author=self.author)

        self.assertFalse(new_order.user_id)

    def test_reorder_refused_on_quotation(self) -> None:
        quotation = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 1.0})],
            }
        )
        self.assertFalse(quotation._pce_can_reorder())
        with self.assertRaises(UserError):
            quotation._pce_create_reorder(author=self.author)
        self.assertFalse(self.env["sale.order"].search([("pce_reordered_from_id", "=", quotation.id)]))

    def test_reorder_refused_when_disabled(self) -> None:
        self.assertTrue(self.order._pce_can_reorder())
        self.env["ir.config_parameter"].set_param(REORDER_ENABLED_PARAM, False)

        self.assertFalse(self.order._pce_can_reorder())
        with self.assertRaises(UserError):
            self.order._pce_create_reorder(author=self.author)
        self.assertFalse(self.env["sale.order"].search([("pce_reordered_from_id", "=", self.order.id)]))

    def test_reorder_refused_when_nothing_is_left(self) -> None:
        (self.product_a | self.product_b).action_archive()

        self.assertFalse(self.order._pce_can_reorder())
        with self.assertRaises(UserError):
            self.order._pce_create_reorder(author=self.author)

    def test_reorder_refused_for_author_outside_the_customer(self) -> None:
        """Only the customer or one of its contacts reorders: not another customer, nor an internal user."""
        rival_contact = self.rival_user.partner_id
        for author in (rival_contact, self.salesman.partner_id, self.env.ref("base.public_partner")):
            with self.subTest(author=author.name), self.assertRaises(UserError):
                self.order._pce_create_reorder(author=author)
        self.assertFalse(self.env["sale.order"].search([("pce_reordered_from_id", "=", self.order.id)]))

        # The customer itself and every contact of it may.
        self.assertTrue(self.order._pce_create_reorder(author=self.colleague_user.partner_id)[0])

    def test_reorder_returns_the_open_quotation(self) -> None:
        """While the last reorder quotation is a draft or sent, reordering again returns it; once it is
        cancelled or confirmed, a new one is created."""
        first, _skipped, created = self.order._pce_create_reorder(author=self.author)
        self.assertTrue(created)

        for state in ("draft", "sent"):
            with self.subTest(state=state):
                first.state = state
                again, skipped, created = self.order._pce_create_reorder(author=self.author)
                self.assertEqual(again, first)
                self.assertFalse(created)
                self.assertFalse(skipped)
        self.assertEqual(len(self.findMessage(self.order, "Reorder created")), 1)

        first._action_cancel()
        second = self.order._pce_create_reorder(author=self.author)[0]
        self.assertNotIn(second, first)
        second.action_confirm()
        third = self.order._pce_create_reorder(author=self.author)[0]
        self.assertNotIn(third, first | second)
        self.assertEqual(
            self.env["sale.order"].search([("pce_reordered_from_id", "=", self.order.id)]), first | second | third
        )

    def test_reorder_ignores_open_quotation_of_another_customer(self) -> None:
        """A reorder quotation the salesperson moved to another customer is not handed to this customer."""
        moved = self.order._pce_create_reorder(author=self.author)[0]
        moved.partner_id = self.rival

        new_order = self.order._pce_create_reorder(author=self.author)[0]

        self.assertNotEqual(new_order, moved)
        self.assertEqual(new_order.partner_id, self.customer)

    def test_reordered_from_not_copied(self) -> None:
        new_order, _skipped, _created = self.order._pce_create_reorder(author=self.author)

        self.assertFalse(new_order.copy().pce_reordered_from_id)

    def test_only_a_portal_reorder_links_a_quotation_to_an_order(self) -> None:
        """The portal tells the customer which order a quotation repeats: nobody sets that link by hand."""
        salesperson = new_test_user(self.env, login="pce_forger", groups="sales_team.group_sale_salesman_all_leads")
        Order = self.env["sale.order"].with_user(salesperson)
        quotation = Order.create({"partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            quotation.write({"pce_reordered_from_id": self.order.id})
        with self.assertRaises(AccessError):
            Order.create({"partner_id": self.customer.id, "pce_reordered_from_id": self.order.id})
        new_order, _skipped, _created = self.order._pce_create_reorder(author=self.author)
        self.assertEqual(new_order.pce_reordered_from_id, self.order)
