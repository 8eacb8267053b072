"""Tests of the Slack and Teams templates of notification types (plain Python, no database)."""

import json

from odoo.tests import BaseCase

from odoo.addons.messaging_router.tools.message_template import (
    SLACK,
    TEAMS,
    TemplateError,
    check_template,
    render_template,
)

VALUES = {
    "subject": 'Order "S042" {needs} you',
    "body": "Total: 12,500.00 EUR\n*urgent*",
    "url": "https://odoo.example/odoo/sale.order/42",
    "record": "S042",
    "recipient": "Marc Demo",
    "type": "Approval request",
}
SLACK_TEMPLATE = json.dumps(
    [
        {"type": "header", "text": {"type": "plain_text", "text": "{{ subject }}"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "{{body}}\nFor {{recipient}} ({{type}})"}},
        {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Open"},
                                          "url": "{{url}}"}]},
    ]
)  # fmt: skip


class TestMessageTemplate(BaseCase):
    def test_placeholders_are_filled_in_strings_and_values_cannot_break_the_json(self):
        blocks = render_template(SLACK_TEMPLATE, SLACK, VALUES)
        self.assertEqual(blocks[0]["text"]["text"], 'Order "S042" {needs} you')
        self.assertEqual(blocks[1]["text"]["text"], "Total: 12,500.00 EUR\n*urgent*\nFor Marc Demo (Approval request)")
        self.assertEqual(blocks[2]["elements"][0]["url"], VALUES["url"])
        self.assertEqual(len(blocks), 3, "a value holding JSON does not add blocks")

    def test_a_link_that_renders_empty_and_an_empty_text_are_left_out(self):
        blocks = render_template(SLACK_TEMPLATE, SLACK, {**VALUES, "url": "", "body": "", "recipient": "", "type": ""})
        self.assertEqual([block["type"] for block in blocks], ["header", "section"])
        self.assertEqual(blocks[1]["text"]["text"], "\nFor  ()")
        only_body = json.dumps([{"type": "header", "text": {"type": "plain_text", "text": "{{subject}}"}},
                                {"type": "section", "text": {"type": "mrkdwn", "text": "{{body}}"}}])  # fmt: skip
        self.assertEqual(len(render_template(only_body, SLACK, {**VALUES, "body": ""})), 1)

    def test_slack_texts_are_cut_to_what_slack_accepts(self):
        blocks = render_template(SLACK_TEMPLATE, SLACK, {**VALUES, "subject": "S" * 400, "body": "B" * 5000})
        self.assertEqual(len(blocks[0]["text"]["text"]), 150)
        self.assertEqual(len(blocks[1]["text"]["text"]), 3000)

    def test_teams_card(self):
        template = json.dumps(
            {
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": [{"type": "TextBlock", "text": "{{subject}}"}],
                "actions": [{"type": "Action.OpenUrl", "title": "Open", "url": "{{url}}"}],
            }
        )
        card = render_template(template, TEAMS, VALUES)
        self.assertEqual(card["body"][0]["text"], VALUES["subject"])
        self.assertEqual(card["actions"][0]["url"], VALUES["url"])
        self.assertEqual(render_template(template, TEAMS, {**VALUES, "url": ""})["actions"], [])

    def test_bad_templates_are_refused_with_the_reason(self):
        for text, kind, reason in (
            ("[{", SLACK, "not valid JSON"),
            ('{"type": "section"}', SLACK, "JSON list of Block Kit blocks"),
            ('[{"text": "no type"}]', SLACK, "JSON list of Block Kit blocks"),
            ("[]", SLACK, "JSON list of Block Kit blocks"),
            ('[{"type": "section", "text": {"type": "mrkdwn", "text": "{{amount}}"}}]', SLACK, "amount"),
            ('[{"type": "section"}]', TEAMS, "Adaptive Card"),
            ('{"type": "AdaptiveCard"}', TEAMS, "Adaptive Card"),
        ):
            with self.subTest(text=text), self.assertRaisesRegex(TemplateError, reason):
                check_template(text, kind)
