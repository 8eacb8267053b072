"""Colleagues on the customer portal (/my/colleagues): every contact of a customer sees the contacts of its company;
the customer administrator invites, deactivates and re-invites them; nobody touches another company's contacts."""

from urllib.parse import urlparse

from odoo import http
from odoo.exceptions import AccessDenied
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin
from odoo.addons.mail.tests.common import MockEmail

from .common import PortalLoginMixin, create_portal_customer


class ColleagueCommon:
    """A customer company with its administrator Ada and her colleague Carl (both portal users), a contact without
    access and an invoice address; another customer company with its administrator; a vendor's portal contact; an
    employee without sales rights and a sales manager."""

    @classmethod
    def _setup_colleague_fixtures(cls) -> None:
        env = cls.env
        cls.customer, cls.admin_user = create_portal_customer(
            env, "PCE Col Customer", "pce_col_admin", "Ada Admin", customer_rank=1
        )
        cls.admin_user.partner_id.write({"email": "ada@pce-col.example.com", "pce_is_customer_admin": True})
        cls.colleague_user = new_test_user(
            env,
            login="pce_col_carl",
            password="pce_col_carl",
            groups="base.group_portal",
            name="Carl Colleague",
            email="carl@pce-col.example.com",
            parent_id=cls.customer.id,
        )
        cls.no_access = env["res.partner"].create(
            {"name": "Nina No-Access", "email": "nina@pce-col.example.com", "parent_id": cls.customer.id}
        )
        cls.invoice_address = env["res.partner"].create(
            {"name": "PCE Col Accounts", "type": "invoice", "parent_id": cls.customer.id}
        )
        cls.rival, cls.rival_user = create_portal_customer(
            env, "PCE Col Rival", "pce_col_rival", "Rob Rival", customer_rank=1
        )
        cls.rival_user.partner_id.write({"email": "rob@pce-col-rival.example.com", "pce_is_customer_admin": True})
        cls.rival_contact = env["res.partner"].create(
            {"name": "Rhea Rival", "email": "rhea@pce-col-rival.example.com", "parent_id": cls.rival.id}
        )
        cls.vendor, cls.vendor_user = create_portal_customer(
            env, "PCE Col Vendor", "pce_col_vendor", "Vera Vendor", supplier_rank=1
        )
        cls.vendor_user.partner_id.pce_is_customer_admin = True
        cls.employee = new_test_user(env, login="pce_col_employee", groups="base.group_user")
        cls.sales_manager = new_test_user(env, login="pce_col_manager", groups="sales_team.group_sale_manager")


