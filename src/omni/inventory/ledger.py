"""Writing the ledger and the levels together: the only code that changes quantities.

Every change is (1) a conditional or plain ``UPDATE stock_levels`` by SQL expression —
never read-modify-write in Python — taken in stock-level id order so concurrent
transactions cannot deadlock, and (2) a movement row with the same deltas, in the same
transaction. Levels therefore always equal the sum of their movements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Integer, Table, bindparam, case, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from omni.db.uow import UnitOfWork
from omni.inventory.domain import Buffer, MovementKind, Quantities
from omni.inventory.models import LocationStockPolicy, StockLevel, StockMovement
from omni.inventory.policies import DEFAULT_LOW_STOCK_THRESHOLD
from omni.kernel.ids import new_id

# Core tables, not the mapped classes: on the hot path the ORM's statement machinery
# (bulk-insert bookkeeping, session synchronisation of updates) costs more CPU than the
# statements themselves, and these statements load no objects.
LEVELS = cast(Table, StockLevel.__table__)
MOVEMENTS = cast(Table, StockMovement.__table__)

LEVEL_COLUMNS = (
    LEVELS.c.on_hand,
    LEVELS.c.reserved,
    LEVELS.c.unsellable,
    LEVELS.c.safety_stock,
    LEVELS.c.incoming,
)


@dataclass(frozen=True)
class Delta:
    on_hand: int = 0
    reserved: int = 0
    incoming: int = 0
    unsellable: int = 0


@dataclass(frozen=True)
class Source:
    """The document behind a change (order, cart, transfer, count …) and why."""

    type: str | None = None
    id: str | None = None
    reason: str | None = None
    channel_id: str | None = None


def available_expression(buffer_units: Any, buffer_percent: Any) -> Any:
    """SQL for available-to-sell under a buffer; mirrors ``Quantities.available`` before
    the floor at zero (kept in step by a property test)."""
    level = LEVELS.c
    by_percent = case((level.on_hand > 0, (level.on_hand * buffer_percent + 99) // 100), else_=0)
    held_back = case((buffer_units >= by_percent, buffer_units), else_=by_percent)
    return level.on_hand - level.reserved - level.unsellable - level.safety_stock - held_back


def quantities(row: Any) -> Quantities:
    on_hand, reserved, unsellable, safety_stock, incoming = row
    return Quantities(on_hand, reserved, unsellable, safety_stock, incoming)


# The location's low-stock threshold rides along (a primary-key lookup in the same
# statement): reservations judge "low stock" by it without another round trip.
_THRESHOLD = func.coalesce(
    select(LocationStockPolicy.low_stock_threshold)
    .where(LocationStockPolicy.location_id == LEVELS.c.location_id)
    .scalar_subquery(),
    DEFAULT_LOW_STOCK_THRESHOLD,
)
_LEVEL_COLUMNS_BY_PAIR = (LEVELS.c.variant_id, LEVELS.c.location_id, LEVELS.c.id, _THRESHOLD)
_LEVEL_IDS = select(*_LEVEL_COLUMNS_BY_PAIR).where(
    LEVELS.c.variant_id.in_(bindparam("variants", expanding=True)),
    LEVELS.c.location_id.in_(bindparam("locations", expanding=True)),
)
# One pair (the usual single-line reservation): expanding IN lists are re-rendered on
# every execution, plain parameters are not.
_LEVEL_ID = select(*_LEVEL_COLUMNS_BY_PAIR).where(
    LEVELS.c.variant_id == bindparam("variant"), LEVELS.c.location_id == bindparam("location")
)


async def level_ids(uow: UnitOfWork, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Stock-level ids for (variant, location) pairs that have one (one statement)."""
    found = await levels_and_thresholds(uow, pairs)
    return {pair: level_id for pair, (level_id, _threshold) in found.items()}


async def levels_and_thresholds(
    uow: UnitOfWork, pairs: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[str, int]]:
    """Level id and the location's low-stock threshold per pair that has a level."""
    if len(pairs) == 1:
        [(variant, location)] = pairs
        rows = await uow.session.execute(_LEVEL_ID, {"variant": variant, "location": location})
        return {(v, loc): (level_id, low) for v, loc, level_id, low in rows}
    if not pairs:
        return {}
    variants = sorted({variant for variant, _ in pairs})
    locations = sorted({location for _, location in pairs})
    rows = await uow.session.execute(_LEVEL_IDS, {"variants": variants, "locations": locations})
    return {(v, loc): (level_id, low) for v, loc, level_id, low in rows if (v, loc) in pairs}


