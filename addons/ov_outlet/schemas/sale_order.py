from datetime import date, datetime

from pydantic import BaseModel, Field

from odoo.tools import html2plaintext, is_html_empty

from .common import StrictInput, utc_datetime


class OrderLineIn(StrictInput):
    product_id: int = Field(ge=1, description="A sellable product (`sale_ok`)")
    quantity: float = Field(gt=0, description="In the product's sales unit of measure")
    price_unit: float | None = Field(
        default=None, ge=0, description="Unit price; the order's pricelist price when left out"
    )
    discount: float = Field(default=0.0, ge=0, le=100, description="Percentage")


class OrderLineUpdate(StrictInput):
    id: int = Field(ge=1, description="A line of this order")
    quantity: float | None = Field(default=None, gt=0)
    price_unit: float | None = Field(default=None, ge=0)
    discount: float | None = Field(default=None, ge=0, le=100)


class OrderHeaderPatch(StrictInput):
    """Header fields of an order; in a PATCH, only the fields given are changed (null clears an optional one)."""

    customer_id: int | None = Field(default=None, ge=1, description="A customer (see `GET /res.partner`)")
    outlet_id: int | None = Field(default=None, ge=1)
    channel_partner_id: int | None = Field(
        default=None, ge=1, description="A channel partner; the outlet's when left out"
    )
    sales_rep_id: int | None = Field(default=None, ge=1, description="A contact flagged as sales rep")
    pricelist_id: int | None = Field(default=None, ge=1, description="The customer's pricelist when left out")
    client_order_ref: str | None = Field(default=None, max_length=255, description="The caller's own reference")
    note: str | None = Field(default=None, max_length=10000, description="Terms and conditions, plain text")


class OrderIn(OrderHeaderPatch):
    customer_id: int = Field(ge=1, description="A customer (see `GET /res.partner`)")
    lines: list[OrderLineIn] = Field(default_factory=list, max_length=500)


class OrderLinesIn(StrictInput):
    add: list[OrderLineIn] = Field(default_factory=list, max_length=500)
    update: list[OrderLineUpdate] = Field(default_factory=list, max_length=500)
    remove: list[int] = Field(default_factory=list, max_length=500, description="Ids of lines of this order")


class PartnerRefOut(BaseModel):
    id: int
    name: str
    email: str | None


class OutletRefOut(BaseModel):
    id: int
    code: str
    name: str


class NamedRefOut(BaseModel):
    id: int
    name: str


class ProductRefOut(BaseModel):
    id: int
    default_code: str | None
    name: str


class OrderLineOut(BaseModel):
    id: int
    product: ProductRefOut
    quantity: float
    uom: str
    price_unit: float
    discount: float
    price_subtotal: float
    price_total: float

    @classmethod
    def from_record(cls, line):
        return cls(
            id=line.id,
            product=ProductRefOut(
                id=line.product_id.id, default_code=line.product_id.default_code or None, name=line.product_id.name
            ),
            quantity=line.product_uom_qty,
            uom=line.product_uom.name,
            price_unit=line.price_unit,
            discount=line.discount,
            price_subtotal=line.price_subtotal,
            price_total=line.price_total,
        )


def _partner(partner):
    return PartnerRefOut(id=partner.id, name=partner.name, email=partner.email or None) if partner else None


class OrderOut(BaseModel):
    id: int
    name: str
    state: str = Field(description="draft, sent (quotations), sale (confirmed) or cancel")
    date_order: datetime
    validity_date: date | None
    customer: PartnerRefOut
    outlet: OutletRefOut | None
    channel_partner: PartnerRefOut | None
    sales_rep: PartnerRefOut | None
    pricelist: NamedRefOut | None
    currency: str = Field(description="ISO 4217 code")
    lines: list[OrderLineOut]
    amount_untaxed: float
    amount_tax: float
    amount_total: float
    note: str | None = Field(description="Plain text")
    client_order_ref: str | None

    @classmethod
    def from_record(cls, order):
        """:param order: an order the caller may read, as superuser (units and currencies are not the caller's)"""
        outlet = order.x_outlet_id
        return cls(
            id=order.id,
            name=order.name,
            state=order.state,
            date_order=utc_datetime(order.date_order),
            validity_date=order.validity_date or None,
            customer=_partner(order.partner_id),
            outlet=OutletRefOut(id=outlet.id, code=outlet.code, name=outlet.name) if outlet else None,
            channel_partner=_partner(order.x_channel_partner_id),
            sales_rep=_partner(order.x_sales_rep_id),
            pricelist=NamedRefOut(id=order.pricelist_id.id, name=order.pricelist_id.name)
            if order.pricelist_id
            else None,
            currency=order.currency_id.name,
            lines=[OrderLineOut.from_record(line) for line in order.order_line if not line.display_type],
            amount_untaxed=order.amount_untaxed,
            amount_tax=order.amount_tax,
            amount_total=order.amount_total,
            note=None if is_html_empty(order.note) else html2plaintext(order.note),
            client_order_ref=order.client_order_ref or None,
        )
