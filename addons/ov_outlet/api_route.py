"""The API's route class and errors: input errors answer 400 with one message per field, and the OpenAPI document
says so."""

import logging

from fastapi import HTTPException, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from .schemas.common import ErrorOut

ERROR_RESPONSES = {
    status.HTTP_400_BAD_REQUEST: {"model": ErrorOut, "description": "Invalid input, with one message per field"},
    status.HTTP_401_UNAUTHORIZED: {"model": ErrorOut, "description": "Missing, wrong, expired or revoked API key"},
    status.HTTP_403_FORBIDDEN: {"model": ErrorOut, "description": "The key's user may not do this"},
}
NOT_FOUND_RESPONSE = {status.HTTP_404_NOT_FOUND: {"model": ErrorOut, "description": "No such record for this key"}}
CONFLICT_RESPONSE = {
    status.HTTP_409_CONFLICT: {
        "model": ErrorOut,
        "description": "The record's state forbids it, or the Idempotency-Key was used for another request",
    }
}


class ApiError(HTTPException):
    """An answer of the API other than 2xx (401, 404, 409...). Odoo's HTTP layer logs it at this level, as one line
    without a traceback: it is the caller's mistake, not the server's (a plain HTTPException is logged as an error)."""

    loglevel = logging.INFO


def field_errors(errors):
    """:return: pydantic's errors as ``[{"field": "lines.0.quantity", "message": ...}]`` (body, query and path
    prefixes dropped; the whole body is ``"body"``)"""
    messages = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if len(location) > 1 and location[0] in ("body", "query", "path", "header"):
            location = location[1:]
        messages.append({"field": ".".join(location) or "body", "message": error.get("msg", "Invalid value")})
    return messages


class ApiRoute(APIRoute):
    def get_route_handler(self):
        handler = super().get_route_handler()

        async def handle(request):
            try:
                return await handler(request)
            except RequestValidationError as error:
                # Answered, not raised: input is checked before the route runs, so there is nothing to roll back;
                # and an exception raised right after the body is read (malformed JSON) can end the app before
                # a2wsgi's WSGI loop sees it (`asgi_done` is set before its error message), which fastapi's
                # dispatcher then turns into a 500.
                return JSONResponse({"detail": field_errors(error.errors())}, status_code=status.HTTP_400_BAD_REQUEST)

        return handle


def without_unused_validation_responses(app):
    """Make `app`'s OpenAPI document list no 422 answer: the API answers input errors with 400 (`ApiRoute`)."""
    build_openapi = app.openapi

    def openapi():
        if app.openapi_schema is None:
            schema = build_openapi()
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            for unused in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(unused, None)
        return app.openapi_schema

    app.openapi = openapi
