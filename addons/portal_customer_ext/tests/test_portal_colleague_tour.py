from odoo.tests import HttpCase, tagged

from .test_portal_colleague import ColleagueCommon


@tagged("post_install", "-at_install")
class TestInviteColleagueTour(ColleagueCommon, HttpCase):
    """Inviting a colleague in a real browser: /my, Colleagues, the invitation form, the colleague invited."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_colleague_fixtures()

    def test_invite_colleague_tour(self) -> None:
        self.start_tour("/my", "portal_customer_ext_invite_colleague", login=self.admin_user.login)

        tom = self.env["res.partner"].search([("email_normalized", "=", "tom.tourist@pce-col.example.com")])
        self.assertEqual(tom.name, "Tom Tourist")
        self.assertEqual(tom.parent_id, self.customer)
        self.assertTrue(tom.user_ids._is_portal())
        self.assertFalse(tom.user_ids.login_date, "invited, not yet signed in")
