"""FastAPI dependencies of the integration API: who calls (API key), pagination, and safe retries of POSTs."""

import hashlib
from typing import Annotated

from fastapi import Depends, Header, Query, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env

from .api_route import ApiError
from .models.res_users import API_KEY_SCOPE

API_GROUP = "ov_outlet.group_ov_outlet_api"
MAX_PAGE_SIZE = 200

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="An API key of a user in the *Outlets: Integration API* group (e.g. Outlet Integration).",
)


def api_env(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    env: Annotated[Environment, Depends(odoo_env)],
) -> Environment:
    """The environment of the API key's user, in its company.

    :raise HTTPException: 401 without a Bearer key or with a wrong, expired or revoked one (or its user archived);
                          403 when the key's user is not in the API group
    """
    uid = None
    if credentials and credentials.scheme.lower() == "bearer" and credentials.credentials:
        uid = env["res.users.apikeys"].sudo()._check_credentials(scope=API_KEY_SCOPE, key=credentials.credentials)
    if not uid:
        raise ApiError(
            status.HTTP_401_UNAUTHORIZED, detail="A valid API key is required.", headers={"WWW-Authenticate": "Bearer"}
        )
    user_env = env(user=uid, su=False)
    if not user_env.user.has_group(API_GROUP):
        raise ApiError(status.HTTP_403_FORBIDDEN, detail="This API key's user may not use the integration API.")
    return user_env(context=dict(user_env.context, allowed_company_ids=[user_env.user.company_id.id]))


ApiEnv = Annotated[Environment, Depends(api_env)]


class Pagination:
    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Records per page")] = 50,
        offset: Annotated[int, Query(ge=0, description="Records to skip")] = 0,
    ):
        self.limit = limit
        self.offset = offset

    def page(self, model, domain, order, make_item):
        """:return: the page of `model` records matching `domain`, as ``Page`` values (items made by `make_item`)"""
        records = model.search(domain, order=order, limit=self.limit, offset=self.offset)
        total = model.search_count(domain) if len(records) == self.limit or self.offset else len(records)
        return {
            "items": [make_item(record) for record in records],
            "total": total,
            "limit": self.limit,
            "offset": self.offset,
        }


Paginate = Annotated[Pagination, Depends()]


class Idempotency:
    """``Idempotency-Key`` on POST: a retry with the same key and body gets the first answer again and creates
    nothing; the same key with another body (or on another route) is refused with 409. Keys are per API user.
    """

    def __init__(
        self,
        request: Request,
        env: ApiEnv,
        idempotency_key: Annotated[
            str | None,
            Header(
                alias="Idempotency-Key",
                max_length=255,
                description="Any unique string (a UUID); send it again with the same body to retry safely.",
            ),
        ] = None,
    ):
        self.env = env
        self.key = idempotency_key
        self.route = f"{request.method} {request.url.path}"

    def run(self, payload, produce, status_code=status.HTTP_201_CREATED):
        """Answer the request whose validated body is `payload` with ``produce()``, once per key.

        :param payload: the request's validated body (a pydantic model) or None
        :param produce: callable doing the work and returning the answer (a pydantic model or a dict)
        :return: the answer, or the first answer given to this key
        :raise HTTPException: 409 when the key was used for another request
        """
        if not self.key:
            return produce()
        body = payload.model_dump_json() if payload is not None else ""
        fingerprint = hashlib.sha256(f"{self.route}\n{body}".encode()).hexdigest()
        claim = self.env["ov.outlet.api.idempotency"].sudo()._claim(self.env.user, self.key, fingerprint)
        if claim.fingerprint != fingerprint:
            raise ApiError(
                status.HTTP_409_CONFLICT, detail="This Idempotency-Key was already used for another request."
            )
        if claim.response_status:
            return JSONResponse(claim.response_body, status_code=claim.response_status)
        answer = jsonable_encoder(produce())
        claim.write({"response_status": status_code, "response_body": answer})
        return answer
