"""Offline triage of a support ticket (plain Python, no ORM): which category it belongs to, and how urgent it is.

Used on every new ticket, as the answer of the triage decision when Claude is not available (no key, switched off,
budget spent, failing). The text (subject and description) is normalised the same way as the rules (case, accents,
punctuation), then:

- **category**: each category carries keywords written by an administrator ("late delivery, tracking, livraison").
  A keyword matches as whole words, a word of five letters or more also with a short ending ("invoice" matches
  "invoices", "invoiced"); single words the keywords do not match exactly are compared with rapidfuzz, so a typo
  ("delivry") still counts, as a weaker hint. Categories without keywords are never guessed here.
- **priority**: urgency words in English, French, German, Spanish and Dutch. Calm phrases ("not urgent", "pas
  urgent", "nicht dringend", "no es urgente", "niet dringend") are found first and taken out of the text, so that
  the urgent word inside them does not count.

Confidences are honest: only admin-written keywords of exactly one category reach `RULE_CONFIDENCE` (0.95, the
default auto-apply threshold); a category with competitors, a typo-only guess or a fuzzy urgency word stays at or
below `FUZZY_CONFIDENCE_CAP`, so a human confirms it (the same cap as ai_bridge_core's `fuzzy_choice`).
"""

import functools
import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

# === TUNABLES ===#

RULE_CONFIDENCE = 0.95  # one admin keyword of one category, nothing else: applied at the default thresholds
RULE_CONFIDENCE_STEP = 0.02  # each further keyword of that category
RULE_CONFIDENCE_MAX = 0.99
FUZZY_CONFIDENCE_CAP = 0.9  # a guess with a competitor or a typo may ask a human, never act alone
FUZZY_CUTOFF = 85  # rapidfuzz ratio (0-100) from which a word counts as a typo of a keyword
FUZZY_MIN_LENGTH = 6  # shorter words are too alike to compare fuzzily ("argent" / "urgent")
FUZZY_WEIGHT = 0.5  # a typo weighs half a keyword when categories compete
SUFFIX_MIN_LENGTH = 5  # words at least this long also match with an ending of up to SUFFIX_MAX_LETTERS letters
SUFFIX_MAX_LETTERS = 3

PRIORITY_LOW, PRIORITY_MEDIUM, PRIORITY_HIGH, PRIORITY_VERY_HIGH = "0", "1", "2", "3"  # helpdesk_mgmt's selection

# Urgency phrases by priority, in English, French, German, Spanish and Dutch; written without accents (the text is
# normalised the same way). PRIORITY_LOW holds the calm phrases, taken out of the text before the others are found.
URGENCY_WORDS: dict[str, tuple[str, ...]] = {
    PRIORITY_LOW: (
        # en
        "not urgent",
        "no rush",
        "no hurry",
        "when you have time",
        "low priority",
        "just a question",
        "for your information",
        # fr
        "pas urgent",
        "rien d urgent",
        "pas presse",
        "quand vous aurez le temps",
        "pour information",
        # de
        "nicht dringend",
        "nicht eilig",
        "keine eile",
        "wenn sie zeit haben",
        "zur information",
        # es
        "no es urgente",
        "no urgente",
        "sin prisa",
        "cuando tenga tiempo",
        "para su informacion",
        # nl
        "niet dringend",
        "niet urgent",
        "geen haast",
        "als u tijd heeft",
        "ter informatie",
    ),
    PRIORITY_VERY_HIGH: (
        # en
        "urgent",
        "emergency",
        "asap",
        "as soon as possible",
        "immediately",
        "critical",
        "production stopped",
        "production is down",
        "production down",
        "line down",
        # fr
        "urgence",
        "au plus vite",
        "des que possible",
        "immediatement",
        "critique",
        "arret de production",
        "production arretee",
        # de
        "dringend",
        "notfall",
        "sofort",
        "so schnell wie moglich",
        "kritisch",
        "produktionsstillstand",
        "produktion steht",
        # es
        "urgente",
        "emergencia",
        "lo antes posible",
        "inmediatamente",
        "critico",
        "produccion parada",
        # nl
        "spoed",
        "zo snel mogelijk",
        "onmiddellijk",
        "kritiek",
        "productie ligt stil",
        "productiestilstand",
    ),
    PRIORITY_HIGH: (
        # en
        "important",
        "quickly",
        "soon",
        "still waiting",
        "still not",
        "escalate",
        "overdue",
        # fr
        "rapidement",
        "toujours pas",
        "toujours en attente",
        "relance",
        # de
        "wichtig",
        "schnell",
        "bald",
        "immer noch",
        "noch nicht",
        "warten noch",
        # es
        "importante",
        "rapido",
        "pronto",
        "todavia",
        "aun no",
        # nl
        "belangrijk",
        "snel",
        "nog steeds",
        "nog niet",
        "wachten nog",
    ),
}

