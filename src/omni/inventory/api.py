"""What other modules (orders, carts, fulfillment, catalog, returns) may call in the
inventory module.

Writes take the caller's unit of work and never commit; reads take a session and never
lock. Every function that changes quantities goes through the ledger, so levels always
equal the sum of their movements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.database import Database
from omni.db.uow import UnitOfWork
from omni.inventory import (
    availability,
    channel_reservations,
    nearby,
    reservations,
    stock,
    sweeper,
    unit_release,
)
from omni.inventory.availability import ChannelAvailability
from omni.inventory.channel_reservations import SellLine
from omni.inventory.domain import (
    MovementKind,
    Quantities,
    ReservationKind,
    ReservationStatus,
    stock_state,
)
from omni.inventory.errors import InsufficientStock
from omni.inventory.ledger import Source
from omni.inventory.models import Reservation
from omni.inventory.receiving_csv import (
    ASN_COLUMNS,
    ASN_REQUIRED,
    RECEIPT_COLUMNS,
    RECEIPT_REQUIRED,
    apply_asn_rows,
    apply_receipt_rows,
    asn_row_keys,
    check_row_references,
    receipt_row_keys,
    validate_asn_row,
    validate_receipt_row,
)
from omni.inventory.reservations import Reserved
from omni.inventory.stock import StockChange
from omni.inventory.unit_release import UnitRelease

__all__ = [
    "ASN_COLUMNS",
    "ASN_REQUIRED",
    "RECEIPT_COLUMNS",
    "RECEIPT_REQUIRED",
    "ChannelAvailability",
    "InsufficientStock",
    "MovementKind",
    "Quantities",
    "ReservationKind",
    "Reserved",
    "SellLine",
    "Source",
    "StockChange",
    "UnitRelease",
    "apply_asn_rows",
    "apply_receipt_rows",
    "asn_row_keys",
    "availability_for_channel",
    "check_row_references",
    "consume",
    "convert_holds_to_order",
    "expire_due_holds",
    "extend_holds",
    "held_units",
    "in_stock_variant_ids",
    "nearby_stores_with_stock",
    "receipt_row_keys",
    "record_changes",
    "release",
    "release_units",
    "reserve_for_channel",
    "validate_asn_row",
    "validate_receipt_row",
]


async def reserve_for_channel(
    uow: UnitOfWork,
    channel_id: str,
    lines: Sequence[SellLine],
    kind: ReservationKind,
    reference: str,
    expires_at: datetime | None = None,
) -> list[Reserved]:
    """Reserve every line through the channel, or none.

    ``kind`` HOLD is a cart hold (``reference`` = cart id, ``expires_at`` required);
    ORDER an order's reservation (``reference`` = order id) kept until consumed or
    released. Before any stock row is touched it reads the channel's pool and buffers,
    the variants' backorder/preorder allowances and bundle recipes; a bundle line
    reserves its components at the same location, atomically.

    Raises ``NotFound`` (unknown channel), ``InvalidInput`` (inactive channel, a
    location outside the pool, unknown variants, quantities ≤ 0) before changing
    anything, or ``InsufficientStock`` (409) naming the line, what is available there
    and where else the channel has it (INV11). On ``InsufficientStock`` the unit of
    work has already been rolled back — no stock row stays locked while the
    alternatives are looked up — so the caller must not continue with it.
    """
    return await channel_reservations.reserve_for_channel(
        uow, channel_id, lines, kind, reference, expires_at
    )


async def release(
    uow: UnitOfWork, reference: str, *, reservation_ids: list[str] | None = None
) -> int:
    """Withdraw the active reservations (holds or order) of ``reference`` — all of them
    or only ``reservation_ids`` (cancel a line). Returns units released; a second call
    releases nothing, so a retried cancel never returns stock twice."""
    return await reservations.release(uow, reference, reservation_ids=reservation_ids)


async def release_units(uow: UnitOfWork, reference: str, requests: list[UnitRelease]) -> int:
    """Give back some units of ``reference``'s active reservations: per request, ``units``
    taken off its ``reservation_ids`` (newest first; a reservation brought to zero is
    released whole). Each reservation shrinks by one conditional update, the levels'
    reserved by SQL expression, with a RELEASE ledger movement. Returns units released;
    409 (``Conflict``) when fewer are still reserved — let it roll the unit of work back."""
    return await unit_release.release_units(uow, reference, requests)


async def consume(
    uow: UnitOfWork, reference: str, *, reservation_ids: list[str] | None = None
) -> int:
    """The reserved units were picked and left (fulfilment): on hand and reserved both
    go down. Returns units consumed; consuming again consumes nothing."""
    return await reservations.consume(uow, reference, reservation_ids=reservation_ids)


async def extend_holds(uow: UnitOfWork, reference: str, expires_at: datetime) -> int:
    """Move the expiry of the cart's active holds to ``expires_at``; returns how many
    holds were extended (0: none left — they expired or were converted)."""
    return await reservations.extend_holds(uow, reference, expires_at)


async def convert_holds_to_order(uow: UnitOfWork, cart_reference: str, order_reference: str) -> int:
    """At checkout the cart's active holds become the order's reservation (same units,
    no expiry). Returns how many were converted; 0 means the holds are gone and the
    order must reserve afresh with ``reserve_for_channel``."""
    return await reservations.convert_holds_to_order(uow, cart_reference, order_reference)


async def held_units(session: AsyncSession, reference: str) -> dict[tuple[str, str], int]:
    """Units ``reference`` (a cart) holds now, per (variant, location). To their cart
    they are as good as available: checkout adds them back to what the channel shows,
    since the order gives the holds back as it reserves, in the same transaction."""
    rows = await session.execute(
        select(Reservation.variant_id, Reservation.location_id, func.sum(Reservation.quantity))
        .where(
            Reservation.reference == reference,
            Reservation.kind == ReservationKind.HOLD.value,
            Reservation.status == ReservationStatus.ACTIVE.value,
        )
        .group_by(Reservation.variant_id, Reservation.location_id)
    )
    return {(variant, location): int(units) for variant, location, units in rows}


async def record_changes(
    uow: UnitOfWork, changes: list[StockChange]
) -> dict[tuple[str, str], Quantities]:
    """Apply stock changes outside reservations — receipt, carry-out sale, adjustment,
    damage, recovery, write-off, return restock — all or none, each with its ledger
    movement. A change that would take on hand below zero is refused (409) unless the
    location allows negative stock or the change is a fact (``is_fact``: an offline
    till sale), which is accepted and flagged with ``inventory.oversold``. Returns the
    new quantities per (variant, location)."""
    return await stock.apply_changes(uow, changes)


async def availability_for_channel(
    session: AsyncSession,
    channel_id: str,
    variant_ids: Iterable[str],
    *,
    at: datetime | None = None,
) -> dict[str, ChannelAvailability]:
    """Available-to-sell per variant through the channel: the sum over its pool of each
    location's available after that location's buffer (bundles from their components),
    with backorder/preorder allowances as of ``at`` (default now). Unknown variants have
    nothing available. ``NotFound`` for an unknown channel. Fixed number of reads."""
    channel = await availability.channel_or_404(session, channel_id)
    return await availability.channel_availability(
        session, channel, variant_ids, at or datetime.now(UTC)
    )


async def in_stock_variant_ids(
    session: AsyncSession, channel_id: str, variant_ids: Iterable[str]
) -> set[str]:
    """Of ``variant_ids``, those with at least one unit available through the channel
    right now, reservations and buffers counted (for "in stock only" listings).
    ``NotFound`` for an unknown channel. Four reads, whatever the number of ids."""
    channel = await availability.channel_or_404(session, channel_id)
    return await availability.in_stock_variant_ids(session, channel, variant_ids)


async def expire_due_holds(db: Database, *, now: datetime | None = None) -> int:
    """The sweeper: release every cart hold past its expiry, in short batches; returns
    the units given back. Safe to run in several processes at once."""
    return await sweeper.expire_due_holds(db, now=now)


@dataclass(frozen=True)
class NearbyStore:
    """A store near the shopper with the SKU, as a shopper may see it (no quantities)."""

    location_id: str
    name: str
    distance_km: float
    status: str  # in_stock | low_stock
    pickup: bool


async def nearby_stores_with_stock(
    session: AsyncSession,
    variant_id: str,
    zip_code: str,
    *,
    channel_id: str | None = None,
    radius_km: float = 40,
    limit: int = 5,
) -> list[NearbyStore]:
    """Stores within ``radius_km`` of a US ZIP code with the variant available, nearest
    first — what ``GET /inventory/availability/nearby`` shows a shopper (stores only,
    a stock state, never a quantity). ``InvalidInput`` for a malformed or unknown ZIP."""
    point = await nearby.resolve_point(None, zip_code)
    channel = await availability.channel_or_404(session, channel_id) if channel_id else None
    found = await nearby.nearby_with_stock(
        session, variant_id, point, radius_km=radius_km, limit=limit, channel=channel,
        kinds=frozenset({"store"}),
    )  # fmt: skip
    return [
        NearbyStore(
            location_id=entry.location.id,
            name=entry.location.name,
            distance_km=entry.distance_km,
            status=stock_state(entry.available, entry.low_stock_threshold),
            pickup=entry.pickup,
        )
        for entry in found
    ]
