from pydantic import BaseModel, Field

from .common import AddressOut, RecordRef, StrictInput


class AddressIn(StrictInput):
    street: str | None = Field(default=None, max_length=255)
    street2: str | None = Field(default=None, max_length=255)
    zip: str | None = Field(default=None, max_length=32)
    city: str | None = Field(default=None, max_length=128)
    country_code: str | None = Field(default=None, min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    state_code: str | None = Field(default=None, max_length=8, description="The state's code within its country")


class CompanyIn(AddressIn):
    name: str = Field(min_length=1, max_length=255)
    vat: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=64)


class ContactIn(AddressIn):
    """A person; under a company, the address is the company's (leave the address fields out)."""

    name: str = Field(min_length=1, max_length=255)
    email: str = Field(min_length=3, max_length=255)
    phone: str | None = Field(default=None, max_length=64)
    function: str | None = Field(default=None, max_length=128, description="Job position")


class RegistrationIn(StrictInput):
    company: CompanyIn | None = None
    contact: ContactIn


class PartnerOut(BaseModel):
    id: int
    name: str
    is_company: bool
    email: str | None
    phone: str | None
    ref: str | None
    vat: str | None
    function: str | None
    parent: RecordRef | None = Field(description="The company of a contact")
    address: AddressOut

    @classmethod
    def from_record(cls, partner):
        return cls(
            id=partner.id,
            name=partner.name,
            is_company=partner.is_company,
            email=partner.email or None,
            phone=partner.phone or None,
            ref=partner.ref or None,
            vat=partner.vat or None,
            function=partner.function or None,
            parent=RecordRef(id=partner.parent_id.id, name=partner.parent_id.name) if partner.parent_id else None,
            address=AddressOut.from_partner(partner),
        )


class RegistrationOut(BaseModel):
    company: PartnerOut | None
    contact: PartnerOut
