"""Slack threads tied to record chatter, in plain Python: which events are replies, and text both ways.

Slack's Events API sends every message of the channels the bot is in (``message.channels`` / ``message.groups``).
Only one kind concerns a thread tied to a record: a *reply by a person*, i.e. a ``message`` event with a
``thread_ts`` other than its own ``ts`` (the parent has ``thread_ts == ts``), without ``bot_id`` (the bot's own posts,
Odoo's chatter messages among them, come back as events: taking them would loop) and without a subtype other than
``thread_broadcast`` (a reply also sent to the channel). Edits (``message_changed``) and deletions are not synced.

Slack text is *mrkdwn*: ``&``, ``<`` and ``>`` are escaped as HTML entities, and mentions, channels and links are
``<...>`` entities (https://api.slack.com/reference/surfaces/formatting). :func:`mrkdwn_to_text` turns it into
plain text for the chatter (where it is escaped again, as any text); :func:`reply_text` does the reverse for a
chatter message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_REPLY_TEXT", "ThreadReply", "escape_mrkdwn", "mrkdwn_to_text", "reply_text", "thread_reply"]

MAX_REPLY_TEXT = 4000  # characters sent to Slack per chatter message (Slack cuts at 40,000; a thread is a chat)
REPLY_SUBTYPES = (None, "thread_broadcast")  # a plain reply, or a reply also sent to the channel

_ENTITY = re.compile(r"<([^<>]+)>")


@dataclass(frozen=True)
class ThreadReply:
    """A person's reply in a Slack thread: ``thread_ts`` names the thread (its parent's ``ts``), ``ts`` the reply."""

    channel: str
    thread_ts: str
    ts: str
    user: str
    text: str


def thread_reply(event: Mapping[str, Any] | None) -> ThreadReply | None:
    """The reply an Events API ``event`` is, or None when it is anything else.

    :param event: the ``event`` object of an ``event_callback`` payload.
    :return: the reply; None for a parent message, the bot's own messages, edits, deletions, joins...
    """
    if not isinstance(event, Mapping) or event.get("type") != "message":
        return None
    if event.get("bot_id") or event.get("subtype") not in REPLY_SUBTYPES:
        return None
    fields = [event.get(key) for key in ("channel", "thread_ts", "ts", "user")]
    if not all(isinstance(value, str) and value for value in fields):
        return None
    channel, thread_ts, ts, user = fields
    if thread_ts == ts:
        return None
    text = event.get("text")
    return ThreadReply(channel, thread_ts, ts, user, text if isinstance(text, str) else "")


def mrkdwn_to_text(text: str, user_name: Callable[[str], str | None] | None = None) -> str:
    """Slack mrkdwn as plain text: entities become readable, Slack's escapes are undone.

    ``<@U123>`` becomes ``@Name`` (through `user_name`, else ``@U123``), ``<#C123|sales>`` ``#sales``,
    ``<!here>`` ``@here``, ``<https://x|label>`` ``label: https://x``, ``<mailto:a@b.c|a@b.c>`` ``a@b.c``.
    The result is text, not HTML: the caller escapes it like any text.

    :param text: a message's ``text`` as Slack sends it.
    :param user_name: the name to show for a Slack user id, or None when unknown.
    """

    def entity(match: re.Match[str]) -> str:
        target, _sep, label = match.group(1).partition("|")
        if target.startswith("@"):
            return f"@{label or (user_name and user_name(target[1:])) or target[1:]}"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("!"):  # <!here>, <!subteam^S1|@team>, <!date^...|fallback>
            return label or f"@{target[1:].split('^', 1)[0]}"
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        return f"{label}: {target}" if label and label != target else target  # a URL that the chatter links

    return _ENTITY.sub(entity, text or "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape_mrkdwn(text: str) -> str:
    """Text as Slack shows it literally: the three characters Slack reserves, escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def reply_text(author: str, text: str, attachment_names: Iterable[str] = ()) -> str:
    """The Slack text of a chatter message: its author in bold, its text, the names of its attachments.

    :param author: the author's name.
    :param text: the message as plain text (already converted from HTML).
    :param attachment_names: file names, listed (the files stay in Odoo).
    :return: mrkdwn, at most :data:`MAX_REPLY_TEXT` characters of message text.
    """
    text = text.strip()
    if len(text) > MAX_REPLY_TEXT:
        text = text[: MAX_REPLY_TEXT - 1].rstrip() + "…"
    lines = [f"*{escape_mrkdwn(author)}*: {escape_mrkdwn(text)}".rstrip()]
    lines += [f":paperclip: {escape_mrkdwn(name)}" for name in attachment_names]
    return "\n".join(lines)
