"""Usage events reported by the asset system: signed with the webhooks' shared secret, not with an API key."""

from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response, status
from pydantic import ValidationError

from odoo.api import Environment
from odoo.tools import float_compare

from odoo.addons.fastapi.dependencies import odoo_env

from ..api_route import ApiError, ApiRoute, field_errors
from ..models.ov_outlet_webhook_delivery import PARAM_SECRET
from ..schemas.common import ErrorOut
from ..schemas.usage import UsageIn, UsageOut
from ..tools.webhook_signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, SignatureError, verify

SIGNED_RESPONSES = {
    status.HTTP_400_BAD_REQUEST: {"model": ErrorOut, "description": "Invalid input, with one message per field"},
    status.HTTP_401_UNAUTHORIZED: {
        "model": ErrorOut,
        "description": "Unsigned, wrongly signed, or signed more than 5 minutes ago (the reason is in the detail)",
    },
}

usage_router = APIRouter(route_class=ApiRoute, tags=["usage"], responses=SIGNED_RESPONSES)


async def raw_body(request: Request) -> bytes:
    """The body as sent: the signature covers these bytes, so it is checked before anything parses them."""
    return await request.body()


class SignedRequest:
    """A request signed by the asset system with the shared secret (HMAC-SHA256 over "<timestamp>.<body>").

    :raise ApiError: 401 when the signature is missing, malformed, expired or does not match
    """

    def __init__(
        self,
        body: Annotated[bytes, Depends(raw_body)],
        env: Annotated[Environment, Depends(odoo_env)],
        timestamp: Annotated[
            str | None, Header(alias=TIMESTAMP_HEADER, description="Unix time of sending, in seconds")
        ] = None,
        signature: Annotated[
            str | None,
            Header(
                alias=SIGNATURE_HEADER,
                description='`sha256=` and the hex HMAC-SHA256 of `"<timestamp>.<body>"` with the shared secret',
            ),
        ] = None,
    ):
        sent = ((TIMESTAMP_HEADER, timestamp), (SIGNATURE_HEADER, signature))
        headers = {name: value for name, value in sent if value}
        secret = env["ir.config_parameter"].sudo().get_param(PARAM_SECRET) or ""
        try:
            self.signature = verify(secret, headers, body)
        except SignatureError as error:
            raise ApiError(status.HTTP_401_UNAUTHORIZED, detail=f"Signature {error.reason}: {error}") from None
        self.body = body
        # The signature is the access check: the asset system acts for the endpoint's company.
        self.env = env(su=True)


def _parse(body: bytes) -> UsageIn:
    try:
        usage = UsageIn.model_validate_json(body)
    except ValidationError as error:
        raise ApiError(status.HTTP_400_BAD_REQUEST, detail=field_errors(error.errors())) from None
    errors = [
        {"field": field, "message": f"Give either {field} or {other}."}
        for field, other in (("order_id", "order_reference"), ("product_id", "product_default_code"))
        if (getattr(usage, field) is None) == (getattr(usage, other) is None)
    ]
    if errors:
        raise ApiError(status.HTTP_400_BAD_REQUEST, detail=errors)
    return usage


def _same_event(event, usage):
    order, product = event.order_id, event.product_id
    return (
        (order.id == usage.order_id if usage.order_id else order.name == usage.order_reference)
        and (product.id == usage.product_id if usage.product_id else product.default_code == usage.product_default_code)
        and not float_compare(event.quantity, usage.quantity, precision_digits=6)
    )


def _find_order(env, usage):
    domain = [("company_id", "in", env.companies.ids)]
    domain.append(("id", "=", usage.order_id) if usage.order_id else ("name", "=", usage.order_reference))
    order = env["sale.order"].search(domain, limit=1)
    if not order:
        raise ApiError(status.HTTP_404_NOT_FOUND, detail=f"No sales order {usage.order_id or usage.order_reference}.")
    if order.state != "sale":
        raise ApiError(status.HTTP_409_CONFLICT, detail=f"The order {order.name} is not confirmed.")
    return order


def _find_product(env, usage, order):
    field = "product_id" if usage.product_id else "product_default_code"
    domain = ["|", ("company_id", "=", False), ("company_id", "in", env.companies.ids)]
    domain.append((field.removeprefix("product_"), "=", getattr(usage, field)))
    product = env["product.product"].search(domain, limit=1)
    if not product:
        message = f"No product {usage.product_id or usage.product_default_code}."
    elif product not in order.order_line.product_id - order._ov_usage_overage_lines().product_id:
        message = f"The product {product.display_name} is not on the order {order.name}."
    else:
        return product
    raise ApiError(status.HTTP_400_BAD_REQUEST, detail=[{"field": field, "message": message}])


@usage_router.post(
    "/subscription/usage_log",
    status_code=status.HTTP_201_CREATED,
    response_model=UsageOut,
    responses={
        status.HTTP_200_OK: {"model": UsageOut, "description": "This event id was already recorded: the same record"},
        status.HTTP_201_CREATED: {"description": "The event, recorded now"},
        status.HTTP_404_NOT_FOUND: {"model": ErrorOut, "description": "No such sales order"},
        status.HTTP_409_CONFLICT: {
            "model": ErrorOut,
            "description": "A replayed signature, an order that is not confirmed, or an event id already recorded "
            "with another order, product or quantity",
        },
    },
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": UsageIn.model_json_schema()}}}
    },
)
def log_usage(signed: Annotated[SignedRequest, Depends()], response: Response):
    """Record a usage event of the asset system on a confirmed order; usage beyond the order's allowance is set as
    delivered on an order line, so the next invoice bills it.

    Not called with an API key: the request is signed with the secret shared with the asset system (headers
    `X-OV-Timestamp` and `X-OV-Signature`, as the order webhooks). The same signature is accepted once; the same
    `event_id` sent again (freshly signed) answers 200 with the first record and records nothing.
    """
    env = signed.env
    Event = env["ov.outlet.usage.event"]
    if not env["ov.outlet.signed.request"]._ov_accept(signed.signature):
        raise ApiError(status.HTTP_409_CONFLICT, detail="This signed request was already accepted (replay).")
    usage = _parse(signed.body)
    event = Event.search([("event_id", "=", usage.event_id)], limit=1)
    if event:
        if event.company_id not in env.companies or not _same_event(event, usage):
            raise ApiError(
                status.HTTP_409_CONFLICT,
                detail=f"The event {usage.event_id} was already recorded with another order, product or quantity.",
            )
        response.status_code = status.HTTP_200_OK
        return UsageOut.from_record(event)
    order = _find_order(env, usage)
    product = _find_product(env, usage, order)
    event = Event._ov_record(
        order,
        product,
        {
            "event_id": usage.event_id,
            "quantity": usage.quantity,
            "occurred_at": usage.occurred_at.astimezone(UTC).replace(tzinfo=None),
            "asset_ref": usage.asset_ref,
            "note": usage.note,
        },
    )
    return UsageOut.from_record(event)