@tagged("post_install", "-at_install")
class TestPortalColleague(PortalLoginMixin, ColleagueCommon, MockEmail, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_colleague_fixtures()
        cls.personas = {
            "customer admin": cls.admin_user,
            "colleague": cls.colleague_user,
            "other company customer": cls.rival_user,
            "vendor": cls.vendor_user,
            "employee": cls.employee,
            "sales manager": cls.sales_manager,
        }

    # --- helpers ---------------------------------------------------------------------------------------------------

    def post(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data, allow_redirects=False)

    def assertRedirect(self, response, path):
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.assertEqual(urlparse(response.headers["Location"]).path, path)

    def user_of(self, partner):
        return partner.with_context(active_test=False).user_ids

    def access_state(self):
        """:return: what the portal access of every contact of both companies is, to prove nothing changed."""
        self.env.invalidate_all()
        contacts = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("parent_id", "in", (self.customer | self.rival).ids)])
        )
        return {contact.id: [(user.active, user._is_portal()) for user in contact.user_ids] for contact in contacts} | {
            "count": len(contacts)
        }

    # --- the list --------------------------------------------------------------------------------------------------

    def test_every_contact_sees_its_colleagues_and_their_access(self):
        self.authenticate(self.admin_user.login, self.admin_user.login)
        self.url_open("/my/colleagues")  # Ada has logged in: active
        self.login("colleague")
        response = self.url_open("/my/colleagues")
        self.assertEqual(response.status_code, 200)
        page = response.text
        for name in ("Ada Admin", "Carl Colleague", "Nina No-Access"):
            self.assertIn(name, page)
        self.assertNotIn("PCE Col Accounts", page, "addresses are not colleagues")
        self.assertNotIn("Rob Rival", page)
        self.assertNotIn("Rhea Rival", page)
        self.assertIn("No access", page)
        self.assertIn("Active", page)
        self.assertNotIn("pce_invite_form", page, "only the customer administrator invites")
        self.assertNotIn("/deactivate", page)

    def test_admin_sees_the_invitation_form_and_actions(self):
        self.login("customer admin")
        page = self.url_open("/my/colleagues").text
        self.assertIn('id="pce_invite_form"', page)
        self.assertIn(f"/my/colleagues/{self.colleague_user.partner_id.id}/deactivate", page)
        self.assertNotIn(f"/my/colleagues/{self.admin_user.partner_id.id}/deactivate", page, "not herself")
        self.assertIn(f"/my/colleagues/{self.no_access.id}/reinvite", page)

    def test_home_entry_counts_colleagues(self):
        self.login("colleague")
        response = self.url_open(
            "/my/counters",
            data='{"jsonrpc": "2.0", "method": "call", "params": {"counters": ["pce_colleague_count"]}}',
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.json()["result"]["pce_colleague_count"], 3)

    def test_other_personas_go_back_to_my(self):
        for who in ("vendor", "employee", "sales manager"):
            with self.subTest(persona=who):
                self.login(who)
                self.assertRedirect(self.url_open("/my/colleagues", allow_redirects=False), "/my")
                before = self.access_state()
                self.assertRedirect(self.post("/my/colleagues/invite", name="X", email="x@pce-col.example.com"), "/my")
                self.assertRedirect(self.post(f"/my/colleagues/{self.colleague_user.partner_id.id}/deactivate"), "/my")
                self.assertRedirect(self.post(f"/my/colleagues/{self.no_access.id}/reinvite"), "/my")
                self.assertEqual(self.access_state(), before)
        self.assertFalse(self.env["res.partner"].search([("email", "=", "x@pce-col.example.com")]))

    def test_anonymous_is_sent_to_login(self):
        self.login("anonymous")
        for url in ("/my/colleagues",):
            self.assertRedirect(self.url_open(url, allow_redirects=False), "/web/login")
        before = self.access_state()
        for url in (
            "/my/colleagues/invite",
            f"/my/colleagues/{self.colleague_user.partner_id.id}/deactivate",
            f"/my/colleagues/{self.rival_contact.id}/reinvite",
        ):
            with self.subTest(url=url):
                self.assertRedirect(self.post(url, name="Eve", email="eve@pce-col.example.com"), "/web/login")
        self.assertEqual(self.access_state(), before)

    # --- invite ----------------------------------------------------------------------------------------------------

    def test_admin_invites_a_new_colleague(self):
        self.login("customer admin")
        with self.mock_mail_gateway():
            response = self.post("/my/colleagues/invite", name="Dora Dispatch", email=" Dora@PCE-col.example.com ")
        self.assertRedirect(response, "/my/colleagues")
        dora = self.env["res.partner"].search([("email_normalized", "=", "dora@pce-col.example.com")])
        self.assertEqual(dora.name, "Dora Dispatch")
        self.assertEqual(dora.parent_id, self.customer)
        self.assertFalse(dora.pce_is_customer_admin)
        user = self.user_of(dora)
        self.assertTrue(user.active)
        self.assertTrue(user._is_portal())
        self.assertEqual(user.login, "dora@pce-col.example.com")
        invitations = [mail for mail in self._mails if "dora@pce-col.example.com" in "".join(mail["email_to"])]
        self.assertEqual(len(invitations), 1, "one invitation e-mail")
        self.assertIn("/web/signup", invitations[0]["body"] + invitations[0].get("body_alternative", ""))

        page = self.url_open("/my/colleagues?message=invited").text
        self.assertIn("The invitation was sent", page)
        self.assertIn("Invited", page)

    def test_existing_contact_of_the_company_is_granted(self):
        self.login("customer admin")
        with self.mock_mail_gateway():
            self.assertRedirect(
                self.post("/my/colleagues/invite", name="Whoever", email="NINA@pce-col.example.com"), "/my/colleagues"
            )
        self.assertEqual(self.no_access.name, "Nina No-Access", "the existing contact is used, not renamed")
        self.assertTrue(self.user_of(self.no_access)._is_portal())
        self.assertEqual(
            self.env["res.partner"].search_count([("email_normalized", "=", "nina@pce-col.example.com")]), 1
        )

    @mute_logger("odoo.http")
    def test_email_of_another_company_is_refused_without_saying_whose(self):
        self.login("customer admin")
        before = self.access_state()
        for email in ("rhea@pce-col-rival.example.com", "pce_col_rival", self.employee.login):
            with self.subTest(email=email):
                response = self.post("/my/colleagues/invite", name="Spy", email=email)
                self.assertEqual(response.status_code, 200)
                if "@" in email:
                    self.assertIn("already used outside your company", response.text)
                self.assertNotIn("Rival", response.text)
                self.assertIn('value="Spy"', response.text, "what was typed is shown again")
        # a login that is an e-mail of a user of another company
        self.rival_user.login = "rob@pce-col-rival.example.com"
        response = self.post("/my/colleagues/invite", name="Spy", email="rob@pce-col-rival.example.com")
        self.assertIn("already used outside your company", response.text)
        self.assertEqual(self.access_state(), before)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Spy")]))

    def test_bad_input_shows_the_form_again(self):
        self.login("customer admin")
        response = self.post("/my/colleagues/invite", name="", email="zoe@pce-col.example.com")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Please enter your colleague", response.text)
        self.assertIn('value="zoe@pce-col.example.com"', response.text)
        response = self.post("/my/colleagues/invite", name="Zoe", email="not an e-mail")
        self.assertIn("Please enter a valid e-mail address.", response.text)
        self.assertIn('value="Zoe"', response.text)
        response = self.post("/my/colleagues/invite", name="Carl again", email="carl@pce-col.example.com")
        self.assertIn("Carl Colleague already has access to the portal.", response.text)
        self.assertFalse(self.env["res.partner"].search([("name", "in", ("Zoe", "Carl again"))]))

    def test_only_the_admin_invites(self):
        self.login("colleague")
        response = self.post("/my/colleagues/invite", name="Sneaky", email="sneaky@pce-col.example.com")
        self.assertEqual(response.status_code, 200)
        self.assertIn("customer administrators manage the access of your colleagues", response.text)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Sneaky")]))

    # --- deactivate and re-invite ----------------------------------------------------------------------------------

    def test_admin_deactivates_and_reinvites_a_colleague(self):
        self.login("customer admin")
        carl = self.colleague_user.partner_id
        self.assertRedirect(self.post(f"/my/colleagues/{carl.id}/deactivate"), "/my/colleagues")
        self.env.invalidate_all()
        self.assertFalse(self.colleague_user.active)
        self.assertFalse(self.colleague_user._is_portal())
        self.assertIn("Deactivated", self.url_open("/my/colleagues").text)
        self.authenticate(None, None)
        with self.assertRaises(AccessDenied), mute_logger("odoo.addons.base.models.res_users"):
            self.authenticate(self.colleague_user.login, self.colleague_user.login)

        self.login("customer admin")
        with self.mock_mail_gateway():
            self.assertRedirect(self.post(f"/my/colleagues/{carl.id}/reinvite"), "/my/colleagues")
        self.env.invalidate_all()
        self.assertTrue(self.colleague_user.active)
        self.assertTrue(self.colleague_user._is_portal())
        self.assertTrue([mail for mail in self._mails if "carl@pce-col.example.com" in "".join(mail["email_to"])])

    def test_admin_cannot_deactivate_herself_nor_an_employee(self):
        self.login("customer admin")
        response = self.post(f"/my/colleagues/{self.admin_user.partner_id.id}/deactivate")
        self.assertIn("You cannot deactivate your own access.", response.text)
        self.assertTrue(self.admin_user.active)
        internal = new_test_user(
            self.env,
            login="pce_col_internal",
            groups="base.group_user",
            name="Ian Internal",
            parent_id=self.customer.id,
        )
        response = self.post(f"/my/colleagues/{internal.partner_id.id}/deactivate")
        self.assertIn("not from the portal", response.text)
        self.env.invalidate_all()
        self.assertTrue(internal.active)
        self.assertFalse(internal.share)

    def test_guessed_ids_of_another_company_change_nothing(self):
        self.login("customer admin")
        before = self.access_state()
        targets = (self.rival_user.partner_id, self.rival_contact, self.rival, self.vendor_user.partner_id)
        for partner in targets:
            for action in ("deactivate", "reinvite"):
                with self.subTest(partner=partner.name, action=action):
                    response = self.post(f"/my/colleagues/{partner.id}/{action}")
                    self.assertEqual(response.status_code, 200)
                    self.assertIn("This contact is not one of your colleagues.", response.text)
        response = self.post("/my/colleagues/999999999/deactivate")
        self.assertIn("This contact is not one of your colleagues.", response.text, "same answer as for a rival")
        self.assertEqual(self.access_state(), before)
        self.env.invalidate_all()
        self.assertTrue(self.rival_user.active)
        self.assertFalse(self.user_of(self.rival_contact))

    def test_colleague_cannot_deactivate(self):
        self.login("colleague")
        response = self.post(f"/my/colleagues/{self.admin_user.partner_id.id}/deactivate")
        self.assertIn("customer administrators manage the access of your colleagues", response.text)
        self.env.invalidate_all()
        self.assertTrue(self.admin_user.active)

    # --- the flag cannot be set from outside -----------------------------------------------------------------------

    def test_rpc_customer_admin_flag_is_set_by_the_company_only(self):
        for who in ("colleague", "other company customer", "vendor", "employee"):
            with self.subTest(persona=who):
                self.login(who)
                user = self.personas[who]
                for model, record_id in (("res.partner", user.partner_id.id), ("res.users", user.id)):
                    response = self.call_kw(model, "write", [[record_id], {"pce_is_customer_admin": True}])
                    self.assertIn("error", response, f"{model} written by {who}")
                response = self.call_kw("res.partner", "write", [[self.colleague_user.partner_id.id], {"name": "X"}])
                self.assertIn("error", response)
        self.env.invalidate_all()
        self.assertFalse(self.colleague_user.partner_id.pce_is_customer_admin)

        self.login("sales manager")
        response = self.call_kw(
            "res.partner", "write", [[self.colleague_user.partner_id.id], {"pce_is_customer_admin": True}]
        )
        self.assert_rpc_done(response)
        self.env.invalidate_all()
        self.assertTrue(self.colleague_user.partner_id.pce_is_customer_admin)
