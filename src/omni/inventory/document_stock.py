"""How documents move stock, through the ledger only: units leaving a location, units
expected (incoming), units arriving, and counts setting on hand.

Every use case builds its whole list of level changes first and applies them here in
one pass in stock-level id order — never "all of the source, then all of the
destination" — so a transfer A→B and one B→A shipped at the same moment cannot deadlock
on each other's rows, nor on orders reserving the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from omni.db.uow import UnitOfWork
from omni.inventory import ledger
from omni.inventory.domain import NO_BUFFER, MovementKind, Quantities
from omni.inventory.errors import InsufficientStock
from omni.inventory.events import StockDepleted, StockMoved, StockOversold

LOOKUP_BATCH = 5000


@dataclass(frozen=True)
class Move:
    kind: MovementKind
    delta: ledger.Delta
    reason: str | None = None


@dataclass
class Step:
    """Changes to one (variant, location) level, each written as its own movement."""

    variant_id: str
    location_id: str
    moves: list[Move] = field(default_factory=list)
    # Units leaving that must be free here: not reserved, unsellable or safety stock.
    take: int = 0


def _total(moves: list[Move]) -> ledger.Delta:
    return ledger.Delta(
        on_hand=sum(m.delta.on_hand for m in moves),
        reserved=sum(m.delta.reserved for m in moves),
        incoming=sum(m.delta.incoming for m in moves),
        unsellable=sum(m.delta.unsellable for m in moves),
    )


async def apply_steps(
    uow: UnitOfWork, steps: list[Step], *, source_type: str, source_id: str
) -> None:
    """Apply every step or none (a refusal raises and the caller's transaction rolls back)."""
    steps = [step for step in steps if step.moves]
    levels = await ledger.ensure_levels(uow, {(s.variant_id, s.location_id) for s in steps})
    if len(levels) != len(steps):
        raise ValueError("one step per (variant, location)")
    movements = []
    for step in sorted(steps, key=lambda s: levels[(s.variant_id, s.location_id)]):
        level_id = levels[(step.variant_id, step.location_id)]
        after = await _apply_step(uow, level_id, step)
        for move in step.moves:
            source = ledger.Source(type=source_type, id=source_id, reason=move.reason)
            movements.append(
                ledger.movement_row(
                    uow,
                    level_id=level_id,
                    variant_id=step.variant_id,
                    location_id=step.location_id,
                    kind=move.kind,
                    delta=move.delta,
                    source=source,
                )
            )
            record_move(uow, step.variant_id, step.location_id, move, after, source)
    await ledger.write_movements(uow, movements)


async def _apply_step(uow: UnitOfWork, level_id: str, step: Step) -> Quantities:
    total = _total(step.moves)
    if step.take:
        # Reserve-then-consume in one transaction on the locked row: the conditional
        # reserve is the core's own zero-oversell check, so a transfer can never take
        # units promised to an order; the reservation is gone again before commit and
        # the ledger shows one movement (the transfer out).
        if await ledger.reserve_if_available(uow, level_id, step.take, NO_BUFFER, 0) is None:
            available = (await ledger.read_quantities(uow, level_id)).available()
            raise InsufficientStock(
                variant_id=step.variant_id,
                location_id=step.location_id,
                requested=step.take,
                available=available,
            )
        total = ledger.Delta(
            total.on_hand, total.reserved - step.take, total.incoming, total.unsellable
        )
    after = await ledger.apply_delta(uow, level_id, total)
    assert after is not None  # unconditional: the row exists (ensure_levels)
    return after


def record_move(
    uow: UnitOfWork,
    variant_id: str,
    location_id: str,
    move: Move,
    after: Quantities,
    source: ledger.Source,
) -> None:
    """The stock facts other modules react to; incoming-only moves change nothing sellable."""
    if move.delta.on_hand == 0 and move.delta.unsellable == 0:
        return
    uow.record(
        StockMoved(
            variant_id=variant_id,
            location_id=location_id,
            kind=move.kind.value,
            on_hand_delta=move.delta.on_hand,
            unsellable_delta=move.delta.unsellable,
            source_type=source.type,
            source_id=source.id,
        )
    )
    if move.delta.on_hand >= 0:
        return
    if after.oversold:
        uow.record(
            StockOversold(
                variant_id=variant_id,
                location_id=location_id,
                on_hand=after.on_hand,
                reserved=after.reserved,
                source_type=source.type,
                source_id=source.id,
            )
        )
    elif after.available() <= 0:
        uow.record(StockDepleted(variant_id=variant_id, location_id=location_id))


@dataclass(frozen=True)
class Counted:
    variant_id: str
    system: int  # on hand when posted
    counted: int

    @property
    def difference(self) -> int:
        return self.counted - self.system


async def set_on_hand(
    uow: UnitOfWork, location_id: str, counted: dict[str, int], *, source_id: str
) -> list[Counted]:
    """Make on hand equal what was counted, against on hand at posting: each level is
    locked and read in one statement (a no-op update), then corrected, so nothing can
    commit in between — on hand after posting is exactly the counted quantity, and the
    recorded system quantity is what the books said at that moment."""
    pairs = sorted((variant_id, location_id) for variant_id in counted)
    levels: dict[tuple[str, str], str] = {}
    # Looked up in slices (a statement's parameters are limited), but locked below in
    # one pass over all of them in id order.
    for start in range(0, len(pairs), LOOKUP_BATCH):
        chunk = set(pairs[start : start + LOOKUP_BATCH])
        existing = await ledger.level_ids(uow, chunk)
        # A variant counted at zero with no level here needs no row: the books agree.
        needed = {(v, loc) for v, loc in chunk if counted[v] > 0} | set(existing)
        levels |= await ledger.ensure_levels(uow, needed)
    results = [Counted(v, 0, 0) for v, loc in pairs if (v, loc) not in levels]
    movements = []
    source = ledger.Source(type="count", id=source_id, reason="cycle count")
    for (variant_id, _), level_id in sorted(levels.items(), key=lambda item: item[1]):
        now = await ledger.apply_delta(uow, level_id, ledger.Delta())
        assert now is not None
        result = Counted(variant_id, now.on_hand, counted[variant_id])
        results.append(result)
        if result.difference == 0:
            continue
        move = Move(MovementKind.COUNT_CORRECTION, ledger.Delta(on_hand=result.difference))
        after = await ledger.apply_delta(uow, level_id, move.delta)
        assert after is not None
        movements.append(
            ledger.movement_row(
                uow,
                level_id=level_id,
                variant_id=variant_id,
                location_id=location_id,
                kind=move.kind,
                delta=move.delta,
                source=source,
            )
        )
        record_move(uow, variant_id, location_id, move, after, source)
    await ledger.write_movements(uow, movements)
    return results
