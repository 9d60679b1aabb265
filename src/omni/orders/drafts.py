"""An order before it is placed: everything the server computed for it — prices,
promotions, taxes, where each line is fulfilled from — as plain values.

Checkout builds a draft outside any transaction (reads, engines, the payment
authorization), then places it in one short unit of work. Totals are derived here, once,
so the order, its lines and its payments always agree to the minor unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from omni.orders.domain import FulfilmentMethod


@dataclass(frozen=True)
class DraftLine:
    variant_id: str
    sku: str
    title: str
    quantity: int
    unit_price: int
    discount: int  # this line's share of every discount
    tax: int
    tax_rate: str | None
    promotions: tuple[dict[str, Any], ...]
    group: int  # index of its fulfilment group in the draft
    prices_include_tax: bool = False

    @property
    def subtotal(self) -> int:
        return self.unit_price * self.quantity

    @property
    def total(self) -> int:
        """What the customer pays for this line (tax added unless already inside)."""
        net = self.subtotal - self.discount
        return net if self.prices_include_tax else net + self.tax


@dataclass(frozen=True)
class DraftGroup:
    method: FulfilmentMethod
    location_id: str
    # As charged, after shipping discounts (tax inside when prices include tax).
    shipping_amount: int = 0
    shipping_tax: int = 0
    promised_by: datetime | None = None
    sourcing: dict[str, Any] | None = None  # the decision, for "why this store?"


@dataclass(frozen=True)
class OrderDraft:
    channel_id: str
    channel_kind: str
    currency: str
    prices_include_tax: bool
    lines: tuple[DraftLine, ...]
    groups: tuple[DraftGroup, ...]
    contact: dict[str, Any]
    customer_id: str | None = None
    cart_id: str | None = None
    cart_holds: bool = False  # its holds are given back when the order reserves
    external_id: str | None = None
    shipping_address: dict[str, Any] | None = None
    promotions: tuple[dict[str, Any], ...] = ()
    coupon_codes: tuple[str, ...] = ()
    selling_location_id: str | None = None
    associate_id: str | None = None
    register_session_id: str | None = None
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def subtotal(self) -> int:
        return sum(line.subtotal for line in self.lines)

    @property
    def discount_total(self) -> int:
        return sum(line.discount for line in self.lines)

    @property
    def shipping_total(self) -> int:
        return sum(group.shipping_amount for group in self.groups)

    @property
    def tax_total(self) -> int:
        return sum(line.tax for line in self.lines) + sum(g.shipping_tax for g in self.groups)

    @property
    def total(self) -> int:
        goods = sum(line.total for line in self.lines)
        shipping = sum(
            g.shipping_amount + (0 if self.prices_include_tax else g.shipping_tax)
            for g in self.groups
        )
        return goods + shipping
