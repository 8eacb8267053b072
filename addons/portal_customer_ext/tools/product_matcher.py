"""Offline matching of free-text quotation request lines to catalog products (plain Python, no ORM).

A line such as "10x M8 hex bolt 50mm zinc", "ABC-1234" (the customer's own code), "5901234123457" (a barcode) or
"scrw wood 4x40" is matched in two steps:

1. exact look-ups: the customer's codes and product names, internal references (``default_code``) and barcodes, of
   the whole text or of a code written inside it; confidence 0.99-1.0;
2. fuzzy name matching: the line and the catalog names are normalised the same way (accents, case, punctuation,
   plurals, letter/digit groups, abbreviations of ``ABBREVIATIONS``), the line's words are looked up in the
   catalog's vocabulary (exact, typo-tolerant with rapidfuzz, prefixes, words written together), an inverted index
   shortlists the products sharing them, and the shortlist is ranked on weighted word coverage both ways (rare words
   weigh more). The confidence says how sure the match is, not only how similar: it reaches 0.95 only for a
   near-complete match clearly ahead of the runner-up.

The matcher is built once per catalog (``ProductMatcher(products)``) and is read-only afterwards, deterministic and
safe to share between threads.
"""

import bisect
import functools
import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

# === DATA ===#

# Words of the trade written short, or spelled differently: replaced on both sides (catalog names and lines) before
# matching. A value of several words expands the token; None drops it.
ABBREVIATIONS: dict[str, str | None] = {
    "scrw": "screw",
    "scr": "screw",
    "blt": "bolt",
    "bt": "bolt",
    "nt": "nut",
    "wshr": "washer",
    "wsh": "washer",
    "hexbolt": "hex bolt",
    "zn": "zinc",
    "znpl": "zinc plated",
    "zp": "zinc plated",
    "ss": "stainless steel",
    "inox": "stainless steel",
    "galv": "galvanised",
    "galvanized": "galvanised",
    "hdg": "hot dip galvanised",
    "blk": "black",
    "wht": "white",
    "wh": "white",
    "yel": "yellow",
    "ylw": "yellow",
    "grn": "green",
    "gry": "grey",
    "gray": "grey",
    "color": "colour",
    "col": "colour",
    "alu": "aluminium",
    "alum": "aluminium",
    "aluminum": "aluminium",
    "wd": "wood",
    "ppr": "paper",
    "pap": "paper",
    "env": "envelope",
    "cbl": "cable",
    "ext": "extension",
    "pnt": "paint",
    "hd": "heavy duty",
    "dia": "diameter",
    "ins": "insulated",
    "lg": "large",
    "med": "medium",
    "sml": "small",
    "sm": "small",
    "pk": "pack",
    "pkt": "pack",
    "bx": "box",
    "ctn": "carton",
    "ctns": "carton",
    "rl": "roll",
    "shts": "sheet",
    "sht": "sheet",
    "gl": "glove",
    "glvs": "glove",
    "hvis": "hi vis",
    "hiviz": "hi vis",
    "mtr": "m",
    "meter": "m",
    "metre": "m",
    "meters": "m",
    "metres": "m",
    "ltr": "l",
    "litre": "l",
    "liter": "l",
    "litres": "l",
    "liters": "l",
    "gsm": "g",
    "gr": "g",
    "grams": "g",
    "volt": "v",
    "volts": "v",
    "watt": "w",
    "watts": "w",
    "millimetre": "mm",
    "millimeter": "mm",
    "philips": "phillips",
    "screwdrvr": "screwdriver",
    "drl": "drill",
    "hmr": "hammer",
    "cordles": "cordless",
    "phos": "phosphate",
    "pozi": "pozidriv",
    "pz": "pozidriv",
    "csk": "countersunk",
}

# Words that say nothing about the product: dropped from lines and names.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "for",
        "with",
        "and",
        "or",
        "in",
        "on",
        "to",
        "please",
        "pls",
        "plz",
        "need",
        "needed",
        "we",
        "want",
        "would",
        "like",
        "send",
        "us",
        "our",
        "ref",
        "x",
        "pcs",
        "pc",
        "piece",
        "pieces",
        "qty",
        "quantity",
        "unit",
        "units",
        "ea",
        "each",
        "no",
        "nos",
        "approx",
        "urgent",
        "asap",
        "thanks",
        "thank",
        "you",
        "per",
    ]
)

