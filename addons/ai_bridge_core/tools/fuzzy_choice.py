"""Deterministic matching of free text against known names, used when Claude is not available."""

from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

FALLBACK_CONFIDENCE_CAP = 0.9  # a fuzzy match may ask a human, never act alone (auto-apply starts at 0.95)


def best_choice(text: str, choices: Iterable[str]) -> tuple[str | None, float]:
    """The choice that best appears in `text`, and an honest confidence between 0 and FALLBACK_CONFIDENCE_CAP.

    Scores with rapidfuzz's token-set ratio on normalised strings (case and punctuation ignored), so "Acme
    Construction Ltd" finds "Construction" whatever the word order; among equal scores the choice closest to the
    whole text wins, so "Construction Works" beats "Construction" for "Acme Construction Works Ltd".

    :return: (choice, confidence), or (None, 0.0) when nothing scores above zero
    """
    choices = [choice for choice in choices if choice]
    if not text or not choices:
        return None, 0.0
    matches = process.extract(text, choices, scorer=fuzz.token_set_ratio, processor=utils.default_process, limit=None)
    if not matches or not matches[0][1]:
        return None, 0.0
    best_score = matches[0][1]
    tied = [choice for choice, score, _index in matches if score == best_score]
    choice = max(tied, key=lambda name: fuzz.token_sort_ratio(text, name, processor=utils.default_process))
    return choice, round(best_score / 100 * FALLBACK_CONFIDENCE_CAP, 4)
