from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import mute_logger

from .common import PortalCatalogCommon


class TestSavedCartAccess(PortalCatalogCommon, TransactionCase):
    """Record rules and constraints of pce.saved.cart and its lines, through the ORM as each user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_catalog_fixtures()

    def test_portal_sees_own_customer_carts(self) -> None:
        """A contact sees the carts of their customer, made by a colleague too, never another customer's."""
        for user in (self.customer_user, self.colleague_user):
            Cart = self.env["pce.saved.cart"].with_user(user)
            self.assertEqual(Cart.search([("name", "like", "PCE")]), self.cart)
            self.assertEqual(
                self.env["pce.saved.cart.line"].with_user(user).search([("cart_id", "like", "PCE")]),
                self.cart.line_ids,
            )
        Cart = self.env["pce.saved.cart"].with_user(self.customer_user)
        with self.assertRaises(AccessError):
            Cart.browse(self.rival_cart.id).name  # noqa: B018
        with self.assertRaises(AccessError):
            self.env["pce.saved.cart.line"].with_user(self.customer_user).browse(self.rival_line.id).quantity  # noqa: B018

    def test_portal_cannot_write_other_customer(self) -> None:
        Cart = self.env["pce.saved.cart"].with_user(self.customer_user)
        Line = self.env["pce.saved.cart.line"].with_user(self.customer_user)
        with self.assertRaises(AccessError):
            Cart.browse(self.rival_cart.id).write({"name": "Mine now"})
        with self.assertRaises(AccessError):
            Cart.browse(self.rival_cart.id).unlink()
        with self.assertRaises(AccessError):
            Line.browse(self.rival_line.id).write({"quantity": 1.0})
        with self.assertRaises(AccessError):
            Line.create({"cart_id": self.rival_cart.id, "product_id": self.widget.id, "quantity": 1.0})
        with self.assertRaises(AccessError):
            Cart.create({"name": "Planted", "partner_id": self.rival.id})
        self.assertEqual(self.rival_cart.name, "PCE Rival List")
        self.assertEqual(self.rival_line.quantity, 7.0)
        self.assertEqual(self.rival_cart.line_ids, self.rival_line)

    def test_portal_manages_own_carts(self) -> None:
        Cart = self.env["pce.saved.cart"].with_user(self.colleague_user)
        cart = Cart.create({"name": "Colleague list", "partner_id": self.colleague_user.partner_id.id})
        self.assertEqual(cart.partner_id, self.customer, "carts belong to the commercial partner")
        self.assertEqual(cart.user_id, self.colleague_user)
        line = cart._pce_add_product(self.widget, 2.0)
        cart._pce_add_product(self.widget, 3.0, note="urgent")
        self.assertEqual((line.quantity, line.note), (5.0, "urgent"))
        with self.assertRaises(UserError):
            cart.write({"partner_id": self.rival.id})
        cart.unlink()
        self.assertFalse(cart.exists())

    def test_salesman_reads_only(self) -> None:
        Cart = self.env["pce.saved.cart"].with_user(self.cat_salesman)
        self.assertIn(self.rival_cart, Cart.search([]))
        with self.assertRaises(AccessError):
            Cart.browse(self.cart.id).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.env["pce.saved.cart"].with_user(self.employee).search([])

    def test_multi_company(self) -> None:
        """A cart of a company the user is not in is invisible."""
        other_cart = self.env["pce.saved.cart"].create(
            {"name": "PCE Other company cart", "partner_id": self.customer.id, "company_id": self.other_company.id}
        )
        self.assertNotIn(other_cart, self.env["pce.saved.cart"].with_user(self.customer_user).search([]))
        salesman_other = new_test_user(
            self.env,
            login="pce_cat_salesman2",
            groups="sales_team.group_sale_salesman",
            company_id=self.other_company.id,
            company_ids=[self.other_company.id],
        )
        Cart = self.env["pce.saved.cart"].with_user(salesman_other)
        self.assertEqual(Cart.search([("name", "like", "PCE")]), other_cart)

    def test_quantity_must_be_positive(self) -> None:
        for quantity in (0.0, -1.0):
            with self.assertRaises(ValidationError):
                self.cart_line_widget.with_user(self.customer_user).write({"quantity": quantity})
            with self.assertRaises(ValidationError):
                self.cart._pce_add_product(self.bolt, quantity)
        self.assertEqual(self.cart_line_widget.quantity, 2.0)

    def test_favourites(self) -> None:
        """One Favourites per customer, created on first use, shared by the contacts; not deletable by them."""
        Cart = self.env["pce.saved.cart"].with_user(self.customer_user)
        self.assertFalse(Cart._pce_get_favourites(self.customer_user.partner_id, create=False))
        favourites = Cart._pce_get_favourites(self.customer_user.partner_id)
        self.assertTrue(favourites.is_favourites)
        self.assertEqual(
            self.env["pce.saved.cart"]
            .with_user(self.colleague_user)
            ._pce_get_favourites(self.colleague_user.partner_id),
            favourites,
        )
        self.assertTrue(favourites._pce_toggle_favourite(self.widget))
        self.assertEqual(favourites.line_ids.product_id, self.widget)
        self.assertFalse(favourites._pce_toggle_favourite(self.widget))
        self.assertFalse(favourites.line_ids)
        with self.assertRaises(UserError):
            favourites.unlink()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["pce.saved.cart"].create({"name": "Second", "partner_id": self.customer.id, "is_favourites": True})

    def test_request_lines(self) -> None:
        self.assertEqual(
            self.cart._pce_get_request_lines(),
            [
                {"product_id": self.widget.id, "description": "Blue ones", "quantity": 2.0, "wanted_date": False},
                {"product_id": self.service.id, "description": "", "quantity": 1.0, "wanted_date": False},
            ],
        )
