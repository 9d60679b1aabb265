"""The history of changes made to orders before release (ORD6): what changed, who did
it, and the money that followed — one row per change, never updated except to record
how its refunds went."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base, JsonDoc


class OrderChange(Base):
    __tablename__ = "order_changes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"))
    kind: Mapped[str] = mapped_column(String(16))  # lines | address | lines_and_address
    at: Mapped[datetime]
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(300))
    total_before: Mapped[int] = mapped_column(Integer)
    total_after: Mapped[int] = mapped_column(Integer)
    # [{line_id, sku, quantity_before, quantity_after, total_before, total_after}]
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc)
    address_before: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    address_after: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    # What the payments did: [{payment_id, action, amount, status}] — refunds are sent
    # after the commit, so their status is filled in then (pending → refunded | failed).
    payments: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc)
    order_version: Mapped[int] = mapped_column(Integer)  # the order's version after it

    __table_args__ = (Index("ix_order_changes_order", "order_id", "at"),)
