"""Labelled vendor invoice PDFs for the reading engine: eight layouts drawn with reportlab, and broken files.

Each layout is how one kind of vendor prints its invoices (language, labels left of or above their values, decimal
comma or point, thousands separators, currency symbols or ISO codes, ruled or unruled tables, one or two pages, one
or two tax rates, invoice or credit note). ``sample(layout, seed)`` draws an invoice of that layout with values drawn
from ``seed`` (vendor, numbers, dates, lines, prices) and returns ``(pdf_bytes, truth)``, where ``truth`` is the
dict ``InvoiceReading.to_dict()`` must give for it (without ``confidence`` and ``warnings``). The same arguments
always give the same invoice. ``broken_sample(kind)`` returns ``(bytes, {"error": code})`` for a file the engine
must refuse with that error code.

Plain Python, importable without Odoo:

    python3 addons/portal_vendor_ext/tests/invoice_samples.py OUTDIR [--seed 0]   # writes every sample and truth
"""

import argparse
import datetime
import io
import json
import random
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

LAYOUTS = (
    "en_ruled",
    "fr_plain",
    "de_multipage",
    "es_two_rates",
    "nl_above",
    "en_credit_note",
    "us_dollar",
    "iso_thousands",
)
BROKEN = {
    "encrypted": "encrypted",
    "image_only": "image_only",
    "not_pdf": "not_pdf",
    "truncated": "malformed",
    "too_many_pages": "too_many_pages",
}

# (vendor, VAT number or None) per layout: a few of each, so that a seed varies the vendor too.
VENDORS = {
    "en_ruled": [("Wood Corner Ltd", "GB123456789"), ("Thames Joinery Ltd", "GB987654321")],
    "fr_plain": [("Menuiserie Dupont SARL", "FR40303265045"), ("Bois et Fils SAS", "FR83404833048")],
    "de_multipage": [("Holzwerk Berger GmbH", "DE129273398"), ("Schreinerei Kühn GmbH", "DE811569869")],
    "es_two_rates": [("Muebles García S.L.", "ESB12345674"), ("Maderas del Norte S.A.", "ESA28015865")],
    "nl_above": [("Houthandel De Vries B.V.", "NL853746333B01"), ("Meubelmakerij Jansen B.V.", "NL001234567B02")],
    "en_credit_note": [("Brightline Office Supplies Ltd", "IE6388047V"), ("Castle Paper Ltd", "GB246813579")],
    "us_dollar": [("Pinecrest Supply Inc.", None), ("Hudson Valley Lumber LLC", None)],
    "iso_thousands": [("Nordic Timber Trading ApS", "DK13585628"), ("Baltic Boards A/S", "DK28866984")],
}
BUYER = ("YourCompany", "250 Executive Park Blvd, Suite 3400", "San Francisco CA 94134")

# (product code, description per language)
PRODUCTS = [
    (
        "FURN-0001",
        {
            "en": "Office desk oak 160 cm",
            "fr": "Bureau chêne 160 cm",
            "de": "Schreibtisch Eiche 160 cm",
            "es": "Mesa de oficina roble 160 cm",
            "nl": "Bureau eiken 160 cm",
        },
    ),
    (
        "FURN-0002",
        {
            "en": "Office chair black mesh",
            "fr": "Chaise de bureau noire",
            "de": "Bürostuhl schwarz Netz",
            "es": "Silla de oficina negra",
            "nl": "Bureaustoel zwart gaas",
        },
    ),
    (
        "FURN-0003",
        {
            "en": "Drawer unit 3 drawers",
            "fr": "Caisson 3 tiroirs",
            "de": "Rollcontainer 3 Schubladen",
            "es": "Cajonera 3 cajones",
            "nl": "Ladeblok 3 laden",
        },
    ),
    (
        "FURN-0004",
        {
            "en": "Bookcase pine 5 shelves",
            "fr": "Bibliothèque pin 5 étagères",
            "de": "Bücherregal Kiefer 5 Böden",
            "es": "Estantería pino 5 baldas",
            "nl": "Boekenkast grenen 5 planken",
        },
    ),
    (
        "WOOD-0110",
        {
            "en": "Oak plank 20 x 200 mm",
            "fr": "Planche chêne 20 x 200 mm",
            "de": "Eichenbrett 20 x 200 mm",
            "es": "Tablón roble 20 x 200 mm",
            "nl": "Eiken plank 20 x 200 mm",
        },
    ),
    (
        "WOOD-0120",
        {
            "en": "Pine beam 70 x 70 mm",
            "fr": "Poutre pin 70 x 70 mm",
            "de": "Kiefernbalken 70 x 70 mm",
            "es": "Viga pino 70 x 70 mm",
            "nl": "Grenen balk 70 x 70 mm",
        },
    ),
    (
        "WOOD-0130",
        {
            "en": "Birch plywood 18 mm",
            "fr": "Contreplaqué bouleau 18 mm",
            "de": "Birkensperrholz 18 mm",
            "es": "Contrachapado abedul 18 mm",
            "nl": "Berken multiplex 18 mm",
        },
    ),
    (
        "HARD-0201",
        {
            "en": "Wood screws 4 x 40 box of 200",
            "fr": "Vis à bois 4 x 40 boîte de 200",
            "de": "Holzschrauben 4 x 40 200 Stück",
            "es": "Tornillos madera 4 x 40 caja 200",
            "nl": "Houtschroeven 4 x 40 doos 200",
        },
    ),
    (
        "HARD-0202",
        {
            "en": "Hinge steel 80 mm",
            "fr": "Charnière acier 80 mm",
            "de": "Scharnier Stahl 80 mm",
            "es": "Bisagra acero 80 mm",
            "nl": "Scharnier staal 80 mm",
        },
    ),
    (
        "FIN-0301",
        {
            "en": "Wood varnish clear 2.5 L",
            "fr": "Vernis bois incolore 2,5 L",
            "de": "Holzlack farblos 2,5 L",
            "es": "Barniz madera incoloro 2,5 L",
            "nl": "Houtlak kleurloos 2,5 L",
        },
    ),
    (
        "FIN-0302",
        {
            "en": "Sanding paper P120 pack of 50",
            "fr": "Papier abrasif P120 paquet de 50",
            "de": "Schleifpapier P120 50 Stück",
            "es": "Papel de lija P120 paquete 50",
            "nl": "Schuurpapier P120 pak van 50",
        },
    ),
    (
        "SERV-0001",
        {
            "en": "Delivery and installation",
            "fr": "Livraison et installation",
            "de": "Lieferung und Montage",
            "es": "Entrega e instalación",
            "nl": "Levering en montage",
        },
    ),
]

