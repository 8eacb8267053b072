"""Free sign-up of a B2B customer on stock /web/signup: the company name is asked, the new user becomes the customer
administrator of a new customer company, and the sales team is told; invited sign-ups are left unchanged."""

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

SIGNUP_PASSWORD = "pce-Signup-2024!"


@tagged("post_install", "-at_install")
class TestPortalSignup(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        cls.leader = new_test_user(env, login="pce_signup_leader", groups="sales_team.group_sale_salesman")
        # the first sales team of the company hears of sign-ups
        cls.team = env["crm.team"].create(
            {"name": "PCE Signup Team", "sequence": -100, "user_id": cls.leader.id, "company_id": env.company.id}
        )
        cls.existing = env["res.partner"].create({"name": "PCE Signup Existing", "is_company": True})

    def signup(self, **values):
        self.authenticate(None, None)
        data = {
            "login": "new.buyer@pce-signup.example.com",
            "name": "Nora Buyer",
            "password": SIGNUP_PASSWORD,
            "confirm_password": SIGNUP_PASSWORD,
            "company_name": "PCE Fresh Foods",
            "csrf_token": http.Request.csrf_token(self),
        }
        data.update(values)
        return self.url_open("/web/signup", data=data)

    def deliveries(self):
        return self.env["messaging.delivery"].search([("notification_type", "=", "customer.signup")])

    def test_form_asks_the_company_name(self):
        self.authenticate(None, None)
        page = self.url_open("/web/signup").text
        self.assertIn('name="company_name"', page)

    def test_new_customer_becomes_the_admin_of_a_new_company(self):
        self.assertEqual(self.signup().status_code, 200)
        user = self.env["res.users"].search([("login", "=", "new.buyer@pce-signup.example.com")])
        self.assertTrue(user._is_portal())
        contact = user.partner_id
        company = contact.parent_id
        self.assertEqual(company.name, "PCE Fresh Foods")
        self.assertTrue(company.is_company)
        self.assertEqual(company.customer_rank, 1)
        self.assertEqual(contact.commercial_partner_id, company)
        self.assertTrue(contact.pce_is_customer_admin)
        self.assertEqual(self.env["res.partner"].search_count([("name", "=", "PCE Fresh Foods")]), 1)

        deliveries = self.deliveries().filtered(lambda delivery: delivery.res_id == company.id)
        self.assertEqual(deliveries.partner_id, self.leader.partner_id)
        self.assertEqual(deliveries.res_model, "res.partner")
        self.assertIn("PCE Fresh Foods", deliveries.subject)
        self.assertIn("Nora Buyer", deliveries.body)

        # the new administrator manages the company's colleagues at once
        self.authenticate(user.login, SIGNUP_PASSWORD)
        page = self.url_open("/my/colleagues").text
        self.assertIn('id="pce_invite_form"', page)

    def test_same_company_name_is_a_new_company(self):
        """Typing the name of an existing company never attaches the visitor to it."""
        self.signup(company_name="PCE Signup Existing")
        user = self.env["res.users"].search([("login", "=", "new.buyer@pce-signup.example.com")])
        self.assertNotEqual(user.partner_id.parent_id, self.existing)
        self.assertFalse(self.existing.child_ids)

    def test_email_of_a_known_contact_needs_an_invitation(self):
        """Somebody signing up with the e-mail of an existing customer's contact is refused (the form kept): that
        address is the contact's, and opens what the contact's company shares."""
        self.env["res.partner"].create(
            {"name": "Known Buyer", "parent_id": self.existing.id, "email": "Known.Buyer@pce-signup.example.com"}
        )
        response = self.signup(login="known.buyer@pce-signup.example.com")
        self.assertIn("This e-mail address is already known to us.", response.text)
        self.assertIn("PCE Fresh Foods", response.text)
        self.assertFalse(self.env["res.users"].search([("login", "=", "known.buyer@pce-signup.example.com")]))

    def test_missing_company_name_shows_the_form_again(self):
        response = self.signup(company_name="   ")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Please enter the name of your company.", response.text)
        self.assertIn('value="new.buyer@pce-signup.example.com"', response.text)
        self.assertIn('value="Nora Buyer"', response.text)
        self.assertFalse(self.env["res.users"].search([("login", "=", "new.buyer@pce-signup.example.com")]))
        self.assertFalse(self.deliveries())

        response = self.signup(company_name="X" * 129)
        self.assertIn("The company name is too long", response.text)
        self.assertIn("X" * 129, response.text, "what was typed is shown again")
        self.assertFalse(self.env["res.users"].search([("login", "=", "new.buyer@pce-signup.example.com")]))

    @mute_logger("odoo.addons.auth_signup.controllers.main")
    def test_invited_signup_is_unchanged(self):
        invited = self.env["res.partner"].create(
            {"name": "Ivan Invited", "email": "ivan@pce-signup.example.com", "parent_id": self.existing.id}
        )
        invited.signup_prepare()
        token = invited._generate_signup_token()
        response = self.signup(
            token=token,
            login="ivan@pce-signup.example.com",
            name="Ivan Invited",
            company_name="",
            pce_is_customer_admin="1",
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Please enter the name of your company.", response.text)
        self.env.invalidate_all()
        self.assertTrue(invited.user_ids)
        self.assertEqual(invited.parent_id, self.existing)
        self.assertFalse(invited.pce_is_customer_admin)
        self.assertFalse(self.deliveries())

        self.authenticate(None, None)
        invited_page = self.url_open(f"/web/signup?token={invited._generate_signup_token()}").text
        self.assertNotIn('name="company_name"', invited_page)

    def test_signup_closed_stays_closed(self):
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2b")
        self.authenticate(None, None)
        self.assertEqual(self.url_open("/web/signup").status_code, 404)
        self.signup()
        self.assertFalse(self.env["res.users"].search([("login", "=", "new.buyer@pce-signup.example.com")]))
