"""Tables owned by the channels module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base


class Channel(Base):
    """A sales channel and its market (CH1)."""

    __tablename__ = "channels"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # web | app | pos | social | call_center | marketplace
    kind: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(35))
    # ISO 3166-1 country or ISO 3166-2 subdivision: where taxes are determined.
    tax_region: Mapped[str] = mapped_column(String(10))
    price_list_id: Mapped[str | None] = mapped_column(String(32))
    # The store a POS channel belongs to; null for shared POS and every other kind.
    location_id: Mapped[str | None] = mapped_column(String(32))
    fulfillment_methods: Mapped[list[str]] = mapped_column(JSON)
    # Buffers for pool locations that do not set their own.
    default_buffer_units: Mapped[int] = mapped_column(Integer, default=0)
    default_buffer_percent: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index("ix_channels_kind", "kind"),
        Index("ix_channels_location", "location_id"),
    )
    # Optimistic locking: every UPDATE says "WHERE version = <what was read>" and bumps it.
    __mapper_args__ = {"version_id_col": version}


class ChannelStockLocation(Base):
    """A location a channel may sell from, with what it must leave for others (INV4)."""

    __tablename__ = "channel_stock_pool"

    channel_id: Mapped[str] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True
    )
    location_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Null: the channel's default applies (so changing the default changes them all).
    buffer_units: Mapped[int | None] = mapped_column(Integer)
    buffer_percent: Mapped[int | None] = mapped_column(Integer)

    # Availability asks "which channels sell from this location?" when stock moves.
    __table_args__ = (Index("ix_channel_stock_pool_location", "location_id"),)
