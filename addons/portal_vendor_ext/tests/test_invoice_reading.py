"""The invoice reading engine (tools/invoice_reading, no database) on the labelled sample PDFs, and bin/read-invoice."""

import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pdfplumber

from odoo.tests import BaseCase

from ..tools.invoice_reading import (
    ENCRYPTED,
    FIELDS,
    IMAGE_ONLY,
    MALFORMED,
    NOT_PDF,
    TOO_LARGE,
    TOO_MANY_PAGES,
    InvoiceReadError,
    read_invoice_pdf,
    values,
)
from . import invoice_samples

ADDON = Path(__file__).resolve().parent.parent
READ_INVOICE = ADDON / "bin" / "read-invoice"


class TestInvoiceReading(BaseCase):
    def assertReads(self, pdf: bytes, truth: dict, label: str) -> dict:
        reading = read_invoice_pdf(pdf).to_dict()
        wrong = {
            key: (reading[key], value)
            for key, value in truth.items()
            if not invoice_samples.compare(reading, {key: value})[key]
        }
        self.assertFalse(wrong, f"{label}: (read, true) of the wrong fields")
        return reading

    def test_every_layout_is_read_exactly(self) -> None:
        for layout in invoice_samples.LAYOUTS:
            for seed in (0, 1, 2):
                with self.subTest(layout=layout, seed=seed):
                    pdf, truth = invoice_samples.sample(layout, seed)
                    reading = self.assertReads(pdf, truth, f"{layout} #{seed}")
                    self.assertEqual(reading["warnings"], [], layout)
                    # Everything printed and cross-checked is sure; what is absent is said to be.
                    for name in FIELDS:
                        if name == "vendor":
                            self.assertGreaterEqual(reading["confidence"][name], 0.9, layout)
                        elif truth[name] in (None, []):
                            self.assertEqual(reading["confidence"][name], 0.0, f"{layout} {name}")
                        else:
                            self.assertGreaterEqual(reading["confidence"][name], 0.9, f"{layout} {name}")

    def test_what_the_layouts_cover(self) -> None:
        """The samples are the variety the engine claims to cope with (a layout change must not lose one)."""
        de_pdf, de_truth = invoice_samples.sample("de_multipage")
        self.assertGreater(len(de_truth["lines"]), 30)
        with pdfplumber.open(io.BytesIO(de_pdf)) as pdf:
            self.assertEqual(len(pdf.pages), 2)
            self.assertNotIn("Gesamtbetrag", pdf.pages[0].extract_text())
        credit = self.assertReads(*invoice_samples.sample("en_credit_note"), "credit note")
        self.assertTrue(credit["is_credit_note"])
        self.assertIsNone(credit["due_date"])
        self.assertTrue(all(line["amount"] > 0 for line in credit["lines"]))
        us = self.assertReads(*invoice_samples.sample("us_dollar"), "us")
        self.assertEqual((us["currency"], us["vat"]), ("USD", None))
        for layout, currency in (("fr_plain", "EUR"), ("en_ruled", "GBP"), ("iso_thousands", "EUR")):
            self.assertEqual(read_invoice_pdf(invoice_samples.sample(layout)[0]).currency, currency, layout)

    def test_an_invoice_printed_by_odoo(self) -> None:
        """Not drawn by our sample generator: Odoo 18's own invoice report (wkhtmltopdf 0.12.6) of a demo invoice,
        with column titles printed almost touching ("QuantityUnit Price") and each line's numbers on another
        baseline than its two-row description."""
        reading = read_invoice_pdf((ADDON / "tests" / "data" / "invoice_odoo_report.pdf").read_bytes())
        self.assertEqual(
            (reading.invoice_number, reading.invoice_date, reading.due_date, reading.currency),
            ("INV/2026/00002", "2026-11-20", "2026-11-22", "USD"),
        )
        self.assertEqual((reading.amount_untaxed, reading.amount_tax, reading.amount_total), (41750.0, 0.0, 41750.0))
        self.assertEqual(
            [
                (line.product_code, line.description, line.quantity, line.unit_price, line.amount)
                for line in reading.lines
            ],
            [
                ("FURN_8220", "Four Person Desk Four person modern office workstation", 5.0, 2350.0, 11750.0),
                (
                    "FURN_8999",
                    "Three-Seat Sofa Three Seater Sofa with Lounger in Steel Grey Colour",
                    20.0,
                    1500.0,
                    30000.0,
                ),
            ],
        )
        self.assertEqual(reading.warnings, [])
        # The report names its company in the logo only: the name read is the customer's, and not taken as sure.
        self.assertLess(reading.confidence["vendor"], 0.95)

    def test_totals_that_do_not_add_up_lower_the_confidence(self) -> None:
        for layout in ("en_ruled", "fr_plain", "nl_above"):
            with self.subTest(layout=layout):
                pdf, truth = invoice_samples.sample(layout, 3, total_error=10.0)
                reading = self.assertReads(pdf, truth, layout)
                self.assertIn("totals_mismatch", reading["warnings"])
                for name in ("amount_untaxed", "amount_tax", "amount_total"):
                    self.assertLess(reading["confidence"][name], 0.5, f"{layout} {name}")
                right = read_invoice_pdf(invoice_samples.sample(layout, 3)[0]).confidence
                self.assertGreaterEqual(right["amount_total"], 0.99)

    def test_broken_files_are_refused_with_their_reason(self) -> None:
        for kind in invoice_samples.BROKEN:
            with self.subTest(kind=kind):
                data, expected = invoice_samples.broken_sample(kind)
                with self.assertRaises(InvoiceReadError) as caught:
                    read_invoice_pdf(data)
                self.assertEqual(caught.exception.code, expected["error"])
                self.assertTrue(caught.exception.args[0])
        self.assertEqual(
            [
                invoice_samples.BROKEN[kind]
                for kind in ("encrypted", "image_only", "not_pdf", "truncated", "too_many_pages")
            ],
            [ENCRYPTED, IMAGE_ONLY, NOT_PDF, MALFORMED, TOO_MANY_PAGES],
        )

    def test_size_and_page_limits(self) -> None:
        pdf, _truth = invoice_samples.sample("de_multipage")
        with self.assertRaises(InvoiceReadError) as caught:
            read_invoice_pdf(pdf, max_bytes=len(pdf) - 1)
        self.assertEqual(caught.exception.code, TOO_LARGE)
        with self.assertRaises(InvoiceReadError) as caught:
            read_invoice_pdf(pdf, max_pages=1)
        self.assertEqual(caught.exception.code, TOO_MANY_PAGES)
        self.assertEqual(len(read_invoice_pdf(pdf, max_pages=2, max_bytes=len(pdf)).lines), len(_truth["lines"]))

    def test_to_dict_is_the_json_of_the_command(self) -> None:
        reading = read_invoice_pdf(invoice_samples.sample("es_two_rates")[0])
        data = json.loads(json.dumps(reading.to_dict()))
        self.assertEqual(list(data), [*FIELDS, "is_credit_note", "confidence", "warnings"])
        self.assertEqual(set(data["confidence"]), set(FIELDS))
        self.assertEqual(set(data["lines"][0]), {"description", "quantity", "unit_price", "amount", "product_code"})


