"""Use cases: reserve (cart holds and order reservations), extend, convert, release,
expire and consume — inside the caller's unit of work, which commits.

Zero oversell: each line is one conditional UPDATE that succeeds only if enough is
available, taken in stock-level id order (deadlock-free), with no Python
read-modify-write and no network call while the rows are locked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select, update

from omni.db.uow import Rows, UnitOfWork
from omni.inventory import ledger
from omni.inventory.domain import (
    NO_BUFFER,
    Buffer,
    MovementKind,
    Quantities,
    ReservationKind,
    ReservationStatus,
)
from omni.inventory.errors import InsufficientStock
from omni.inventory.events import (
    StockConsumed,
    StockDepleted,
    StockLow,
    StockReleased,
    StockReserved,
)
from omni.inventory.models import Reservation
from omni.kernel.errors import InvalidInput
from omni.kernel.ids import new_id

RESERVATIONS = cast(Table, Reservation.__table__)


@dataclass(frozen=True)
class ReserveLine:
    variant_id: str
    location_id: str
    quantity: int


@dataclass(frozen=True)
class ReserveRequest:
    lines: list[ReserveLine]
    kind: ReservationKind
    reference: str
    channel_id: str | None = None
    expires_at: datetime | None = None
    # What the channel keeps back per location (its stock pool buffers).
    buffers: Mapping[str, Buffer] = field(default_factory=dict)
    # Units per variant that may be promised beyond stock (backorder/preorder policy).
    allowances: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Reserved:
    reservation_id: str
    variant_id: str
    location_id: str
    quantity: int
    remaining: Quantities


def _merged(lines: list[ReserveLine]) -> dict[tuple[str, str], int]:
    wanted: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        if line.quantity <= 0:
            raise InvalidInput("Quantities must be positive.", field="quantity")
        wanted[(line.variant_id, line.location_id)] += line.quantity
    return wanted


def _check(request: ReserveRequest) -> None:
    if not request.lines:
        raise InvalidInput("Nothing to reserve.", field="lines")
    if request.kind is ReservationKind.HOLD and request.expires_at is None:
        raise InvalidInput("A cart hold needs an expiry.", field="expires_at")


@dataclass(frozen=True)
class _Planned:
    level_id: str
    variant_id: str
    location_id: str
    quantity: int
    reservation_id: str
    low_stock_threshold: int  # the location's: "low stock" at or below this


async def reserve(uow: UnitOfWork, request: ReserveRequest) -> list[Reserved]:
    """Reserve every line or none. A refusal (InsufficientStock) rolls the caller's unit
    of work back before it is raised: do not continue with it."""
    _check(request)
    plan = await _plan(uow, request)
    # What does not depend on the outcome is written first: the reservation and ledger
    # rows, the stock_reserved event (and anything the caller recorded). The contended
    # conditional UPDATEs come last, so on the common path a hot stock row stays locked
    # only from its UPDATE to the commit; a refused UPDATE rolls all of it back.
    uow.record(_reserved_event(request, plan))
    await uow.write_recorded(*_rows(uow, request, plan))
    try:
        reserved = [await _take(uow, request, line) for line in plan]
    except InsufficientStock:
        await uow.rollback()
        raise
    for line, item in zip(plan, reserved, strict=True):
        # Rare: only these events depend on what the UPDATE returned.
        _record_thresholds(uow, line, item.remaining)
    return reserved


async def _plan(uow: UnitOfWork, request: ReserveRequest) -> list[_Planned]:
    wanted = _merged(request.lines)
    levels = await ledger.levels_and_thresholds(uow, set(wanted))
    missing = {key for key in wanted if key not in levels}
    for variant_id, location_id in missing:
        if request.allowances.get(variant_id, 0) < wanted[(variant_id, location_id)]:
            raise InsufficientStock(
                variant_id=variant_id,
                location_id=location_id,
                requested=wanted[(variant_id, location_id)],
                available=0,
            )
    if missing:  # backorders where nothing was ever stocked still need a level row
        await ledger.ensure_levels(uow, missing)
        levels.update(await ledger.levels_and_thresholds(uow, missing))
    # Deterministic lock order: two baskets with the same SKUs in any order never deadlock.
    return sorted(
        (
            _Planned(levels[key][0], key[0], key[1], quantity, new_id("res"), levels[key][1])
            for key, quantity in wanted.items()
        ),
        key=lambda line: line.level_id,
    )


async def _take(uow: UnitOfWork, request: ReserveRequest, line: _Planned) -> Reserved:
    buffer = request.buffers.get(line.location_id, NO_BUFFER)
    allowance = request.allowances.get(line.variant_id, 0)
    remaining = await ledger.reserve_if_available(
        uow, line.level_id, line.quantity, buffer, allowance
    )
    if remaining is None:
        available = (await ledger.read_quantities(uow, line.level_id)).available(buffer) + allowance
        raise InsufficientStock(
            variant_id=line.variant_id,
            location_id=line.location_id,
            requested=line.quantity,
            available=available,
        )
    return Reserved(
        line.reservation_id, line.variant_id, line.location_id, line.quantity, remaining
    )


def _rows(uow: UnitOfWork, request: ReserveRequest, plan: list[_Planned]) -> list[Rows]:
    now = uow.clock.now()
    source = ledger.Source(
        type="cart" if request.kind is ReservationKind.HOLD else "order",
        id=request.reference,
        channel_id=request.channel_id,
    )
    rows = [
        {
            "id": line.reservation_id,
            "stock_level_id": line.level_id,
            "variant_id": line.variant_id,
            "location_id": line.location_id,
            "quantity": line.quantity,
            "kind": request.kind.value,
            "status": ReservationStatus.ACTIVE.value,
            "channel_id": request.channel_id,
            "reference": request.reference,
            "expires_at": request.expires_at,
            "created_at": now,
            "updated_at": now,
        }
        for line in plan
    ]
    movements = [
        ledger.movement_row(
            uow,
            level_id=line.level_id,
            variant_id=line.variant_id,
            location_id=line.location_id,
            kind=MovementKind.RESERVATION,
            delta=ledger.Delta(reserved=line.quantity),
            source=source,
            reservation_id=line.reservation_id,
        )
        for line in plan
    ]
    return [(RESERVATIONS, rows), (ledger.MOVEMENTS, movements)]


def _reserved_event(request: ReserveRequest, plan: list[_Planned]) -> StockReserved:
    return StockReserved(
        reference=request.reference,
        kind=request.kind.value,
        channel_id=request.channel_id,
        lines=[
            {
                "variant_id": line.variant_id,
                "location_id": line.location_id,
                "quantity": line.quantity,
                "reservation_id": line.reservation_id,
            }
            for line in plan
        ],
    )


def _record_thresholds(uow: UnitOfWork, line: _Planned, remaining: Quantities) -> None:
    available = remaining.available()
    if available <= 0:
        uow.record(StockDepleted(variant_id=line.variant_id, location_id=line.location_id))
    elif available <= line.low_stock_threshold:
        uow.record(
            StockLow(variant_id=line.variant_id, location_id=line.location_id, available=available)
        )


async def extend_holds(uow: UnitOfWork, reference: str, expires_at: datetime) -> int:
    """Push back the expiry of a cart's active holds; returns how many were extended."""
    result: Any = await uow.session.execute(
        update(Reservation)
        .where(
            Reservation.reference == reference,
            Reservation.status == ReservationStatus.ACTIVE.value,
            Reservation.kind == ReservationKind.HOLD.value,
        )
        .values(expires_at=expires_at, updated_at=uow.clock.now())
    )
    return int(result.rowcount or 0)


