from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from odoo.exceptions import AccessError

from odoo.addons.portal_customer_ext.models.res_partner import BILLING_ENTITY_ORDER

from ..api_route import CONFLICT_RESPONSE, ERROR_RESPONSES, NOT_FOUND_RESPONSE, ApiError, ApiRoute
from ..dependencies import ApiEnv, Idempotency, Paginate
from ..schemas.billing_entity import BillingEntityIn, BillingEntityOut
from ..schemas.common import Page

billing_entity_router = APIRouter(route_class=ApiRoute, tags=["billing entities"], responses=ERROR_RESPONSES)

EmailQuery = Annotated[
    str | None,
    Query(
        max_length=254,
        description="A customer's e-mail: also the billing entities of the companies that have a contact with it",
    ),
]


@billing_entity_router.post(
    "/billing-entities",
    response_model=BillingEntityOut,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT_RESPONSE,
)
def create_billing_entity(env: ApiEnv, body: BillingEntityIn, idempotency: Annotated[Idempotency, Depends()]):
    """Create a billing entity: a customer company and its invoice contact (an invoice address under it), in one
    transaction, as the customer portal does. 409 when this key's user already made the same one (same company
    name and invoice e-mail)."""
    return idempotency.run(
        body,
        lambda: BillingEntityOut.from_record(env["res.partner"]._ov_api_create_billing_entity(body.model_dump())),
    )


@billing_entity_router.get("/billing-entities", response_model=Page[BillingEntityOut])
def list_billing_entities(env: ApiEnv, pagination: Paginate, email: EmailQuery = None):
    """The billing entities this key's user created and, with `email`, those of the companies having a contact
    with that e-mail; by company name."""
    Partner = env["res.partner"]
    domain = Partner._pce_billing_entity_domain(
        env.user.partner_id, email=Partner._ov_api_email_filter(email) if email else False
    )
    return pagination.page(Partner, domain, BILLING_ENTITY_ORDER, BillingEntityOut.from_record)


@billing_entity_router.get(
    "/billing-entities/{entity_id}", response_model=BillingEntityOut, responses=NOT_FOUND_RESPONSE
)
def get_billing_entity(env: ApiEnv, entity_id: int, email: EmailQuery = None):
    """One billing entity, when this key's user created it or (with `email`) its company has a contact with that
    e-mail."""
    Partner = env["res.partner"]
    try:
        entity = Partner._pce_get_billing_entity(
            env.user.partner_id, entity_id, email=Partner._ov_api_email_filter(email) if email else False
        )
    except AccessError:
        raise ApiError(status.HTTP_404_NOT_FOUND, detail=f"No billing entity {entity_id}.") from None
    return BillingEntityOut.from_record(entity)