async def ensure_levels(uow: UnitOfWork, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Create missing stock-level rows (race-safe upsert), then return all their ids."""
    existing = await level_ids(uow, pairs)
    missing = sorted(pairs - existing.keys())
    if missing:
        dialect = uow.session.get_bind().dialect.name
        make_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        now = uow.clock.now()
        rows = [
            {
                "id": new_id("stk"),
                "variant_id": v,
                "location_id": loc,
                "on_hand": 0,
                "reserved": 0,
                "incoming": 0,
                "unsellable": 0,
                "safety_stock": 0,
                "updated_at": now,
            }
            for v, loc in missing
        ]
        await uow.session.execute(
            make_insert(LEVELS).on_conflict_do_nothing(
                index_elements=["variant_id", "location_id"]
            ),
            rows,
        )
        existing = await level_ids(uow, pairs)
    return existing


_CONDITIONAL_RESERVE = (
    update(LEVELS)
    .where(
        LEVELS.c.id == bindparam("level_id"),
        available_expression(
            bindparam("buffer_units", type_=Integer), bindparam("buffer_percent", type_=Integer)
        )
        + bindparam("allowance", type_=Integer)
        >= bindparam("quantity", type_=Integer),
    )
    .values(
        reserved=LEVELS.c.reserved + bindparam("quantity", type_=Integer),
        updated_at=bindparam("now"),
    )
    .returning(*LEVEL_COLUMNS)
)


async def reserve_if_available(
    uow: UnitOfWork, level_id: str, quantity: int, buffer: Buffer, allowance: int
) -> Quantities | None:
    """Add ``quantity`` to reserved only if that much is available (one statement).

    Returns the new quantities, or None when there was not enough."""
    result = await uow.session.execute(
        _CONDITIONAL_RESERVE,
        {
            "level_id": level_id,
            "quantity": quantity,
            "buffer_units": buffer.units,
            "buffer_percent": buffer.percent,
            "allowance": allowance,
            "now": uow.clock.now(),
        },
    )
    row = result.first()
    return None if row is None else quantities(row)


async def apply_delta(
    uow: UnitOfWork, level_id: str, delta: Delta, *, floor_on_hand: bool = False
) -> Quantities | None:
    """Add ``delta`` to a level by SQL expression. With ``floor_on_hand`` the change is
    refused (None) if on hand would go below zero."""
    level = LEVELS.c
    statement = (
        update(LEVELS)
        .where(level.id == level_id)
        .values(
            on_hand=level.on_hand + delta.on_hand,
            reserved=level.reserved + delta.reserved,
            incoming=level.incoming + delta.incoming,
            unsellable=level.unsellable + delta.unsellable,
            updated_at=uow.clock.now(),
        )
        .returning(*LEVEL_COLUMNS)
    )
    if floor_on_hand:
        statement = statement.where(level.on_hand + delta.on_hand >= 0)
    if delta.unsellable < 0:  # recover or write off only what is on hold
        statement = statement.where(level.unsellable + delta.unsellable >= 0)
    row = (await uow.session.execute(statement)).first()
    return None if row is None else quantities(row)


async def read_quantities(uow: UnitOfWork, level_id: str) -> Quantities:
    row = (await uow.session.execute(select(*LEVEL_COLUMNS).where(LEVELS.c.id == level_id))).one()
    return quantities(row)


def movement_row(
    uow: UnitOfWork,
    *,
    level_id: str,
    variant_id: str,
    location_id: str,
    kind: MovementKind,
    delta: Delta,
    source: Source,
    reservation_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": new_id("mov"),
        "stock_level_id": level_id,
        "variant_id": variant_id,
        "location_id": location_id,
        "kind": kind.value,
        "on_hand_delta": delta.on_hand,
        "reserved_delta": delta.reserved,
        "incoming_delta": delta.incoming,
        "unsellable_delta": delta.unsellable,
        "reason": source.reason,
        "channel_id": source.channel_id,
        "actor_kind": uow.actor.kind.value,
        "actor_id": uow.actor.id,
        "source_type": source.type,
        "source_id": source.id,
        "reservation_id": reservation_id,
        "occurred_at": uow.clock.now(),
    }


_INSERT_MOVEMENTS = insert(MOVEMENTS)


async def write_movements(uow: UnitOfWork, rows: list[dict[str, Any]]) -> None:
    if rows:
        await uow.session.execute(_INSERT_MOVEMENTS, rows)
