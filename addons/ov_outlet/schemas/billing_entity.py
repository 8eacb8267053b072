from pydantic import BaseModel, Field

from odoo.addons.portal_customer_ext.models.res_partner import BILLING_ENTITY_FIELDS

from .common import AddressOut, StrictInput


def _max_length(key):
    return BILLING_ENTITY_FIELDS[key][2]


class BillingEntityIn(StrictInput):
    name: str = Field(min_length=1, max_length=_max_length("name"), description="Company name")
    vat: str | None = Field(default=None, max_length=_max_length("vat"), description="The company's VAT number")
    street: str = Field(min_length=1, max_length=_max_length("street"))
    street2: str | None = Field(default=None, max_length=_max_length("street2"))
    zip: str = Field(min_length=1, max_length=_max_length("zip"))
    city: str = Field(min_length=1, max_length=_max_length("city"))
    country_code: str = Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")
    state_code: str | None = Field(
        default=None, max_length=8, description="Code of a state of the country (required where it needs one)"
    )
    contact_name: str = Field(min_length=1, max_length=_max_length("contact_name"), description="Invoice contact")
    email: str = Field(min_length=3, max_length=_max_length("email"), description="Invoice e-mail")
    phone: str | None = Field(default=None, max_length=_max_length("phone"))


class BillingCompanyOut(BaseModel):
    id: int
    name: str
    vat: str | None


class InvoiceContactOut(BaseModel):
    id: int
    name: str
    email: str | None
    phone: str | None


class BillingEntityOut(BaseModel):
    id: int = Field(description="The entity's id: the id of its invoice contact (an invoice address)")
    company: BillingCompanyOut
    invoice_contact: InvoiceContactOut
    address: AddressOut

    @classmethod
    def from_record(cls, entity):
        """:param entity: `res.partner`, the invoice contact of the entity"""
        company = entity.parent_id
        return cls(
            id=entity.id,
            company=BillingCompanyOut(id=company.id, name=company.name, vat=company.vat or None),
            invoice_contact=InvoiceContactOut(
                id=entity.id, name=entity.name, email=entity.email or None, phone=entity.phone or None
            ),
            address=AddressOut.from_partner(entity),
        )