# === DATA ===#


@dataclass(frozen=True)
class TriageCategory:
    """A category the ticket may belong to: its key (the caller's id), name, and keywords (see `parse_keywords`)."""

    key: Hashable
    name: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class TriageReason:
    """One piece of evidence: `kind` is "keyword", "typo", "urgency" or "urgency_typo"; `found` the words of the
    ticket, `rule` the keyword or urgency phrase they matched, `target` the category key or the priority."""

    kind: str
    found: str
    rule: str
    target: Hashable


@dataclass(frozen=True)
class TriageResult:
    """The offline triage of one ticket; a key or priority of None means "no evidence, leave it as it is"."""

    category_key: Hashable | None = None
    category_confidence: float = 0.0
    priority: str | None = None
    priority_confidence: float = 0.0
    reasons: tuple[TriageReason, ...] = field(default_factory=tuple)


# === TEXT ===#


def normalize(text: str) -> str:
    """Lower case, no accents, letters and digits only, single spaces: "Über-fällig!" -> "uber fallig"."""
    text = unicodedata.normalize("NFKD", text or "").casefold()
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def parse_keywords(text: str | None) -> tuple[str, ...]:
    """The keywords of a category as an administrator writes them: separated by commas, semicolons or new lines.

    :return: normalised keywords, without duplicates, in the order written
    """
    keywords = (normalize(part) for part in re.split(r"[,;\n]", text or ""))
    return tuple(dict.fromkeys(keyword for keyword in keywords if keyword))


@functools.lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str) -> re.Pattern:
    """Whole words of a normalised phrase; words of SUFFIX_MIN_LENGTH letters or more may take a short ending."""
    words = [
        re.escape(word) + (rf"\w{{0,{SUFFIX_MAX_LETTERS}}}" if len(word) >= SUFFIX_MIN_LENGTH else "")
        for word in phrase.split()
    ]
    return re.compile(r"(?<!\w)" + " ".join(words) + r"(?!\w)")


def _find(phrase: str, text: str) -> re.Match | None:
    return _phrase_pattern(phrase).search(text)


def _fuzzy_hits(words: Iterable[str], vocabulary: Iterable[str]) -> list[tuple[str, str, float]]:
    """Typos: each word of the text (long enough) close to a single-word rule of `vocabulary`.

    :return: [(word, rule, similarity 0..1)], at most one rule per word
    """
    choices = sorted({rule for rule in vocabulary if " " not in rule and len(rule) >= FUZZY_MIN_LENGTH})
    hits = []
    for word in dict.fromkeys(words):
        if len(word) < FUZZY_MIN_LENGTH or not choices:
            continue
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best:
            hits.append((word, best[0], best[1] / 100))
    return hits


# === TRIAGE ===#


