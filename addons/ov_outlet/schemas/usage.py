from pydantic import AwareDatetime, BaseModel, Field

from .common import RecordRef, StrictInput, utc_datetime


class UsageIn(StrictInput):
    event_id: str = Field(min_length=1, max_length=255, description="The asset system's id of the event")
    order_id: int | None = Field(None, ge=1, description="Id of the confirmed sales order (or `order_reference`)")
    order_reference: str | None = Field(
        None, min_length=1, max_length=64, description="Reference of the confirmed sales order, e.g. S00042"
    )
    product_id: int | None = Field(None, ge=1, description="Id of the product used (or `product_default_code`)")
    product_default_code: str | None = Field(None, min_length=1, max_length=64, description="Internal reference")
    quantity: float = Field(gt=0, description="Units used, in the product's unit of measure")
    occurred_at: AwareDatetime = Field(description="When it happened, ISO 8601 with offset")
    asset_ref: str | None = Field(None, max_length=255, description="The asset system's id of the asset used")
    note: str | None = Field(None, max_length=2000)


class UsageProductOut(BaseModel):
    id: int
    default_code: str | None
    name: str


class UsageOut(BaseModel):
    id: int
    event_id: str
    order: RecordRef
    product: UsageProductOut
    quantity: float
    occurred_at: AwareDatetime
    total_used: float = Field(description="Units of this product used on the order, all events together")
    allowance: float = Field(description="Units included: the product's allowance times the quantity ordered")
    over_allowance: float = Field(description="Units used beyond the allowance, billed by the invoice line")
    invoice_line_id: int | None = Field(description="The order line that bills the usage beyond the allowance")

    @classmethod
    def from_record(cls, event):
        order, product = event.order_id, event.product_id
        totals = order._ov_usage_totals(product)
        line = (
            event.sale_line_id
            or event.search(
                [("order_id", "=", order.id), ("product_id", "=", product.id), ("sale_line_id", "!=", False)], limit=1
            ).sale_line_id
        )
        return cls(
            id=event.id,
            event_id=event.event_id,
            order=RecordRef(id=order.id, name=order.name),
            product=UsageProductOut(id=product.id, default_code=product.default_code or None, name=product.name),
            quantity=event.quantity,
            occurred_at=utc_datetime(event.occurred_at),
            invoice_line_id=line.id or None,
            **totals,
        )
