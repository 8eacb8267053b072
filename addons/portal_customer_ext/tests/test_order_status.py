"""The customer's status of an order on every combination of deliveries and invoices (plain Python, no database)."""

import itertools
from datetime import date, datetime

from odoo.tests import BaseCase

from odoo.addons.portal_customer_ext.tools.order_status import (
    CANCELLED,
    CONFIRMED,
    DELIVERED,
    INVOICED,
    PAID,
    PARTIALLY_SHIPPED,
    QUOTED,
    SHIPPED,
    STATUSES,
    Delivery,
    Invoice,
    Step,
    derive_order_status,
)

SHIP_1 = datetime(2024, 3, 1, 10, 0)
SHIP_2 = datetime(2024, 3, 5, 10, 0)
RECEIVED = datetime(2024, 3, 7, 9, 0)

# Delivery kinds: waiting, ready, shipped, shipped and received, cancelled
DELIVERY_KINDS = {
    "waiting": Delivery("confirmed"),
    "ready": Delivery("assigned"),
    "shipped": Delivery("done", SHIP_1),
    "received": Delivery("done", SHIP_2, RECEIVED),
    "cancelled": Delivery("cancel"),
}
# Invoice kinds, credit notes included
INVOICE_KINDS = {
    "draft": Invoice("draft"),
    "cancelled": Invoice("cancel"),
    "open": Invoice("posted", "not_paid", invoice_date=date(2024, 3, 8)),
    "partial": Invoice("posted", "partial", invoice_date=date(2024, 3, 8)),
    "in_payment": Invoice("posted", "in_payment", invoice_date=date(2024, 3, 9), paid_date=date(2024, 3, 12)),
    "paid": Invoice("posted", "paid", invoice_date=date(2024, 3, 9), paid_date=date(2024, 3, 11)),
    "reversed": Invoice("posted", "reversed", invoice_date=date(2024, 3, 8)),
    "credit_note": Invoice("posted", "paid", move_type="out_refund", invoice_date=date(2024, 3, 10)),
}


def combinations(kinds: dict, max_size: int):
    """Every multiset of up to `max_size` kinds (order does not matter to the rule)."""
    for size in range(max_size + 1):
        yield from itertools.combinations_with_replacement(sorted(kinds), size)


def expected_status(order_state: str, delivery_kinds: tuple, invoice_kinds: tuple, fully_invoiced: bool) -> str:
    """The documented rule, written out case by case on the kinds (independently of the implementation)."""
    if order_state == "cancel":
        return CANCELLED
    if order_state in ("draft", "sent"):
        return QUOTED
    live = [kind for kind in delivery_kinds if kind != "cancelled"]
    if not delivery_kinds:
        shipping = DELIVERED
    elif not any(kind in ("shipped", "received") for kind in live):
        shipping = CONFIRMED
    elif any(kind in ("waiting", "ready") for kind in live):
        shipping = PARTIALLY_SHIPPED
    elif all(kind == "received" for kind in live):
        shipping = DELIVERED
    else:
        shipping = SHIPPED
    if shipping not in (SHIPPED, DELIVERED):
        return shipping
    counted = [kind for kind in invoice_kinds if kind in ("open", "partial", "in_payment", "paid")]
    if not fully_invoiced or "draft" in invoice_kinds or not counted:
        return shipping
    return PAID if all(kind in ("in_payment", "paid") for kind in counted) else INVOICED