# Words a vendor adds to some lines, long enough to wrap the description onto a second row.
NOTES = {
    "en": ["as per quotation, delivered to site", "colour as per sample, assembled on delivery"],
    "fr": ["selon devis, livré sur chantier", "teinte selon échantillon, montage compris"],
    "es": ["según presupuesto, entregado en obra", "color según muestra, montaje incluido"],
    "nl": ["volgens offerte, geleverd op de bouwplaats", "kleur volgens staal, inclusief montage"],
}

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


# === VALUES ===#


def _money(value: float) -> float:
    return round(value + 1e-9, 2)


def _invoice_values(
    layout: str,
    seed: int,
    language: str,
    rates: tuple[float, ...],
    *,
    lines: tuple[int, int],
    number_format: str,
    total_error: float = 0.0,
) -> dict:
    """The truth of one invoice: vendor, numbers, dates, lines and totals drawn from ``seed``.

    :param rates: the tax rates in percent; with two, each line gets one of them
    :param lines: the least and most number of invoice lines
    :param number_format: ``str.format`` pattern of the invoice number, given ``year`` and ``n``
    :param total_error: added to the total, to print totals that do not add up
    :return: the truth dict, plus ``"_rates"`` (the rate of each line) for drawing
    """
    rng = random.Random(f"{layout}:{seed}")
    vendor, vat = rng.choice(VENDORS[layout])
    invoice_date = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(360))
    count = rng.randint(*lines)
    products = [rng.choice(PRODUCTS) for _ in range(count)]
    invoice_lines, line_rates = [], []
    for code, descriptions in products:
        quantity = rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 25, 40, 100, 2.5, 7.5])
        unit_price = _money(rng.choice([0.35, 1.2, 4.5, 12, 45, 89.9, 129, 249.5, 480, 1250]) * rng.uniform(0.8, 1.3))
        description = descriptions[language]
        if language in NOTES and rng.random() < 0.2:
            description = f"{description}, {rng.choice(NOTES[language])}"
        invoice_lines.append(
            {
                "description": description,
                "quantity": float(quantity),
                "unit_price": unit_price,
                "amount": _money(quantity * unit_price),
                "product_code": code,
            }
        )
        line_rates.append(rng.choice(rates))
    untaxed = _money(sum(line["amount"] for line in invoice_lines))
    tax = _money(
        sum(
            _money(
                sum(
                    line["amount"]
                    for line, line_rate in zip(invoice_lines, line_rates, strict=True)
                    if line_rate == rate
                )
                * rate
                / 100
            )
            for rate in rates
        )
    )
    return {
        "vendor": vendor,
        "vat": vat,
        "invoice_number": number_format.format(year=invoice_date.year, n=rng.randint(1, 9999)),
        "invoice_date": invoice_date.isoformat(),
        "due_date": (invoice_date + datetime.timedelta(days=rng.choice([14, 30, 45, 60]))).isoformat(),
        "currency": "EUR",
        "po_reference": f"P{rng.randint(1, 99999):05d}",
        "amount_untaxed": untaxed,
        "amount_tax": tax,
        "amount_total": _money(untaxed + tax + total_error),
        "lines": invoice_lines,
        "is_credit_note": False,
        "_rates": line_rates,
    }


def _number(value: float, decimal: str = ".", thousands: str = ",", decimals: int = 2) -> str:
    text = f"{abs(value):,.{decimals}f}".replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)
    return ("-" if value < 0 else "") + text


def _quantity(value: float, decimal: str = ".") -> str:
    return str(int(value)) if value == int(value) else _number(value, decimal, "", 1)


def _date(value: str, pattern: str) -> str:
    day = datetime.date.fromisoformat(value)
    return pattern.format(d=day.day, m=day.month, y=day.year, month=MONTHS[day.month - 1])


