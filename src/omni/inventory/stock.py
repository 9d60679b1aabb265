"""Use cases that change stock outside reservations: receipts, carry-out sales,
adjustments, damage and recovery, write-offs, return restocks, safety stock.
Each runs in the caller's unit of work (which commits)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update

from omni.db.uow import UnitOfWork
from omni.inventory import ledger
from omni.inventory.domain import MovementKind, Quantities
from omni.inventory.events import StockMoved, StockOversold
from omni.inventory.models import LocationStockPolicy, StockLevel
from omni.kernel.errors import Conflict, InvalidInput

# kind → how one unit changes the level (on_hand, unsellable)
_UNIT_EFFECT: dict[MovementKind, tuple[int, int]] = {
    MovementKind.RECEIPT: (1, 0),
    MovementKind.RETURN_RESTOCK: (1, 0),
    MovementKind.SALE: (-1, 0),
    MovementKind.DAMAGE: (0, 1),
    MovementKind.RECOVERY: (0, -1),
    MovementKind.WRITE_OFF: (-1, -1),
}


@dataclass(frozen=True)
class StockChange:
    variant_id: str
    location_id: str
    kind: MovementKind
    quantity: int  # units (positive); for ADJUSTMENT/COUNT_CORRECTION a signed delta
    source: ledger.Source = field(default_factory=ledger.Source)
    # A fact that already happened (offline POS sale): accepted even below zero, flagged.
    is_fact: bool = False


def _delta(change: StockChange) -> ledger.Delta:
    if change.kind in (MovementKind.ADJUSTMENT, MovementKind.COUNT_CORRECTION):
        if change.quantity == 0:
            raise InvalidInput("An adjustment must change something.", field="quantity")
        return ledger.Delta(on_hand=change.quantity)
    if change.kind not in _UNIT_EFFECT:
        raise InvalidInput(f"{change.kind} is not a direct stock change.", field="kind")
    if change.quantity <= 0:
        raise InvalidInput("Quantities must be positive.", field="quantity")
    on_hand, unsellable = _UNIT_EFFECT[change.kind]
    return ledger.Delta(on_hand=on_hand * change.quantity, unsellable=unsellable * change.quantity)


async def apply_changes(
    uow: UnitOfWork, changes: list[StockChange]
) -> dict[tuple[str, str], Quantities]:
    """Apply each change to its level and the ledger; all or nothing."""
    deltas = [(change, _delta(change)) for change in changes]
    levels = await ledger.ensure_levels(uow, {(c.variant_id, c.location_id) for c in changes})
    negative_ok = await _locations_allowing_negative(uow, {c.location_id for c in changes})
    results: dict[tuple[str, str], Quantities] = {}
    movements = []
    for change, delta in sorted(
        deltas, key=lambda item: levels[(item[0].variant_id, item[0].location_id)]
    ):
        level_id = levels[(change.variant_id, change.location_id)]
        may_go_negative = change.is_fact or change.location_id in negative_ok
        after = await ledger.apply_delta(uow, level_id, delta, floor_on_hand=not may_go_negative)
        if after is None:
            raise Conflict(
                f"Not enough stock for this {change.kind.value}.",
                variant_id=change.variant_id,
                location_id=change.location_id,
            )
        results[(change.variant_id, change.location_id)] = after
        movements.append(
            ledger.movement_row(
                uow,
                level_id=level_id,
                variant_id=change.variant_id,
                location_id=change.location_id,
                kind=change.kind,
                delta=delta,
                source=change.source,
            )
        )
        _record(uow, change, delta, after)
    await ledger.write_movements(uow, movements)
    return results


def _record(uow: UnitOfWork, change: StockChange, delta: ledger.Delta, after: Quantities) -> None:
    uow.record(
        StockMoved(
            variant_id=change.variant_id,
            location_id=change.location_id,
            kind=change.kind.value,
            on_hand_delta=delta.on_hand,
            unsellable_delta=delta.unsellable,
            source_type=change.source.type,
            source_id=change.source.id,
        )
    )
    if after.oversold and delta.on_hand < 0:
        uow.record(
            StockOversold(
                variant_id=change.variant_id,
                location_id=change.location_id,
                on_hand=after.on_hand,
                reserved=after.reserved,
                source_type=change.source.type,
                source_id=change.source.id,
            )
        )


async def _locations_allowing_negative(uow: UnitOfWork, location_ids: set[str]) -> set[str]:
    rows = await uow.session.scalars(
        select(LocationStockPolicy.location_id).where(
            LocationStockPolicy.location_id.in_(location_ids), LocationStockPolicy.allow_negative
        )
    )
    return set(rows)


async def set_safety_stock(uow: UnitOfWork, variant_id: str, location_id: str, units: int) -> None:
    if units < 0:
        raise InvalidInput("Safety stock cannot be negative.", field="safety_stock")
    levels = await ledger.ensure_levels(uow, {(variant_id, location_id)})
    await uow.session.execute(
        update(StockLevel)
        .where(StockLevel.id == levels[(variant_id, location_id)])
        .values(safety_stock=units, updated_at=uow.clock.now())
    )
    uow.audit(
        "inventory.safety_stock_set",
        "stock_level",
        levels[(variant_id, location_id)],
        {"units": units},
    )