# Counted things: "2 boxes of", "10 pcs", "5 rolls" at the start of a line are a quantity.
_COUNT_WORDS = (
    r"pcs|pc|pieces?|units?|ea|each|nos?|boxe?s?|bx|packs?|pkts?|packets?|rolls?|reams?|cartons?|ctns?|bags?|sets?|"
    r"pairs?|tins?|cans?|drums?|bottles?|buckets?|tubes?|sheets?|lengths?|coils?|spools?"
)
# Measures that are a quantity only when followed by "of" ("25 kg of", "5 l of").
_MEASURE_WORDS = r"kg|kilos?|g|t|tonnes?|l|litres?|liters?|ltrs?|m|metres?|meters?|mtrs?|m2|sqm|m3"
_UNIT_TOKENS = frozenset(
    ["mm", "cm", "m", "km", "g", "kg", "t", "l", "ml", "v", "w", "a", "ah", "mah", "mm2", "m2", "m3", "um"]
)

_QTY_PREFIX = re.compile(
    rf"^\s*(?:qty\.?\s*:?\s*)?(?P<qty>\d{{1,5}}(?:[.,]\d+)?)\s*"
    rf"(?:(?:x|×|\*)(?=\s|[a-z]|$)\s*(?:(?:{_COUNT_WORDS})\b\s*)?(?:of\b)?"
    rf"|(?:{_COUNT_WORDS})\b\.?\s*(?:of\b)?"
    rf"|(?:{_MEASURE_WORDS})\s+of\b"
    rf"|\s(?=[a-z]+\b)(?!(?:{'|'.join(sorted(_UNIT_TOKENS))})\b))",
)
_QTY_SUFFIX = re.compile(
    rf"(?:[\s,;(\-]+(?:qty\.?\s*:?\s*(?P<qa>\d+(?:[.,]\d+)?)(?:\s*(?:{_COUNT_WORDS})\b\.?)?"
    rf"|(?P<qb>\d+(?:[.,]\d+)?)\s*(?:{_COUNT_WORDS})\b\.?)"
    rf"|(?:(?<=[a-z])|(?<=\d{{5}}))\s+(?:x|×)\s*(?P<qc>\d+))\s*\)?\s*$"
)

_TOKEN = re.compile(r"(?<![a-z0-9])[a-z]{1,3}\d+(?:\.\d+)?(?![a-z0-9.])|[a-z]+|\d+(?:\.\d+)?")
_COMPACT = re.compile(r"[^a-z0-9]")
_DECIMAL_COMMA = re.compile(r"(\d),(\d)")
_STAINLESS = re.compile(r"\bs/s\b")
_WITH = re.compile(r"\bw/")
_DIMENSION = re.compile(r"(\d)\s*[x*]\s*(?=\d)")
_CODE_CHUNK = re.compile(r"[a-z0-9]+(?:[-_./][a-z0-9]+)*")


# === VALUES ===#


@dataclass(frozen=True)
class CatalogProduct:
    id: int
    name: str
    default_code: str = ""
    barcode: str = ""


@dataclass(frozen=True)
class Match:
    product_id: int
    confidence: float  # 0..1; >= 0.95 only when near certain (exact code / barcode / customer code, or
    # an unambiguous name); 0.85..0.95 plausible; below: unsure
    reason: str  # "customer_code" | "default_code" | "barcode" | "name"


# === NORMALISATION ===#


def fold(text: str) -> str:
    """Lowercase without accents; compatibility forms folded (² → 2, ½ → 1/2); decimal commas as points."""
    text = text or ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.lower()
    text = text.replace("×", " x ").replace("µ", "u").replace("μ", "u").replace("⁄", "/")
    return _DECIMAL_COMMA.sub(r"\1.\2", text)


def compact(text: str) -> str:
    """A code without case, accents, spaces or punctuation: "ABC-1234" → "abc1234"."""
    return _COMPACT.sub("", fold(text))