# === DRAWING ===#


class _Page:
    """A reportlab canvas with top-down coordinates in points and a few drawing helpers."""

    def __init__(self, pagesize=A4, **kwargs) -> None:
        self.buffer = io.BytesIO()
        self.width, self.height = pagesize
        self.canvas = canvas.Canvas(self.buffer, pagesize=pagesize, invariant=1, **kwargs)

    def text(self, x: float, y: float, value: str, size: float = 9, bold: bool = False, align: str = "left"):
        self.canvas.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        draw = {"left": self.canvas.drawString, "right": self.canvas.drawRightString}[align]
        draw(x, self.height - y, value)

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.canvas.line(x0, self.height - y0, x1, self.height - y1)

    def next_page(self) -> None:
        self.canvas.showPage()

    def pdf(self) -> bytes:
        self.canvas.save()
        return self.buffer.getvalue()


def _table(
    page: _Page,
    y: float,
    columns: list,
    rows: list[list[str]],
    *,
    ruled: bool = False,
    row_height: float = 15,
    description_column: int = 1,
    wrap: int = 42,
) -> float:
    """Draw a table of ``columns`` ``(title, x, align)``, cells aligned like their titles, descriptions longer than
    ``wrap`` characters on two rows; return the y below it."""
    wrapped = []
    for row in rows:
        description = row[description_column]
        if len(description) <= wrap:
            wrapped.append(row)
            continue
        cut = description.rindex(" ", 0, wrap)
        wrapped.append([*row[:description_column], description[:cut], *row[description_column + 1 :]])
        wrapped.append(["" if index != description_column else description[cut + 1 :] for index in range(len(row))])
    rows = wrapped
    left, right = columns[0][1] - 4, page.width - 40
    if ruled:
        page.line(left, y - 11, right, y - 11)
    for title, x, align in columns:
        page.text(x, y, title, bold=True, align=align)
    if ruled or not rows:
        page.line(left, y + 4, right, y + 4)
    for row in rows:
        y += row_height
        for (_title, x, align), cell in zip(columns, row, strict=True):
            page.text(x, y, cell, align=align)
        if ruled:
            page.line(left, y + 4, right, y + 4)
    if ruled:
        for _title, x, align in columns[1:]:
            edge = x - 6 if align == "left" else x - 62
            page.line(edge, y + 4 - row_height * (len(rows) + 1), edge, y + 4)
        page.line(left, y + 4 - row_height * (len(rows) + 1), left, y + 4)
        page.line(right, y + 4 - row_height * (len(rows) + 1), right, y + 4)
    return y + row_height


def _variant(layout: str, seed: int) -> random.Random:
    """The choices of wording and placement of one sample (labels, their order, sizes), apart from its values."""
    return random.Random(f"{layout}:{seed}:variant")


def _sender(
    page: _Page,
    truth: dict,
    x: float = 40,
    y: float = 50,
    vat_label: str | None = None,
    address: tuple[str, ...] = ("12 Mill Lane", "Bristol BS1 4DJ"),
    size: float = 16,
) -> None:
    page.text(x, y, truth["vendor"], size=size, bold=True)
    for offset, text in enumerate(address, 1):
        page.text(x, y + 4 + 12 * offset, text)
    if vat_label and truth["vat"]:
        page.text(x, y + 4 + 12 * (len(address) + 1), f"{vat_label} {truth['vat']}")


def _buyer(page: _Page, x: float, y: float, title: str) -> None:
    page.text(x, y, title, bold=True)
    for offset, text in enumerate(BUYER, 1):
        page.text(x, y + 12 * offset, text)


# === LAYOUTS ===#


