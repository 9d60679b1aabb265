"""Request and response bodies of /orders/{id}/changes. The client says what it wants —
units per line, an address, how it pays the difference — never what it costs: prices,
totals and discounts are the server's (any such field is refused as unknown, 422)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from omni.http.schemas import StrictModel
from omni.orders.change_models import OrderChange
from omni.orders.changes import ChangeRequest, LineChange
from omni.orders.checkout import TenderRequest
from omni.orders.checkout_schemas import AddressIn, TenderIn
from omni.orders.schemas import OrderOut
from omni.orders.shipping import Address


class LineChangeIn(StrictModel):
    line_id: str = Field(min_length=1, max_length=32)
    quantity: int = Field(ge=0, le=10_000, description="Units wanted from now on; 0 cancels")


class OrderChangeIn(StrictModel):
    lines: list[LineChangeIn] = Field(default_factory=list, max_length=200)
    shipping_address: AddressIn | None = None
    reason: str | None = Field(default=None, max_length=300)
    payment: list[TenderIn] = Field(
        default_factory=list, max_length=10, description="Tenders for what the change adds"
    )

    def command(self, order_id: str, if_match: int | None) -> ChangeRequest:
        address = self.shipping_address
        return ChangeRequest(
            order_id=order_id,
            lines=tuple(LineChange(line.line_id, line.quantity) for line in self.lines),
            shipping_address=Address(**address.model_dump()) if address else None,
            reason=self.reason,
            tenders=tuple(TenderRequest(**tender.model_dump()) for tender in self.payment),
            if_match=if_match,
        )


class OrderChangeOut(BaseModel):
    id: str
    order_id: str
    kind: str
    at: datetime
    actor_kind: str
    actor_id: str | None
    reason: str | None
    total_before: int
    total_after: int
    lines: list[dict[str, Any]]
    address_before: dict[str, Any] | None
    address_after: dict[str, Any] | None
    payments: list[dict[str, Any]]
    order_version: int

    @classmethod
    def of(cls, row: OrderChange) -> OrderChangeOut:
        return cls.model_validate(row, from_attributes=True)


class ChangedOrderOut(BaseModel):
    change: OrderChangeOut
    order: OrderOut
