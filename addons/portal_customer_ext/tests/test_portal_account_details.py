"""Stock /my/account with the suite installed: a customer's contact edits its own contact details, and nothing else
(not the customer administrator flag, not its company, not a colleague)."""

from odoo import http
from odoo.tests import HttpCase, tagged

from .test_portal_colleague import ColleagueCommon


@tagged("post_install", "-at_install")
class TestPortalAccountDetails(ColleagueCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_colleague_fixtures()
        # stock keeps the country of a company's contact (can_edit_vat): the customer has one, as real customers do
        cls.country = cls.env.ref("base.be")
        cls.customer.country_id = cls.country

    def post_details(self, user, **extra):
        self.authenticate(user.login, user.login)
        # a company's contact keeps its name (account's rule, can_edit_vat): the form posts it unchanged
        data = {
            "name": user.partner_id.name,
            "email": "carl.c@pce-col.example.com",
            "phone": "+32 2 555 01 02",
            "street": "Rue de la Loi 16",
            "city": "Brussels",
            "zipcode": "1000",
            "country_id": str(self.country.id),
            "csrf_token": http.Request.csrf_token(self),
            **extra,
        }
        return self.url_open("/my/account", data=data, allow_redirects=False)

    def test_contact_edits_its_details(self):
        response = self.post_details(self.colleague_user)
        self.assertEqual(response.status_code, 303)
        contact = self.colleague_user.partner_id
        self.env.invalidate_all()
        self.assertEqual(contact.email, "carl.c@pce-col.example.com")
        self.assertEqual((contact.street, contact.city, contact.zip), ("Rue de la Loi 16", "Brussels", "1000"))
        self.assertEqual(contact.country_id, self.country)
        self.assertEqual(contact.parent_id, self.customer, "still a contact of its company")
        page = self.url_open("/my/account").text
        self.assertIn('value="Rue de la Loi 16"', page)

    def test_missing_field_shows_the_form_again(self):
        response = self.post_details(self.colleague_user, city="")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Some required fields are empty.", response.text)
        self.assertIn('value="Rue de la Loi 16"', response.text, "what was typed is shown again")
        self.env.invalidate_all()
        self.assertEqual(self.colleague_user.partner_id.email, "carl@pce-col.example.com")

    def test_admin_flag_and_company_cannot_be_posted(self):
        for field, value in (
            ("pce_is_customer_admin", "1"),
            ("parent_id", str(self.rival.id)),
            ("commercial_partner_id", str(self.rival.id)),
        ):
            with self.subTest(field=field):
                response = self.post_details(self.colleague_user, **{field: value})
                self.assertEqual(response.status_code, 200)
                self.assertIn("Unknown field", response.text)
                self.env.invalidate_all()
                contact = self.colleague_user.partner_id
                self.assertFalse(contact.pce_is_customer_admin)
                self.assertEqual(contact.parent_id, self.customer)
                self.assertEqual(contact.email, "carl@pce-col.example.com", "nothing saved")

    def test_admin_edits_only_her_own_details(self):
        response = self.post_details(self.admin_user, email="ada.admin@pce-col.example.com")
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(self.admin_user.partner_id.email, "ada.admin@pce-col.example.com")
        self.assertTrue(self.admin_user.partner_id.pce_is_customer_admin, "her flag stays")
        self.assertEqual(self.colleague_user.partner_id.email, "carl@pce-col.example.com")