async def convert_holds_to_order(uow: UnitOfWork, cart_reference: str, order_reference: str) -> int:
    """Checkout keeps the units a cart held: its holds become the order's reservation."""
    result: Any = await uow.session.execute(
        update(Reservation)
        .where(
            Reservation.reference == cart_reference,
            Reservation.status == ReservationStatus.ACTIVE.value,
            Reservation.kind == ReservationKind.HOLD.value,
        )
        .values(
            kind=ReservationKind.ORDER.value,
            reference=order_reference,
            expires_at=None,
            updated_at=uow.clock.now(),
        )
    )
    return int(result.rowcount or 0)


async def release(
    uow: UnitOfWork, reference: str, *, reservation_ids: list[str] | None = None
) -> int:
    """Withdraw active reservations of ``reference`` (cancel); returns units released."""
    return await _finish(uow, reference, reservation_ids, ReservationStatus.RELEASED)


async def consume(
    uow: UnitOfWork, reference: str, *, reservation_ids: list[str] | None = None
) -> int:
    """The reserved units were picked and left the building (fulfilment)."""
    return await _finish(uow, reference, reservation_ids, ReservationStatus.CONSUMED)


async def _finish(
    uow: UnitOfWork,
    reference: str | None,
    reservation_ids: list[str] | None,
    status: ReservationStatus,
    *,
    expired_before: datetime | None = None,
) -> int:
    now = uow.clock.now()
    # Claim the rows first (active → final): a second release or a racing sweeper finds
    # nothing left to do, so stock is returned exactly once.
    statement = (
        update(Reservation)
        .where(Reservation.status == ReservationStatus.ACTIVE.value)
        .values(status=status.value, updated_at=now)
        .returning(
            Reservation.id,
            Reservation.stock_level_id,
            Reservation.variant_id,
            Reservation.location_id,
            Reservation.quantity,
            Reservation.channel_id,
            Reservation.reference,
            Reservation.kind,
        )
    )
    if reference is not None:
        statement = statement.where(Reservation.reference == reference)
    if reservation_ids is not None:
        statement = statement.where(Reservation.id.in_(reservation_ids))
    if expired_before is not None:
        statement = statement.where(
            Reservation.kind == ReservationKind.HOLD.value, Reservation.expires_at <= expired_before
        )
    claimed = list(await uow.session.execute(statement))
    if not claimed:
        return 0
    await _return_units(uow, claimed, status)
    return sum(row.quantity for row in claimed)


