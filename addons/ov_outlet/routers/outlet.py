from typing import Annotated

from fastapi import APIRouter, Query, status

from ..api_route import ERROR_RESPONSES, NOT_FOUND_RESPONSE, ApiError, ApiRoute
from ..dependencies import ApiEnv, Paginate
from ..schemas.common import Page
from ..schemas.outlet import OutletOut

outlet_router = APIRouter(route_class=ApiRoute, tags=["outlets"], responses=ERROR_RESPONSES)


@outlet_router.get("/ov.outlet", response_model=Page[OutletOut])
def list_outlets(
    env: ApiEnv,
    pagination: Paginate,
    code: Annotated[str | None, Query(max_length=64, description="Exact outlet code")] = None,
    channel_partner_id: Annotated[int | None, Query(ge=1)] = None,
):
    """Active outlets of the key's company, by name, with their channel partner and site address."""
    domain = []
    if code:
        domain.append(("code", "=", code))
    if channel_partner_id:
        domain.append(("channel_partner_id", "=", channel_partner_id))
    return pagination.page(env["ov.outlet"], domain, "name, id", OutletOut.from_record)


@outlet_router.get("/ov.outlet/{outlet_id}", response_model=OutletOut, responses=NOT_FOUND_RESPONSE)
def get_outlet(env: ApiEnv, outlet_id: int):
    """One outlet (archived ones too), with its channel partner and site address."""
    outlet = env["ov.outlet"].with_context(active_test=False).search([("id", "=", outlet_id)], limit=1)
    if not outlet:
        raise ApiError(status.HTTP_404_NOT_FOUND, detail=f"No outlet {outlet_id}.")
    return OutletOut.from_record(outlet)