def _en_ruled(seed: int, total_error: float) -> tuple[bytes, dict]:
    """English, ruled table with a code column, UK dates (day first), "£1,234.56"; the buyer's VAT number in the
    "Bill To" block, sometimes with the same label as the vendor's, which is then in the footer."""
    truth = _invoice_values(
        "en_ruled", seed, "en", (20,), lines=(2, 8), number_format="INV/{year}/{n:05d}", total_error=total_error
    )
    truth["currency"] = "GBP"
    variant = _variant("en_ruled", seed)
    vat_in_footer = variant.random() < 0.5
    page = _Page()
    _sender(
        page,
        truth,
        vat_label=None if vat_in_footer else variant.choice(["VAT No:", "VAT Reg. No:", "VAT number:"]),
        size=variant.choice([14, 16, 18]),
    )
    page.text(555, 50, "INVOICE", size=20, bold=True, align="right")
    header = [
        (variant.choice(["Invoice No:", "Invoice Number:", "Invoice #:"]), truth["invoice_number"]),
        (
            variant.choice(["Invoice Date:", "Date:", "Date of issue:"]),
            _date(truth["invoice_date"], "{d:02d}/{m:02d}/{y}"),
        ),
        (variant.choice(["Due Date:", "Payment Due:"]), _date(truth["due_date"], "{d:02d}/{m:02d}/{y}")),
        (variant.choice(["PO Number:", "Your Order:", "Purchase Order:"]), truth["po_reference"]),
    ]
    variant.shuffle(header)
    inline = variant.random() < 0.5
    for offset, (label, value) in enumerate(header):
        if inline:  # "Invoice No: INV/2025/00042" as one string
            page.text(350, 80 + 14 * offset, f"{label} {value}")
        else:
            page.text(350, 80 + 14 * offset, label, bold=True)
            page.text(440, 80 + 14 * offset, value)
    _buyer(page, 40, 150, "Bill To:")
    page.text(40, 202, ("VAT No: " if vat_in_footer else "Customer VAT No: ") + "BE0477472701")
    columns = [
        (variant.choice(["Code", "Item", "Ref."]), 44, "left"),
        (variant.choice(["Description", "Item description"]), 120, "left"),
        (variant.choice(["Qty", "Quantity"]), 370, "right"),
        (variant.choice(["Unit Price", "Price", "Rate"]), 460, "right"),
        (variant.choice(["Amount", "Line Total", "Total"]), 550, "right"),
    ]
    rows = [
        [
            line["product_code"],
            line["description"],
            _quantity(line["quantity"]),
            _number(line["unit_price"]),
            _number(line["amount"]),
        ]
        for line in truth["lines"]
    ]
    y = _table(page, 240, columns, rows, ruled=True)
    for offset, (label, value) in enumerate(
        [
            (variant.choice(["Subtotal", "Net Total", "Total excl. VAT"]), truth["amount_untaxed"]),
            (variant.choice(["VAT 20%", "VAT @ 20%"]), truth["amount_tax"]),
            (variant.choice(["Total", "Total Due", "Amount Due"]), truth["amount_total"]),
        ]
    ):
        page.text(400, y + 16 + 15 * offset, label, bold=offset == 2)
        page.text(550, y + 16 + 15 * offset, "£" + _number(value), bold=offset == 2, align="right")
    page.text(40, 780, "Payment by bank transfer to GB29 NWBK 6016 1331 9268 19. Thank you for your business.")
    if vat_in_footer:
        page.text(40, 800, f"{truth['vendor']}, registered in England and Wales")
        page.text(400, 800, f"VAT No: {truth['vat']}")
    return page.pdf(), truth


def _fr_plain(seed: int, total_error: float) -> tuple[bytes, dict]:
    """French, no ruling lines, decimal comma and spaces between thousands, "€" after amounts, labels in a column
    left of their values."""
    truth = _invoice_values(
        "fr_plain", seed, "fr", (20,), lines=(2, 8), number_format="F-{year}-{n:04d}", total_error=total_error
    )
    variant = _variant("fr_plain", seed)
    page = _Page()
    _sender(
        page,
        truth,
        address=("8 rue des Artisans", "69003 Lyon"),
        vat_label=variant.choice(["N° TVA intracommunautaire :", "TVA :", "N° TVA :"]),
    )
    page.text(40, 130, "FACTURE", size=18, bold=True)
    header = [
        (variant.choice(["Facture n°", "N° de facture", "Numéro de facture"]), truth["invoice_number"]),
        (
            variant.choice(["Date de facture", "Date", "Date d'émission"]),
            _date(truth["invoice_date"], "{d:02d}/{m:02d}/{y}"),
        ),
        (
            variant.choice(["Date d'échéance", "Échéance", "À payer avant le"]),
            _date(truth["due_date"], "{d:02d}/{m:02d}/{y}"),
        ),
        (variant.choice(["Votre commande", "Bon de commande", "N° de commande"]), truth["po_reference"]),
    ]
    variant.shuffle(header)
    for offset, (label, value) in enumerate(header):
        page.text(40, 160 + 14 * offset, label)
        page.text(150, 160 + 14 * offset, value)
    _buyer(page, 340, 160, "Client")

    def euros(value: float) -> str:
        return _number(value, ",", " ") + " €"

    columns = [
        ("Réf.", 40, "left"),
        ("Désignation", 110, "left"),
        ("Qté", 350, "right"),
        ("Prix unitaire HT", 450, "right"),
        ("Montant HT", 555, "right"),
    ]
    rows = [
        [
            line["product_code"],
            line["description"],
            _quantity(line["quantity"], ","),
            euros(line["unit_price"]),
            euros(line["amount"]),
        ]
        for line in truth["lines"]
    ]
    y = _table(page, 250, columns, rows, row_height=16)
    for offset, (label, value) in enumerate(
        [
            (variant.choice(["Total HT", "Montant HT", "Sous-total"]), truth["amount_untaxed"]),
            (variant.choice(["TVA 20 %", "TVA (20 %)"]), truth["amount_tax"]),
            (variant.choice(["Total TTC", "Net à payer", "Montant TTC"]), truth["amount_total"]),
        ]
    ):
        page.text(380, y + 20 + 15 * offset, label, bold=offset == 2)
        page.text(555, y + 20 + 15 * offset, euros(value), bold=offset == 2, align="right")
    page.text(
        40, 790, "Pénalités de retard : trois fois le taux d'intérêt légal. Escompte pour paiement anticipé : néant."
    )
    return page.pdf(), truth


