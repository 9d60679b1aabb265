"""Tables owned by the demo: which build is in the database, and who is who.

``demo_ground_truth`` says which customer profiles belong to the same real person
(``person_key``). The demo deliberately creates duplicate profiles across channels, as
real data has; identity resolution (CUS2) is measured against this table. Customer ids
are kept without a foreign key: a merge or an erasure must not rewrite the truth.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base


class DemoBuild(Base):
    """One row per built demo: its presence means "already built, just serve it"."""

    __tablename__ = "demo_builds"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    retailer: Mapped[str] = mapped_column(String(100))
    seed: Mapped[int] = mapped_column(Integer)
    scale: Mapped[float] = mapped_column(Float)
    built_at: Mapped[datetime]
    seconds: Mapped[float] = mapped_column(Float)
    # Rows written per table, for the record and for `omni demo` to report.
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)


class DemoGroundTruth(Base):
    __tablename__ = "demo_ground_truth"

    customer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_key: Mapped[str] = mapped_column(String(40))
    # How the profile came about: single | duplicate (for analysis of misses by pattern).
    pattern: Mapped[str] = mapped_column(String(40))

    __table_args__ = (Index("ix_demo_ground_truth_person", "person_key"),)
