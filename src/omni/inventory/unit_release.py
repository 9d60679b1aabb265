"""Giving back some units of an order's reservation (a line cancelled in part, a quantity
lowered) without touching the rest of it.

Releasing the whole reservation and reserving the rest again would be simpler, but the
second step could fail: the channel's buffer, or a backorder allowance used up since,
may no longer let the order take back what it already held. So the units come off the
reservation itself: one conditional update per reservation (``quantity > :units`` and
still active, so a racing release or consumption cannot make it go negative), the level's
reserved count by SQL expression (levels in id order), and a RELEASE ledger movement with
the same delta — levels keep equalling the sum of their movements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from omni.db.uow import UnitOfWork
from omni.inventory import ledger, reservations
from omni.inventory.domain import MovementKind, ReservationKind, ReservationStatus
from omni.inventory.events import StockReleased
from omni.inventory.models import Reservation
from omni.kernel.errors import Conflict, InvalidInput


@dataclass(frozen=True)
class UnitRelease:
    """Give back ``units`` taken by ``reservation_ids`` (one order line's reservations)."""

    reservation_ids: tuple[str, ...]
    units: int


async def release_units(uow: UnitOfWork, reference: str, requests: Sequence[UnitRelease]) -> int:
    """See ``omni.inventory.api.release_units``."""
    wanted = [request for request in requests if request.units]
    if any(request.units < 0 for request in wanted):
        raise InvalidInput("Units to release must be positive.", field="units")
    if not wanted:
        return 0
    rows = await _active(uow, reference, {i for r in wanted for i in r.reservation_ids})
    takes = _plan(rows, wanted)
    whole = sorted(i for i, units in takes.items() if units == rows[i].quantity)
    if whole:
        released = await reservations.release(uow, reference, reservation_ids=whole)
        if released != sum(rows[i].quantity for i in whole):
            raise Conflict("The order's stock changed meanwhile; retry.", reference=reference)
    partial = {i: units for i, units in takes.items() if units < rows[i].quantity}
    await _shrink(uow, reference, [rows[i] for i in sorted(partial)], partial)
    return sum(takes.values())


async def _active(uow: UnitOfWork, reference: str, ids: set[str]) -> dict[str, Any]:
    found = await uow.session.execute(
        select(
            Reservation.id,
            Reservation.stock_level_id,
            Reservation.variant_id,
            Reservation.location_id,
            Reservation.quantity,
            Reservation.channel_id,
            Reservation.kind,
        ).where(
            Reservation.id.in_(sorted(ids)),
            Reservation.reference == reference,
            Reservation.status == ReservationStatus.ACTIVE.value,
        )
    )
    return {row.id: row for row in found}


def _plan(rows: dict[str, Any], requests: Sequence[UnitRelease]) -> dict[str, int]:
    """Units to take off each reservation: the newest first (a quantity raised later is
    given back before the original units)."""
    takes: dict[str, int] = defaultdict(int)
    for request in requests:
        left = request.units
        for reservation_id in sorted(request.reservation_ids, reverse=True):
            row = rows.get(reservation_id)
            if row is None or left == 0:
                continue
            take = min(left, row.quantity - takes[reservation_id])
            takes[reservation_id] += take
            left -= take
        if left:
            raise Conflict(
                "Fewer units are reserved than asked to release.",
                reservation_ids=list(request.reservation_ids),
                missing=left,
            )
    return {reservation_id: units for reservation_id, units in takes.items() if units}


async def _shrink(uow: UnitOfWork, reference: str, rows: list[Any], takes: dict[str, int]) -> None:
    if not rows:
        return
    now = uow.clock.now()
    for row in rows:
        units = takes[row.id]
        shrunk = await uow.session.execute(
            update(Reservation)
            .where(
                Reservation.id == row.id,
                Reservation.status == ReservationStatus.ACTIVE.value,
                Reservation.quantity > units,
            )
            .values(quantity=Reservation.quantity - units, updated_at=now)
            .returning(Reservation.id)
        )
        if shrunk.first() is None:
            raise Conflict("The order's stock changed meanwhile; retry.", reference=reference)
    per_level: dict[str, int] = defaultdict(int)
    for row in rows:
        per_level[row.stock_level_id] += takes[row.id]
    for level_id in sorted(per_level):  # the usual lock order: no deadlock with others
        await ledger.apply_delta(uow, level_id, ledger.Delta(reserved=-per_level[level_id]))
    await ledger.write_movements(
        uow, [_movement(uow, reference, row, takes[row.id]) for row in rows]
    )
    uow.record(
        StockReleased(
            reference=reference,
            reason="units_released",
            lines=[
                {
                    "variant_id": row.variant_id,
                    "location_id": row.location_id,
                    "quantity": takes[row.id],
                    "reservation_id": row.id,
                }
                for row in rows
            ],
        )
    )


def _movement(uow: UnitOfWork, reference: str, row: Any, units: int) -> dict[str, Any]:
    return ledger.movement_row(
        uow,
        level_id=row.stock_level_id,
        variant_id=row.variant_id,
        location_id=row.location_id,
        kind=MovementKind.RELEASE,
        delta=ledger.Delta(reserved=-units),
        source=ledger.Source(
            type="cart" if row.kind == ReservationKind.HOLD else "order",
            id=reference,
            channel_id=row.channel_id,
            reason="units_released",
        ),
        reservation_id=row.id,
    )
