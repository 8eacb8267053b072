from typing import Annotated

from fastapi import APIRouter, Depends, status

from ..api_route import CONFLICT_RESPONSE, ERROR_RESPONSES, NOT_FOUND_RESPONSE, ApiError, ApiRoute
from ..dependencies import ApiEnv, Idempotency
from ..schemas.payment import PaymentIn, PaymentOut

payment_router = APIRouter(route_class=ApiRoute, tags=["payments"], responses=ERROR_RESPONSES)


@payment_router.post(
    "/payment.transaction",
    response_model=PaymentOut,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND_RESPONSE, **CONFLICT_RESPONSE},
)
def create_payment(env: ApiEnv, body: PaymentIn, idempotency: Annotated[Idempotency, Depends()]):
    """Record a payment the sales app took for one of its quotations. `done` confirms the order (and invoices it
    with the payment reconciled when Sales > Settings > Automatic Invoice is on); `error` leaves the quotation
    unchanged for a new attempt. 404 for an order of someone else, 409 for an order that is no quotation any more
    or a provider reference already recorded."""
    return idempotency.run(body, lambda: _record_payment(env, body))


def _record_payment(env, body):
    order = env["sale.order"].search([("id", "=", body.sale_order_id)], limit=1)
    if not order:
        raise ApiError(status.HTTP_404_NOT_FOUND, detail=f"No sales order {body.sale_order_id}.")
    transaction = env["payment.transaction"]._ov_api_record_sales_app_payment(
        order,
        body.amount,
        body.provider_reference,
        body.status,
        currency_code=body.currency,
        message=body.message,
    )
    return PaymentOut.from_record(transaction)


@payment_router.get("/payment.transaction/{transaction_id}", response_model=PaymentOut, responses=NOT_FOUND_RESPONSE)
def get_payment(env: ApiEnv, transaction_id: int):
    """A payment transaction created by this key's user, with its order and invoices."""
    transaction = env["payment.transaction"].search([("id", "=", transaction_id)], limit=1)
    if not transaction:
        raise ApiError(status.HTTP_404_NOT_FOUND, detail=f"No payment transaction {transaction_id}.")
    return PaymentOut.from_record(transaction.sudo())
