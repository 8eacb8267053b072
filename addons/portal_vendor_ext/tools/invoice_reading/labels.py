"""The words invoices print before (or above) their values, in English, French, German, Spanish and Dutch.

Labels are written normalised (``values.normalize``: lower case, no accents, punctuation as spaces). A label may
name several fields ("VAT" is the vendor's VAT number or the tax amount): the value decides which.
"""

from .values import normalize

# Fields of the header and the totals, plus labels to recognise and ignore (the buyer's VAT number, the invoice a
# credit note corrects), so that a shorter label does not take their values.
# fmt: off
FIELD_LABELS = {
    "invoice_number": [
        "invoice no", "invoice number", "invoice nr", "invoice n", "invoice", "invoice #", "invoice ref",
        "credit note no", "credit note number", "credit note nr", "credit memo no", "document no", "document number",
        "facture n", "n de facture", "numero de facture", "no de facture", "facture numero", "avoir n",
        "numero d avoir", "rechnungsnummer", "rechnung nr", "rechnungs nr", "rechnungsnr", "gutschrift nr",
        "gutschriftsnummer", "belegnummer", "n de factura", "numero de factura", "factura n", "no de factura",
        "num factura", "factura numero", "factuurnummer", "factuur nr", "factuurnr", "creditnota nr",
        "creditnotanummer", "creditnota nummer",
    ],
    "invoice_date": [
        "invoice date", "date of invoice", "date", "dated", "issue date", "date of issue", "credit note date",
        "date de facture", "date facture", "date d emission", "date de l avoir", "rechnungsdatum", "datum",
        "belegdatum", "gutschriftsdatum", "fecha", "fecha de factura", "fecha factura", "fecha de emision",
        "factuurdatum", "datum factuur",
    ],
    "due_date": [
        "due date", "payment due", "due", "due on", "payment due date", "pay by", "date d echeance", "echeance",
        "date limite de paiement", "a payer avant le", "fallig am", "falligkeitsdatum", "fallig", "zahlbar bis",
        "zahlungsziel", "fecha de vencimiento", "vencimiento", "fecha vencimiento", "vervaldatum", "vervaldag",
        "uiterste betaaldatum", "te betalen voor",
    ],
    "po_reference": [
        "po", "po number", "po no", "po nr", "p o", "p o no", "p o number", "purchase order", "purchase order no",
        "purchase order number", "your order", "your order no", "your order number", "your po", "order reference",
        "order ref", "order no", "order number", "customer order", "your reference", "votre commande",
        "bon de commande", "n de commande", "commande n", "commande", "votre reference", "ihre bestellung",
        "ihre bestellnummer", "bestellnummer", "bestellung", "bestell nr", "ihr auftrag", "su pedido", "pedido",
        "n de pedido", "numero de pedido", "pedido n", "su referencia", "uw ordernummer", "ordernummer",
        "uw bestelling", "inkooporder", "uw referentie", "bestelnummer", "uw bestelnummer",
    ],
    "vat": [
        "vat", "vat no", "vat number", "vat nr", "vat reg no", "vat registration no", "vat registration number",
        "vat id", "tax id", "n tva", "n tva intracommunautaire", "tva intracommunautaire", "numero de tva", "tva",
        "ust idnr", "ust id", "ust id nr", "ustidnr", "umsatzsteuer id", "umsatzsteuer identifikationsnummer", "nif",
        "cif", "n i f", "nif cif", "btw nummer", "btw nr", "btw", "btw id", "btw identificatienummer",
    ],
    "currency": [
        "currency", "devise", "monnaie", "wahrung", "moneda", "divisa", "valuta",
    ],
    "amount_untaxed": [
        "untaxed amount", "untaxed", "total untaxed", "amount untaxed", "subtotal", "sub total", "net amount",
        "net total", "total net", "net", "total excl vat", "total excl tax", "total excluding vat", "amount excl vat",
        "total before tax", "total ht", "montant ht", "sous total", "total hors taxes", "total hors tva", "nettobetrag",
        "netto", "zwischensumme", "summe netto", "gesamt netto", "nettosumme", "warenwert", "base imponible",
        "total sin iva", "importe neto", "subtotaal", "totaal excl btw", "netto bedrag", "bedrag excl btw",
        "totaal exclusief btw",
    ],
    "amount_tax": [
        "vat", "tax", "sales tax", "total vat", "vat amount", "tax amount", "total tax", "tva", "total tva",
        "montant tva", "mwst", "zzgl mwst", "mehrwertsteuer", "zzgl mehrwertsteuer", "ust", "zzgl ust", "umsatzsteuer",
        "iva", "total iva", "cuota iva", "cuota de iva", "btw", "totaal btw", "btw bedrag",
    ],
    "amount_total": [
        "total", "total due", "amount due", "balance due", "grand total", "invoice total", "total amount",
        "total credit", "total incl vat", "total including vat", "amount payable", "total ttc", "net a payer",
        "montant ttc", "total a payer", "montant total", "gesamtbetrag", "gesamtsumme", "rechnungsbetrag", "endbetrag",
        "bruttobetrag", "summe", "zahlbetrag", "total factura", "importe total", "total a pagar", "totaal",
        "totaal te betalen", "te betalen", "totaalbedrag", "totaal incl btw", "totaal bedrag",
    ],
    "ignore": [
        "customer vat no", "customer vat", "customer vat number", "your vat no", "your vat number", "client vat",
        "buyer vat", "n tva client", "votre n tva", "tva client", "ihre ust idnr", "ihre ust id", "kunden ust id",
        "nif cliente", "cif cliente", "uw btw nummer", "btw nummer klant", "original invoice", "original invoice no",
        "facture d origine", "ursprungliche rechnung", "factura original", "oorspronkelijke factuur", "total pages",
        "page",
    ],
}
# fmt: on

