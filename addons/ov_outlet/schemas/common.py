"""Shapes shared by every resource of the API."""

from datetime import UTC, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

ItemT = TypeVar("ItemT")


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the field in the request, e.g. `lines.0.quantity`")
    message: str


class ErrorOut(BaseModel):
    detail: str | list[FieldError]


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    total: int = Field(description="Number of matching records, all pages together")
    limit: int
    offset: int


class RecordRef(BaseModel):
    id: int
    name: str


class CountryOut(BaseModel):
    code: str = Field(description="ISO 3166-1 alpha-2")
    name: str


class StateOut(BaseModel):
    code: str
    name: str


class AddressOut(BaseModel):
    street: str | None
    street2: str | None
    zip: str | None
    city: str | None
    state: StateOut | None
    country: CountryOut | None

    @classmethod
    def from_partner(cls, partner):
        return cls(
            street=partner.street or None,
            street2=partner.street2 or None,
            zip=partner.zip or None,
            city=partner.city or None,
            state=StateOut(code=partner.state_id.code, name=partner.state_id.name) if partner.state_id else None,
            country=CountryOut(code=partner.country_id.code, name=partner.country_id.name)
            if partner.country_id
            else None,
        )


class StrictInput(BaseModel):
    """Request bodies: unknown fields are refused (a typo is an error, not a silently ignored value)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def utc_datetime(value: datetime | None) -> datetime | None:
    """Odoo's naive UTC datetimes as aware ones, so that they serialize as ISO 8601 with their offset."""
    return value.replace(tzinfo=UTC) if value else None
