"""Tables of replenishment planning (INV10): rules per SKU x location, plans, and the
suggested purchase orders and transfers a planner accepts or dismisses.

A plan is a snapshot: it records the position, forecast and levels each suggestion was
computed from, so a planner (and an auditor) sees why it suggested what it did even
after stock has moved on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base, JsonDoc


class ReplenishmentRule(Base):
    """How one SKU is kept in stock at one location, and where its stock comes from."""

    __tablename__ = "replenishment_rules"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(32))
    location_id: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(16))  # min_max | reorder_point
    # min_max: when the position falls to min, order up to max.
    min_qty: Mapped[int | None] = mapped_column(Integer)
    max_qty: Mapped[int | None] = mapped_column(Integer)
    # reorder_point: a fixed trigger, or (null) lead-time demand + safety stock.
    reorder_point: Mapped[int | None] = mapped_column(Integer)
    # reorder_point: a fixed lot, or (null) enough to cover the review period.
    reorder_qty: Mapped[int | None] = mapped_column(Integer)
    lead_time_days: Mapped[int] = mapped_column(Integer, default=7)
    review_days: Mapped[int] = mapped_column(Integer, default=14)
    service_level_percent: Mapped[int] = mapped_column(Integer, default=95)
    pack_size: Mapped[int] = mapped_column(Integer, default=1)
    # Exactly one source: a supplier (purchase order) or one of our locations (transfer).
    supplier_code: Mapped[str | None] = mapped_column(String(64))
    supplier_name: Mapped[str | None] = mapped_column(String(200))
    source_location_id: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("variant_id", "location_id"),
        Index("ix_replenishment_rules_location", "location_id", "variant_id"),
        CheckConstraint("method IN ('min_max', 'reorder_point')", name="method_known"),
        CheckConstraint(
            "(supplier_code IS NULL) <> (source_location_id IS NULL)", name="one_source"
        ),
        CheckConstraint("pack_size > 0 AND lead_time_days >= 0", name="pack_and_lead_time"),
    )


class ReplenishmentPlan(Base):
    __tablename__ = "replenishment_plans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(32))
    # The locations planned for (null: every location with rules).
    location_ids: Mapped[list[str] | None] = mapped_column(JsonDoc)
    history_days: Mapped[int] = mapped_column(Integer)
    # Forecast figures: series, methods used, backtest MASE against seasonal naive.
    figures: Mapped[dict[str, Any]] = mapped_column(JsonDoc)


class ReplenishmentSuggestion(Base):
    """One suggested purchase or transfer line, until a planner accepts or dismisses it."""

    __tablename__ = "replenishment_suggestions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("replenishment_plans.id"))
    kind: Mapped[str] = mapped_column(String(12))  # purchase | rebalance | transfer
    variant_id: Mapped[str] = mapped_column(String(32))
    location_id: Mapped[str] = mapped_column(String(32))  # where the units go
    source_location_id: Mapped[str | None] = mapped_column(String(32))
    supplier_code: Mapped[str | None] = mapped_column(String(64))
    supplier_name: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    # What it was computed from, at planning time.
    position: Mapped[int] = mapped_column(Integer)
    reorder_level: Mapped[int] = mapped_column(Integer)
    order_up_to: Mapped[int] = mapped_column(Integer)
    daily_demand: Mapped[float] = mapped_column(Float)
    lead_time_days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(12))  # suggested | accepted | dismissed
    accepted_quantity: Mapped[int | None] = mapped_column(Integer)
    document_type: Mapped[str | None] = mapped_column(String(24))
    document_id: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        Index("ix_replenishment_suggestions_plan", "plan_id", "status"),
        Index("ix_replenishment_suggestions_location", "location_id", "status"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )
