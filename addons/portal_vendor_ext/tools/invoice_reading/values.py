"""Values as invoices print them: numbers with a decimal comma or point and thousands separators, dates in several
orders and languages, currencies as symbols or ISO codes, VAT numbers, and text normalised for label look-ups."""

import datetime
import re
import unicodedata

# === DATA ===#

MONTHS = {
    1: ("january", "jan", "janvier", "janv", "januar", "jan", "enero", "ene", "januari"),
    2: ("february", "feb", "fevrier", "fevr", "fev", "februar", "febrero", "februari"),
    3: ("march", "mar", "mars", "marz", "marzo", "maart", "mrt"),
    4: ("april", "apr", "avril", "avr", "abril", "abr"),
    5: ("may", "mai", "mayo", "mei"),
    6: ("june", "jun", "juin", "juni", "junio"),
    7: ("july", "jul", "juillet", "juil", "juli", "julio"),
    8: ("august", "aug", "aout", "agosto", "ago", "augustus"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre"),
    10: ("october", "oct", "octobre", "oktober", "okt", "octubre"),
    11: ("november", "nov", "novembre", "noviembre"),
    12: ("december", "dec", "decembre", "dezember", "dez", "diciembre", "dic"),
}
MONTH_NUMBERS = {name: number for number, names in MONTHS.items() for name in names}

CURRENCY_SYMBOLS = {"€": "EUR", "£": "GBP", "$": "USD", "US$": "USD", "¥": "JPY", "Fr.": "CHF"}
CURRENCY_CODES = frozenset(
    ("EUR", "USD", "GBP", "CHF", "DKK", "SEK", "NOK", "PLN", "CZK", "HUF", "RON", "BGN", "JPY", "CAD", "AUD", "NZD")
)

# A number is not glued to letters before it: "FR40303265045" and "HARD-0202" are references.
_NUMBER_RUN = re.compile(r"(?<![A-Za-z0-9\-])(?:\(?-?\d[\d.,'\u00a0\u202f ]*\d\)?%?|\(?-?\d\)?%?)")
_GROUPED = {
    ",": re.compile(r"^\d{1,3}([.'\u00a0\u202f ]\d{3})*(,\d+)?$|^\d+(,\d+)?$"),
    ".": re.compile(r"^\d{1,3}([,'\u00a0\u202f ]\d{3})*(\.\d+)?$|^\d+(\.\d+)?$"),
}
_TWO_DECIMALS = re.compile(r"\d([.,])\d{2}(?![\d.,])")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})\.?\s+(?:de\s+)?([a-z]{3,10})\.?,?\s+(?:de\s+)?(\d{4})(?!\d)")
_MONTH_DAY_YEAR = re.compile(r"\b([a-z]{3,10})\.?\s+(\d{1,2}),?\s+(\d{4})(?!\d)")
_VAT = re.compile(r"^[A-Z]{2}[0-9A-Z+*]{8,12}$")


# === TEXT ===#


def normalize(text: str) -> str:
    """Text for label look-ups: lower case, no accents, punctuation as spaces, single spaces.

    :param text: text as printed
    :return: e.g. ``"n tva intracommunautaire"`` for ``"N° TVA intracommunautaire :"``
    """
    text = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text).split())


# === NUMBERS ===#


def decimal_separator(texts: list[str]) -> str:
    """The decimal separator of a document: the one that most often has exactly two digits after it.

    :param texts: the document's text, e.g. one string per cell
    :return: ``","`` or ``"."`` (``"."`` when nothing tells)
    """
    votes = {",": 0, ".": 0}
    for text in texts:
        for match in _TWO_DECIMALS.finditer(text):
            votes[match.group(1)] += 1
    return "," if votes[","] > votes["."] else "."


def _parse_run(run: str, decimal: str) -> float | None:
    negative = run.startswith("-") or (run.startswith("(") and run.endswith(")"))
    digits = run.strip("()-")
    if not _GROUPED[decimal].match(digits):
        return None
    thousands = "." if decimal == "," else ","
    digits = re.sub(r"['\u00a0\u202f ]", "", digits).replace(thousands, "").replace(decimal, ".")
    value = float(digits)
    return -value if negative else value


