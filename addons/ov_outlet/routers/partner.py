from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from ..api_route import CONFLICT_RESPONSE, ERROR_RESPONSES, ApiRoute
from ..dependencies import ApiEnv, Idempotency, Paginate
from ..schemas.common import Page
from ..schemas.partner import PartnerOut, RegistrationIn, RegistrationOut

partner_router = APIRouter(route_class=ApiRoute, tags=["customers"], responses=ERROR_RESPONSES)


@partner_router.get("/res.partner", response_model=Page[PartnerOut])
def list_partners(
    env: ApiEnv,
    pagination: Paginate,
    email: Annotated[str | None, Query(max_length=255, description="Exact e-mail, compared normalized")] = None,
    name: Annotated[str | None, Query(max_length=255, description="Part of the name, case-insensitive")] = None,
    ref: Annotated[str | None, Query(max_length=64, description="Exact internal reference")] = None,
):
    """Active customers, and the partners this key's user created, by name."""
    Partner = env["res.partner"]
    domain = Partner._ov_api_search_domain(email=email, name=name, ref=ref)
    return pagination.page(Partner, domain, "name, id", PartnerOut.from_record)


@partner_router.post(
    "/res.partner",
    response_model=RegistrationOut,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT_RESPONSE,
)
def register_partner(env: ApiEnv, body: RegistrationIn, idempotency: Annotated[Idempotency, Depends()]):
    """Register a customer: the contact, under a new customer company when `company` is given, in one transaction.

    409 when an active customer contact already has the contact's e-mail (its id is in the message)."""

    def register():
        company, contact = env["res.partner"]._ov_api_register(
            body.company.model_dump() if body.company else None, body.contact.model_dump()
        )
        return RegistrationOut(
            company=PartnerOut.from_record(company) if company else None, contact=PartnerOut.from_record(contact)
        )

    return idempotency.run(body, register)
