"""Deterministic reading of an invoice PDF's text layer with pdfplumber.

The words of each page, with their positions and font sizes, are grouped into rows (same baseline) and cells (words
closer than about a character apart). Then:

- header fields: a cell that starts with a label of ``labels.FIELD_LABELS`` takes its value from the rest of the
  cell, else from the next cell of its row, else from the cell below it (labels above values); the value must be
  of the field's kind (a date, a VAT number, a reference), else the next candidate is tried;
- totals: the last number right of a totals label, or below it; tax amounts of several rates are added up;
- lines: a row with at least three column titles (description and amount among them) opens the line table, its
  titles give the columns; each following row's cells go to the nearest column; rows repeating a running sum are
  skipped; a totals label closes the table; a table left open at the bottom of a page goes on at the next page;
- cross-checks: lines against the untaxed amount, untaxed plus tax against the total, quantity times unit price
  against each line's amount; the confidence of what does not add up is lowered and a warning says why.

The document's decimal separator and date order are decided once from all its text.
"""

import io
import logging
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from . import labels, values
from .errors import ENCRYPTED, IMAGE_ONLY, MALFORMED, NOT_PDF, TOO_LARGE, TOO_MANY_PAGES, InvoiceReadError
from .reading import FIELDS, InvoiceLine, InvoiceReading

_logger = logging.getLogger(__name__)

MAX_BYTES = 15 * 1024 * 1024  # bytes: a larger file is refused
MAX_PAGES = 20  # pages: more are refused

ROW_TOLERANCE = 0.35  # of the font size: words whose baselines differ by less are on one row
CELL_GAP = 0.9  # of the font size: words further apart than this start a new cell
BELOW_ROWS = 2.6  # of the font size: how far below its label a value may be
BUYER_BLOCK_WIDTH = 200  # points: how far right of its title the buyer's address block may reach

# Confidences: a value found after its label and of the right kind; found by a weaker clue; cross-checked.
LABELLED = 0.95
GUESSED = 0.7
CHECKED = 0.99
MISMATCH = 0.4
TOLERANCE = 0.011  # currency units: printed amounts are rounded to cents


@dataclass
class _Cell:
    text: str
    words: list[str]
    spans: list[tuple[float, float]]  # (x0, x1) of each word
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class _Row:
    page: int
    top: float
    size: float
    cells: list[_Cell] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(cell.text for cell in self.cells)


@dataclass
class _Document:
    rows: list[_Row]
    decimal: str = "."
    date_order: str = "dmy"
    header_rows: set[int] = field(default_factory=set)  # ids of the line tables' title rows
    buyer_cells: set[int] = field(default_factory=set)  # ids of the cells of the buyer's address block


# === ENTRY POINT ===#


def read_invoice_pdf(data: bytes, *, max_pages: int = MAX_PAGES, max_bytes: int = MAX_BYTES) -> InvoiceReading:
    """Read an invoice PDF's fields and lines from its text layer.

    :param data: the file's content
    :param max_pages: more pages are refused (``TOO_MANY_PAGES``)
    :param max_bytes: a larger file is refused (``TOO_LARGE``)
    :return: the reading; fields not found are None with confidence 0
    :raise InvoiceReadError: for a file that is not a PDF, encrypted, without text (a scan), too large, with too
        many pages or malformed
    """
    if len(data) > max_bytes:
        raise InvoiceReadError(TOO_LARGE, f"file of {len(data)} bytes, more than {max_bytes}")
    if b"%PDF-" not in data[:1024]:
        raise InvoiceReadError(NOT_PDF, "no PDF header in the first 1024 bytes")
    rows = _rows(data, max_pages)
    document = _Document(rows)
    texts = [cell.text for row in rows for cell in row.cells]
    document.decimal = values.decimal_separator(texts)
    currency, currency_confidence = _currency(document)
    document.date_order = values.date_order(texts, currency)
    lines, document.header_rows = _lines(document)
    document.buyer_cells = _buyer_cells(document)
    reading = InvoiceReading(
        vendor=None,
        vat=None,
        invoice_number=None,
        invoice_date=None,
        due_date=None,
        currency=currency,
        po_reference=None,
        amount_untaxed=None,
        amount_tax=None,
        amount_total=None,
        lines=lines,
    )
    confidence = dict.fromkeys(FIELDS, 0.0)
    confidence["currency"] = currency_confidence
    for name, (value, field_confidence) in _header_fields(document).items():
        setattr(reading, name, value)
        confidence[name] = field_confidence
    reading.vendor, confidence["vendor"] = _vendor(document)
    reading.is_credit_note = any(
        labels.starts_with_any(row.text, labels.CREDIT_NOTE_INDEX) for row in rows if row.page == 0
    )
    reading.confidence = confidence
    _totals(document, reading)
    _cross_check(reading)
    return reading