def parse_quantity(text: str) -> tuple[float | None, str]:
    """The quantity written at the start ("10x", "10 pcs", "2 boxes of", "25 kg of") or end ("- qty 5", "(10 pcs)",
    "paint x 3") of a line, and the rest of the line; (None, text) when there is none. Measures that belong to the
    product ("5 l paint", "50mm") are not quantities."""
    folded = fold(text).strip()
    quantity = None
    found = _QTY_PREFIX.match(folded)
    if found and found.end() < len(folded):
        quantity = float(found["qty"])
        folded = folded[found.end() :]
    found = _QTY_SUFFIX.search(folded)
    if found and found.start() > 0:
        value = found["qa"] or found["qb"] or found["qc"]
        if quantity is None:
            quantity = float(value)
        folded = folded[: found.start()]
    return quantity, folded.strip()


def _stem(token: str) -> str:
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith(("xes", "ches", "shes", "sses")):
        return token[:-2]
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def _number(token: str) -> str:
    if "." in token:
        token = token.rstrip("0").rstrip(".") or "0"
    if token[:1].isdigit() and len(token) > 1 and token.isdigit():
        token = token.lstrip("0") or "0"
    return token


def tokens(text: str) -> list[str]:
    """The words of a name or line, normalised: "Hex bolts M8x50mm, galv." → [hex, bolt, m8, 50, mm, galvanised]."""
    text = fold(text)
    if "/" in text:
        text = _WITH.sub(" with ", _STAINLESS.sub(" stainless steel ", text))
    text = _DIMENSION.sub(r"\1 x ", text)
    result = []
    for raw in _TOKEN.findall(text):
        result += _words(raw)
    return result


@functools.lru_cache(maxsize=65536)
def _words(raw: str) -> tuple[str, ...]:
    """The normalised words of one raw token: number, abbreviation expanded, plural stemmed, stopwords out."""
    raw = _number(raw) if raw[0].isdigit() else raw
    expansion = ABBREVIATIONS.get(raw, raw) if raw in ABBREVIATIONS else ABBREVIATIONS.get(_stem(raw), raw)
    if expansion is None:
        return ()
    return tuple(word for word in map(_stem, expansion.split()) if word not in STOPWORDS)


@functools.lru_cache(maxsize=65536)
def _customer_key(key: str) -> tuple[str, str]:
    """A customer's code or product name, as compared: compact (a code) and its normalised words (a name)."""
    return compact(key), " ".join(tokens(key))


def _customer_product_ids(value: int | Collection[int]) -> Collection[int]:
    """The products a customer's code names: one id, or several (a code of a product with variants)."""
    return (value,) if isinstance(value, int) else value


CustomerCodes = Mapping[str, int | Collection[int]]


# === MATCHER ===#


