"""Block Kit messages of the suite's notifications, built from plain values (no Slack SDK, no Odoo)."""

MAX_SECTION_TEXT = 3000  # characters Slack accepts in a section's text
MAX_HEADER_TEXT = 150  # characters Slack accepts in a header


def notification_blocks(subject: str, body: str | None = None, url: str | None = None) -> list[dict]:
    """A header, the text, and a button back to Odoo.

    :param subject: the notification's title (plain text)
    :param body: its text (Slack mrkdwn allowed); long texts are cut to what Slack accepts
    :param url: a link to the record in Odoo, shown as an "Open in Odoo" button
    :return: Block Kit blocks for ``chat.postMessage``
    """
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": subject[:MAX_HEADER_TEXT], "emoji": True}}
    ]
    if body:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body[:MAX_SECTION_TEXT]}})
    if url:
        blocks.append(
            {
                "type": "actions",
                "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Open in Odoo"}, "url": url}],
            }
        )
    return blocks
