"""Status changes of support tickets reach the customer's contacts once, through messaging_router
(`helpdesk.ticket.status`), instead of helpdesk_mgmt's stage e-mail; staff following a ticket are not told."""

from odoo.tests import TransactionCase, new_test_user, tagged

from .portal_ticket_common import PortalTicketCommon


@tagged("post_install", "-at_install")
class TestPortalTicketNotification(PortalTicketCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ticket_fixtures()
        cls.colleague = cls.colleague_user.partner_id
        cls.contact = cls.customer_user.partner_id
        cls.ticket.message_subscribe(partner_ids=(cls.colleague | cls.helpdesk_user.partner_id).ids)

    def deliveries(self, ticket):
        return self.env["messaging.delivery"].search(
            [
                ("notification_type", "=", "helpdesk.ticket.status"),
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
            ]
        )

    def stage_mails(self, ticket):
        """:return: the e-mails of helpdesk_mgmt's stage templates about `ticket`, once the transaction's
        tracking is done (it runs just before commit)."""
        self.env.cr.precommit.run()
        return self.env["mail.mail"].search([("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)])

    def test_customer_contacts_hear_of_a_status_change_once(self):
        self.ticket.with_user(self.helpdesk_user).stage_id = self.stage_done
        deliveries = self.deliveries(self.ticket)
        self.assertEqual(deliveries.partner_id, self.contact | self.colleague, "not the helpdesk user following it")
        self.assertEqual(len(deliveries), 2)
        self.assertIn("Done", deliveries[0].body)
        self.assertIn(self.ticket.number, deliveries[0].subject)
        self.assertTrue(deliveries[0].url.endswith(f"/my/ticket/{self.ticket.id}"))
        self.assertFalse(self.stage_mails(self.ticket), "helpdesk_mgmt's closing e-mail went out too")

    def test_stage_template_kept_for_a_ticket_without_customer_contact(self):
        """A ticket from an unknown e-mail address has nobody to notify through messaging_router: helpdesk_mgmt's
        stage e-mail stays its only notification."""
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "PCE TK by e-mail", "description": "x", "partner_email": "someone@example.com"}
        )
        self.stage_mails(ticket)
        ticket.with_user(self.helpdesk_user).stage_id = self.stage_done
        self.assertFalse(self.deliveries(ticket))
        self.assertEqual(len(self.stage_mails(ticket)), 1)

    def test_no_notification_without_a_change(self):
        self.ticket.write({"stage_id": self.stage_new.id})
        self.ticket.write({"name": "PCE TK renamed"})
        self.env["helpdesk.ticket"].create(
            {"name": "PCE TK new", "description": "x", "partner_id": self.contact.id, "stage_id": self.stage_new.id}
        )
        self.assertFalse(self.env["messaging.delivery"].search([("notification_type", "=", "helpdesk.ticket.status")]))

    def test_a_new_team_moving_the_ticket_is_a_change(self):
        """A stage of another team does not apply to the new team: helpdesk_mgmt moves the ticket to the new team's
        first stage, which is a change of status too."""
        other_team = self.env["helpdesk.ticket.team"].create({"name": "PCE TK other team"})
        other_stage = self.env["helpdesk.ticket.stage"].create(
            {"name": "PCE TK other team's stage", "team_ids": [(4, other_team.id)]}
        )
        self.ticket.write({"team_id": other_team.id, "stage_id": other_stage.id})
        before = self.deliveries(self.ticket)
        self.ticket.team_id = self.team
        self.assertEqual(self.ticket.stage_id, self.stage_new)
        new = self.deliveries(self.ticket) - before
        self.assertEqual(new.partner_id, self.contact | self.colleague)
        self.assertIn(self.stage_new.name, new[0].body)

    def test_who_made_the_change_is_not_told(self):
        self.ticket.with_user(self.customer_user).sudo().stage_id = self.stage_done
        self.assertEqual(self.deliveries(self.ticket).partner_id, self.colleague)
        self.assertFalse(self.stage_mails(self.ticket))

    def test_recipients_are_the_customers_contacts_only(self):
        outsider = new_test_user(self.env, login="pce_tk_outsider", groups="base.group_portal")
        self.ticket.message_subscribe(partner_ids=(outsider.partner_id | self.rival_user.partner_id).ids)
        self.assertEqual(self.ticket._pce_get_status_recipients(), self.contact | self.colleague)
