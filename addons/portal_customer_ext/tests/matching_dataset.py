"""A labelled data set for the offline product matcher: a synthetic B2B catalog and free-text request lines, each
with the product it means and the kind of difficulty it shows.

Deterministic (fixed seed): the same arguments give the same catalog and lines. The catalog draws N products from
families of a hardware and office supplier (fasteners with sizes and finishes, wood screws, nuts and washers, paper,
power and network cables, power and hand tools, drill bits, paint, safety gear, packaging, lighting, plumbing), each
with an internal reference, a valid EAN-13 barcode, and, for three customers, the customer's own codes and names for
some of them. Lines are written the way customers write: the name, words in another order, typos, abbreviations,
quantities and units, missing words, the customer's code or name, the barcode, the internal reference, and mixes of
those. A line is kept only when the words it keeps from the name still single out its product in the catalog.

    python3 addons/portal_customer_ext/tests/matching_dataset.py --products 1000 --lines 200 --out set.json

Plain Python, importable without Odoo: ``generate(products=1000, lines=200, seed=...)`` returns the same dict.
"""

import argparse
import itertools
import json
import random
import re

SEED = 20250418

BRANDS = ["Ferrox", "Toolmark", "Bluecraft", "Steelhand", "Novatek"]

# (family, reference prefix, word groups): every combination of one value per group is a product name.
FAMILIES = [
    (
        "bolt",
        "FAS",
        [
            ["Hex bolt", "Hex set screw", "Socket cap screw", "Coach bolt", "Carriage bolt", "Machine screw"],
            ["M4", "M5", "M6", "M8", "M10", "M12", "M16", "M20"],
            ["x"],
            ["10", "12", "16", "20", "25", "30", "35", "40", "45", "60", "70", "80", "90", "120", "150"],
            ["mm"],
            ["zinc plated", "stainless steel A2", "stainless steel A4", "hot dip galvanised", "black oxide"],
            ["grade 8.8", "grade 10.9"],
            [", box of 50", ", box of 100", ", box of 200"],
        ],
    ),
    (
        "nut",
        "FAS",
        [
            ["Hex nut", "Nyloc nut", "Flange nut", "Flat washer", "Spring washer", "Wing nut", "Dome nut"],
            ["M4", "M5", "M6", "M8", "M10", "M12", "M16", "M20"],
            ["zinc plated", "stainless steel A2", "stainless steel A4", "hot dip galvanised", "brass"],
            [", box of 100", ", box of 250", ", box of 500"],
        ],
    ),
    (
        "wood_screw",
        "FAS",
        [
            ["Wood screw", "Chipboard screw", "Decking screw", "Drywall screw", "Facade screw"],
            ["countersunk", "pan head"],
            ["Pozidriv", "Torx"],
            ["3", "3.5", "4", "4.5", "5", "6"],
            ["x"],
            ["16", "20", "25", "30", "35", "40", "50", "60", "70", "80", "100"],
            ["mm"],
            ["zinc plated", "yellow zinc", "stainless steel A2", "black phosphate"],
            [", box of 200", ", box of 500"],
            ["Ferrox", "Steelhand", "Novatek"],
        ],
    ),
    (
        "paper",
        "OFF",
        [
            ["Paperline", "OfficeOne", "Everprint", "Scribo"],
            ["copy paper", "laser paper", "recycled paper", "coloured paper", "inkjet paper"],
            ["A3", "A4", "A5", "Letter"],
            ["70", "80", "90", "100", "120", "160", "200"],
            ["g/m²"],
            ["white", "ivory", "yellow", "blue", "green", "pink"],
            [", ream of 500 sheets", ", pack of 250 sheets", ", box of 2500 sheets"],
        ],
    ),
    (
        "power_cable",
        "ELE",
        [
            ["Power cable H07RN-F", "Installation cable NYM-J", "Flexible cable H05VV-F", "Armoured cable SWA"],
            ["2", "3", "4", "5"],
            ["x"],
            ["0.75", "1", "1.5", "2.5", "4", "6", "10"],
            ["mm²"],
            ["black", "grey", "white", "orange"],
            [", 10 m", ", 25 m", ", 50 m", ", 100 m drum"],
            ["Novatek", "Linkwell", "Cablex"],
        ],
    ),
    (
        "network_cable",
        "ELE",
        [
            ["Patch cable"],
            ["Cat5e", "Cat6", "Cat6a", "Cat7"],
            ["UTP", "FTP", "S/FTP"],
            ["0.5", "1", "2", "3", "5", "7.5", "10", "15", "20"],
            ["m"],
            ["grey", "blue", "red", "yellow", "green", "black"],
            ["Novatek", "Linkwell"],
        ],
    ),
    (
        "power_tool",
        "TLS",
        [
            BRANDS,
            [
                "cordless drill driver",
                "cordless impact driver",
                "cordless angle grinder 125 mm",
                "cordless circular saw 165 mm",
                "cordless jigsaw",
                "cordless hammer drill",
                "cordless multi tool",
            ],
            ["12 V", "18 V", "36 V"],
            ["with 2 Ah battery", "with 4 Ah battery", "with 5 Ah battery", "without battery"],
            ["in case", "in cardboard box"],
        ],
    ),
    (
        "hand_tool",
        "TLS",
        [
            BRANDS,
            ["combination spanner", "ring spanner", "open end spanner", "socket 1/2 inch", "socket 1/4 inch"],
            [str(size) for size in range(6, 33)],
            ["mm"],
            ["chrome vanadium", "satin finish"],
        ],
    ),
    (
        "screwdriver",
        "TLS",
        [
            BRANDS,
            ["screwdriver"],
            ["Phillips PH0", "Phillips PH1", "Phillips PH2", "Phillips PH3", "Pozidriv PZ1", "Pozidriv PZ2"]
            + ["Pozidriv PZ3", "slotted 3 mm", "slotted 5.5 mm", "slotted 8 mm", "Torx T20", "Torx T25", "Torx T30"],
            ["x"],
            ["75", "100", "150", "200"],
            ["mm"],
            ["insulated VDE", "standard handle"],
        ],
    ),
    (
        "drill_bit",
        "TLS",
        [
            BRANDS,
            ["HSS drill bit", "masonry drill bit", "wood drill bit", "SDS plus drill bit", "cobalt drill bit"],
            ["2", "2.5", "3", "3.5", "4", "4.5", "5", "5.5", "6", "6.5", "7", "8", "9", "10", "11", "12", "13"],
            ["mm"],
            [", single", ", pack of 5", ", pack of 10"],
        ],
    ),
    (
        "paint",
        "PNT",
        [
            ["Colorline", "Duracoat", "Ferrox", "Maison"],
            ["acrylic", "alkyd"],
            ["wall paint", "ceiling paint", "wood stain", "metal primer", "floor paint", "masonry paint", "varnish"],
            ["matt", "satin", "gloss", "eggshell"],
            ["white", "black", "grey", "cream", "anthracite", "red", "blue", "green", "yellow", "oak", "walnut"],
            ["0.75 L", "1 L", "2.5 L", "5 L", "10 L"],
        ],
    ),
    (
        "gloves",
        "SAF",
        [
            ["nitrile gloves", "latex gloves", "cut resistant gloves", "leather work gloves", "thermal work gloves"],
            ["size"],
            ["S", "M", "L", "XL", "XXL"],
            ["blue", "black", "grey", "white"],
            [", box of 100", ", pack of 12 pairs", ", 1 pair"],
            BRANDS,
        ],
    ),
    (
        "safety_wear",
        "SAF",
        [
            ["Safety helmet EN 397", "Hi-vis vest", "Hi-vis jacket", "Hi-vis trousers", "Rain jacket", "Fleece"],
            ["yellow", "orange", "white", "blue", "red", "navy"],
            ["size"],
            ["S", "M", "L", "XL", "XXL", "3XL"],
            BRANDS,
        ],
    ),
    (
        "safety_boots",
        "SAF",
        [
            ["Safety boots S3", "Safety shoes S1P", "Safety boots S3 winter lined", "Safety shoes S3 ESD"],
            ["size"],
            [str(size) for size in range(36, 49)],
            ["black", "brown", "grey"],
            BRANDS,
        ],
    ),
    (
        "eye_protection",
        "SAF",
        [
            ["Safety glasses", "Safety goggles", "Face shield", "Dust mask FFP2", "Dust mask FFP3", "Ear plugs foam"],
            ["clear", "tinted", "yellow", "anti-fog"],
            [", single", ", pack of 10", ", box of 50", ", box of 200"],
            BRANDS,
        ],
    ),
    (
        "packaging",
        "PAK",
        [
            ["Cardboard box single wall", "Cardboard box double wall", "Mailing box", "Archive box"],
            ["200 x 150 x 100", "300 x 200 x 150", "400 x 300 x 200", "500 x 400 x 300", "600 x 400 x 400"]
            + ["305 x 215 x 110", "450 x 350 x 250", "800 x 600 x 400"],
            ["mm"],
            ["brown", "white"],
            [", pack of 10", ", pack of 25", ", pallet of 500"],
        ],
    ),
    (
        "tape",
        "PAK",
        [
            ["Packing tape", "Masking tape", "Duct tape", "Double sided tape", "Insulation tape"],
            ["brown", "clear", "white", "black", "red", "blue"],
            ["19", "25", "38", "48", "50", "75"],
            ["mm x"],
            ["10", "25", "50", "66", "100"],
            ["m"],
            ["PP", "PVC", "paper"],
            ["Tesla Pack", "Boxline", "Scribo"],
        ],
    ),
    (
        "lighting",
        "ELE",
        [
            ["LED bulb", "LED spot", "LED filament bulb", "LED tube", "LED panel"],
            ["E27", "E14", "GU10", "B22", "G13"],
            ["4", "5", "7", "9", "12", "15", "18"],
            ["W"],
            ["warm white 2700 K", "neutral white 4000 K", "cool white 6500 K"],
            ["dimmable", "non dimmable"],
            BRANDS[:3],
        ],
    ),
    (
        "plumbing",
        "PLB",
        [
            ["Elbow 90°", "Elbow 45°", "Tee", "Straight coupling", "Reducer", "End cap", "Wall plate elbow"],
            ["press fit", "compression", "solder ring", "push fit"],
            ["10", "12", "15", "18", "22", "28", "35", "42", "54"],
            ["mm"],
            ["copper", "brass", "stainless steel", "plastic"],
            [", single", ", pack of 10"],
            BRANDS[:3],
        ],
    ),
]

