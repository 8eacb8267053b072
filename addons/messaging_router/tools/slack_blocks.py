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


def with_approval_buttons(blocks: list[dict], value: str) -> list[dict]:
    """The blocks with Approve and Reject buttons, first in the last actions block or in a new one; `value`
    ("model:id") tells Odoo what they answer."""
    buttons = [
        {"type": "button", "action_id": "messaging_approve", "style": "primary", "value": value,
         "text": {"type": "plain_text", "text": "Approve"}},
        {"type": "button", "action_id": "messaging_reject", "style": "danger", "value": value,
         "text": {"type": "plain_text", "text": "Reject"}},
    ]  # fmt: skip
    blocks = [dict(block) for block in blocks]
    if blocks and blocks[-1].get("type") == "actions":
        blocks[-1]["elements"] = buttons + list(blocks[-1].get("elements") or [])
    else:
        blocks.append({"type": "actions", "elements": buttons})
    return blocks


def outcome_blocks(blocks: list[dict], outcome: str) -> list[dict]:
    """A message's blocks without its buttons, and the outcome in their place."""
    kept = [block for block in blocks if block.get("type") != "actions"]
    return [*kept, {"type": "context", "elements": [{"type": "mrkdwn", "text": f":white_check_mark: {outcome}"}]}]