class TestOrderStatus(BaseCase):
    def derive(self, order_state, delivery_kinds=(), invoice_kinds=(), fully_invoiced=False):
        return derive_order_status(
            order_state,
            [DELIVERY_KINDS[kind] for kind in delivery_kinds],
            [INVOICE_KINDS[kind] for kind in invoice_kinds],
            fully_invoiced,
            quote_date=datetime(2024, 2, 1),
            confirm_date=datetime(2024, 2, 2),
        )

    def test_every_combination(self) -> None:
        """Every order state x up to 3 deliveries x up to 2 invoices x fully invoiced or not follows the rule, and
        the timeline agrees with the status."""
        seen = set()
        count = 0
        for order_state, delivery_kinds, invoice_kinds, fully_invoiced in itertools.product(
            ("draft", "sent", "sale", "cancel"),
            combinations(DELIVERY_KINDS, 3),
            combinations(INVOICE_KINDS, 2),
            (False, True),
        ):
            count += 1
            with self.subTest(order=order_state, delivery=delivery_kinds, invoice=invoice_kinds, full=fully_invoiced):
                result = self.derive(order_state, delivery_kinds, invoice_kinds, fully_invoiced)
                expected = expected_status(order_state, delivery_kinds, invoice_kinds, fully_invoiced)
                self.assertEqual(result.status, expected)
                seen.add(result.status)
                self.assertTimelineMatches(result, delivery_kinds)
        self.assertEqual(seen, set(STATUSES), "every status is reached by some combination")
        self.assertGreater(count, 10000)

    def assertTimelineMatches(self, result, delivery_kinds) -> None:
        steps = {step.code: step for step in result.timeline}
        codes = [step.code for step in result.timeline]
        self.assertEqual(codes, sorted(codes, key=STATUSES.index), "steps in the customer's order")
        self.assertTrue(steps[QUOTED].reached)
        if result.status == CANCELLED:
            self.assertEqual(codes, [QUOTED, CANCELLED])
            return
        # steps up to the current status are reached (invoicing may run ahead of shipping, not the other way)
        if result.status != QUOTED:
            self.assertTrue(steps[CONFIRMED].reached)
            self.assertEqual(steps[CONFIRMED].date, datetime(2024, 2, 2))
        self.assertEqual(PARTIALLY_SHIPPED in steps, result.status == PARTIALLY_SHIPPED)
        self.assertEqual(SHIPPED in steps, bool(delivery_kinds))
        if result.status in (SHIPPED, DELIVERED, INVOICED, PAID) and delivery_kinds:
            self.assertTrue(steps[SHIPPED].reached)
            self.assertIsNotNone(steps[SHIPPED].date)
        if result.status in (INVOICED, PAID):
            self.assertTrue(steps[INVOICED].reached)
            self.assertIsNotNone(steps[INVOICED].date)
        if result.status == PAID:
            self.assertTrue(steps[PAID].reached)
            self.assertIn(steps[PAID].date, (date(2024, 3, 11), date(2024, 3, 12)), "when the last invoice was paid")
        elif result.status == INVOICED:
            self.assertFalse(steps[PAID].reached)
        if result.status == DELIVERED and delivery_kinds:
            self.assertEqual(steps[DELIVERED].date, RECEIVED)
        for step in result.timeline:
            if not step.reached:
                self.assertIsNone(step.date, step.code)

    def test_examples(self) -> None:
        """A few cases spelled out, as a customer would read them."""
        self.assertEqual(self.derive("sale", ["shipped", "waiting"]).status, PARTIALLY_SHIPPED)
        self.assertEqual(self.derive("sale", ["shipped", "cancelled"]).status, SHIPPED)
        self.assertEqual(self.derive("sale", ["cancelled"]).status, CONFIRMED)
        # services: nothing to deliver, straight to delivered, then invoicing
        self.assertEqual(self.derive("sale").status, DELIVERED)
        self.assertEqual(self.derive("sale", (), ["open"], True).status, INVOICED)
        self.assertEqual(self.derive("sale", (), ["paid"], True).status, PAID)
        # paid in advance but not shipped: the status follows the goods
        self.assertEqual(self.derive("sale", ["ready"], ["paid"], True).status, CONFIRMED)
        # one invoice paid, the next one still open
        self.assertEqual(self.derive("sale", ["received"], ["paid", "open"], True).status, INVOICED)
        # a reversed invoice and its paid replacement
        self.assertEqual(self.derive("sale", ["received"], ["reversed", "paid"], True).status, PAID)
        # a draft invoice pending: not invoiced to the customer yet
        self.assertEqual(self.derive("sale", ["received"], ["paid", "draft"], True).status, DELIVERED)
        # partially invoiced
        self.assertEqual(self.derive("sale", ["shipped"], ["paid"], False).status, SHIPPED)

    def test_timeline_dates(self) -> None:
        partial = self.derive("sale", ["shipped", "waiting"])
        self.assertEqual(
            [(s.code, s.reached, s.date) for s in partial.timeline],
            [
                (QUOTED, True, datetime(2024, 2, 1)),
                (CONFIRMED, True, datetime(2024, 2, 2)),
                (PARTIALLY_SHIPPED, True, SHIP_1),
                (SHIPPED, False, None),
                (DELIVERED, False, None),
                (INVOICED, False, None),
                (PAID, False, None),
            ],
        )
        paid = self.derive("sale", ["shipped", "received"], ["paid", "in_payment"], True)
        self.assertEqual(
            [(s.code, s.reached, s.date) for s in paid.timeline],
            [
                (QUOTED, True, datetime(2024, 2, 1)),
                (CONFIRMED, True, datetime(2024, 2, 2)),
                (SHIPPED, True, SHIP_2),
                (DELIVERED, False, None),
                (INVOICED, True, date(2024, 3, 9)),
                (PAID, True, date(2024, 3, 12)),
            ],
        )
        self.assertEqual(
            [s.code for s in self.derive("sale", (), ["open"], True).timeline], [QUOTED, CONFIRMED, INVOICED, PAID]
        )

    def test_paid_date(self) -> None:
        """The paid step is dated when the last counted invoice was paid; without known dates, it has none."""

        def paid_step(*invoices):
            return derive_order_status("sale", (), invoices, True).timeline[-1]

        early = Invoice("posted", "paid", invoice_date=date(2024, 3, 1), paid_date=date(2024, 3, 20))
        late = Invoice("posted", "in_payment", invoice_date=date(2024, 3, 5), paid_date=date(2024, 4, 2))
        self.assertEqual(paid_step(early, late), Step(PAID, True, date(2024, 4, 2)))
        self.assertEqual(paid_step(late, early), Step(PAID, True, date(2024, 4, 2)))
        # a reversed invoice and its credit note do not count, even paid later
        reversed_ = Invoice("posted", "reversed", invoice_date=date(2024, 3, 1), paid_date=date(2024, 5, 1))
        credit_note = Invoice("posted", "paid", "out_refund", date(2024, 5, 1), paid_date=date(2024, 5, 1))
        self.assertEqual(paid_step(early, reversed_, credit_note), Step(PAID, True, date(2024, 3, 20)))
        # paid without a known date (e.g. nothing to reconcile): reached, undated
        self.assertEqual(paid_step(Invoice("posted", "paid", invoice_date=date(2024, 3, 1))), Step(PAID, True, None))
        # not all paid: not reached, no date even though one invoice is paid
        still_open = Invoice("posted", "partial", invoice_date=date(2024, 3, 5))
        self.assertEqual(paid_step(early, still_open), Step(PAID, False, None))
