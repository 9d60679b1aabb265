"""Read side: levels, availability per channel, the ledger's story. Reads never lock."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.inventory.domain import NO_BUFFER, Buffer, Quantities
from omni.inventory.models import StockLevel, StockMovement


@dataclass(frozen=True)
class LevelView:
    variant_id: str
    location_id: str
    quantities: Quantities

    @property
    def available(self) -> int:
        return self.quantities.available()


async def levels(
    session: AsyncSession, variant_ids: Iterable[str], location_ids: Iterable[str] | None = None
) -> list[LevelView]:
    """Levels of these variants (optionally only at these locations), one statement."""
    query = select(
        StockLevel.variant_id,
        StockLevel.location_id,
        StockLevel.on_hand,
        StockLevel.reserved,
        StockLevel.unsellable,
        StockLevel.safety_stock,
        StockLevel.incoming,
    ).where(StockLevel.variant_id.in_(list(variant_ids)))
    if location_ids is not None:
        query = query.where(StockLevel.location_id.in_(list(location_ids)))
    rows = await session.execute(query)
    return [
        LevelView(v, loc, Quantities(oh, rs, un, ss, inc)) for v, loc, oh, rs, un, ss, inc in rows
    ]


async def channel_availability(
    session: AsyncSession, variant_ids: Iterable[str], pool: Mapping[str, Buffer]
) -> dict[str, dict[str, int]]:
    """Available-to-sell per variant per pool location, after each location's buffer."""
    result: dict[str, dict[str, int]] = {variant: {} for variant in variant_ids}
    if not pool or not result:
        return result
    for view in await levels(session, result, pool):
        result[view.variant_id][view.location_id] = view.quantities.available(
            pool.get(view.location_id, NO_BUFFER)
        )
    return result


@dataclass(frozen=True)
class LedgerMismatch:
    variant_id: str
    location_id: str
    level: tuple[int, int, int, int]
    ledger: tuple[int, int, int, int]


async def ledger_mismatches(session: AsyncSession, *, limit: int = 100) -> list[LedgerMismatch]:
    """Levels that differ from the sum of their movements (should always be empty)."""
    sums = (
        select(
            StockMovement.stock_level_id.label("level_id"),
            func.sum(StockMovement.on_hand_delta).label("on_hand"),
            func.sum(StockMovement.reserved_delta).label("reserved"),
            func.sum(StockMovement.incoming_delta).label("incoming"),
            func.sum(StockMovement.unsellable_delta).label("unsellable"),
        )
        .group_by(StockMovement.stock_level_id)
        .subquery()
    )
    ledger_values = [
        func.coalesce(getattr(sums.c, name), 0)
        for name in ("on_hand", "reserved", "incoming", "unsellable")
    ]
    level_values = [
        StockLevel.on_hand,
        StockLevel.reserved,
        StockLevel.incoming,
        StockLevel.unsellable,
    ]
    query = (
        select(StockLevel.variant_id, StockLevel.location_id, *level_values, *ledger_values)
        .outerjoin(sums, sums.c.level_id == StockLevel.id)
        .where(
            (StockLevel.on_hand != ledger_values[0])
            | (StockLevel.reserved != ledger_values[1])
            | (StockLevel.incoming != ledger_values[2])
            | (StockLevel.unsellable != ledger_values[3])
        )
        .limit(limit)
    )
    return [
        LedgerMismatch(row[0], row[1], tuple(row[2:6]), tuple(row[6:10]))  # type: ignore[arg-type]
        for row in await session.execute(query)
    ]


@dataclass(frozen=True)
class MovementView:
    id: str
    kind: str
    on_hand_delta: int
    reserved_delta: int
    incoming_delta: int
    unsellable_delta: int
    reason: str | None
    source_type: str | None
    source_id: str | None
    actor_kind: str
    actor_id: str | None
    channel_id: str | None
    occurred_at: datetime


async def position_at(
    session: AsyncSession,
    variant_id: str,
    location_id: str,
    at: datetime,
    *,
    movements_limit: int = 200,
) -> tuple[Quantities, list[MovementView]]:
    """On hand (and the other states) at time ``at``, with the latest movements that explain it."""
    scope = (
        StockMovement.variant_id == variant_id,
        StockMovement.location_id == location_id,
        StockMovement.occurred_at <= at,
    )
    totals = (
        await session.execute(
            select(
                func.coalesce(func.sum(StockMovement.on_hand_delta), 0),
                func.coalesce(func.sum(StockMovement.reserved_delta), 0),
                func.coalesce(func.sum(StockMovement.unsellable_delta), 0),
                func.coalesce(func.sum(StockMovement.incoming_delta), 0),
            ).where(*scope)
        )
    ).one()
    rows = await session.scalars(
        select(StockMovement)
        .where(*scope)
        .order_by(StockMovement.occurred_at.desc(), StockMovement.id.desc())
        .limit(movements_limit)
    )
    movements = [
        MovementView(
            m.id,
            m.kind,
            m.on_hand_delta,
            m.reserved_delta,
            m.incoming_delta,
            m.unsellable_delta,
            m.reason,
            m.source_type,
            m.source_id,
            m.actor_kind,
            m.actor_id,
            m.channel_id,
            m.occurred_at,
        )
        for m in rows
    ]
    on_hand, reserved, unsellable, incoming = (int(v) for v in totals)
    return Quantities(on_hand, reserved, unsellable, 0, incoming), movements