def _de_multipage(seed: int, total_error: float) -> tuple[bytes, dict]:
    """German, two pages: the table runs over both with its header repeated and carried-forward sums, the totals
    only on the last page; dates "14.03.2025", amounts "1.234,56 €"."""
    truth = _invoice_values(
        "de_multipage", seed, "de", (19,), lines=(34, 44), number_format="RE-{year}-{n:04d}", total_error=total_error
    )
    variant = _variant("de_multipage", seed)
    page = _Page()

    def euros(value: float) -> str:
        return _number(value, ",", ".") + " €"

    columns = [
        ("Art.-Nr.", 40, "left"),
        ("Bezeichnung", 110, "left"),
        ("Menge", 350, "right"),
        ("Einzelpreis", 450, "right"),
        ("Gesamtpreis", 555, "right"),
    ]
    rows = [
        [
            line["product_code"],
            line["description"],
            _quantity(line["quantity"], ","),
            euros(line["unit_price"]),
            euros(line["amount"]),
        ]
        for line in truth["lines"]
    ]
    first, rest = rows[:30], rows[30:]
    _sender(page, truth, address=("Industriestraße 7", "70565 Stuttgart"), vat_label="USt-IdNr.:")
    page.text(40, 130, "Rechnung", size=18, bold=True)
    for offset, (label, value) in enumerate(
        [
            (variant.choice(["Rechnungsnummer:", "Rechnung Nr.:", "Rechnungs-Nr.:"]), truth["invoice_number"]),
            (variant.choice(["Rechnungsdatum:", "Datum:"]), _date(truth["invoice_date"], "{d:02d}.{m:02d}.{y}")),
            (
                variant.choice(["Fällig am:", "Zahlbar bis:", "Fälligkeitsdatum:"]),
                _date(truth["due_date"], "{d:02d}.{m:02d}.{y}"),
            ),
            (variant.choice(["Ihre Bestellung:", "Bestellnummer:", "Ihre Bestellnummer:"]), truth["po_reference"]),
        ]
    ):
        page.text(360, 60 + 14 * offset, label)
        page.text(460, 60 + 14 * offset, value)
    _buyer(page, 40, 160, "Rechnungsempfänger")
    y = _table(page, 230, columns, first, row_height=15)
    carried = _money(sum(line["amount"] for line in truth["lines"][:30]))
    page.text(350, y + 4, "Übertrag", bold=True)
    page.text(555, y + 4, euros(carried), bold=True, align="right")
    page.text(300, 810, "Seite 1 von 2", align="right")
    page.next_page()
    page.text(40, 50, f"{truth['vendor']} · Rechnung {truth['invoice_number']}")
    y = _table(page, 90, columns, [["", "Übertrag", "", "", euros(carried)], *rest], row_height=15)
    for offset, (label, value) in enumerate(
        [
            (variant.choice(["Nettobetrag", "Zwischensumme", "Summe netto"]), truth["amount_untaxed"]),
            (variant.choice(["zzgl. MwSt. 19 %", "MwSt. 19 %", "Umsatzsteuer 19 %"]), truth["amount_tax"]),
            (variant.choice(["Gesamtbetrag", "Rechnungsbetrag", "Endbetrag"]), truth["amount_total"]),
        ]
    ):
        page.text(350, y + 20 + 15 * offset, label, bold=offset == 2)
        page.text(555, y + 20 + 15 * offset, euros(value), bold=offset == 2, align="right")
    page.text(40, 760, "Bankverbindung: DE89 3704 0044 0532 0130 00 · Amtsgericht Stuttgart HRB 12345")
    page.text(300, 810, "Seite 2 von 2", align="right")
    return page.pdf(), truth


def _es_two_rates(seed: int, total_error: float) -> tuple[bytes, dict]:
    """Spanish, two VAT rates (a rate column in the table, a tax line per rate), "1.234,56 €"."""
    truth = _invoice_values(
        "es_two_rates", seed, "es", (21, 10), lines=(3, 9), number_format="FV{year}-{n:04d}", total_error=total_error
    )
    variant = _variant("es_two_rates", seed)
    page = _Page()

    def euros(value: float) -> str:
        return _number(value, ",", ".") + " €"

    _sender(page, truth, address=("Calle Mayor 21", "28013 Madrid"), vat_label=variant.choice(["NIF:", "CIF:"]))
    page.text(555, 50, "FACTURA", size=18, bold=True, align="right")
    for offset, (label, value) in enumerate(
        [
            (variant.choice(["Nº de factura:", "Factura nº:", "Número de factura:"]), truth["invoice_number"]),
            (variant.choice(["Fecha de factura:", "Fecha:"]), _date(truth["invoice_date"], "{d:02d}/{m:02d}/{y}")),
            (
                variant.choice(["Vencimiento:", "Fecha de vencimiento:"]),
                _date(truth["due_date"], "{d:02d}/{m:02d}/{y}"),
            ),
            (variant.choice(["Su pedido:", "Pedido:", "Nº de pedido:"]), truth["po_reference"]),
        ]
    ):
        page.text(360, 80 + 14 * offset, label)
        page.text(460, 80 + 14 * offset, value)
    _buyer(page, 40, 150, "Cliente")
    columns = [
        ("Código", 40, "left"),
        ("Descripción", 110, "left"),
        ("Cantidad", 330, "right"),
        ("Precio", 410, "right"),
        ("IVA", 450, "right"),
        ("Importe", 555, "right"),
    ]
    rows = [
        [
            line["product_code"],
            line["description"],
            _quantity(line["quantity"], ","),
            euros(line["unit_price"]),
            f"{rate}%",
            euros(line["amount"]),
        ]
        for line, rate in zip(truth["lines"], truth["_rates"], strict=True)
    ]
    y = _table(page, 230, columns, rows, ruled=True)
    totals = [(variant.choice(["Base imponible", "Subtotal"]), truth["amount_untaxed"])]
    for rate in (21, 10):
        base = _money(
            sum(
                line["amount"]
                for line, line_rate in zip(truth["lines"], truth["_rates"], strict=True)
                if line_rate == rate
            )
        )
        if base:
            totals.append((f"IVA {rate}% s/ {euros(base)}", _money(base * rate / 100)))
    totals.append((variant.choice(["Total factura", "Total", "Importe total"]), truth["amount_total"]))
    for offset, (label, value) in enumerate(totals):
        page.text(330, y + 20 + 15 * offset, label, bold=offset == len(totals) - 1)
        page.text(555, y + 20 + 15 * offset, euros(value), bold=offset == len(totals) - 1, align="right")
    return page.pdf(), truth


