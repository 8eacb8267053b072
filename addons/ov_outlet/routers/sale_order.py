from typing import Annotated

from fastapi import APIRouter, Depends, status

from ..api_route import CONFLICT_RESPONSE, ERROR_RESPONSES, NOT_FOUND_RESPONSE, ApiError, ApiRoute
from ..dependencies import ApiEnv, Idempotency
from ..schemas.sale_order import OrderHeaderPatch, OrderIn, OrderLinesIn, OrderOut

sale_order_router = APIRouter(route_class=ApiRoute, tags=["sales orders"], responses=ERROR_RESPONSES)

CHANGE_RESPONSES = {**NOT_FOUND_RESPONSE, **CONFLICT_RESPONSE}


def _get_order(env, order_id):
    """:return: the caller's order `order_id` (its own, in its company)
    :raise ApiError: 404 for any other id"""
    order = env["sale.order"].search([("id", "=", order_id)], limit=1)
    if not order:
        raise ApiError(status.HTTP_404_NOT_FOUND, detail=f"No sales order {order_id}.")
    return order


def _answer(order):
    # the caller may read it (found as the caller); units and currencies are read as superuser
    return OrderOut.from_record(order.sudo())


@sale_order_router.post(
    "/sale.order", response_model=OrderOut, status_code=status.HTTP_201_CREATED, responses=CONFLICT_RESPONSE
)
def create_order(env: ApiEnv, body: OrderIn, idempotency: Annotated[Idempotency, Depends()]):
    """Create a quotation. The channel partner defaults to the outlet's, the pricelist to the customer's, each line's
    price to the pricelist's."""

    def create():
        data = body.model_dump(exclude={"lines"}, exclude_none=True)  # null: the default
        return _answer(env["sale.order"]._ov_api_create(data, [line.model_dump() for line in body.lines]))

    return idempotency.run(body, create)


@sale_order_router.get("/sale.order/{order_id}", response_model=OrderOut, responses=NOT_FOUND_RESPONSE)
def get_order(env: ApiEnv, order_id: int):
    """One order created with this key's user, with its lines and totals."""
    return _answer(_get_order(env, order_id))


@sale_order_router.patch("/sale.order/{order_id}", response_model=OrderOut, responses=CHANGE_RESPONSES)
def update_order(env: ApiEnv, order_id: int, body: OrderHeaderPatch):
    """Change the header fields given (null clears an optional one) of a quotation; 409 once it is confirmed."""
    order = _get_order(env, order_id)
    return _answer(order._ov_api_update(body.model_dump(exclude_unset=True)))


@sale_order_router.post("/sale.order/{order_id}/lines", response_model=OrderOut, responses=CHANGE_RESPONSES)
def change_order_lines(env: ApiEnv, order_id: int, body: OrderLinesIn, idempotency: Annotated[Idempotency, Depends()]):
    """Add, update and remove lines of a quotation in one transaction; 409 once it is confirmed."""
    order = _get_order(env, order_id)

    def change():
        return _answer(
            order._ov_api_change_lines(
                [line.model_dump() for line in body.add],
                [change.model_dump(exclude_unset=True) for change in body.update],
                body.remove,
            )
        )

    return idempotency.run(body, change, status.HTTP_200_OK)


@sale_order_router.post("/sale.order/{order_id}/confirm", response_model=OrderOut, responses=CHANGE_RESPONSES)
def confirm_order(env: ApiEnv, order_id: int, idempotency: Annotated[Idempotency, Depends()]):
    """Confirm a quotation with lines (as Sales would: deliveries, asset system webhook). With the same
    Idempotency-Key, a retry gets the first answer; without one, confirming a confirmed order is a 409."""
    order = _get_order(env, order_id)
    return idempotency.run(None, lambda: _answer(order._ov_api_confirm()), status.HTTP_200_OK)