def _triage_category(text: str, categories: list[TriageCategory]) -> tuple[Hashable | None, float, list]:
    """:return: (category key or None, confidence, reasons)"""
    exact = {category.key: [] for category in categories}  # key -> [(found, keyword)]
    for category in categories:
        for keyword in category.keywords:
            match = _find(keyword, text)
            if match:
                exact[category.key].append((match.group(0), keyword))
    matched_words = {word for hits in exact.values() for found, _keyword in hits for word in found.split()}
    owners = {}  # single-word keyword -> categories having it
    for category in categories:
        for keyword in category.keywords:
            owners.setdefault(keyword, []).append(category.key)
    typos = {category.key: [] for category in categories}  # key -> [(word, keyword, similarity)]
    unmatched = [word for word in text.split() if word not in matched_words]
    for word, keyword, similarity in _fuzzy_hits(unmatched, owners):
        for key in owners[keyword]:
            typos[key].append((word, keyword, similarity))

    scores = {
        key: len(exact[key]) + FUZZY_WEIGHT * sum(similarity for _w, _k, similarity in typos[key]) for key in exact
    }
    ranked = sorted(categories, key=lambda category: (-scores[category.key], -len(exact[category.key])))
    if not ranked or not scores[ranked[0].key]:
        return None, 0.0, []
    best = ranked[0].key
    runner_up = scores[ranked[1].key] if len(ranked) > 1 else 0.0
    if exact[best] and not runner_up:
        confidence = min(RULE_CONFIDENCE_MAX, RULE_CONFIDENCE + RULE_CONFIDENCE_STEP * (len(exact[best]) - 1))
    elif exact[best]:
        margin = (scores[best] - runner_up) / scores[best]
        confidence = min(FUZZY_CONFIDENCE_CAP, 0.5 + 0.5 * margin)
    else:
        share = scores[best] / (scores[best] + runner_up)
        similarity = max(similarity for _w, _k, similarity in typos[best])
        confidence = FUZZY_CONFIDENCE_CAP * share * similarity
    reasons = [TriageReason("keyword", found, keyword, best) for found, keyword in exact[best]]
    reasons += [TriageReason("typo", word, keyword, best) for word, keyword, _similarity in typos[best]]
    return best, round(confidence, 4), reasons


def _triage_priority(text: str) -> tuple[str | None, float, list]:
    """:return: (priority or None, confidence, reasons)"""
    reasons = []
    calm = []
    for phrase in URGENCY_WORDS[PRIORITY_LOW]:
        match = _find(phrase, text)
        while match:
            calm.append(match.group(0))
            text = text[: match.start()] + " " + text[match.end() :]  # the urgent word inside is not urgency
            match = _find(phrase, text)
    found = {}  # priority -> [(found, phrase)]
    for priority in (PRIORITY_VERY_HIGH, PRIORITY_HIGH):
        for phrase in URGENCY_WORDS[priority]:
            match = _find(phrase, text)
            if match:
                found.setdefault(priority, []).append((match.group(0), phrase))
    if found:
        priority = max(found)
        hits = found[priority]
        confidence = min(RULE_CONFIDENCE_MAX, RULE_CONFIDENCE + RULE_CONFIDENCE_STEP * (len(hits) - 1))
        if calm:  # "not urgent, but the line is down": contradicting, a human decides
            confidence = 0.75
        reasons += [TriageReason("urgency", word, phrase, priority) for word, phrase in hits]
        return priority, confidence, reasons
    if calm:
        return PRIORITY_LOW, RULE_CONFIDENCE, [TriageReason("urgency", word, word, PRIORITY_LOW) for word in calm]
    urgent = URGENCY_WORDS[PRIORITY_VERY_HIGH] + URGENCY_WORDS[PRIORITY_HIGH]
    typos = _fuzzy_hits(text.split(), urgent)
    if typos:
        word, phrase, similarity = max(typos, key=lambda hit: hit[2])
        priority = PRIORITY_VERY_HIGH if phrase in URGENCY_WORDS[PRIORITY_VERY_HIGH] else PRIORITY_HIGH
        confidence = round(FUZZY_CONFIDENCE_CAP * similarity, 4)
        return priority, confidence, [TriageReason("urgency_typo", word, phrase, priority)]
    return None, 0.0, []


def triage(subject: str, description: str, categories: Iterable[TriageCategory]) -> TriageResult:
    """Categorise and prioritise a ticket from its text, deterministically.

    :param subject: the ticket's subject
    :param description: its description, as plain text
    :param categories: the categories it may belong to, with their keywords
    :return: the category and priority found, each with its confidence (0..1) and the evidence
    """
    text = normalize(f"{subject or ''}\n{description or ''}")
    category_key, category_confidence, category_reasons = _triage_category(text, list(categories))
    priority, priority_confidence, priority_reasons = _triage_priority(text)
    return TriageResult(
        category_key=category_key,
        category_confidence=category_confidence,
        priority=priority,
        priority_confidence=priority_confidence,
        reasons=tuple(category_reasons + priority_reasons),
    )