def _nl_above(seed: int, total_error: float) -> tuple[bytes, dict]:
    """Dutch, the header fields in a grid with each label ABOVE its value, dates "14-03-2025", "€ 1.234,56"."""
    truth = _invoice_values(
        "nl_above", seed, "nl", (21,), lines=(2, 8), number_format="{year}{n:05d}", total_error=total_error
    )
    variant = _variant("nl_above", seed)
    page = _Page()

    def euros(value: float) -> str:
        return "€ " + _number(value, ",", ".")

    _sender(page, truth, address=("Havenweg 14", "3011 AB Rotterdam"), size=variant.choice([14, 16]))
    page.text(555, 50, "FACTUUR", size=18, bold=True, align="right")
    _buyer(page, 40, 120, "Factuuradres")
    grid = [
        (variant.choice(["Factuurnummer", "Factuurnr."]), truth["invoice_number"]),
        (variant.choice(["Factuurdatum", "Datum"]), _date(truth["invoice_date"], "{d:02d}-{m:02d}-{y}")),
        (variant.choice(["Vervaldatum", "Uiterste betaaldatum"]), _date(truth["due_date"], "{d:02d}-{m:02d}-{y}")),
        (variant.choice(["Uw ordernummer", "Uw bestelling", "Inkooporder"]), truth["po_reference"]),
        (variant.choice(["Btw-nummer", "Btw-nr."]), truth["vat"]),
    ]
    variant.shuffle(grid)
    for offset, (label, value) in enumerate(grid):
        page.text(40 + 105 * offset, 200, label, bold=True)
        page.text(40 + 105 * offset, 214, value)
    columns = [
        ("Artikelnr.", 40, "left"),
        ("Omschrijving", 115, "left"),
        ("Aantal", 350, "right"),
        ("Prijs", 450, "right"),
        ("Bedrag", 555, "right"),
    ]
    rows = [
        [
            line["product_code"],
            line["description"],
            _quantity(line["quantity"], ","),
            euros(line["unit_price"]),
            euros(line["amount"]),
        ]
        for line in truth["lines"]
    ]
    y = _table(page, 260, columns, rows)
    for offset, (label, value) in enumerate(
        [
            (variant.choice(["Subtotaal", "Totaal excl. btw"]), truth["amount_untaxed"]),
            ("Btw 21%", truth["amount_tax"]),
            (variant.choice(["Totaal te betalen", "Totaal", "Te betalen"]), truth["amount_total"]),
        ]
    ):
        page.text(380, y + 20 + 15 * offset, label, bold=offset == 2)
        page.text(555, y + 20 + 15 * offset, euros(value), bold=offset == 2, align="right")
    page.text(40, 790, "Wij verzoeken u het bedrag binnen de termijn over te maken op NL91 ABNA 0417 1643 00.")
    return page.pdf(), truth


def _en_credit_note(seed: int, total_error: float) -> tuple[bytes, dict]:
    """English credit note: ISO dates, no due date, negative totals with the currency code after them."""
    truth = _invoice_values(
        "en_credit_note", seed, "en", (23,), lines=(1, 4), number_format="CN-{year}-{n:04d}", total_error=total_error
    )
    truth.update(due_date=None, is_credit_note=True)
    page = _Page()
    _sender(page, truth, address=("Unit 4, Docklands Park", "Dublin D01 K2V8"), vat_label="VAT Reg. No.")
    page.text(555, 50, "CREDIT NOTE", size=18, bold=True, align="right")
    for offset, (label, value) in enumerate(
        [
            ("Credit Note No.", truth["invoice_number"]),
            ("Date", truth["invoice_date"]),
            ("Original Invoice", "INV-" + truth["invoice_number"][3:]),
            ("Your Order", truth["po_reference"]),
        ]
    ):
        page.text(350, 80 + 14 * offset, label)
        page.text(450, 80 + 14 * offset, value)
    _buyer(page, 40, 150, "Credit To")
    columns = [
        ("Description", 40, "left"),
        ("Qty", 350, "right"),
        ("Unit Price", 450, "right"),
        ("Amount", 555, "right"),
    ]
    rows = [
        [
            f"[{line['product_code']}] {line['description']}",
            _quantity(line["quantity"]),
            _number(line["unit_price"]),
            _number(line["amount"]),
        ]
        for line in truth["lines"]
    ]
    y = _table(page, 230, columns, rows, description_column=0)
    for offset, (label, value) in enumerate(
        [
            ("Net Amount", truth["amount_untaxed"]),
            ("VAT 23%", truth["amount_tax"]),
            ("Total Credit", truth["amount_total"]),
        ]
    ):
        page.text(380, y + 20 + 15 * offset, label, bold=offset == 2)
        page.text(555, y + 20 + 15 * offset, _number(-value) + " EUR", bold=offset == 2, align="right")
    page.text(40, 790, "This credit note will be offset against your next payment.")
    return page.pdf(), truth


