from dataclasses import astuple

from odoo.tests import BaseCase

from odoo.addons.ai_bridge_core.tools.gating import DEFAULT_APPROVAL_THRESHOLD, DEFAULT_AUTO_THRESHOLD
from odoo.addons.portal_customer_ext.tools.ticket_triage import (
    FUZZY_CONFIDENCE_CAP,
    TriageCategory,
    normalize,
    parse_keywords,
    triage,
)

DELIVERY = TriageCategory(
    "delivery", "Delivery", parse_keywords("late delivery, tracking, parcel\nlivraison; Lieferung, entrega, levering")
)
INVOICE = TriageCategory("invoice", "Invoicing", parse_keywords("invoice, credit note, facture, Rechnung, factuur"))
QUALITY = TriageCategory("quality", "Quality", parse_keywords("broken, damaged, defect"))
OTHER = TriageCategory("other", "Other")
CATEGORIES = [DELIVERY, INVOICE, QUALITY, OTHER]


class TestTicketTriage(BaseCase):
    """The offline triage: keywords of one category are sure, competitors and typos ask a human, urgency words in
    five languages set the priority and calm phrases are not urgency."""

    def test_parse_keywords(self):
        self.assertEqual(
            parse_keywords(" Late Delivery,tracking;\n\nLIVRAISON, late delivery , Größe "),
            ("late delivery", "tracking", "livraison", "grosse"),
        )
        self.assertEqual(parse_keywords(False), ())
        self.assertEqual(normalize("Über-fällig! Crédit_note"), "uber fallig credit note")

    def test_keyword_of_one_category_is_sure(self):
        result = triage("Parcel not here", "We are still waiting for the parcel of order S00042.", CATEGORIES)
        self.assertEqual(result.category_key, "delivery")
        self.assertGreaterEqual(result.category_confidence, DEFAULT_AUTO_THRESHOLD)
        self.assertIn(("keyword", "parcel", "parcel", "delivery"), [astuple(reason) for reason in result.reasons])

    def test_more_keywords_more_sure(self):
        one = triage("Tracking", "", CATEGORIES).category_confidence
        two = triage("Tracking of my parcel", "", CATEGORIES).category_confidence
        self.assertGreater(two, one)
        self.assertLess(two, 1.0)

    def test_words_with_endings_accents_and_case(self):
        self.assertEqual(triage("INVOICES of May", "", CATEGORIES).category_key, "invoice")
        self.assertEqual(triage("Rechnungen", "", CATEGORIES).category_key, "invoice")
        self.assertEqual(triage("Livraison retardée", "", CATEGORIES).category_key, "delivery")
        # a keyword matches whole words only
        self.assertIsNone(triage("Brokenhearted", "", CATEGORIES).category_key)

    def test_phrase_keyword_needs_the_whole_phrase(self):
        self.assertEqual(triage("A late delivery", "", CATEGORIES).category_key, "delivery")
        self.assertIsNone(triage("We are late", "", CATEGORIES).category_key)

    def test_competing_categories_ask_a_human(self):
        """A damaged parcel is about delivery and quality: the best guess is never sure."""
        result = triage("Parcel arrived damaged", "", CATEGORIES)
        self.assertIn(result.category_key, ("delivery", "quality"))
        self.assertLess(result.category_confidence, DEFAULT_AUTO_THRESHOLD)
        clear = triage("Parcel tracking: the parcel arrived damaged", "", CATEGORIES)
        self.assertEqual(clear.category_key, "delivery")
        self.assertLess(clear.category_confidence, DEFAULT_AUTO_THRESHOLD)
        self.assertGreater(clear.category_confidence, result.category_confidence)

    def test_typo_is_found_but_never_sure(self):
        result = triage("Problem with my invocie", "", CATEGORIES)
        self.assertEqual(result.category_key, "invoice")
        self.assertLessEqual(result.category_confidence, FUZZY_CONFIDENCE_CAP)
        self.assertLess(result.category_confidence, DEFAULT_APPROVAL_THRESHOLD)
        self.assertEqual(result.reasons[0].kind, "typo")
        self.assertEqual((result.reasons[0].found, result.reasons[0].rule), ("invocie", "invoice"))

    def test_no_keyword_no_category(self):
        result = triage("Hello", "Can you call me back?", CATEGORIES)
        self.assertIsNone(result.category_key)
        self.assertEqual(result.category_confidence, 0.0)
        self.assertIsNone(triage("Other", "", CATEGORIES).category_key, "a category without keywords is not guessed")

    def test_urgency_in_five_languages(self):
        for text in (
            "URGENT: production stopped",
            "C'est urgent, arrêt de production",
            "Bitte dringend liefern",
            "Es urgente, lo antes posible",
            "Met spoed graag, de productie ligt stil",
        ):
            with self.subTest(text=text):
                result = triage(text, "", CATEGORIES)
                self.assertEqual(result.priority, "3")
                self.assertGreaterEqual(result.priority_confidence, DEFAULT_AUTO_THRESHOLD)

    def test_high_priority_words(self):
        for text in ("We are still waiting", "Toujours pas reçu", "Immer noch nichts", "Todavía nada", "Nog steeds"):
            with self.subTest(text=text):
                self.assertEqual(triage(text, "", CATEGORIES).priority, "2")

    def test_calm_phrases_are_not_urgency(self):
        for text in (
            "Not urgent, just a question",
            "Pas urgent",
            "Nicht dringend, keine Eile",
            "No es urgente",
            "Niet dringend",
        ):
            with self.subTest(text=text):
                result = triage(text, "", CATEGORIES)
                self.assertEqual(result.priority, "0")

    def test_calm_and_urgent_contradict(self):
        result = triage("Not urgent", "but production stopped", CATEGORIES)
        self.assertEqual(result.priority, "3")
        self.assertLess(result.priority_confidence, DEFAULT_APPROVAL_THRESHOLD)

    def test_urgency_typo_is_not_sure(self):
        result = triage("Emergncy", "", CATEGORIES)
        self.assertEqual(result.priority, "3")
        self.assertLessEqual(result.priority_confidence, FUZZY_CONFIDENCE_CAP)
        # short look-alikes are not compared: "argent" (money, in French) is not "urgent"
        self.assertIsNone(triage("Argent", "", CATEGORIES).priority)

    def test_no_urgency_word_no_priority(self):
        result = triage("Invoice", "Please send a copy.", CATEGORIES)
        self.assertIsNone(result.priority)
        self.assertEqual(result.priority_confidence, 0.0)

    def test_deterministic(self):
        text = ("Parcel arrived damaged", "Rechnung falsch, dringend")
        self.assertEqual(triage(*text, CATEGORIES), triage(*text, CATEGORIES))
