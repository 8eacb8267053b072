"""The chatter text prompts may quote from contacts."""

from .common import AiBridgeCommon


class TestLatestMessageFromAPerson(AiBridgeCommon):
    def test_prompts_quote_people_not_the_suites_own_lines(self):
        partner = self.company_partner
        partner.message_post(
            body="Can you deliver 40 chairs before Friday?",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
            author_id=partner.id,
        )
        partner.message_post(body="Called them back, waiting.", message_type="comment", subtype_xmlid="mail.mt_note")
        self.prompt.user_template = "Latest message: {{ object.ai_last_message ||| none }}"
        with self.mock_claude(self._answer("Construction Works", 0.5)):
            first = self._run_action()
            self._run_jobs()
        self.assertTrue(partner.message_ids.filtered(lambda message: f"ai.bridge.decision/{first.id}" in message.body))
        self.assertEqual(first.user_content, "Latest message: Can you deliver 40 chairs before Friday?")
        # The suite's log line about `first` is now the newest message: the next prompt still quotes the customer.
        with self.mock_claude(self._answer("Construction Works", 0.5)):
            second = self._run_action() - first
        self.assertEqual(second.user_content, "Latest message: Can you deliver 40 chairs before Friday?")

    def test_no_message_from_a_person(self):
        self.assertFalse(self.env["res.partner"].create({"name": "Quiet Co"}).ai_last_message)
