"""Tables owned by the promotions module.

Channels, variants, products, categories, customers and orders are referenced by id
only, never by foreign key. A promotion's benefit and conditions are JSON documents in
the canonical form of ``omni.promotions.codec``: they decode to the engine's dataclasses
exactly, and are checked on every write.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base, JsonDoc


class PromotionRecord(Base):
    """A stored promotion (``omni.promotions.domain.Promotion`` is what the engine sees)."""

    __tablename__ = "promotions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(32))
    # The currency of every amount the benefit and conditions name; None when they name
    # none (a percentage applies in every currency).
    currency: Mapped[str | None] = mapped_column(String(3))
    benefit: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    conditions: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    # Half-open window [starts_at, ends_at); None is unbounded.
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    priority: Mapped[int] = mapped_column(Integer, default=0)
    stacking: Mapped[str] = mapped_column(String(16))
    stacking_group: Mapped[str | None] = mapped_column(String(64))
    # True: applies only when one of its coupon codes is entered; False: automatic.
    requires_coupon: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        # Checkout loads the active automatic promotions on every evaluation.
        Index("ix_promotions_active_coupon", "active", "requires_coupon", "ends_at"),
    )


class CouponCode(Base):
    """A code that unlocks one promotion, stored normalised (``normalize_code``).

    ``uses`` changes only through conditional SQL updates (``redemption.py``), never
    read-modify-write, so a limit holds under any number of concurrent checkouts."""

    __tablename__ = "coupon_codes"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    promotion_id: Mapped[str] = mapped_column(ForeignKey("promotions.id"))
    max_uses: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    uses: Mapped[int] = mapped_column(Integer, default=0)
    max_uses_per_customer: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_coupon_codes_promotion", "promotion_id", "code"),
        CheckConstraint("uses >= 0", name="uses_not_negative"),
    )


class CouponCustomerUse(Base):
    """How many times one customer has used one code that has a per-customer limit.

    One row per (code, customer), counted by an upsert whose update is conditional on
    the limit: the row is the lock that serialises one customer's concurrent orders."""

    __tablename__ = "coupon_customer_uses"

    code: Mapped[str] = mapped_column(
        ForeignKey("coupon_codes.code", ondelete="CASCADE"), primary_key=True
    )
    customer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    uses: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (CheckConstraint("uses >= 0", name="uses_not_negative"),)


class CouponRedemption(Base):
    """One code used by one order; ``released_at`` set when the order gave it back."""

    __tablename__ = "coupon_redemptions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("coupon_codes.code"))
    promotion_id: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[str | None] = mapped_column(String(32))  # None: a guest
    order_id: Mapped[str] = mapped_column(String(32))
    redeemed_at: Mapped[datetime]
    released_at: Mapped[datetime | None]

    __table_args__ = (
        # A code counts once per order; releasing looks the order's rows up by order id.
        Index("uq_coupon_redemptions_order_code", "order_id", "code", unique=True),
        Index("ix_coupon_redemptions_code_customer", "code", "customer_id"),
    )
