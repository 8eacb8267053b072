"""The daily digest from its figures (no Odoo): the plain summary sent when Claude does not write the text, and
the figures as Claude receives them."""

import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class DigestLine:
    """One figure: a count, and the amounts of those documents per currency (code, amount)."""

    key: str  # stable name for Claude and tests, e.g. "orders_confirmed"
    label: str  # in the reader's language
    count: int
    amounts: tuple[tuple[str, float], ...] = field(default=())


@dataclass(frozen=True)
class DigestSection:
    role: str  # "sales", "purchase", "accounting", "ai"
    title: str
    lines: tuple[DigestLine, ...]


def format_amounts(amounts: tuple[tuple[str, float], ...]) -> str:
    """``(("EUR", 1234.5), ("USD", 10))`` → ``"1,234.50 EUR + 10.00 USD"``; zero amounts are left out."""
    return " + ".join(f"{amount:,.2f} {currency}" for currency, amount in amounts if round(amount, 2))


def render_plain(greeting: str, sections: list[DigestSection], nothing_to_report: str) -> str:
    """The deterministic digest: the greeting, then one bullet per non-zero figure under its section's title.

    :param greeting: first line, e.g. "Your digest for 2025-03-04"
    :param nothing_to_report: the only line after the greeting when every figure is zero
    :return: plain text with Slack's ``*bold*`` titles
    """
    blocks = []
    for section in sections:
        lines = [line for line in section.lines if line.count]
        if not lines:
            continue
        bullets = []
        for line in lines:
            amounts = format_amounts(line.amounts)
            bullets.append(f"• {line.label}: {line.count}" + (f" ({amounts})" if amounts else ""))
        blocks.append("\n".join([f"*{section.title}*", *bullets]))
    return "\n\n".join([greeting, *(blocks or [nothing_to_report])])


def prompt_data(sections: list[DigestSection]) -> str:
    """The figures as JSON for Claude: the same values as the plain summary, nothing else."""
    return json.dumps([asdict(section) for section in sections], ensure_ascii=False, indent=1)
