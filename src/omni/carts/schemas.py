"""Request and response bodies of /carts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from omni.carts.domain import MAX_QUANTITY
from omni.carts.queries import CartView
from omni.http.schemas import StrictModel

Id = Field(min_length=1, max_length=32)


class OpenCartIn(StrictModel):
    channel_id: str = Id
    customer_id: str | None = Field(
        default=None, min_length=1, max_length=32, description="Staff: open this customer's cart"
    )


class AddLineIn(StrictModel):
    variant_id: str = Id
    quantity: int = Field(default=1, ge=1, le=MAX_QUANTITY)


class SetQuantityIn(StrictModel):
    quantity: int = Field(ge=0, le=MAX_QUANTITY, description="0 removes the line")


class MergeIn(StrictModel):
    guest_token: str = Field(min_length=8, max_length=100)


class HoldIn(StrictModel):
    minutes: int | None = Field(default=None, ge=1, le=24 * 60)


class CartLineOut(BaseModel):
    id: str
    variant_id: str
    sku: str
    title: str
    quantity: int
    unit_amount: int | None = Field(description="Minor units; null: not priced here now")
    line_amount: int | None
    compare_at_unit_amount: int | None
    prices_include_tax: bool


class CartOut(BaseModel):
    id: str
    status: str
    channel_id: str
    currency: str
    customer_id: str | None
    lines: list[CartLineOut]
    subtotal: int = Field(description="Minor units, before promotions, shipping and tax")
    purchasable: bool = Field(description="Every line is priced on this channel")
    held_until: datetime | None
    abandoned_at: datetime | None
    updated_at: datetime
    version: int
    guest_token: str | None = Field(
        default=None, description="Only when a guest cart is created: send it as X-Cart-Token"
    )

    @classmethod
    def of(cls, view: CartView, guest_token: str | None = None) -> CartOut:
        cart = view.cart
        return cls(
            id=cart.id,
            status=cart.status,
            channel_id=cart.channel_id,
            currency=cart.currency,
            customer_id=cart.customer_id,
            lines=[CartLineOut(**line.__dict__) for line in view.lines],
            subtotal=view.subtotal,
            purchasable=view.purchasable,
            held_until=cart.held_until,
            abandoned_at=cart.abandoned_at,
            updated_at=cart.updated_at,
            version=cart.version,
            guest_token=guest_token,
        )