# Rows that repeat a running sum between the pages of a long table: not an invoice line.
# fmt: off
CARRY_LABELS = [
    "carried forward", "brought forward", "carry forward", "a reporter", "report", "ubertrag", "uebertrag",
    "suma y sigue", "suma anterior", "transporte", "transport", "van vorige pagina", "naar volgende pagina",
]
# fmt: on

# Titles of the buyer's address block: a VAT number or a name in it is the buyer's, not the vendor's.
# fmt: off
BUYER_TITLES = [
    "bill to", "billed to", "invoice to", "invoiced to", "sold to", "ship to", "deliver to", "credit to", "customer",
    "client", "buyer", "invoice address", "billing address", "facturer a", "facture a", "adresse de facturation",
    "destinataire", "adresse de livraison", "rechnungsempfanger", "rechnungsadresse", "kunde", "lieferanschrift",
    "cliente", "facturar a", "datos del cliente", "direccion de facturacion", "factuuradres", "klant", "afnemer",
    "geleverd aan", "factuur aan",
]
# fmt: on

# Titles of credit notes (anywhere on the first page, as a row of their own).
# fmt: off
CREDIT_NOTE_TITLES = [
    "credit note", "credit memo", "avoir", "facture d avoir", "gutschrift", "rechnungskorrektur", "stornorechnung",
    "nota de credito", "factura rectificativa", "factura de abono", "abono", "creditnota", "creditfactuur",
]
# fmt: on
# Document titles: never the vendor's name.
TITLES = ["invoice", "tax invoice", "facture", "rechnung", "factura", "factuur", "proforma", *CREDIT_NOTE_TITLES]

# Legal forms that end company names: a name ending with one is surely the vendor's.
# fmt: off
LEGAL_FORMS = [
    "ltd", "limited", "llc", "inc", "corp", "plc", "co", "gmbh", "ag", "kg", "e k", "sarl", "sas", "sa", "s a", "sl",
    "s l", "bv", "b v", "nv", "n v", "aps", "a s", "srl", "spa",
]
# fmt: on

