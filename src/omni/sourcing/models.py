"""Tables owned by the sourcing module: one sourcing profile per channel (ORD4).

A channel without a row sources with the engine's default profile. The knobs are one
JSON document rather than a column each: they follow the engine (``SourcingProfile``),
a knob added later simply takes its default for profiles stored before it, and
checkout reads the whole profile by primary key in one query.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base, JsonDoc


class SourcingProfileRecord(Base):
    __tablename__ = "sourcing_profiles"

    # Channels are referenced by id only: modules never reach into each other's tables.
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    # The knobs the channel sets (validated by schemas.SourcingProfileIn on the way in).
    settings: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)
