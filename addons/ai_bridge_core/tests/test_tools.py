"""Plain unit tests of the pure-Python helpers (no database)."""

import unittest

from ..tools.answer_schema import split_answer, with_answer_fields
from ..tools.backoff import retry_delay
from ..tools.fuzzy_choice import FALLBACK_CONFIDENCE_CAP, best_choice
from ..tools.gating import ASK_HUMAN, AUTO_APPLY, LOG_ONLY, gate


class TestGating(unittest.TestCase):
    def test_boundaries_are_inclusive(self):
        cases = {1.0: AUTO_APPLY, 0.95: AUTO_APPLY, 0.9499: ASK_HUMAN, 0.85: ASK_HUMAN, 0.8499: LOG_ONLY, 0.0: LOG_ONLY}
        for confidence, expected in cases.items():
            with self.subTest(confidence=confidence):
                self.assertEqual(gate(confidence, 0.95, 0.85), expected)

    def test_out_of_range_confidence_is_clamped(self):
        self.assertEqual(gate(7.0, 0.95, 0.85), AUTO_APPLY)
        self.assertEqual(gate(-1.0, 0.95, 0.0), ASK_HUMAN)

    def test_inverted_thresholds_are_refused(self):
        with self.assertRaises(ValueError):
            gate(0.9, 0.8, 0.9)


class TestBackoff(unittest.TestCase):
    def test_exponential_capped_and_jittered(self):
        self.assertEqual([retry_delay(n, rand=lambda: 0.5) for n in (1, 2, 3, 4)], [30, 60, 120, 240])
        self.assertEqual(retry_delay(30, rand=lambda: 0.5), 6 * 3600)
        self.assertEqual(retry_delay(1, rand=lambda: 0.0), 22.5)
        self.assertEqual(retry_delay(1, rand=lambda: 1.0), 37.5)

    def test_never_sooner_than_the_server_asked(self):
        self.assertEqual(retry_delay(1, retry_after=600, rand=lambda: 0.5), 600)
        self.assertEqual(retry_delay(4, retry_after=5, rand=lambda: 0.5), 240)


class TestFuzzyChoice(unittest.TestCase):
    def test_best_name_found_in_the_text(self):
        choice, confidence = best_choice(
            "Acme Construction Works Ltd", ["Food Retail", "Construction Works", "Banking"]
        )
        self.assertEqual(choice, "Construction Works")
        self.assertEqual(confidence, FALLBACK_CONFIDENCE_CAP)

    def test_honest_low_confidence_for_a_weak_match(self):
        _choice, confidence = best_choice("Zyx Holdings", ["Food Retail", "Construction Works"])
        self.assertLess(confidence, 0.5)

    def test_nothing_to_match(self):
        self.assertEqual(best_choice("", ["A"]), (None, 0.0))
        self.assertEqual(best_choice("text", []), (None, 0.0))


class TestAnswerSchema(unittest.TestCase):
    def test_confidence_and_reasoning_are_required_additions(self):
        schema = with_answer_fields(
            {"type": "object", "properties": {"label": {"type": "string"}}, "required": ["label"]}
        )
        self.assertEqual(schema["required"], ["confidence", "label", "reasoning"])
        self.assertEqual(schema["properties"]["confidence"]["maximum"], 1)
        self.assertEqual(with_answer_fields(None)["required"], ["confidence", "reasoning"])

    def test_split_answer(self):
        self.assertEqual(
            split_answer({"label": "x", "confidence": 0.5, "reasoning": "why"}), ({"label": "x"}, 0.5, "why")
        )