# Column titles of the line table.
# fmt: off
COLUMN_LABELS = {
    "product_code": [
        "code", "item", "item no", "item code", "item #", "ref", "reference", "sku", "part no", "product code",
        "article", "ref article", "code article", "art nr", "artikelnummer", "artikel nr", "artikelnr", "pos", "codigo",
        "cod", "referencia", "artikelcode",
    ],
    "description": [
        "description", "item description", "details", "product", "designation", "libelle", "produit", "bezeichnung",
        "beschreibung", "artikelbezeichnung", "leistung", "descripcion", "concepto", "articulo", "omschrijving",
        "artikel", "product omschrijving",
    ],
    "quantity": [
        "qty", "quantity", "qte", "quantite", "menge", "anzahl", "cantidad", "cant", "uds", "unidades", "aantal",
        "hours", "units",
    ],
    "unit_price": [
        "unit price", "price", "rate", "unit cost", "price per unit", "prix unitaire", "prix unitaire ht", "pu ht",
        "p u", "pu", "prix", "prix ht", "einzelpreis", "preis", "e preis", "stuckpreis", "precio", "precio unitario",
        "precio unidad", "prijs", "stukprijs", "eenheidsprijs", "prijs per stuk",
    ],
    "amount": [
        "amount", "total", "line total", "net amount", "amount excl vat", "montant", "montant ht", "total ht",
        "gesamtpreis", "gesamt", "betrag", "summe", "netto", "importe", "total linea", "bedrag", "totaal",
        "regeltotaal",
    ],
    "tax": [
        "vat", "vat %", "tax", "taxes", "tax rate", "tva", "tva %", "mwst", "ust", "iva", "iva %", "btw", "btw %",
    ],
    "unit": [
        "unit", "uom", "unite", "einheit", "me", "unidad", "eenheid",
    ],
    "discount": [
        "discount", "disc", "remise", "rabatt", "descuento", "dto", "korting",
    ],
}
# fmt: on


def _spellings(label: str) -> set[str]:
    """A normalised label and its spellings of "number": "n" (N°), "no" (Nº, No.), "nr" (Nr.)."""
    words = normalize(label).split()
    spellings = {" ".join(words)}
    for index, word in enumerate(words):
        if word in ("n", "no", "nr"):
            spellings |= {" ".join([*words[:index], other, *words[index + 1 :]]) for other in ("n", "no", "nr")}
    return spellings


def _index(groups: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for name, labels in groups.items():
        for label in labels:
            for spelling in _spellings(label):
                index.setdefault(spelling, set()).add(name)
    return {label: frozenset(names) for label, names in index.items()}


FIELD_INDEX = _index(FIELD_LABELS)
COLUMN_INDEX = {normalize(label): kind for kind, labels in COLUMN_LABELS.items() for label in labels}
BUYER_INDEX = frozenset(normalize(label) for label in BUYER_TITLES)
CARRY_INDEX = frozenset(normalize(label) for label in CARRY_LABELS)
CREDIT_NOTE_INDEX = frozenset(normalize(label) for label in CREDIT_NOTE_TITLES)
TITLE_INDEX = frozenset(normalize(label) for label in TITLES)
LEGAL_FORM_INDEX = frozenset(normalize(label) for label in LEGAL_FORMS)
LONGEST_LABEL = max(len(label.split()) for label in FIELD_INDEX)


def match_label(words: list[str]) -> tuple[frozenset[str], int]:
    """The longest label that ``words`` (a cell's words, as printed) start with.

    :return: ``(fields, number of words of the label)``, or ``(frozenset(), 0)``
    """
    for count in range(min(LONGEST_LABEL, len(words)), 0, -1):
        fields = FIELD_INDEX.get(normalize(" ".join(words[:count])))
        if fields:
            return fields, count
    return frozenset(), 0


def starts_with_any(text: str, index: frozenset[str]) -> bool:
    """Whether normalised ``text`` starts with one of the normalised labels of ``index``, on a word boundary."""
    words = normalize(text).split()
    return any(" ".join(words[:count]) in index for count in range(1, min(len(words), 4) + 1))