def numbers(text: str, decimal: str) -> list[float]:
    """The numbers in ``text``, left to right; percentages are left out.

    A run of digits and separators that is not one well-formed number ("12 20" is two) is read part by part.

    :param text: e.g. ``"1 234,56 €"``, ``"$1,234.56"``, ``"-12.00"``, ``"(12.00)"``
    :param decimal: the document's decimal separator
    :return: e.g. ``[1234.56]``
    """
    found = []
    for match in _NUMBER_RUN.finditer(text.replace("\u2212", "-")):
        run = match.group(0).rstrip(" ")
        if run.endswith("%"):
            continue
        if text[match.end() : match.end() + 2].strip().startswith("%"):
            continue
        value = _parse_run(run, decimal)
        if value is None:
            found.extend(value for part in run.split() if (value := _parse_run(part, decimal)) is not None)
        else:
            found.append(value)
    return found


def amount(text: str, decimal: str) -> float | None:
    """The last number of ``text`` (a value printed after its label or in an amount column), or None."""
    found = numbers(text, decimal)
    return found[-1] if found else None


# === DATES ===#


def date_order(texts: list[str], currency: str | None) -> str:
    """Whether the document's numeric dates put the day or the month first.

    :param texts: the document's text
    :param currency: the document's currency: US dollars make month-first the default
    :return: ``"dmy"`` or ``"mdy"``
    """
    for text in texts:
        for match in _NUMERIC_DATE.finditer(text):
            first, second = int(match.group(1)), int(match.group(3))
            if first > 12 >= second:
                return "dmy"
            if second > 12 >= first:
                return "mdy"
    return "mdy" if currency == "USD" else "dmy"


def parse_date(text: str, order: str = "dmy") -> str | None:
    """The first date written in ``text``.

    :param text: e.g. ``"14/03/2025"``, ``"14.03.2025"``, ``"2025-03-14"``, ``"14 mars 2025"``, ``"March 14, 2025"``,
        ``"14 de marzo de 2025"``
    :param order: ``"dmy"`` or ``"mdy"``, for numeric dates with the year last
    :return: ISO 8601 ``"YYYY-MM-DD"``, or None
    """
    candidates = []
    if match := _ISO_DATE.search(text):
        candidates.append((match.start(), int(match.group(1)), int(match.group(2)), int(match.group(3))))
    if match := _NUMERIC_DATE.search(text):
        first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        day, month = (second, first) if order == "mdy" else (first, second)
        candidates.append((match.start(), year + 2000 if year < 100 else year, month, day))
    words = normalize(text)
    if (match := _DAY_MONTH_YEAR.search(words)) and match.group(2) in MONTH_NUMBERS:
        candidates.append((-1, int(match.group(3)), MONTH_NUMBERS[match.group(2)], int(match.group(1))))
    if (match := _MONTH_DAY_YEAR.search(words)) and match.group(1) in MONTH_NUMBERS:
        candidates.append((-1, int(match.group(3)), MONTH_NUMBERS[match.group(1)], int(match.group(2))))
    for _position, year, month, day in sorted(candidates):
        try:
            return datetime.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


# === CURRENCIES, IDENTIFIERS ===#


def currencies(text: str) -> list[str]:
    """The currencies named in ``text``, by ISO code or symbol.

    :return: ISO 4217 codes, e.g. ``["EUR"]`` for ``"1 234,56 €"``
    """
    found = [code for code in re.findall(r"\b[A-Z]{3}\b", text) if code in CURRENCY_CODES]
    stripped = text.replace("US$", "")
    found += ["USD"] * text.count("US$")
    found += [
        code for symbol, code in CURRENCY_SYMBOLS.items() if symbol != "US$" for _ in range(stripped.count(symbol))
    ]
    return found


def vat_number(text: str) -> str | None:
    """A European VAT number written in ``text`` (spaces, dots and dashes removed).

    :return: e.g. ``"NL853746333B01"``, or None when ``text`` does not start with one
    """
    token = re.sub(r"[\s.\-]", "", text.upper())
    return token if _VAT.match(token) and sum(char.isdigit() for char in token) >= 6 else None


def reference(text: str) -> str | None:
    """A document reference (invoice or order number): the first word of ``text`` if it holds a digit.

    :return: e.g. ``"INV/2025/00042"``, or None
    """
    words = text.strip().lstrip(":#").split()
    if not words:
        return None
    token = words[0].strip(":;,")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9/_.\-]{0,39}", token) or not re.search(r"\d", token):
        return None
    return token