# === LAYOUT ===#


def _rows(data: bytes, max_pages: int) -> list[_Row]:
    """The rows of cells of every page, top to bottom."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > max_pages:
                raise InvoiceReadError(TOO_MANY_PAGES, f"{len(pdf.pages)} pages, more than {max_pages}")
            if not pdf.pages:
                raise InvoiceReadError(MALFORMED, "no pages")
            rows = []
            for number, page in enumerate(pdf.pages):
                # Characters closer than 1.5 pt make a word: column titles printed almost touching
                # ("QuantityUnit Price") stay apart.
                words = page.extract_words(extra_attrs=["size"], use_text_flow=False, x_tolerance=1.5)
                rows += _page_rows(words, number)
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise InvoiceReadError(ENCRYPTED, f"encrypted PDF: {cause!r}") from error
        raise InvoiceReadError(MALFORMED, f"unreadable PDF: {cause!r}") from error
    except (InvoiceReadError, MemoryError):
        raise
    except Exception as error:
        # pdfminer raises anything on a broken file (KeyError, TypeError, AssertionError...): none may escape.
        _logger.info("unreadable PDF", exc_info=True)
        raise InvoiceReadError(MALFORMED, f"unreadable PDF: {error!r}") from error
    if not rows:
        raise InvoiceReadError(IMAGE_ONLY, "no text layer: a scanned or image-only PDF")
    return rows


def _page_rows(words: list[dict], page: int) -> list[_Row]:
    """Words of one page (pdfplumber's dicts) grouped into rows by baseline, and into cells along each row."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda word: (word["bottom"], word["x0"])):
        if lines and abs(word["bottom"] - lines[-1][0]["bottom"]) <= ROW_TOLERANCE * word["size"]:
            lines[-1].append(word)
        else:
            lines.append([word])
    rows = []
    for line in lines:
        cells: list[_Cell] = []
        for word in sorted(line, key=lambda word: word["x0"]):
            size = word["size"]
            if cells and word["x0"] - cells[-1].x1 <= CELL_GAP * max(size, cells[-1].size):
                cell = cells[-1]
                cell.words.append(word["text"])
                cell.spans.append((word["x0"], word["x1"]))
                cell.text = f"{cell.text} {word['text']}"
                cell.x1, cell.size = word["x1"], max(cell.size, size)
                cell.top, cell.bottom = min(cell.top, word["top"]), max(cell.bottom, word["bottom"])
            else:
                cells.append(
                    _Cell(
                        word["text"],
                        [word["text"]],
                        [(word["x0"], word["x1"])],
                        word["x0"],
                        word["x1"],
                        word["top"],
                        word["bottom"],
                        size,
                        page,
                    )
                )
        rows.append(_Row(page, line[0]["bottom"], max(cell.size for cell in cells), cells))
    return rows


# === HEADER FIELDS ===#


def _buyer_cells(document: _Document) -> set[int]:
    """The cells of the buyer's address block: its title ("Bill To", "Client"...) and the rows right under it, in its
    column, up to the first gap of more than a row."""
    found = set()
    for row_index, row in enumerate(document.rows):
        for cell in row.cells:
            if labels.normalize(cell.text) not in labels.BUYER_INDEX:
                continue
            found.add(id(cell))
            above = cell
            for below_row in document.rows[row_index + 1 : row_index + 8]:
                block = [
                    other
                    for other in below_row.cells
                    if other.x0 >= cell.x0 - 2 and other.x0 <= cell.x0 + BUYER_BLOCK_WIDTH and other.x1 > cell.x0
                ]
                if below_row.page != cell.page or not block or below_row.top - above.bottom > BELOW_ROWS * cell.size:
                    break
                found.update(id(other) for other in block)
                above = block[0]
    return found


def _parse_field(name: str, text: str, document: _Document):
    """The value of field ``name`` in ``text``, or None when ``text`` holds none of its kind."""
    if name in ("invoice_date", "due_date"):
        return values.parse_date(text, document.date_order)
    if name == "vat":
        return values.vat_number(text.split()[0]) if text.split() else None
    if name == "currency":
        found = values.currencies(text.upper())
        return found[0] if found else None
    if name in ("invoice_number", "po_reference"):
        if values.parse_date(text, document.date_order):
            return None
        return values.reference(text)
    return None


def _is_label(cell: _Cell) -> bool:
    return bool(labels.match_label(cell.words)[1]) or labels.normalize(cell.text) in labels.COLUMN_INDEX


def _candidates(document: _Document, row_index: int, cell_index: int, count: int) -> list[str]:
    """Texts that may hold the value of the label of ``count`` words starting the cell: the rest of the cell, the
    next cell of its row unless it is a label, the cell below it unless the label is the document's title."""
    row = document.rows[row_index]
    cell = row.cells[cell_index]
    found = []
    rest = " ".join(cell.words[count:]).lstrip(":").strip()
    if rest:
        found.append(rest)
    if cell_index + 1 < len(row.cells) and not _is_label(row.cells[cell_index + 1]):
        found.append(row.cells[cell_index + 1].text)
    if not rest and labels.normalize(cell.text) not in labels.TITLE_INDEX:
        found.extend(below.text for below in _cells_below(document, row_index, cell))
    return found


def _cells_below(document: _Document, row_index: int, cell: _Cell) -> list[_Cell]:
    """Cells under ``cell`` (overlapping it horizontally) on the next rows of its page, nearest first."""
    found = []
    for row in document.rows[row_index + 1 : row_index + 3]:
        if row.page != cell.page or row.top - cell.bottom > BELOW_ROWS * cell.size:
            break
        found += [other for other in row.cells if other.x0 < cell.x1 and other.x1 > cell.x0]
    return found


def _header_fields(document: _Document) -> dict[str, tuple]:
    """The first value of each header field found after (or under) one of its labels, in reading order."""
    header_names = ("vat", "invoice_number", "invoice_date", "due_date", "currency", "po_reference")
    found: dict[str, tuple] = {}
    for row_index, row in enumerate(document.rows):
        if id(row) in document.header_rows:
            continue
        for cell_index, cell in enumerate(row.cells):
            names, count = labels.match_label(cell.words)
            names = [name for name in header_names if name in names and name not in found]
            if id(cell) in document.buyer_cells and "vat" in names:
                names.remove("vat")
            if not names:
                continue
            parsed = (
                (name, _parse_field(name, text, document))
                for text in _candidates(document, row_index, cell_index, count)
                for name in names
            )
            name, value = next(((name, value) for name, value in parsed if value), (None, None))
            if name:
                found[name] = (value, LABELLED)
    if "po_reference" not in found:
        # Odoo's purchase order names (P00042) written anywhere, e.g. in a free-text reference.
        for row in document.rows:
            reference = next(
                (
                    word
                    for cell in row.cells
                    for word in cell.words
                    if len(word) == 6 and word[0] == "P" and word[1:].isdigit()
                ),
                None,
            )
            if reference:
                found["po_reference"] = (reference, GUESSED)
                break
    return found


def _currency(document: _Document) -> tuple[str | None, float]:
    """The invoice's currency: after a currency label, else the code or symbol most amounts carry."""
    counts: dict[str, int] = {}
    for row_index, row in enumerate(document.rows):
        for cell_index, cell in enumerate(row.cells):
            names, count = labels.match_label(cell.words)
            if "currency" in names:
                for text in _candidates(document, row_index, cell_index, count):
                    if found := values.currencies(text.upper()):
                        return found[0], LABELLED
            for code in values.currencies(cell.text):
                counts[code] = counts.get(code, 0) + 1
    if not counts:
        return None, 0.0
    code = max(counts, key=counts.get)
    # "$" alone is also the Canadian, Australian... dollar.
    return code, 0.9 if code == "USD" and "USD" not in " ".join(row.text for row in document.rows) else LABELLED


def _vendor(document: _Document) -> tuple[str | None, float]:
    """The vendor's name: the largest text of the top of the first page that is neither a title nor a label."""
    first_page = [row for row in document.rows if row.page == 0]
    if not first_page:
        return None, 0.0
    limit = first_page[0].top + 250
    candidates = [
        cell
        for row in first_page
        if row.top <= limit
        for cell in row.cells
        if not labels.starts_with_any(cell.text, labels.TITLE_INDEX)
        and not _is_label(cell)
        and id(cell) not in document.buyer_cells
        and sum(char.isalpha() for char in cell.text) >= 3
    ]
    if not candidates:
        return None, 0.0
    largest = max(cell.size for cell in candidates)
    cell = min((cell for cell in candidates if cell.size >= largest - 0.5), key=lambda cell: (cell.top, cell.x0))
    words = labels.normalize(cell.text).split()
    has_form = bool({words[-1], " ".join(words[-2:])} & labels.LEGAL_FORM_INDEX) if words else False
    return cell.text, (0.9 if has_form and largest > min(row.size for row in first_page) else GUESSED)


# === TOTALS ===#


def _totals(document: _Document, reading: InvoiceReading) -> None:
    """The untaxed, tax and total amounts: the number right of (or under) each totals label outside the line table;
    several tax rows are added up; of several totals, the one that equals untaxed plus tax, else the last."""
    found: dict[str, list[float]] = {"amount_untaxed": [], "amount_tax": [], "amount_total": []}
    for row_index, row in enumerate(document.rows):
        if id(row) in document.header_rows:
            continue
        for cell_index, cell in enumerate(row.cells):
            names, count = labels.match_label(cell.words)
            names = [name for name in found if name in names]
            if not names:
                continue
            right = " ".join([" ".join(cell.words[count:]), *(other.text for other in row.cells[cell_index + 1 :])])
            value = values.amount(right, document.decimal)
            if value is None and not right.strip():
                below = _cells_below(document, row_index, cell)
                value = values.amount(below[0].text, document.decimal) if below else None
            if value is not None:
                found[names[0] if len(names) == 1 else _tax_or_not(names, right)].append(value)
            break
    untaxed, tax, totals = found["amount_untaxed"], found["amount_tax"], found["amount_total"]
    reading.amount_untaxed = untaxed[0] if untaxed else None
    reading.amount_tax = round(sum(dict.fromkeys(tax)), 2) if tax else None
    if totals:
        consistent = [
            value
            for value in totals
            if reading.amount_untaxed is not None
            and reading.amount_tax is not None
            and abs(abs(reading.amount_untaxed) + abs(reading.amount_tax) - abs(value)) <= TOLERANCE
        ]
        reading.amount_total = consistent[0] if consistent else totals[-1]
    for name in found:
        if getattr(reading, name) is not None:
            reading.confidence[name] = LABELLED
    if any((getattr(reading, name) or 0) < 0 for name in found):
        reading.is_credit_note = True
    if reading.is_credit_note:
        for name in found:
            if getattr(reading, name) is not None:
                setattr(reading, name, abs(getattr(reading, name)))


def _tax_or_not(names: list[str], right: str) -> str:
    """The total a label of several totals names: a rate printed after it makes it the tax."""
    return "amount_tax" if "amount_tax" in names and "%" in right else names[0]


# === LINES ===#


def _columns(row: _Row) -> list[tuple[str, float, float]] | None:
    """The columns ``(kind, x0, x1)`` of a line table's title row, or None if ``row`` is not one."""
    columns = []
    for cell in row.cells:
        cell_columns = _column_titles(cell)
        if cell_columns is None:
            return None
        columns += cell_columns
    kinds = [kind for kind, _x0, _x1 in columns]
    if len(columns) < 3 or "description" not in kinds or "amount" not in kinds:
        return None
    # A second "amount" title (a price column titled "Total HT" after "Montant"...) is the rightmost amount only.
    if kinds.count("amount") > 1:
        last = max(index for index, kind in enumerate(kinds) if kind == "amount")
        columns = [
            (("other" if kind == "amount" and index != last else kind), x0, x1)
            for index, (kind, x0, x1) in enumerate(columns)
        ]
    return columns


def _column_titles(cell: _Cell) -> list[tuple[str, float, float]] | None:
    """The column titles in one cell, longest first from the left: titles printed close together ("Quantity Unit
    Price Taxes") make one cell.

    :return: ``[(kind, x0, x1)]``, or None if the cell holds anything else
    """
    found = []
    start = 0
    while start < len(cell.words):
        for end in range(len(cell.words), start, -1):
            kind = labels.COLUMN_INDEX.get(labels.normalize(" ".join(cell.words[start:end])))
            if kind:
                found.append((kind, cell.spans[start][0], cell.spans[end - 1][1]))
                start = end
                break
        else:
            return None
    return found


def _column_of(cell: _Cell, columns: list[tuple[str, float, float]], numeric: bool) -> str:
    """The column a cell falls in: numbers by their middle (they are aligned on their title), text by its start."""
    point = cell.center if numeric else cell.x0 + 1
    for kind, x0, x1 in columns:
        if x0 - 2 <= point <= x1 + 2:
            return kind
    if numeric:
        return min(columns, key=lambda column: min(abs(point - column[1]), abs(point - column[2])))[0]
    # Text starts under its column title or right of it, before the next one.
    before = [column for column in columns if column[1] - 2 <= point]
    return before[-1][0] if before else columns[0][0]


def _lines(document: _Document) -> tuple[list[InvoiceLine], set[int]]:
    """The invoice lines of the line table(s), and the ids of their title rows.

    A line's cells may sit on two baselines (HTML tables centre the numbers against a description of two rows): a
    row of numbers without description and a row of description only, less than a font size apart, make one line.
    Description-only rows right after a line continue its description.
    """
    table = _Table(document)
    for row in document.rows:
        header = _columns(row)
        if header:
            table.close()
            table.columns = header
            table.header_rows.add(id(row))
        elif table.columns is not None:
            table.add(row)
    table.close()
    return table.lines, table.header_rows


class _Table:
    """The state of the line table being read: its columns, and rows waiting for the row that completes them."""

    def __init__(self, document: _Document) -> None:
        self.document = document
        self.columns: list[tuple[str, float, float]] | None = None
        self.header_rows: set[int] = set()
        self.lines: list[InvoiceLine] = []
        self.last: _Row | None = None  # the lowest row of the last line
        self.texts: list[_Row] = []  # description-only rows since the last line
        self.numbers: _Row | None = None  # a row of numbers without description, since the last line

    def add(self, row: _Row) -> None:
        names, _count = labels.match_label(row.cells[0].words)
        if names & {"amount_untaxed", "amount_tax", "amount_total"} and _line(row, self.columns, self.document) is None:
            self.close()
            self.columns = None
            return
        if any(labels.starts_with_any(cell.text, labels.CARRY_INDEX) for cell in row.cells):
            return
        cells = _cells_by_column(row, self.columns, self.document)
        if _line(row, self.columns, self.document):
            self._continue_last(self.texts)
            self._add_line(row)
        elif set(cells) == {"description"}:
            if self.numbers and row.top - self.numbers.top <= row.size:
                self._add_line(_Row(row.page, row.top, row.size, row.cells + self.numbers.cells))
            else:
                self.texts.append(row)
        elif "description" not in cells and values.amount(cells.get("amount", ""), self.document.decimal) is not None:
            if self.texts and row.top - self.texts[-1].top <= row.size:
                *earlier, first = self.texts
                self._continue_last(earlier)
                self._add_line(_Row(row.page, row.top, row.size, first.cells + row.cells))
            else:
                self.numbers = row

    def close(self) -> None:
        """End the table: waiting description rows continue the last line, a waiting row of numbers is dropped."""
        self._continue_last(self.texts)
        self.texts, self.numbers, self.last = [], None, None

    def _add_line(self, row: _Row) -> None:
        line = _line(row, self.columns, self.document)
        if line is None:
            return
        self.lines.append(line)
        self.last, self.texts, self.numbers = row, [], None

    def _continue_last(self, rows: list[_Row]) -> None:
        """Append description-only rows to the last line's description while each follows the one before."""
        for row in rows:
            if not self.lines or self.last is None or row.page != self.last.page:
                break
            if row.top - self.last.top > 2.3 * row.size:
                break
            self.lines[-1].description = f"{self.lines[-1].description} {row.text}"
            self.last = row


def _cells_by_column(row: _Row, columns, document: _Document) -> dict[str, str]:
    by_column: dict[str, list[str]] = {}
    for cell in row.cells:
        numeric = bool(values.numbers(cell.text, document.decimal)) and not any(
            char.isalpha() for char in cell.text.replace("EUR", "").replace("USD", "").replace("GBP", "")
        )
        by_column.setdefault(_column_of(cell, columns, numeric), []).append(cell.text)
    return {kind: " ".join(texts) for kind, texts in by_column.items()}


def _line(row: _Row, columns, document: _Document) -> InvoiceLine | None:
    """The invoice line of a table row, or None if the row is not one (no description or no amount)."""
    cells = _cells_by_column(row, columns, document)
    description = cells.get("description", "").strip()
    amount = values.amount(cells.get("amount", ""), document.decimal)
    if not description or amount is None or not any(char.isalpha() for char in description):
        return None
    kinds = {kind for kind, _x0, _x1 in columns}
    quantity = values.amount(cells.get("quantity", ""), document.decimal)
    if "quantity" in kinds and quantity is None:
        return None
    unit_price = values.amount(cells.get("unit_price", ""), document.decimal)
    code = cells.get("product_code", "").strip() or None
    if description.startswith("[") and "]" in description:
        code, description = description[1:].split("]", 1)
        code, description = code.strip(), description.strip()
    return InvoiceLine(
        description=description, quantity=quantity, unit_price=unit_price, amount=amount, product_code=code
    )


# === CROSS-CHECKS ===#


def _close(first: float, second: float, tolerance: float = TOLERANCE) -> bool:
    return abs(first - second) <= tolerance


def _cross_check(reading: InvoiceReading) -> None:
    """Lines against the untaxed amount, untaxed plus tax against the total, quantity times price against each
    line, the due date against the invoice date: what adds up gets ``CHECKED`` confidence, what does not
    ``MISMATCH`` and a warning."""
    if reading.is_credit_note:
        for line in reading.lines:
            for name in ("quantity", "unit_price", "amount"):
                if getattr(line, name) is not None:
                    setattr(line, name, abs(getattr(line, name)))
    _check_totals(reading)
    _check_lines(reading)
    if reading.invoice_date and reading.due_date and reading.due_date < reading.invoice_date:
        reading.warnings.append("due_before_invoice_date")
        reading.confidence["invoice_date"] = reading.confidence["due_date"] = MISMATCH


def _check_totals(reading: InvoiceReading) -> None:
    confidence = reading.confidence
    untaxed, tax, total = reading.amount_untaxed, reading.amount_tax, reading.amount_total
    if untaxed is not None and tax is None and total is not None and _close(untaxed, total):
        reading.amount_tax, tax = 0.0, 0.0  # no tax printed: a total equal to the untaxed amount says it is nil
        confidence["amount_tax"] = LABELLED
    names = ("amount_untaxed", "amount_tax", "amount_total")
    if None not in (untaxed, tax, total):
        right = _close(untaxed + tax, total)
        if not right:
            reading.warnings.append("totals_mismatch")
        for name in names:
            confidence[name] = CHECKED if right else MISMATCH
    elif untaxed is not None or total is not None:
        reading.warnings.append("totals_incomplete")


def _check_lines(reading: InvoiceReading) -> None:
    confidence, warnings = reading.confidence, reading.warnings
    if not reading.lines:
        warnings.append("no_lines")
        return
    line_amounts_right = all(
        line.quantity is None
        or line.unit_price is None
        or line.amount is None
        or _close(line.quantity * line.unit_price, line.amount, TOLERANCE + abs(line.quantity) * 0.005)
        for line in reading.lines
    )
    if not line_amounts_right:
        warnings.append("line_amount_mismatch")
    untaxed = reading.amount_untaxed
    if untaxed is None:
        confidence["lines"] = GUESSED if line_amounts_right else MISMATCH
    elif _close(round(sum(line.amount or 0.0 for line in reading.lines), 2), untaxed):
        confidence["lines"] = CHECKED if line_amounts_right else MISMATCH
    else:
        warnings.append("lines_mismatch")
        confidence["lines"] = MISMATCH
        if confidence["amount_untaxed"] == CHECKED:
            confidence["amount_untaxed"] = LABELLED
