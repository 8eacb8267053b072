"""The digest's plain text from its figures (tools/digest.py, no database)."""

import json

from odoo.tests import BaseCase

from ..tools.digest import DigestLine, DigestSection, format_amounts, prompt_data, render_plain

SALES = DigestSection(
    "sales",
    "Sales",
    (
        DigestLine("orders_confirmed", "Orders confirmed yesterday", 2, (("EUR", 1234.5), ("USD", 10.0))),
        DigestLine("quotations_new", "Quotations created yesterday", 0),
        DigestLine("pipeline", "Open quotations (pipeline)", 3, (("EUR", 0.0),)),
    ),
)
NOTHING = DigestSection("accounting", "Accounting", (DigestLine("invoices_overdue", "Overdue customer invoices", 0),))


class TestDigestTools(BaseCase):
    def test_amounts_per_currency_without_zeros(self) -> None:
        self.assertEqual(format_amounts((("EUR", 1234.5), ("USD", 10.0), ("GBP", 0.001))), "1,234.50 EUR + 10.00 USD")
        self.assertEqual(format_amounts(()), "")

    def test_the_plain_digest_lists_non_zero_figures_under_their_section(self) -> None:
        text = render_plain("Your digest for 3/4/2025", [SALES, NOTHING], "Nothing to report.")
        self.assertEqual(
            text,
            "Your digest for 3/4/2025\n\n"
            "*Sales*\n"
            "• Orders confirmed yesterday: 2 (1,234.50 EUR + 10.00 USD)\n"
            "• Open quotations (pipeline): 3",
        )

    def test_nothing_to_report(self) -> None:
        self.assertEqual(render_plain("Hello", [NOTHING], "Nothing to report."), "Hello\n\nNothing to report.")

    def test_claude_gets_the_same_figures(self) -> None:
        data = json.loads(prompt_data([SALES]))
        self.assertEqual(data[0]["role"], "sales")
        self.assertEqual(data[0]["lines"][0]["key"], "orders_confirmed")
        self.assertEqual(data[0]["lines"][0]["amounts"], [["EUR", 1234.5], ["USD", 10.0]])