CUSTOMERS = {"ACME": "ACM-{:05d}", "BUILDCO": "BC/{:06d}", "NORDTECH": "NT{:04d}-A"}

# How customers shorten the trade's words (most of them the matcher knows; a few it must guess from a prefix).
SHORT_FORMS = {
    "screw": ["scrw", "scr"],
    "bolt": ["blt"],
    "zinc plated": ["zn", "zp", "zinc", "znpl"],
    "stainless steel": ["ss", "s/s", "inox", "stainless"],
    "hot dip galvanised": ["hdg", "galv", "galvanized"],
    "galvanised": ["galv", "galvanized"],
    "white": ["wht", "wh"],
    "black": ["blk"],
    "yellow": ["yel", "ylw"],
    "green": ["grn"],
    "grey": ["gry", "gray"],
    "paper": ["ppr"],
    "cable": ["cbl"],
    "washer": ["wshr"],
    "countersunk": ["csk"],
    "Pozidriv": ["pozi", "pz"],
    "coloured": ["colored", "col"],
    "aluminium": ["alu"],
    "cordless": ["cdl", "cordls"],
    "drill": ["drl"],
    "sheets": ["shts", "sht"],
    "gloves": ["glvs"],
    "insulated": ["ins", "insul"],
    "masonry": ["mason"],
    "galvanized": ["galv"],
    "anthracite": ["anthr"],
    "phosphate": ["phos"],
    "box of": ["bx"],
    "pack of": ["pk", "pkt"],
    "Hi-vis": ["hivis", "hi viz", "hiviz"],
    "Phillips": ["philips", "ph"],
    "chrome vanadium": ["crv", "chrome van"],
}

