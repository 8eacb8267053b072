"""Matching of a vendor invoice's lines to purchase order lines, and the three-way check (plain Python, no ORM).

``match_lines()`` pairs each invoice line with at most one PO line, each PO line used at most once:

1. product codes first: the invoice line's code, or a PO line's code written inside the invoice line's description,
   equal (case and surrounding spaces ignored) to the PO line's code or to a code in brackets in its description
   (Odoo writes PO line descriptions as ``[CODE] Name``, with the vendor's own code when the vendor has one);
   score 1.0;
2. otherwise rapidfuzz on the descriptions (case, punctuation and word order ignored), lowered when the two
   descriptions carry different numbers ("Screw 4x40" is not "Screw 4x50"); below ``MIN_SCORE`` no match.

The pairs are chosen together (an optimal assignment maximising the total score), so a line that matches two PO
lines takes the one no other line needs more. Among equal scores the PO line whose price and open quantity fit the
invoice line wins.

``three_way_check()`` compares each matched line with its PO line (ordered, received and already billed quantity,
PO price) within ``Tolerances``, and checks that the invoice adds up (lines, untaxed, tax, total). Each problem is
one ``Difference``; an empty list means the invoice can be billed as it is.

Credit notes (flagged, or read with a negative total, or with only negative lines) are returns: each credited
quantity is a negative invoiced quantity, and it must be covered by what was billed but is no longer received
(goods returned after billing, ``received - billed`` below zero); crediting more is a ``QTY_OVER_RECEIVED``
difference with a negative ``invoiced``. Prices and totals of a credit note are compared without their signs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, utils
from scipy.optimize import linear_sum_assignment

# === DIFFERENCE KINDS ===#

UNMATCHED_LINE = "unmatched_line"  # an invoice line with no PO line
QTY_OVER_RECEIVED = "qty_over_received"  # invoiced more than received and not yet billed
QTY_OVER_ORDERED = "qty_over_ordered"  # invoiced more than ordered and not yet billed
PRICE = "price"  # unit price differs from the PO price
TOTALS = "totals"  # a line, the untaxed amount or the total does not add up
NO_PO = "no_po"  # no purchase order to match the invoice with

DIFFERENCE_KINDS = (UNMATCHED_LINE, QTY_OVER_RECEIVED, QTY_OVER_ORDERED, PRICE, TOTALS, NO_PO)

# === TUNABLES ===#

MIN_SCORE = 0.6  # a description scoring less (0..1) matches no PO line
NUMBER_MISMATCH_FACTOR = 0.75  # description score kept when the two descriptions carry different numbers
MIN_CODE_LENGTH = 3  # shorter codes are too common to be looked for inside a description
EPSILON = 1e-6  # float noise allowed on quantities and prices

_BRACKET_CODE = re.compile(r"\[([^\[\]]+)\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_PO_NAME_NUMBER = re.compile(r"\d+")


@dataclass
class PoLine:
    """A purchase order line as the matching sees it.

    ``received_qty`` is what may be billed under the product's control policy: the caller passes the ordered
    quantity for products billed on ordered quantities.
    """

    id: int
    product_code: str | None
    description: str
    ordered_qty: float
    received_qty: float
    billed_qty: float  # already on other bills (net of credit notes)
    price_unit: float


@dataclass
class Tolerances:
    quantity_percent: float = 0.0  # invoiced may exceed (received - billed) by this much
    price_percent: float = 1.0  # invoiced unit price may differ from the PO price by this much
    total_amount: float = 0.01  # lines / untaxed / tax / total may be off by this much


@dataclass
class LineMatch:
    invoice_index: int
    po_line_id: int | None
    score: float  # 0..1; 0.0 when unmatched


@dataclass
class Difference:
    """One problem found by ``three_way_check()``; which values are set depends on ``kind``.

    - ``UNMATCHED_LINE``: ``invoice_index``, ``invoiced`` (quantity), ``invoiced_price``;
    - ``QTY_OVER_RECEIVED``: ``invoice_index``, ``po_line_id``, ``ordered``, ``received``, ``invoiced``, and
      ``expected`` = received - billed (the quantity still to bill, negative once returned goods await a credit);
      a credit note's ``invoiced`` is negative;
    - ``QTY_OVER_ORDERED``: the same, with ``expected`` = ordered - billed;
    - ``PRICE``: ``invoice_index``, ``po_line_id``, ``po_price``, ``invoiced_price``;
    - ``TOTALS`` of a line: ``invoice_index``, ``invoiced`` (quantity), ``invoiced_price``, ``expected`` (quantity
      times price) and ``found`` (the line's amount); of the invoice: ``expected`` (the sum of the lines, or untaxed
      plus tax) and ``found`` (the untaxed amount, or the total);
    - ``NO_PO``: nothing else.
    """

    kind: str
    invoice_index: int | None = None
    po_line_id: int | None = None
    ordered: float | None = None
    received: float | None = None
    invoiced: float | None = None
    po_price: float | None = None
    invoiced_price: float | None = None
    expected: float | None = None
    found: float | None = None


# === LINE MATCHING ===#


def _norm_code(code: str | None) -> str:
    return (code or "").strip().upper()


def _po_line_codes(po_line: PoLine) -> set[str]:
    codes = {_norm_code(code) for code in _BRACKET_CODE.findall(po_line.description or "")}
    codes.add(_norm_code(po_line.product_code))
    codes.discard("")
    return codes


def _contains_code(text: str, code: str) -> bool:
    """Whether ``code`` is written in ``text`` as a word of its own (not inside a longer code)."""
    if len(code) < MIN_CODE_LENGTH:
        return False
    return re.search(rf"(?<![0-9A-Z]){re.escape(code)}(?![0-9A-Z])", text.upper()) is not None


def _codes_match(invoice_line, po_codes: set[str]) -> bool:
    if _norm_code(invoice_line.product_code) in po_codes:
        return True
    return any(_contains_code(invoice_line.description or "", code) for code in po_codes)


def _plain_description(description: str) -> str:
    return _BRACKET_CODE.sub(" ", description or "")


def _numbers(text: str) -> set[float]:
    return {float(number.replace(",", ".")) for number in _NUMBER.findall(text)}


def description_score(invoice_description: str, po_description: str) -> float:
    """How alike two line descriptions are, 0..1, whatever the word order, case and punctuation.

    Mean of rapidfuzz's token-sort ratio (all words, any order) and token-set ratio (one description's words found
    in the other's), times ``NUMBER_MISMATCH_FACTOR`` when both carry numbers and they differ (sizes, lengths).
    Codes in brackets are left out: they are matched exactly, before.

    :return: the score, 0.0 for an empty description
    """
    left, right = _plain_description(invoice_description), _plain_description(po_description)
    if not utils.default_process(left) or not utils.default_process(right):
        return 0.0
    sort_ratio = fuzz.token_sort_ratio(left, right, processor=utils.default_process)
    set_ratio = fuzz.token_set_ratio(left, right, processor=utils.default_process)
    score = (sort_ratio + set_ratio) / 200
    left_numbers, right_numbers = _numbers(left), _numbers(right)
    if left_numbers and right_numbers and left_numbers != right_numbers:
        score *= NUMBER_MISMATCH_FACTOR
    return round(score, 4)


def _fits(invoice_line, po_line: PoLine) -> float:
    """A tie-breaker below any real score difference: 0.002 when the price and the quantity fit the PO line."""
    bonus = 0.0
    price = _unit_price(invoice_line, po_line)
    if price is not None and not _price_differs(abs(price), po_line.price_unit, 1.0):
        bonus += 0.001
    quantity = _quantity(invoice_line, po_line)
    if quantity is not None and abs(quantity) <= max(po_line.received_qty - po_line.billed_qty, 0.0) + EPSILON:
        bonus += 0.001
    return bonus


def match_lines(invoice_lines: Sequence, po_lines: Sequence[PoLine]) -> list[LineMatch]:
    """Pair each invoice line with at most one PO line, each PO line used at most once (see the module docstring).

    :param invoice_lines: ``InvoiceLine``-like objects (``description``, ``quantity``, ``unit_price``, ``amount``,
        ``product_code``)
    :param po_lines: the PO lines that may be invoiced, of one or several purchase orders
    :return: one ``LineMatch`` per invoice line, in the invoice's order; ``po_line_id`` None when unmatched
    """
    if not invoice_lines or not po_lines:
        return [LineMatch(index, None, 0.0) for index in range(len(invoice_lines))]
    scores = np.zeros((len(invoice_lines), len(po_lines)))
    weights = np.zeros_like(scores)
    po_codes = [_po_line_codes(po_line) for po_line in po_lines]
    for row, invoice_line in enumerate(invoice_lines):
        for column, po_line in enumerate(po_lines):
            if _codes_match(invoice_line, po_codes[column]):
                score = 1.0
            else:
                score = description_score(invoice_line.description, po_line.description)
            if score >= MIN_SCORE:
                scores[row, column] = score
                weights[row, column] = score + _fits(invoice_line, po_line)
    rows, columns = linear_sum_assignment(weights, maximize=True)
    chosen = {int(row): int(column) for row, column in zip(rows, columns, strict=True) if weights[row, column] > 0}
    matches = []
    for index in range(len(invoice_lines)):
        column = chosen.get(index)
        if column is None:
            matches.append(LineMatch(index, None, 0.0))
        else:
            matches.append(LineMatch(index, po_lines[column].id, float(scores[index, column])))
    return matches


# === THREE-WAY CHECK ===#


def _quantity(invoice_line, po_line: PoLine | None) -> float | None:
    """The invoiced quantity: as read, else the amount over the unit price (or over the PO price)."""
    if invoice_line.quantity is not None:
        return invoice_line.quantity
    if invoice_line.amount is None:
        return None
    price = invoice_line.unit_price or (po_line.price_unit if po_line else None)
    return invoice_line.amount / price if price else None


def _unit_price(invoice_line, po_line: PoLine | None) -> float | None:
    """The invoiced unit price: as read, else the amount over the quantity read (never over a guessed one)."""
    if invoice_line.unit_price is not None:
        return invoice_line.unit_price
    if invoice_line.amount is not None and invoice_line.quantity:
        return invoice_line.amount / invoice_line.quantity
    return None


def is_credit(invoice_lines: Sequence, amount_total: float | None = None) -> bool:
    """Whether an invoice read without a credit-note flag is one: a negative total, or only negative lines.

    :return: True for a credit note
    """
    if amount_total is not None:
        return amount_total < 0
    signs = [
        value < 0
        for line in invoice_lines
        for value in (line.quantity if line.quantity is not None else line.amount,)
        if value
    ]
    return bool(signs) and all(signs)


def _over(value: float, limit: float, percent: float) -> bool:
    """Whether ``value`` exceeds ``limit`` by more than ``percent`` of it."""
    return value > limit + abs(limit) * percent / 100 + EPSILON


def _price_differs(price: float, po_price: float, percent: float) -> bool:
    """Whether ``price`` differs from ``po_price`` by more than ``percent`` of it, either way."""
    return abs(price - po_price) > abs(po_price) * percent / 100 + EPSILON


def _check_quantity(index: int, quantity: float, po_line: PoLine, tolerances: Tolerances) -> Difference | None:
    still_received = po_line.received_qty - po_line.billed_qty
    still_ordered = po_line.ordered_qty - po_line.billed_qty
    values = {
        "invoice_index": index,
        "po_line_id": po_line.id,
        "ordered": po_line.ordered_qty,
        "received": po_line.received_qty,
        "invoiced": quantity,
    }
    if quantity < 0:
        # A return credited: it may not exceed the goods billed and no longer received.
        if _over(-quantity, -still_received, tolerances.quantity_percent):
            return Difference(QTY_OVER_RECEIVED, expected=still_received, **values)
        return None
    if _over(quantity, still_ordered, tolerances.quantity_percent):
        return Difference(QTY_OVER_ORDERED, expected=still_ordered, **values)
    if _over(quantity, still_received, tolerances.quantity_percent):
        return Difference(QTY_OVER_RECEIVED, expected=still_received, **values)
    return None


def _check_line_amount(index: int, invoice_line, tolerances: Tolerances, credit: bool) -> Difference | None:
    quantity, price, amount = invoice_line.quantity, invoice_line.unit_price, invoice_line.amount
    if quantity is None or price is None or amount is None:
        return None
    expected = round(quantity * price, 2)
    gap = abs(abs(expected) - abs(amount)) if credit else abs(expected - amount)
    if gap > tolerances.total_amount + EPSILON:
        return Difference(TOTALS, invoice_index=index, invoiced=quantity, invoiced_price=price, expected=expected)
    return None


def _check_totals(
    invoice_lines: Sequence,
    tolerances: Tolerances,
    amount_untaxed: float | None,
    amount_tax: float | None,
    amount_total: float | None,
    credit: bool,
) -> list[Difference]:
    differences = []
    for index, invoice_line in enumerate(invoice_lines):
        difference = _check_line_amount(index, invoice_line, tolerances, credit)
        if difference:
            difference.found = invoice_line.amount
            differences.append(difference)
    amounts = [line.amount for line in invoice_lines]
    if amount_untaxed is not None and amounts and None not in amounts:
        lines_sum = round(sum(abs(amount) for amount in amounts) if credit else sum(amounts), 2)
        found = abs(amount_untaxed) if credit else amount_untaxed
        if abs(lines_sum - found) > tolerances.total_amount + EPSILON:
            differences.append(Difference(TOTALS, expected=lines_sum, found=found))
    if amount_untaxed is not None and amount_tax is not None and amount_total is not None:
        untaxed, tax, total = (abs(value) if credit else value for value in (amount_untaxed, amount_tax, amount_total))
        if abs(untaxed + tax - total) > tolerances.total_amount + EPSILON:
            differences.append(Difference(TOTALS, expected=round(untaxed + tax, 2), found=total))
    return differences


def three_way_check(
    invoice_lines: Sequence,
    po_lines: Sequence[PoLine],
    matches: Sequence[LineMatch],
    tolerances: Tolerances,
    *,
    amount_untaxed: float | None = None,
    amount_tax: float | None = None,
    amount_total: float | None = None,
    is_credit_note: bool | None = None,
) -> list[Difference]:
    """Compare an invoice with the PO lines it was matched to, and check that it adds up.

    Per matched line: the invoiced quantity against the quantity still to bill (``QTY_OVER_ORDERED`` first, else
    ``QTY_OVER_RECEIVED``; a credit note's returns as described in the module docstring), and the unit price
    against the PO price (``PRICE``). An invoice line whose quantity was not read is taken as its amount over the
    PO price; a unit price that was not read, as the amount over the quantity. Unmatched lines are
    ``UNMATCHED_LINE``; without any PO line, one ``NO_PO`` replaces them. Totals are checked in every case.

    :param invoice_lines: ``InvoiceLine``-like objects, as given to ``match_lines()``
    :param po_lines: the PO lines given to ``match_lines()``
    :param matches: ``match_lines()``'s answer
    :param tolerances: the company's tolerances
    :param amount_untaxed: the untaxed amount read, if any
    :param amount_tax: the tax amount read, if any
    :param amount_total: the total read, if any
    :param is_credit_note: the reading's flag; None infers it from the signs (``is_credit()``)
    :return: the differences, line by line in the invoice's order, then the invoice's totals; empty when none
    """
    credit = is_credit(invoice_lines, amount_total) if is_credit_note is None else is_credit_note
    differences = []
    if not po_lines:
        differences.append(Difference(NO_PO))
    else:
        po_by_id = {po_line.id: po_line for po_line in po_lines}
        for match in matches:
            invoice_line = invoice_lines[match.invoice_index]
            po_line = po_by_id.get(match.po_line_id)
            quantity, price = _quantity(invoice_line, po_line), _unit_price(invoice_line, po_line)
            if quantity is not None and credit:
                quantity = -abs(quantity)
            if po_line is None:
                differences.append(
                    Difference(
                        UNMATCHED_LINE, invoice_index=match.invoice_index, invoiced=quantity, invoiced_price=price
                    )
                )
                continue
            if quantity is not None:
                difference = _check_quantity(match.invoice_index, quantity, po_line, tolerances)
                if difference:
                    differences.append(difference)
            if price is not None and _price_differs(abs(price), po_line.price_unit, tolerances.price_percent):
                differences.append(
                    Difference(
                        PRICE,
                        invoice_index=match.invoice_index,
                        po_line_id=po_line.id,
                        po_price=po_line.price_unit,
                        invoiced_price=abs(price),
                    )
                )
    differences += _check_totals(invoice_lines, tolerances, amount_untaxed, amount_tax, amount_total, credit)
    return differences


# === PURCHASE ORDER REFERENCES ===#


def _reference_parts(text: str) -> tuple[str, str]:
    """(letters, number without leading zeros) of a PO name such as "P00012" or "PO-12"."""
    compact = re.sub(r"[^0-9A-Z]", "", text.upper())
    numbers = _PO_NAME_NUMBER.findall(compact)
    return re.sub(r"[0-9]", "", compact), (numbers[-1].lstrip("0") or "0") if numbers else ""


def rank_purchase_orders(reading_po_reference: str | None, candidates: Iterable[str]) -> list[str]:
    """The candidate PO names the invoice's PO reference names, best first.

    The reference may name several orders ("P00012, P00015") and write them loosely ("PO 12", "p00012"). A name
    written as it is (case ignored) comes first; then a name whose number (leading zeros
    ignored) is in the reference with the same letters, or letters one of which starts the other ("PO" for "P").

    :param reading_po_reference: the PO reference read on the invoice
    :param candidates: names of the vendor's purchase orders
    :return: the names referenced, exact ones first, in the candidates' order within each group
    """
    if not reading_po_reference:
        return []
    reference = reading_po_reference.upper()
    tokens = re.findall(r"[A-Z]*[\s\-/#.]*\d+", reference)
    parts = [_reference_parts(token) for token in tokens]
    exact, loose = [], []
    for name in candidates:
        if not name:
            continue
        if _contains_code(reference, name.strip().upper()):
            exact.append(name)
            continue
        letters, number = _reference_parts(name)
        for ref_letters, ref_number in parts:
            if number and ref_number == number and (ref_letters.startswith(letters) or letters.startswith(ref_letters)):
                loose.append(name)
                break
    return exact + loose
