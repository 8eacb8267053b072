from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from .common import RecordRef, StrictInput, utc_datetime


class PaymentIn(StrictInput):
    sale_order_id: int = Field(ge=1, description="The quotation paid (created by this key's user)")
    amount: float = Field(gt=0, description="The amount paid: the order's total")
    currency: str | None = Field(
        default=None, pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code; when given, it must be the order's"
    )
    provider_reference: str = Field(
        min_length=1, max_length=255, description="The payment's reference at the sales app's payment provider"
    )
    status: Literal["done", "error"] = Field(
        description="`done`: paid (the order is confirmed, and invoiced when automatic invoicing is on); "
        "`error`: the payment failed (the quotation is left as it is; post a new payment to retry)"
    )
    message: str | None = Field(default=None, max_length=2000, description="The payment provider's message")


class SaleOrderRef(RecordRef):
    state: str = Field(description="`draft`, `sent`, `sale` (confirmed) or `cancel`")


class InvoiceOut(BaseModel):
    id: int
    name: str
    state: str = Field(description="`draft`, `posted` or `cancel`")
    payment_state: str = Field(description="`not_paid`, `partial`, `in_payment`, `paid`, `reversed`...")


class PaymentOut(BaseModel):
    id: int
    reference: str = Field(description="Odoo's reference of the transaction")
    provider_reference: str | None
    state: str = Field(description="`draft`, `pending`, `authorized`, `done`, `cancel` or `error`")
    amount: float
    currency: str = Field(description="ISO 4217 code")
    sale_order: SaleOrderRef | None
    invoices: list[InvoiceOut]
    message: str | None
    last_state_change: datetime | None

    @classmethod
    def from_record(cls, transaction):
        """:param transaction: `payment.transaction` the caller may read, as superuser (invoices: accounting)"""
        order = transaction.sale_order_ids[:1]
        return cls(
            id=transaction.id,
            reference=transaction.reference,
            provider_reference=transaction.provider_reference or None,
            state=transaction.state,
            amount=transaction.amount,
            currency=transaction.currency_id.name,
            sale_order=SaleOrderRef(id=order.id, name=order.name, state=order.state) if order else None,
            invoices=[
                InvoiceOut(id=invoice.id, name=invoice.name, state=invoice.state, payment_state=invoice.payment_state)
                for invoice in transaction.invoice_ids.sorted("id")
            ],
            message=transaction.state_message or None,
            last_state_change=utc_datetime(transaction.last_state_change),
        )
