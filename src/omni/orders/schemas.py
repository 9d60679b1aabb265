"""Response and request bodies of /orders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from omni.http.schemas import StrictModel
from omni.orders.models import Order
from omni.orders.queries import OrderView


class OrderLineOut(BaseModel):
    id: str
    position: int
    group_id: str
    variant_id: str
    sku: str
    title: str
    quantity: int
    cancelled_quantity: int
    unit_price: int
    subtotal: int
    discount: int
    tax: int
    total: int
    tax_rate: str | None
    promotions: list[dict[str, Any]]


class GroupOut(BaseModel):
    id: str
    method: str
    location_id: str
    status: str
    shipping_amount: int
    promised_by: datetime | None


class StatusChangeOut(BaseModel):
    from_status: str | None
    to_status: str
    at: datetime
    actor_kind: str
    actor_id: str | None
    reason: str | None


class OrderSummaryOut(BaseModel):
    id: str
    number: str
    status: str
    channel_id: str
    channel_kind: str
    customer_id: str | None
    currency: str
    total: int
    placed_at: datetime

    @classmethod
    def of(cls, order: Order) -> OrderSummaryOut:
        return cls(**{name: getattr(order, name) for name in cls.model_fields})


class OrderOut(OrderSummaryOut):
    external_id: str | None
    prices_include_tax: bool
    subtotal: int
    discount_total: int
    shipping_total: int
    tax_total: int
    selling_location_id: str | None
    associate_id: str | None
    register_session_id: str | None
    contact: dict[str, Any]
    shipping_address: dict[str, Any] | None
    promotions: list[dict[str, Any]]
    coupon_codes: list[str]
    note: str | None
    updated_at: datetime
    version: int
    groups: list[GroupOut]
    lines: list[OrderLineOut]
    history: list[StatusChangeOut]

    @classmethod
    def of_view(cls, view: OrderView) -> OrderOut:
        fields = {
            name: getattr(view.order, name)
            for name in cls.model_fields
            if name not in ("groups", "lines", "history")
        }
        return cls(
            **fields,
            groups=[GroupOut.model_validate(g, from_attributes=True) for g in view.groups],
            lines=[OrderLineOut.model_validate(line, from_attributes=True) for line in view.lines],
            history=[StatusChangeOut.model_validate(h, from_attributes=True) for h in view.history],
        )


class ReasonIn(StrictModel):
    reason: str | None = Field(default=None, max_length=300)
