"""Tables owned by the orders module.

Amounts are integer minor units of the order's currency. Every line keeps a snapshot of
what it was sold at — price, promotions, tax — so an order reads the same forever,
whatever later happens to the catalog, the price lists or the promotions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base, JsonDoc


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    channel_kind: Mapped[str] = mapped_column(String(20))
    # The marketplace's (or another system's) id: importing it twice finds the first.
    external_id: Mapped[str | None] = mapped_column(String(100))
    customer_id: Mapped[str | None] = mapped_column(String(32))
    cart_id: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(24))
    currency: Mapped[str] = mapped_column(String(3))
    prices_include_tax: Mapped[bool] = mapped_column(Boolean, default=False)
    subtotal: Mapped[int] = mapped_column(Integer)  # lines before discounts
    discount_total: Mapped[int] = mapped_column(Integer, default=0)
    shipping_total: Mapped[int] = mapped_column(Integer, default=0)
    tax_total: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer)  # what the customer pays
    # Where and by whom it was sold (POS, call center): the store, the associate, the till.
    selling_location_id: Mapped[str | None] = mapped_column(String(32))
    associate_id: Mapped[str | None] = mapped_column(String(32))
    register_session_id: Mapped[str | None] = mapped_column(String(32))
    contact: Mapped[dict[str, Any]] = mapped_column(JsonDoc)  # email, phone, name
    shipping_address: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    promotions: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc)  # applied, snapshot
    coupon_codes: Mapped[list[str]] = mapped_column(JsonDoc)
    note: Mapped[str | None] = mapped_column(String(2000))
    placed_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        UniqueConstraint("channel_id", "external_id"),
        Index("ix_orders_customer", "customer_id", "placed_at"),
        Index("ix_orders_channel_placed", "channel_id", "placed_at"),
        Index("ix_orders_status", "status", "placed_at"),
        Index("ix_orders_selling_location", "selling_location_id", "placed_at"),
        CheckConstraint("total >= 0 AND subtotal >= 0", name="amounts_not_negative"),
    )


class FulfilmentGroup(Base):
    """The lines one location fulfils one way (ship from the DC, pick up at SoHo…)."""

    __tablename__ = "order_fulfilment_groups"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"))
    method: Mapped[str] = mapped_column(String(16))
    location_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))  # open | released | fulfilled | cancelled
    shipping_amount: Mapped[int] = mapped_column(Integer, default=0)
    promised_by: Mapped[datetime | None]
    # "Why this store?": the sourcing decision, with every candidate and its reasons.
    sourcing: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)

    __table_args__ = (
        Index("ix_order_groups_location", "location_id", "status"),
        # An order's groups by order id: order reads, and the capacity count (capacity.py)
        # walking today's orders to their groups.
        Index("ix_order_groups_order", "order_id"),
    )


class OrderLine(Base):
    __tablename__ = "order_lines"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"))
    group_id: Mapped[str] = mapped_column(ForeignKey("order_fulfilment_groups.id"))
    position: Mapped[int] = mapped_column(Integer)
    variant_id: Mapped[str] = mapped_column(String(32))
    sku: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    cancelled_quantity: Mapped[int] = mapped_column(Integer, default=0)
    unit_price: Mapped[int] = mapped_column(Integer)
    subtotal: Mapped[int] = mapped_column(Integer)  # unit price x quantity
    discount: Mapped[int] = mapped_column(Integer, default=0)  # its share of every discount
    tax: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer)
    tax_rate: Mapped[str | None] = mapped_column(String(12))  # decimal text, e.g. "8.875"
    promotions: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc)
    reservation_ids: Mapped[list[str]] = mapped_column(JsonDoc)

    __table_args__ = (
        UniqueConstraint("order_id", "position"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "cancelled_quantity >= 0 AND cancelled_quantity <= quantity", name="cancelled_range"
        ),
    )


class OrderStatusChange(Base):
    __tablename__ = "order_status_history"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime]
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (Index("ix_order_status_history_order", "order_id", "at"),)
