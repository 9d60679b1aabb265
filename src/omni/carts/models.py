"""Tables owned by the carts module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base, JsonDoc


class Cart(Base):
    """A shopper's basket: one active cart per signed-in customer, whatever the device or
    channel; guests hold theirs by a secret token (only its hash is stored)."""

    __tablename__ = "carts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))  # where it was last used
    currency: Mapped[str] = mapped_column(String(3))
    customer_id: Mapped[str | None] = mapped_column(String(32))
    guest_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(12))  # active | merged | ordered
    coupon_codes: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_activity_at: Mapped[datetime]
    # Set once by the sweeper after the cart sat idle; cleared by any activity.
    abandoned_at: Mapped[datetime | None]
    # Stock is held for the cart's lines until then (INV5 holds, reference = cart id).
    held_until: Mapped[datetime | None]
    merged_into: Mapped[str | None] = mapped_column(String(32))
    order_id: Mapped[str | None] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        # Cross-device: a signed-in shopper has exactly one active cart (two devices
        # opening one at the same moment meet here and share it).
        Index(
            "uq_carts_active_customer",
            "customer_id",
            unique=True,
            postgresql_where=text("status = 'active'"),
            sqlite_where=text("status = 'active'"),
        ),
        Index("ix_carts_idle", "status", "last_activity_at"),
        CheckConstraint("status IN ('active', 'merged', 'ordered')", name="status_known"),
    )


class CartLine(Base):
    __tablename__ = "cart_lines"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    cart_id: Mapped[str] = mapped_column(ForeignKey("carts.id"))
    variant_id: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("cart_id", "variant_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )
