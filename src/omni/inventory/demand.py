"""Unified demand history (INV10): units that left to customers, per SKU x location x
day, from every channel, net of returns — read straight off the ledger.

Demand is what customers took: carry-out sales at a till and units consumed by order
fulfilment (web, app, phone, social — the ledger knows no difference, which is the
point), minus units returned to stock. Transfers, counts and damage are not demand.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.inventory.domain import MovementKind
from omni.inventory.models import StockMovement

DEMAND_KINDS = (MovementKind.SALE, MovementKind.CONSUMPTION, MovementKind.RETURN_RESTOCK)

Series = dict[tuple[str, str], list[float]]  # (variant, location) → units per day


def _day(session: AsyncSession) -> ColumnElement[str]:
    column = StockMovement.occurred_at
    if session.get_bind().dialect.name == "postgresql":
        # The UTC calendar day, whatever the connection's time zone.
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.date(column)  # SQLite keeps naive UTC text


async def daily_demand(
    session: AsyncSession,
    variant_ids: Iterable[str],
    *,
    until: date,
    days: int,
    location_ids: Iterable[str] | None = None,
) -> Series:
    """Demand per day for the ``days`` days ending the day before ``until`` (a whole
    day each; today is not over yet). Pairs with no demand at all are absent."""
    first = until - timedelta(days=days)
    day = _day(session)
    query = (
        select(
            StockMovement.variant_id,
            StockMovement.location_id,
            day.label("day"),
            (-func.sum(StockMovement.on_hand_delta)).label("units"),
        )
        .where(
            StockMovement.variant_id.in_(sorted(set(variant_ids))),
            StockMovement.kind.in_([kind.value for kind in DEMAND_KINDS]),
            StockMovement.occurred_at >= datetime.combine(first, time(), UTC),
            StockMovement.occurred_at < datetime.combine(until, time(), UTC),
        )
        .group_by(StockMovement.variant_id, StockMovement.location_id, day)
    )
    if location_ids is not None:
        query = query.where(StockMovement.location_id.in_(sorted(set(location_ids))))
    series: Series = {}
    for variant_id, location_id, day_text, units in await session.execute(query):
        index = (date.fromisoformat(str(day_text)[:10]) - first).days
        days_of = series.setdefault((variant_id, location_id), [0.0] * days)
        days_of[index] += float(units)
    return series