class TestInvoiceValues(BaseCase):
    def test_numbers_as_printed(self) -> None:
        for text, decimal, expected in [
            ("1 234,56 €", ",", [1234.56]),
            ("€ 2.465,58", ",", [2465.58]),
            ("EUR 12.345,67", ",", [12345.67]),
            ("$1,234.56", ".", [1234.56]),
            ("-181.50 EUR", ".", [-181.5]),
            ("(12.00)", ".", [-12.0]),
            ("7,5", ",", [7.5]),
            ("1.000", ",", [1000.0]),
            ("TVA 20 % 133,09 €", ",", [133.09]),
            ("IVA 21% s/ 1.234,56 €", ",", [1234.56]),
            ("4 1,28 €", ",", [4.0, 1.28]),
            ("FR40303265045 HARD-0202", ",", []),
        ]:
            self.assertEqual(values.numbers(text, decimal), expected, text)
        self.assertEqual(values.decimal_separator(["1.234,56 €", "12,00", "Total 1.246,56"]), ",")
        self.assertEqual(values.decimal_separator(["$1,234.56", "8.25%"]), ".")

    def test_dates_as_printed(self) -> None:
        for text, order, expected in [
            ("14/03/2025", "dmy", "2025-03-14"),
            ("03/14/2025", "mdy", "2025-03-14"),
            ("14.03.2025", "dmy", "2025-03-14"),
            ("14-03-2025", "dmy", "2025-03-14"),
            ("2025-03-14", "mdy", "2025-03-14"),
            ("14 March 2025", "dmy", "2025-03-14"),
            ("14 mars 2025", "dmy", "2025-03-14"),
            ("14. März 2025", "dmy", "2025-03-14"),
            ("14 de marzo de 2025", "dmy", "2025-03-14"),
            ("March 14, 2025", "dmy", "2025-03-14"),
            ("31/02/2025", "dmy", None),
            ("P00042", "dmy", None),
        ]:
            self.assertEqual(values.parse_date(text, order), expected, text)
        self.assertEqual(values.date_order(["Date: 03/14/2025"], "EUR"), "mdy")
        self.assertEqual(values.date_order(["Date: 03/04/2025"], "USD"), "mdy")
        self.assertEqual(values.date_order(["Date: 03/04/2025"], "GBP"), "dmy")

    def test_currencies_and_identifiers(self) -> None:
        self.assertEqual(values.currencies("1 234,56 € / EUR"), ["EUR", "EUR"])
        self.assertEqual(values.currencies("£10.00"), ["GBP"])
        self.assertEqual(values.currencies("US$ 10"), ["USD"])
        self.assertEqual(values.vat_number("NL 8537.46333 B01"), "NL853746333B01")
        self.assertIsNone(values.vat_number("Invoice"))
        self.assertEqual(values.reference("INV/2025/00042 dated"), "INV/2025/00042")
        self.assertIsNone(values.reference("Box"))