async def _return_units(uow: UnitOfWork, claimed: list[Any], status: ReservationStatus) -> None:
    consumed = status is ReservationStatus.CONSUMED
    kind = MovementKind.CONSUMPTION if consumed else MovementKind.RELEASE
    per_level: dict[str, int] = defaultdict(int)
    for row in claimed:
        per_level[row.stock_level_id] += row.quantity
    for level_id in sorted(per_level):
        units = per_level[level_id]
        await ledger.apply_delta(
            uow, level_id, ledger.Delta(reserved=-units, on_hand=-units if consumed else 0)
        )
    movements = [
        ledger.movement_row(
            uow,
            level_id=row.stock_level_id,
            variant_id=row.variant_id,
            location_id=row.location_id,
            kind=kind,
            delta=ledger.Delta(reserved=-row.quantity, on_hand=-row.quantity if consumed else 0),
            source=ledger.Source(
                type="cart" if row.kind == ReservationKind.HOLD else "order",
                id=row.reference,
                channel_id=row.channel_id,
                reason=status.value,
            ),
            reservation_id=row.id,
        )
        for row in claimed
    ]
    await ledger.write_movements(uow, movements)
    _record_finish_events(uow, claimed, status)


def _record_finish_events(uow: UnitOfWork, claimed: list[Any], status: ReservationStatus) -> None:
    by_reference: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in claimed:
        by_reference[row.reference].append(
            {
                "variant_id": row.variant_id,
                "location_id": row.location_id,
                "quantity": row.quantity,
                "reservation_id": row.id,
            }
        )
    for reference, lines in by_reference.items():
        if status is ReservationStatus.CONSUMED:
            uow.record(StockConsumed(reference=reference, lines=lines))
        else:
            uow.record(StockReleased(reference=reference, reason=status.value, lines=lines))


async def expire_holds(uow: UnitOfWork, *, now: datetime, limit: int = 500) -> int:
    """Release cart holds past their expiry (the sweeper). Returns units returned."""
    due = list(
        await uow.session.scalars(
            select(Reservation.id)
            .where(
                Reservation.status == ReservationStatus.ACTIVE.value,
                Reservation.kind == ReservationKind.HOLD.value,
                Reservation.expires_at <= now,
            )
            .order_by(Reservation.expires_at)
            .limit(limit)
        )
    )
    if not due:
        return 0
    return await _finish(uow, None, due, ReservationStatus.EXPIRED, expired_before=now)