class ProductMatcher:
    """Matches free-text lines to a catalog of products; see the module's docstring."""

    shortlist_size = 300  # products ranked precisely after the inverted index's first cut
    fuzzy_cutoff = 75  # rapidfuzz ratio (0-100) for a misspelt word of 5+ letters to count
    unknown_word_weight = 2.5  # weight of a line's word found nowhere in the catalog (idf of common words: 1-3)
    min_score = 0.35  # below, a name candidate is not returned at all

    def __init__(self, products: Iterable[CatalogProduct]):
        self.products: list[CatalogProduct] = []
        self._by_code: dict[str, set[int]] = {}
        self._by_barcode: dict[str, set[int]] = {}
        vocabulary: dict[str, int] = {}
        product_tokens: list[tuple[int, ...]] = []
        seen = set()
        for product in products:
            if product.id in seen:
                continue
            seen.add(product.id)
            self.products.append(product)
            if code := compact(product.default_code):
                self._by_code.setdefault(code, set()).add(product.id)
            if barcode := compact(product.barcode):
                self._by_barcode.setdefault(barcode, set()).add(product.id)
            ids = []
            for token in tokens(product.name):
                token_id = vocabulary.setdefault(token, len(vocabulary))
                if token_id not in ids:
                    ids.append(token_id)
            product_tokens.append(tuple(ids))
        self._vocabulary = vocabulary
        self._words = list(vocabulary)
        self._product_tokens = product_tokens
        self._ids = np.array([product.id for product in self.products], dtype=np.int64)
        count = len(self.products)
        postings: list[list[int]] = [[] for _ in vocabulary]
        for index, ids in enumerate(product_tokens):
            for token_id in ids:
                postings[token_id].append(index)
        self._postings = [np.array(posting, dtype=np.int32) for posting in postings]
        self._idf = [math.log(1 + count / len(posting)) for posting in postings]
        self._name_weight = [sum(self._idf[token_id] for token_id in ids) or 1.0 for ids in product_tokens]
        self._sorted_words = sorted(vocabulary)
        self._alpha_words = [word for word in self._sorted_words if word.isalpha() and len(word) >= 4]

    # --- public ---

    def match(self, text: str, customer_codes: CustomerCodes | None = None, limit: int = 5) -> list[Match]:
        """best first; customer_codes maps the customer's own codes (and their product names) to a product id, or
        to several (a code for all the variants of a product: shared, so at most a proposal)"""
        if limit <= 0 or not (text or "").strip():
            return []
        exact = self._exact_matches(text, customer_codes or {})
        ranked = self._name_matches(text, customer_codes or {})
        if exact:
            top_name = ranked[0] if ranked else None
            if top_name and top_name.product_id != exact[0].product_id and top_name.confidence >= 0.9:
                # a code and a name that point at different products: neither is certain
                exact = [Match(match.product_id, min(match.confidence, 0.9), match.reason) for match in exact]
            taken = {match.product_id for match in exact}
            ranked = exact + [match for match in ranked if match.product_id not in taken]
        return ranked[:limit]

    # --- exact codes ---

    def _exact_matches(self, text: str, customer_codes: CustomerCodes) -> list[Match]:
        customer_by_code: dict[str, set[int]] = {}
        for key, product_ids in customer_codes.items():
            if key_code := _customer_key(key)[0]:
                customer_by_code.setdefault(key_code, set()).update(_customer_product_ids(product_ids))
        whole = compact(text)
        _quantity, rest = parse_quantity(text)
        candidates = [(whole, 1.0), (compact(rest), 1.0)] + [(chunk, 0.99) for chunk in self._code_chunks(text)]
        found: dict[int, Match] = {}
        for reason, table in (
            ("customer_code", customer_by_code),
            ("default_code", self._by_code),
            ("barcode", self._by_barcode),
        ):
            for code, confidence in candidates:
                product_ids = table.get(code)
                if not product_ids:
                    continue
                if len(product_ids) > 1:
                    confidence = min(confidence, 0.9)  # a code shared by several products
                for product_id in sorted(product_ids):
                    if product_id not in found or found[product_id].confidence < confidence:
                        found[product_id] = Match(product_id, confidence, reason)
        matches = sorted(found.values(), key=lambda match: (-match.confidence, match.product_id))
        if len(matches) > 1:  # several codes in one line: none is certain
            matches = [Match(match.product_id, min(match.confidence, 0.9), match.reason) for match in matches]
        return matches

    def _code_chunks(self, text: str) -> list[str]:
        """Codes written inside a line: each word with its punctuation ("abc-1234"), and runs of 2-3 words
        ("abc 1234"); only those long enough to be a code and not a plain number below 5 digits."""
        words = _CODE_CHUNK.findall(fold(text))
        chunks = []
        for size in (1, 2, 3):
            for start in range(len(words) - size + 1):
                chunk = _COMPACT.sub("", "".join(words[start : start + size]))
                if len(chunk) >= 4 and not (chunk.isdigit() and len(chunk) < 5):
                    chunks.append(chunk)
        return chunks

    # --- names ---

    def _query_words(self, words: list[str]) -> list[str]:
        """Words written together ("hexbolt") split, words written apart ("card board") joined, when the catalog
        knows the result and not the original."""
        vocabulary = self._vocabulary
        result: list[str] = []
        index = 0
        while index < len(words):
            word = words[index]
            following = words[index + 1] if index + 1 < len(words) else None
            if (
                following
                and word.isalpha()
                and following.isalpha()
                and (word not in vocabulary or following not in vocabulary)
                and _stem(word + following) in vocabulary
            ):
                result.append(_stem(word + following))
                index += 2
                continue
            if word not in vocabulary and word.isalpha() and len(word) >= 6:
                for cut in range(3, len(word) - 2):
                    if word[:cut] in vocabulary and _stem(word[cut:]) in vocabulary:
                        result += [word[:cut], _stem(word[cut:])]
                        break
                else:
                    result.append(word)
            else:
                result.append(word)
            index += 1
        return result

    def _similar_words(self, word: str) -> dict[int, float]:
        """Catalog words like a line's word, with their similarity (0-1): the word itself; for a word of letters,
        the words it begins (an abbreviation, 3+ letters) and misspellings (4+ letters, rapidfuzz ratio)."""
        vocabulary = self._vocabulary
        similar: dict[int, float] = {}
        if word in vocabulary:
            similar[vocabulary[word]] = 1.0
            if not word.isalpha() or len(word) < 5:
                return similar
        if not word.isalpha() or len(word) < 3:
            return similar
        start = bisect.bisect_left(self._sorted_words, word)
        for other in self._sorted_words[start : start + 20]:
            if not other.startswith(word):
                break
            if other != word and len(other) >= len(word) + 1:
                similar.setdefault(vocabulary[other], 0.85 if len(word) >= 4 else 0.7)
        if len(word) >= 4 and word not in vocabulary:
            cutoff = self.fuzzy_cutoff if len(word) >= 5 else 74
            for other, score, _index in process.extract(
                word, self._alpha_words, scorer=fuzz.ratio, score_cutoff=cutoff, limit=6
            ):
                similarity = round((score / 100) ** 2, 4)
                token_id = vocabulary[other]
                if similarity > similar.get(token_id, 0):
                    similar[token_id] = similarity
        return similar

    def _name_matches(self, text: str, customer_codes: CustomerCodes) -> list[Match]:
        _quantity, rest = parse_quantity(text)
        words = self._query_words(tokens(rest))
        if not words:
            return []
        similar = [self._similar_words(word) for word in words]
        weights = [
            max((self._idf[token_id] for token_id in found), default=self.unknown_word_weight) for found in similar
        ]
        total_weight = sum(weights) or 1.0
        scores: dict[int, float] = {}
        if self.products and any(similar):
            accumulated = np.zeros(len(self.products), dtype=np.float64)
            for weight, found in zip(weights, similar, strict=True):
                for token_id, similarity in found.items():
                    accumulated[self._postings[token_id]] += weight * similarity
            candidates = np.flatnonzero(accumulated)
            if len(candidates) > self.shortlist_size:
                top = np.argpartition(-accumulated[candidates], self.shortlist_size - 1)[: self.shortlist_size]
                candidates = candidates[top]
            for index in candidates.tolist():
                scores[self.products[index].id] = self._score(index, similar, weights, total_weight)
        reasons = dict.fromkeys(scores, "name")
        customer_names = {}  # the customer's own names for products
        for key, product_ids in customer_codes.items():
            key_words = _customer_key(key)[1]
            if " " in key_words:
                customer_names.setdefault(key_words, _customer_product_ids(product_ids))
        if customer_names:
            for key_words, ratio, _index in process.extract(
                " ".join(words), list(customer_names), scorer=fuzz.token_sort_ratio, score_cutoff=80, limit=3
            ):
                score = ratio / 100
                for product_id in customer_names[key_words]:
                    if score >= scores.get(product_id, 0):
                        scores[product_id] = score
                        reasons[product_id] = "customer_code"
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        matches = []
        for rank, (product_id, score) in enumerate(ranked):
            if score < self.min_score:
                break
            runner_up = ranked[1][1] if rank == 0 and len(ranked) > 1 else (ranked[0][1] if rank else 0.0)
            matches.append(Match(product_id, self._confidence(score, runner_up, rank), reasons[product_id]))
        return matches

    def _score(self, index: int, similar: list[dict[int, float]], weights: list[float], total_weight: float) -> float:
        """Weighted coverage of the line by the name (60 %) and of the name by the line (40 %), 0-1."""
        name = self._product_tokens[index]
        line_covered = 0.0
        name_best: dict[int, float] = {}
        for weight, found in zip(weights, similar, strict=True):
            best = 0.0
            for token_id in name:
                similarity = found.get(token_id)
                if similarity:
                    best = max(best, similarity)
                    if similarity > name_best.get(token_id, 0):
                        name_best[token_id] = similarity
            line_covered += weight * best
        name_covered = sum(self._idf[token_id] * similarity for token_id, similarity in name_best.items())
        return round(0.6 * line_covered / total_weight + 0.4 * name_covered / self._name_weight[index], 6)

    @staticmethod
    def _confidence(score: float, other: float, rank: int) -> float:
        """How sure a name match is: its score, lowered when another product scores close (a tie is at most 0.9),
        and never above 0.97 (only codes are certain)."""
        margin = score - other if rank == 0 else 0.0
        confidence = score - max(0.0, 0.12 - margin) * 0.8
        return round(max(0.0, min(confidence, 0.97)), 4)