CATEGORIES = [
    "name",
    "word_order",
    "typo",
    "abbreviation",
    "quantity_units",
    "missing_words",
    "customer_code",
    "customer_name",
    "barcode",
    "default_code",
    "mixed",
]

KEYBOARD = "qwertyuiop asdfghjkl zxcvbnm"


def ean13(digits12: str) -> str:
    """The EAN-13 of 12 digits, with its check digit."""
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(digits12))
    return digits12 + str((10 - total % 10) % 10)


def words_of(text: str) -> list[str]:
    """The lowercase words of a text (letters and digits), as the uniqueness check reads it."""
    return re.findall(r"[a-z0-9]+(?:\.[0-9]+)?", text.lower().replace("²", "2"))


def catalog(count: int, seed: int = SEED) -> list[dict]:
    """``count`` products drawn from all families' combinations (ids 1..count)."""
    names = []
    for family, prefix, groups in FAMILIES:
        for parts in itertools.product(*groups):
            name = re.sub(r"\s+,", ",", " ".join(parts))
            names.append((family, prefix, name))
    if count > len(names):
        raise ValueError(f"at most {len(names)} products")
    rng = random.Random(seed)
    chosen = rng.sample(range(len(names)), count)
    products = []
    for product_id, index in enumerate(chosen, start=1):
        family, prefix, name = names[index]
        products.append(
            {
                "id": product_id,
                "name": name,
                "default_code": f"{prefix}-{100000 + index * 7 % 900000:06d}",
                "barcode": ean13(f"20{index * 37 % 10**10:010d}"),
                "family": family,
            }
        )
    return products


