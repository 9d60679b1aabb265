"""Tables owned by the locations module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base


class Location(Base):
    """A store, warehouse/DC, pickup point or locker (INV1, FUL8)."""

    __tablename__ = "locations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # store | warehouse | pickup_point | locker
    kind: Mapped[str] = mapped_column(String(20))
    # active | inactive | opening_soon
    status: Mapped[str] = mapped_column(String(20))
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(20))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    time_zone: Mapped[str] = mapped_column(String(64))
    metro: Mapped[str | None] = mapped_column(String(100))
    # {"mon": [["09:00", "21:00"]], …, "sun": []} — local wall-clock times.
    opening_hours: Mapped[dict[str, list[list[str]]]] = mapped_column(JSON)
    # {"2025-12-25": [], "2025-12-24": [["09:00", "15:00"]]}
    special_days: Mapped[dict[str, list[list[str]]]] = mapped_column(JSON)
    capabilities: Mapped[list[str]] = mapped_column(JSON)
    # Capacity; null means "not limited" (or not applicable to this kind).
    orders_per_day: Mapped[int | None] = mapped_column(Integer)
    orders_per_hour: Mapped[int | None] = mapped_column(Integer)
    pickup_slot_minutes: Mapped[int | None] = mapped_column(Integer)
    pickup_slot_capacity: Mapped[int | None] = mapped_column(Integer)
    pickup_hold_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index("ix_locations_kind_status", "kind", "status"),
        Index("ix_locations_metro", "metro"),
        Index("ix_locations_country", "country"),
        # "Near" queries pre-filter on a latitude band, then longitude.
        Index("ix_locations_lat_lon", "latitude", "longitude"),
    )
    # Optimistic locking: every UPDATE says "WHERE version = <what was read>" and bumps it,
    # so of two concurrent edits the second fails instead of silently overwriting.
    __mapper_args__ = {"version_id_col": version}
