"""Tables owned by the pricing module.

Variants (catalog) and channels are referenced by id only, never by foreign key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base


class PriceList(Base):
    __tablename__ = "price_lists"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    # Empty: the list applies on every channel.
    channel_ids: Mapped[list[str]] = mapped_column(JSON)
    customer_segment: Mapped[str | None] = mapped_column(String(64))
    loyalty_tier: Mapped[str | None] = mapped_column(String(64))
    # Higher wins when several lists price a variant (see pricing.domain.resolve).
    priority: Mapped[int] = mapped_column(Integer, default=0)
    # Half-open window [valid_from, valid_to); None is unbounded.
    valid_from: Mapped[datetime | None]
    valid_to: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    prices_include_tax: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (Index("ix_price_lists_currency_active", "currency", "active"),)


class Price(Base):
    """One quantity tier of one variant in one list: ``amount`` per unit from
    ``min_quantity`` units up, in the list's currency's minor units."""

    __tablename__ = "prices"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    price_list_id: Mapped[str] = mapped_column(ForeignKey("price_lists.id", ondelete="CASCADE"))
    variant_id: Mapped[str] = mapped_column(String(32))
    min_quantity: Mapped[int] = mapped_column(Integer, default=1)
    # 64-bit: minor units of currencies such as IDR or VND overflow 32 bits quickly.
    amount: Mapped[int] = mapped_column(BigInteger)
    # The "was" price shown struck through; never below the amount.
    compare_at_amount: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime]

    __table_args__ = (
        Index(
            "uq_prices_list_variant_quantity",
            "price_list_id",
            "variant_id",
            "min_quantity",
            unique=True,
        ),
        # Price resolution looks up every list's rows for a set of variants at once.
        Index("ix_prices_variant", "variant_id", "price_list_id"),
    )