def _us_dollar(seed: int, total_error: float) -> tuple[bytes, dict]:
    """US letter: "$1,234.56", MM/DD/YYYY dates, "Invoice #", a sales tax rate, no VAT number."""
    truth = _invoice_values(
        "us_dollar", seed, "en", (8.25,), lines=(2, 8), number_format="{n}", total_error=total_error
    )
    truth["currency"] = "USD"
    variant = _variant("us_dollar", seed)
    dollar = variant.choice(["$", ""])  # the lines' prices with or without the sign
    page = _Page(LETTER)
    _sender(page, truth, address=("1200 Harbor Drive", "Portland, OR 97209"))
    page.text(570, 50, "INVOICE", size=22, bold=True, align="right")
    for offset, (label, value) in enumerate(
        [
            (variant.choice(["Invoice #", "Invoice No.", "Invoice Number"]), truth["invoice_number"]),
            (variant.choice(["Invoice Date", "Date"]), _date(truth["invoice_date"], "{m:02d}/{d:02d}/{y}")),
            (variant.choice(["Due Date", "Payment Due"]), _date(truth["due_date"], "{m:02d}/{d:02d}/{y}")),
            (variant.choice(["P.O. #", "PO Number", "Purchase Order"]), truth["po_reference"]),
        ]
    ):
        page.text(400, 80 + 14 * offset, label, bold=True)
        page.text(570, 80 + 14 * offset, value, align="right")
    _buyer(page, 40, 150, "Bill To")
    columns = [
        ("Item", 40, "left"),
        ("Description", 115, "left"),
        ("Qty", 360, "right"),
        ("Rate", 460, "right"),
        ("Amount", 570, "right"),
    ]
    rows = [
        [
            line["product_code"],
            line["description"],
            _quantity(line["quantity"]),
            dollar + _number(line["unit_price"]),
            dollar + _number(line["amount"]),
        ]
        for line in truth["lines"]
    ]
    y = _table(page, 230, columns, rows, ruled=True)
    for offset, (label, value) in enumerate(
        [
            ("Subtotal", truth["amount_untaxed"]),
            (variant.choice(["Sales Tax (8.25%)", "Tax"]), truth["amount_tax"]),
            ("Total", truth["amount_total"]),
            *([("Balance Due", truth["amount_total"])] if variant.random() < 0.5 else []),
        ]
    ):
        page.text(400, y + 20 + 15 * offset, label, bold=offset >= 2)
        page.text(570, y + 20 + 15 * offset, "$" + _number(value), bold=offset >= 2, align="right")
    return page.pdf(), truth


def _iso_thousands(seed: int, total_error: float) -> tuple[bytes, dict]:
    """English labels, "EUR 12.345,67" (ISO code before, dot thousands, decimal comma), dates "14 March 2025",
    large amounts."""
    truth = _invoice_values(
        "iso_thousands", seed, "en", (25,), lines=(2, 6), number_format="{year}-{n:04d}", total_error=total_error
    )
    for line in truth["lines"]:
        line["quantity"] = line["quantity"] * 10
        line["amount"] = _money(line["quantity"] * line["unit_price"])
    truth["amount_untaxed"] = _money(sum(line["amount"] for line in truth["lines"]))
    truth["amount_tax"] = _money(truth["amount_untaxed"] * 0.25)
    truth["amount_total"] = _money(truth["amount_untaxed"] + truth["amount_tax"] + total_error)
    variant = _variant("iso_thousands", seed)
    page = _Page()

    def eur(value: float) -> str:
        return "EUR " + _number(value, ",", ".")

    _sender(
        page,
        truth,
        address=("Havnegade 39", "1058 Copenhagen K", "Denmark"),
        vat_label=variant.choice(["VAT number:", "VAT No.", "VAT ID:"]),
    )
    page.text(555, 50, "Invoice", size=18, bold=True, align="right")
    for offset, (label, value) in enumerate(
        [
            (variant.choice(["Invoice number:", "Invoice no.:"]), truth["invoice_number"]),
            (variant.choice(["Invoice date:", "Issue date:"]), _date(truth["invoice_date"], "{d} {month} {y}")),
            (variant.choice(["Payment due:", "Due date:"]), _date(truth["due_date"], "{d} {month} {y}")),
            (variant.choice(["Order reference:", "Your reference:", "PO:"]), truth["po_reference"]),
        ]
    ):
        page.text(330, 80 + 14 * offset, label)
        page.text(430, 80 + 14 * offset, value)
    _buyer(page, 40, 150, "Invoice to")
    columns = [
        ("Item no.", 40, "left"),
        ("Description", 115, "left"),
        ("Quantity", 330, "right"),
        ("Unit price", 440, "right"),
        ("Line total", 555, "right"),
    ]
    rows = [
        [
            line["product_code"],
            line["description"],
            _number(line["quantity"], ",", ".", 0)
            if line["quantity"] == int(line["quantity"])
            else _number(line["quantity"], ",", ".", 1),
            eur(line["unit_price"]),
            eur(line["amount"]),
        ]
        for line in truth["lines"]
    ]
    y = _table(page, 230, columns, rows)
    for offset, (label, value) in enumerate(
        [
            (variant.choice(["Net amount", "Subtotal", "Total excl. VAT"]), truth["amount_untaxed"]),
            ("VAT 25%", truth["amount_tax"]),
            (variant.choice(["Amount due", "Total", "Total incl. VAT"]), truth["amount_total"]),
        ]
    ):
        page.text(380, y + 20 + 15 * offset, label, bold=offset == 2)
        page.text(555, y + 20 + 15 * offset, eur(value), bold=offset == 2, align="right")
    return page.pdf(), truth


