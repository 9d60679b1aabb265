"""Tables owned by the taxes module: regions and their rates per tax class.

A region is named by its code (``US-NY``, ``DE``), which channels (``tax_region``) and
addresses (``api.region_for_address``) refer to. Percentages are stored as decimal text
("8.875"), exact on every backend (SQLite would turn a NUMERIC into a float).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base


class TaxRegionRecord(Base):
    __tablename__ = "tax_regions"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # What a quote assumes when the caller does not say (normally the price list says).
    prices_include_tax: Mapped[bool] = mapped_column(Boolean, default=False)
    rounding: Mapped[str] = mapped_column(String(8))  # "line" or "order"
    # None: shipping is not taxed in this region.
    shipping_tax_class: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Bumped by rate changes too: the region with its rates is one resource.
    version: Mapped[int] = mapped_column(Integer, default=1)


class TaxRateRecord(Base):
    """One rate of one tax class in one region, valid in [valid_from, valid_to)."""

    __tablename__ = "tax_rates"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("tax_regions.code", ondelete="CASCADE"))
    tax_class: Mapped[str] = mapped_column(String(32))
    percent: Mapped[str] = mapped_column(String(16))  # exact decimal text: "8.875"
    name: Mapped[str] = mapped_column(String(100))  # what receipts print
    valid_from: Mapped[datetime | None]
    valid_to: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (Index("ix_tax_rates_region_class", "region_code", "tax_class", "valid_from"),)
