"""The ``/odoo`` slash command: what the user asked, and the Block Kit answers, from plain values (no Odoo)."""

from dataclasses import dataclass

HELP = (
    "*/odoo* commands:\n"
    "• `/odoo search customer <name, e-mail or reference>`: customers you can see in Odoo\n"
    "• `/odoo order <reference>`: one sales order, its state and amount\n"
    "• `/odoo pipeline summary`: quotations and orders of the month\n"
    "• `/odoo help`: this list"
)
MAX_ROWS = 10  # lines of a search answer; Slack messages stay readable and under the block limit


@dataclass(frozen=True)
class Command:
    name: str  # "help", "search_customer", "order", "pipeline_summary", or "unknown"
    argument: str = ""


def parse(text: str | None) -> Command:
    """Read the text typed after ``/odoo``; words are case-insensitive, the argument is kept as typed."""
    words = (text or "").split()
    lowered = [word.lower() for word in words]
    if not words or lowered[0] == "help":
        return Command("help")
    if lowered[:2] == ["search", "customer"]:
        argument = " ".join(words[2:])
        return Command("search_customer", argument) if argument else Command("help")
    if lowered[0] == "order" and len(words) > 1:
        return Command("order", " ".join(words[1:]))
    if lowered[:2] == ["pipeline", "summary"]:
        return Command("pipeline_summary")
    return Command("unknown", " ".join(words))


def text_blocks(text: str) -> list[dict]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]


def rows_blocks(title: str, rows: list[tuple[str, str, str]], empty: str) -> list[dict]:
    """A titled list of (label, detail, url) rows, each label a link back to Odoo."""
    if not rows:
        return [{"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*\n{empty}"}}]
    lines = [f"• <{url}|{label}>{f'  {detail}' if detail else ''}" for label, detail, url in rows[:MAX_ROWS]]
    more = f"\n…and {len(rows) - MAX_ROWS} more" if len(rows) > MAX_ROWS else ""
    return [{"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*\n" + "\n".join(lines) + more}}]
