"""Tables owned by the inventory module.

``stock_levels`` is a projection of the append-only ``stock_movements`` ledger, kept in
step in the same transaction: for every (variant, location) each quantity equals the sum
of the matching deltas of its movements (checked by ``queries.ledger_mismatches``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base


class StockLevel(Base):
    __tablename__ = "stock_levels"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(32))
    location_id: Mapped[str] = mapped_column(String(32))
    # Physically present, including reserved and unsellable units.
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    # Promised to carts and orders, not yet picked.
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    # On its way here: purchase orders, transfers in transit.
    incoming: Mapped[int] = mapped_column(Integer, default=0)
    # Damaged or on quality hold: on hand but never sold.
    unsellable: Mapped[int] = mapped_column(Integer, default=0)
    # Kept back from every channel (planning buffer per SKU x location).
    safety_stock: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("variant_id", "location_id"),
        Index("ix_stock_levels_location_variant", "location_id", "variant_id"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("incoming >= 0", name="incoming_not_negative"),
        CheckConstraint("unsellable >= 0", name="unsellable_not_negative"),
        CheckConstraint("safety_stock >= 0", name="safety_stock_not_negative"),
    )


class StockMovement(Base):
    """One append-only ledger entry: what changed, by how much, why, who, from where."""

    __tablename__ = "stock_movements"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # No foreign key on purpose: on PostgreSQL each referencing insert would take a
    # KEY SHARE lock on the (hot) stock row, turning every reservation of a popular SKU
    # into multixact traffic. Integrity is the ledger's own: rows are written only by
    # ``ledger``, and ``queries.ledger_mismatches`` checks levels against movements.
    stock_level_id: Mapped[str] = mapped_column(String(32))
    variant_id: Mapped[str] = mapped_column(String(32))
    location_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(24))
    on_hand_delta: Mapped[int] = mapped_column(Integer, default=0)
    reserved_delta: Mapped[int] = mapped_column(Integer, default=0)
    incoming_delta: Mapped[int] = mapped_column(Integer, default=0)
    unsellable_delta: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(String(200))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(32))
    # The document behind it: order, cart, transfer, purchase order, count, return …
    source_type: Mapped[str | None] = mapped_column(String(24))
    source_id: Mapped[str | None] = mapped_column(String(64))
    reservation_id: Mapped[str | None] = mapped_column(String(32))
    occurred_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_stock_movements_level_time", "stock_level_id", "occurred_at"),
        Index("ix_stock_movements_source", "source_type", "source_id"),
        Index("ix_stock_movements_variant_time", "variant_id", "occurred_at"),
    )


class Reservation(Base):
    """Units promised to a cart (a hold that expires) or an order (until fulfilled)."""

    __tablename__ = "stock_reservations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    stock_level_id: Mapped[str] = mapped_column(String(32))  # no FK: see StockMovement
    variant_id: Mapped[str] = mapped_column(String(32))
    location_id: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))  # hold | order
    status: Mapped[str] = mapped_column(String(10))  # active | released | consumed | expired
    channel_id: Mapped[str | None] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(64))  # cart or order id
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_stock_reservations_expiry", "status", "expires_at"),
        Index("ix_stock_reservations_reference", "reference", "status"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )


class LocationStockPolicy(Base):
    """INV9: may this location's on-hand go below zero (offline store sales are facts)?"""

    __tablename__ = "inventory_location_policies"

    location_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    allow_negative: Mapped[bool] = mapped_column(Boolean, default=False)
    low_stock_threshold: Mapped[int] = mapped_column(Integer, default=2)


class VariantChannelPolicy(Base):
    """INV9: may this variant be sold on this channel beyond stock (backorder/preorder)?"""

    __tablename__ = "inventory_variant_policies"

    variant_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    backorder: Mapped[bool] = mapped_column(Boolean, default=False)
    preorder: Mapped[bool] = mapped_column(Boolean, default=False)
    # How many units beyond stock may be promised (null: no limit).
    oversell_limit: Mapped[int | None] = mapped_column(Integer)
    available_from: Mapped[datetime | None]