class TestReadInvoiceCommand(BaseCase):
    def run_command(self, data: bytes) -> subprocess.CompletedProcess:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(data)
            file.flush()
            return subprocess.run(
                [sys.executable, str(READ_INVOICE), file.name], capture_output=True, text=True, timeout=60, check=False
            )

    def test_prints_the_reading_as_json(self) -> None:
        pdf, truth = invoice_samples.sample("nl_above", 4)
        result = self.run_command(pdf)
        self.assertEqual(result.returncode, 0, result.stderr)
        printed = json.loads(result.stdout)
        self.assertTrue(all(invoice_samples.compare(printed, truth).values()), printed)
        self.assertEqual(printed["confidence"], read_invoice_pdf(pdf).confidence)

    def test_refused_file_exits_2_with_its_reason(self) -> None:
        result = self.run_command(invoice_samples.broken_sample("encrypted")[0])
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertIn(": encrypted: ", result.stderr)

    def test_the_engine_needs_no_odoo(self) -> None:
        probe = (
            "import sys; sys.path.insert(0, sys.argv[1]); import invoice_reading; "
            "print(sorted(name for name in sys.modules if name == 'odoo' or name.startswith('odoo.')))"
        )
        result = subprocess.run(
            [sys.executable, "-c", probe, str(ADDON / "tools")], capture_output=True, text=True, timeout=60, check=True
        )
        self.assertEqual(result.stdout.strip(), "[]")
