"""The status of a sales order as its customer understands it, from the order, its deliveries and its invoices.

Plain Python, no ORM: `sale.order._pce_order_status_facts()` reads the facts, `derive_order_status()` decides.

Rule (first match wins):

1. ``cancelled``: the order is cancelled.
2. ``quoted``: the order is a quotation (draft or sent).
3. Delivery progress. Only the deliveries to the customer count (outgoing pickings), and cancelled ones are left
   out. An order without any delivery (services only, or nothing left to ship) has nothing to deliver and counts
   as *delivered*.

   - ``confirmed``: no delivery done yet (also when every delivery was cancelled: the goods are still owed);
   - ``partially_shipped``: some deliveries done, not all (a backorder is still open);
   - ``shipped``: every delivery done, not every one received;
   - ``delivered``: every delivery done and received (the customer confirmed receipt in the portal, or an
     internal user set the received date on the delivery).

4. Invoicing progress, only once the goods left (``shipped`` or ``delivered``; before that, an invoice paid in
   advance shows in the timeline, not in the status). The invoices that count are the posted customer invoices
   that were not fully reversed by a credit note (``payment_state`` ``reversed``); drafts and cancelled ones are
   the seller's business.

   - ``invoiced``: the order is fully invoiced (nothing left to invoice), no customer invoice is still a draft,
     at least one counted invoice exists, and not all of them are paid;
   - ``paid``: the same, and every counted invoice is paid (``paid``, ``in_payment`` or ``invoicing_legacy``).

   An order whose invoices were all reversed by credit notes is no longer fully invoiced in Odoo, so it falls back
   to its delivery status until invoiced again.

The timeline lists the steps in order, each reached or not with a date when known: ``quoted``, ``confirmed``,
``partially_shipped`` (only while partially shipped), ``shipped`` and ``delivered`` (not for an order without
deliveries), ``invoiced``, ``paid``; a cancelled order has ``quoted`` and ``cancelled``. The ``paid`` step's date
is when the last of the counted invoices became paid (the latest of their ``paid_date``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

QUOTED = "quoted"
CONFIRMED = "confirmed"
PARTIALLY_SHIPPED = "partially_shipped"
SHIPPED = "shipped"
DELIVERED = "delivered"
INVOICED = "invoiced"
PAID = "paid"
CANCELLED = "cancelled"

# In the order a customer goes through them; cancelled is apart.
STATUSES = (QUOTED, CONFIRMED, PARTIALLY_SHIPPED, SHIPPED, DELIVERED, INVOICED, PAID, CANCELLED)

QUOTATION_STATES = ("draft", "sent")
PAID_PAYMENT_STATES = ("paid", "in_payment", "invoicing_legacy")
CUSTOMER_INVOICE_TYPES = ("out_invoice",)


@dataclass(frozen=True)
class Delivery:
    """A delivery (outgoing picking) of the order to its customer.

    :param state: the picking's ``state`` (draft, waiting, confirmed, assigned, done, cancel)
    :param date_done: when it was validated (shipped)
    :param received_date: when the customer received it (confirmed in the portal or set by an internal user)
    """

    state: str
    date_done: datetime | None = None
    received_date: datetime | None = None

    @property
    def is_done(self) -> bool:
        return self.state == "done"

    @property
    def is_received(self) -> bool:
        return self.is_done and bool(self.received_date)


@dataclass(frozen=True)
class Invoice:
    """An invoice or credit note of the order.

    :param state: ``draft``, ``posted`` or ``cancel``
    :param payment_state: the move's ``payment_state``
    :param move_type: ``out_invoice`` or ``out_refund``
    :param invoice_date: its accounting date
    :param paid_date: when it became paid (its last payment or reconciliation), when paid and known
    """

    state: str
    payment_state: str = "not_paid"
    move_type: str = "out_invoice"
    invoice_date: date | None = None
    paid_date: date | None = None

    @property
    def counts(self) -> bool:
        """Whether it is a posted customer invoice the customer still owes or paid (not reversed)."""
        return self.state == "posted" and self.move_type in CUSTOMER_INVOICE_TYPES and self.payment_state != "reversed"

    @property
    def is_paid(self) -> bool:
        return self.payment_state in PAID_PAYMENT_STATES


@dataclass(frozen=True)
class Step:
    """One step of the timeline: `code` (a status code), whether it is `reached`, and its `date` when known."""

    code: str
    reached: bool
    date: date | datetime | None = None


@dataclass(frozen=True)
class OrderStatus:
    status: str
    timeline: tuple[Step, ...] = field(default_factory=tuple)


def _latest(values: Iterable) -> date | datetime | None:
    values = [value for value in values if value]
    return max(values) if values else None


def _earliest(values: Iterable) -> date | datetime | None:
    values = [value for value in values if value]
    return min(values) if values else None


def delivery_status(deliveries: Sequence[Delivery]) -> str:
    """:return: the delivery progress of a confirmed order: confirmed, partially_shipped, shipped or delivered."""
    active = [delivery for delivery in deliveries if delivery.state != "cancel"]
    if not deliveries:
        return DELIVERED  # nothing to deliver
    if not active or not any(delivery.is_done for delivery in active):
        return CONFIRMED
    if not all(delivery.is_done for delivery in active):
        return PARTIALLY_SHIPPED
    if all(delivery.is_received for delivery in active):
        return DELIVERED
    return SHIPPED


def invoice_status(invoices: Sequence[Invoice], fully_invoiced: bool) -> str | None:
    """:return: ``paid``, ``invoiced`` or None (not fully invoiced to the customer yet)."""
    if not fully_invoiced:
        return None
    if any(inv.state == "draft" and inv.move_type in CUSTOMER_INVOICE_TYPES for inv in invoices):
        return None
    counted = [inv for inv in invoices if inv.counts]
    if not counted:
        return None
    return PAID if all(inv.is_paid for inv in counted) else INVOICED


def derive_order_status(
    order_state: str,
    deliveries: Sequence[Delivery] = (),
    invoices: Sequence[Invoice] = (),
    fully_invoiced: bool = False,
    quote_date: date | datetime | None = None,
    confirm_date: date | datetime | None = None,
) -> OrderStatus:
    """Decide the customer's status of an order and its timeline (see the module's docstring for the rule).

    :param order_state: the ``sale.order`` state (draft, sent, sale, cancel)
    :param deliveries: its deliveries to the customer (outgoing pickings, any state)
    :param invoices: its invoices and credit notes (any state)
    :param fully_invoiced: whether nothing is left to invoice (``invoice_status == "invoiced"``)
    :param quote_date: when the quotation was made
    :param confirm_date: when the order was confirmed
    """
    deliveries, invoices = tuple(deliveries), tuple(invoices)
    if order_state == "cancel":
        return OrderStatus(CANCELLED, (Step(QUOTED, True, quote_date), Step(CANCELLED, True, None)))
    if order_state in QUOTATION_STATES:
        status = QUOTED
    else:
        status = delivery_status(deliveries)
        if status in (SHIPPED, DELIVERED):
            status = invoice_status(invoices, fully_invoiced) or status
    timeline = _timeline(order_state, deliveries, invoices, fully_invoiced, quote_date, confirm_date)
    return OrderStatus(status, timeline)


def _timeline(order_state, deliveries, invoices, fully_invoiced, quote_date, confirm_date) -> tuple[Step, ...]:
    confirmed = order_state not in QUOTATION_STATES
    steps = [Step(QUOTED, True, quote_date), Step(CONFIRMED, confirmed, confirm_date if confirmed else None)]
    active = [delivery for delivery in deliveries if delivery.state != "cancel"]
    if deliveries:
        done = [delivery for delivery in active if delivery.is_done]
        all_done = bool(active) and len(done) == len(active)
        all_received = all_done and all(delivery.is_received for delivery in active)
        if confirmed and done and not all_done:
            steps.append(Step(PARTIALLY_SHIPPED, True, _earliest(d.date_done for d in done)))
        shipped, received = confirmed and all_done, confirmed and all_received
        steps.append(Step(SHIPPED, shipped, _latest(d.date_done for d in done) if shipped else None))
        steps.append(Step(DELIVERED, received, _latest(d.received_date for d in active) if received else None))
    invoicing = confirmed and invoice_status(invoices, fully_invoiced)
    counted = [inv for inv in invoices if inv.counts]
    steps.append(Step(INVOICED, bool(invoicing), _latest(inv.invoice_date for inv in counted) if invoicing else None))
    paid = invoicing == PAID
    steps.append(Step(PAID, paid, _latest(inv.paid_date for inv in counted) if paid else None))
    return tuple(steps)