_RENDERERS = {
    "en_ruled": _en_ruled,
    "fr_plain": _fr_plain,
    "de_multipage": _de_multipage,
    "es_two_rates": _es_two_rates,
    "nl_above": _nl_above,
    "en_credit_note": _en_credit_note,
    "us_dollar": _us_dollar,
    "iso_thousands": _iso_thousands,
}


def sample(layout: str, seed: int = 0, *, total_error: float = 0.0) -> tuple[bytes, dict]:
    """One labelled invoice.

    :param layout: one of ``LAYOUTS``
    :param seed: varies vendor, numbers, dates, lines and prices; the same seed gives the same file
    :param total_error: printed on top of the right total (the truth is what is printed)
    :return: ``(pdf_bytes, truth)``, truth in the shape of ``InvoiceReading.to_dict()`` without confidence and
        warnings
    """
    pdf, truth = _RENDERERS[layout](seed, total_error)
    truth.pop("_rates")
    return pdf, truth


def broken_sample(kind: str) -> tuple[bytes, dict]:
    """A file the engine must refuse.

    :param kind: one of ``BROKEN``
    :return: ``(data, {"error": code})`` with the error code the engine must raise
    """
    if kind == "encrypted":
        page = _Page(encrypt=pdfencrypt.StandardEncryption("secret", "owner-secret"))
        page.text(40, 50, "Invoice INV-0001 Total 100.00")
        data = page.pdf()
    elif kind == "image_only":
        # A scan: a picture of a page with "text" drawn as dark bars, and no text layer at all.
        image = Image.new("L", (620, 877), 255)
        draw = ImageDraw.Draw(image)
        for row in range(30):
            draw.rectangle((40, 40 + 26 * row, 40 + (row * 37) % 500 + 60, 52 + 26 * row), fill=30)
        png = io.BytesIO()
        image.save(png, format="PNG")
        page = _Page()
        page.canvas.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, page.width, page.height)
        data = page.pdf()
    elif kind == "not_pdf":
        data = b"Invoice INV-0001\nTotal: 100.00 EUR\n"
    elif kind == "truncated":
        data = sample("en_ruled")[0]
        data = data[: len(data) // 3]
    elif kind == "too_many_pages":
        page = _Page()
        for number in range(1, 23):
            page.text(40, 50, f"Invoice INV-0001, page {number} of 22")
            page.next_page()
        data = page.pdf()
    else:
        raise KeyError(kind)
    return data, {"error": BROKEN[kind]}


def compare(reading: dict, truth: dict) -> dict[str, bool]:
    """Which fields a reading got right: text and dates exactly, amounts to the cent, lines all of them.

    :param reading: ``InvoiceReading.to_dict()``
    :param truth: the truth of a sample
    :return: ``{field: right}`` for every key of ``truth``
    """

    def same(first, second) -> bool:
        if isinstance(first, float | int) and isinstance(second, float | int) and not isinstance(first, bool):
            return abs(first - second) < 0.005
        if isinstance(first, dict) and isinstance(second, dict):
            return first.keys() == second.keys() and all(same(first[key], second[key]) for key in first)
        if isinstance(first, list) and isinstance(second, list):
            return len(first) == len(second) and all(same(*pair) for pair in zip(first, second, strict=True))
        return first == second

    return {key: same(reading.get(key), value) for key, value in truth.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write NAME.pdf and NAME.json to")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for layout in LAYOUTS:
        pdf, truth = sample(layout, args.seed)
        (args.out / f"{layout}.pdf").write_bytes(pdf)
        (args.out / f"{layout}.json").write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n")
    for kind in BROKEN:
        data, truth = broken_sample(kind)
        (args.out / f"{kind}.pdf").write_bytes(data)
        (args.out / f"{kind}.json").write_text(json.dumps(truth) + "\n")


if __name__ == "__main__":
    main()