def customer_codes(products: list[dict], seed: int = SEED) -> dict[str, dict[str, int]]:
    """For each customer, its codes for 5 % of the products (60 to 5,000) and its own names for 40 of them."""
    rng = random.Random(seed + 1)
    result = {}
    for customer, pattern in CUSTOMERS.items():
        chosen = rng.sample(products, min(len(products), 5000, max(60, len(products) // 20)))
        numbers = rng.sample(range(1, 10**4), len(chosen))
        codes = {pattern.format(number): product["id"] for number, product in zip(numbers, chosen, strict=True)}
        for product in chosen[:40]:
            codes[customer_name(product["name"], rng)] = product["id"]
        result[customer] = codes
    return result


def customer_name(name: str, rng: random.Random) -> str:
    """The customer's own wording of a product name: shortened, reordered, with a word of its own."""
    base = re.sub(r",.*$", "", name)
    text = abbreviate(base, rng, share=0.6)
    words = text.split()
    if len(words) > 3 and rng.random() < 0.5:
        words = words[1:] + words[:1]
    return " ".join(words) + " " + rng.choice(["(site)", "- stock", "for workshop", "(std)", "spec 2"])


def abbreviate(text: str, rng: random.Random, share: float = 1.0) -> str:
    forms = [form for form in SHORT_FORMS if re.search(rf"\b{re.escape(form)}\b", text, re.IGNORECASE)]
    for form in forms:
        if rng.random() <= share:
            short = rng.choice(SHORT_FORMS[form])
            text = re.sub(rf"\b{re.escape(form)}\b", short, text, count=1, flags=re.IGNORECASE)
    return text


def typo(word: str, rng: random.Random) -> str:
    index = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "double", "neighbour"])
    if kind == "swap":
        return word[:index] + word[index + 1] + word[index] + word[index + 2 :]
    if kind == "drop":
        return word[:index] + word[index + 1 :]
    if kind == "double":
        return word[:index] + word[index] + word[index:]
    row = next((row for row in KEYBOARD.split() if word[index].lower() in row), None)
    if not row:
        return word[:index] + word[index + 1 :]
    position = row.index(word[index].lower())
    neighbour = (
        row[position - 1] if position and (position == len(row) - 1 or rng.random() < 0.5) else row[position + 1]
    )
    return word[:index] + neighbour + word[index + 1 :]


def with_typos(text: str, rng: random.Random, count: int) -> str:
    words = text.split()
    candidates = [index for index, word in enumerate(words) if word.isalpha() and len(word) >= 5]
    if not candidates:
        return text
    for index in rng.sample(candidates, min(count, len(candidates))):
        words[index] = typo(words[index], rng)
    joinable = [i for i in range(len(words) - 1) if words[i].isalpha() and words[i + 1].isalpha()]
    if joinable and rng.random() < 0.25:
        index = rng.choice(joinable)
        words[index : index + 2] = [words[index] + words[index + 1]]
    return " ".join(words)


def with_quantity(text: str, rng: random.Random) -> str:
    quantity = rng.choice([1, 2, 3, 5, 10, 12, 20, 25, 50, 100])
    form = rng.choice(["{q}x {t}", "{q} x {t}", "{q} pcs {t}", "{q} boxes of {t}", "{t} - {q} pcs", "{t} x {q}"])
    form = rng.choice([form, "qty {q}: {t}", "{t} (qty {q})", "{q} {t}"]) if rng.random() < 0.3 else form
    return form.format(q=quantity, t=text)


def with_units(text: str, rng: random.Random) -> str:
    """Units written as customers write them: 50mm, M8x50, 80g, 2,5mm2, 10L."""
    text = re.sub(r"(\d) mm\b", lambda m: m[1] + rng.choice(["mm", " mm", ""]), text)
    text = re.sub(r"(\w) x (\d)", lambda m: m[1] + rng.choice(["x", " x ", "*"]) + m[2], text)
    text = text.replace("g/m²", rng.choice(["g", "gsm", "g/m2", "gr"]))
    text = text.replace("mm²", rng.choice(["mm2", "mm²", "sqmm", " mm2"]))
    text = re.sub(r"(\d) L\b", lambda m: m[1] + rng.choice(["L", " ltr", " litre", "l"]), text)
    text = re.sub(r"(\d)\.(\d)", lambda m: m[1] + rng.choice([".", ","]) + m[2], text)
    return text


def reorder(text: str, rng: random.Random) -> str:
    head, _, tail = text.partition(", ")
    words = head.split()
    if len(words) > 2:
        cut = rng.randrange(1, len(words))
        words = words[cut:] + words[:cut]
    text = " ".join(words)
    return f"{tail} {text}" if tail and rng.random() < 0.5 else (f"{text} {tail}" if tail else text)


def drop_words(text: str, rng: random.Random) -> str:
    words = text.replace(",", "").split()
    optional = [index for index, word in enumerate(words) if word.isalpha() and len(words) > 3]
    for index in sorted(rng.sample(optional, min(len(optional), rng.choice([1, 1, 2]))), reverse=True):
        del words[index]
    return " ".join(words)


def casing(text: str, rng: random.Random) -> str:
    return rng.choice([text, text, text.lower(), text.lower(), text.upper()])


class _Unique:
    """Whether the words a line keeps from a name single out its product in the catalog."""

    def __init__(self, products: list[dict]):
        self.postings: dict[str, set[int]] = {}
        for product in products:
            for word in set(words_of(product["name"])):
                self.postings.setdefault(word, set()).add(product["id"])

    def __call__(self, kept_text: str, product_id: int) -> bool:
        kept = set(words_of(kept_text))
        if not kept:
            return False
        sets = sorted((self.postings.get(word, set()) for word in kept), key=len)
        found = set(sets[0])
        for other in sets[1:]:
            found &= other
        return found == {product_id}


def written(category: str, product: dict, rng: random.Random, unique: "_Unique") -> str | None:
    """A line of ``category`` for a catalog product, as a customer writes it; None when it would not single the
    product out."""
    name = product["name"]
    if not unique(name, product["id"]):
        return None  # the same words as another product's name, in another order
    if category == "name":
        return casing(name, rng)
    if category == "word_order":
        return casing(reorder(name, rng), rng)
    if category == "typo":
        return with_typos(name, rng, rng.choice([1, 1, 2]))
    if category == "abbreviation":
        text = abbreviate(name, rng)
        return text if text != name else None
    if category == "quantity_units":
        return with_quantity(with_units(name, rng), rng)
    if category == "missing_words":
        text = drop_words(name, rng)
        return text if unique(text, product["id"]) else None
    if category == "barcode":
        return rng.choice(["{b}", "{b}", "EAN {b}", "{b} x 4", "10 pcs {b}"]).format(b=product["barcode"])
    if category == "default_code":
        code = product["default_code"]
        code = rng.choice([code, code.lower(), code.replace("-", ""), code.replace("-", " ")])
        text = rng.choice(["{c}", "{c}", "5x {c}", "{c} - 10 pcs", "{c} {n}"])
        return text.format(c=code, n=re.sub(r",.*$", "", name).lower())
    # mixed
    text = with_typos(with_units(abbreviate(name, rng, share=0.5), rng), rng, 1)
    return casing(with_quantity(text if rng.random() < 0.6 else reorder(text, rng), rng), rng)


def generate(products: int = 1000, lines: int = 200, seed: int = SEED) -> dict:
    """The catalog, the customers' codes and the labelled lines, as one JSON-ready dict."""
    items = catalog(products, seed)
    codes = customer_codes(items, seed)
    by_id = {product["id"]: product for product in items}
    unique = _Unique(items)
    rng = random.Random(seed + 2)
    per_category = -(-lines // len(CATEGORIES))
    result = []
    for category in CATEGORIES:
        made = 0
        while made < per_category:
            customer = None
            if category in ("customer_code", "customer_name"):
                customer = rng.choice(sorted(codes))
                keys = [key for key in codes[customer] if (" " in key) == (category == "customer_name")]
                key = rng.choice(keys)
                product = by_id[codes[customer][key]]
                text = key if category == "customer_name" else rng.choice([key, key.lower(), key.replace("-", " ")])
                if rng.random() < 0.4:
                    text = with_quantity(text, rng)
                if category == "customer_name" and rng.random() < 0.3:
                    text = with_typos(text, rng, 1)
            else:
                product = rng.choice(items)
                text = written(category, product, rng, unique)
                if text is None:
                    continue
            result.append({"text": text, "product_id": product["id"], "category": category, "customer": customer})
            made += 1
    return {"seed": seed, "products": items, "customer_codes": codes, "lines": result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=220)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", default="-", help="JSON file (default: standard output)")
    args = parser.parse_args()
    data = generate(args.products, args.lines, args.seed)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if args.out == "-":
        print(text)
    else:
        with open(args.out, "w", encoding="utf-8") as file:
            file.write(text)
        print(f"{len(data['products'])} products, {len(data['lines'])} lines -> {args.out}")


if __name__ == "__main__":
    main()
