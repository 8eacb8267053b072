"""What the engine reads from an invoice: its fields, its lines, a confidence per field and warnings."""

from dataclasses import asdict, dataclass, field

FIELDS = (
    "vendor",
    "vat",
    "invoice_number",
    "invoice_date",
    "due_date",
    "currency",
    "po_reference",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "lines",
)


@dataclass
class InvoiceLine:
    """One invoice line as printed; a credit note's quantities and amounts are positive (see ``is_credit_note``)."""

    description: str
    quantity: float | None
    unit_price: float | None
    amount: float | None
    product_code: str | None = None


@dataclass
class InvoiceReading:
    """The fields of one invoice: dates ISO 8601 (``YYYY-MM-DD``), currency ISO 4217, amounts as positive numbers
    (a credit note says so with ``is_credit_note``), ``None`` for what was not found; ``confidence`` holds 0..1 per
    ``FIELDS`` key, ``warnings`` codes such as ``"totals_mismatch"``."""

    vendor: str | None
    vat: str | None
    invoice_number: str | None
    invoice_date: str | None
    due_date: str | None
    currency: str | None
    po_reference: str | None
    amount_untaxed: float | None
    amount_tax: float | None
    amount_total: float | None
    lines: list[InvoiceLine]
    is_credit_note: bool = False
    confidence: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The JSON of ``bin/read-invoice``: the ``FIELDS`` keys (lines as dicts), ``is_credit_note``,
        ``confidence`` and ``warnings``.

        :return: a dict of JSON-serialisable values
        """
        return asdict(self)
