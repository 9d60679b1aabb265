"""HTTP endpoints under /inventory: availability reads (INV3/INV4/INV6).

Shoppers and anonymous callers may read a channel's availability and nearby stores,
as a coarse status only (in stock / low / out / backorder / preorder); staff with
``inventory.read`` and API clients see the figures. Reads never lock stock rows.

``routers`` lists the module's routers for ``omni.wiring``: these reads, stock
changes, reservations, the ledger and policies each in their own file.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Query
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.router import new_router
from omni.inventory import availability, nearby, policies
from omni.inventory.domain import NO_BUFFER, Buffer, stock_state
from omni.inventory.ledger_routes import router as ledger_router
from omni.inventory.policy_routes import router as policy_router
from omni.inventory.reservation_routes import router as reservation_router
from omni.inventory.schemas import (
    MAX_BULK,
    AvailabilityOut,
    BulkIn,
    BulkOut,
    ChannelAvailabilityOut,
    ChannelLevelOut,
    InStockOut,
    LocationAvailableOut,
    NearbyListOut,
    NearbyOut,
    PublicAvailabilityOut,
    Status,
    VariantLevelOut,
    VariantLevelsOut,
)
from omni.inventory.stock_routes import router as stock_router
from omni.kernel.actor import Actor
from omni.kernel.errors import InvalidInput, NotFound
from omni.locations import api as locations_api
from omni.permissions import has_permission

router = new_router("/inventory", ["inventory"])
READ = "inventory.read"
VariantIdsQuery = Annotated[
    str, Query(min_length=1, max_length=MAX_BULK * 33, description="Comma-separated, ≤ 100")
]
ChannelQuery = Annotated[
    str | None,
    Query(max_length=32, description="Shoppers: the channel (or send an Omni-Channel header)"),
]
# What shoppers may see on a map: stores they can walk into (never warehouses).
PUBLIC_PLACE_KINDS = frozenset({"store"})


def _status(value: str) -> Status:
    return cast(Status, value)


def _variant_ids(text: str) -> list[str]:
    ids = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not ids or len(ids) > MAX_BULK or any(len(v) > 32 for v in ids):
        raise InvalidInput(f"Give 1 to {MAX_BULK} variant ids.", param="variant_ids")
    return ids


def _channel_of(actor: Actor, channel_id: str | None) -> str:
    channel = channel_id or actor.channel
    if not channel:
        raise InvalidInput(
            "Name a channel_id (or send an Omni-Channel header).", param="channel_id"
        )
    return channel


async def _known(session: AsyncSession, variant_ids: list[str]) -> None:
    known = await catalog_api.get_variants(session, variant_ids)
    unknown = [v for v in variant_ids if v not in known]
    if unknown:
        raise InvalidInput("No such variants.", param="variant_ids", unknown=unknown)


@router.get(
    "/availability",
    summary="Available-to-sell through a channel (public: status only)",
    response_model=AvailabilityOut,
)
async def channel_availability(
    db: DbDep,
    session: ReaderDep,
    variant_ids: VariantIdsQuery,
    channel_id: ChannelQuery = None,
    actor: Actor = Access(public=True),
) -> AvailabilityOut:
    ids = _variant_ids(variant_ids)
    channel = await availability.channel_or_404(session, _channel_of(actor, channel_id))
    await _known(session, ids)
    found = await availability.channel_availability(session, channel, ids, db.clock.now())
    if not has_permission(actor, READ):
        public = [
            PublicAvailabilityOut(variant_id=v, status=_status(found[v].status())) for v in ids
        ]
        return AvailabilityOut(channel_id=channel.id, items=public)
    items = [
        ChannelAvailabilityOut(
            variant_id=v,
            status=_status(found[v].status()),
            available=found[v].available,
            is_bundle=found[v].is_bundle,
            backorder=found[v].backorder,
            preorder=found[v].preorder,
            locations=[
                LocationAvailableOut(location_id=loc, available=units)
                for loc, units in found[v].by_location.items()
            ],
        )
        for v in ids
    ]
    return AvailabilityOut(channel_id=channel.id, items=items)


@router.get(
    "/availability/in-stock",
    summary="Which of these variants are in stock on a channel (for listings)",
    response_model=InStockOut,
)
async def in_stock(
    session: ReaderDep,
    variant_ids: VariantIdsQuery,
    channel_id: ChannelQuery = None,
    actor: Actor = Access(public=True),
) -> InStockOut:
    ids = _variant_ids(variant_ids)
    channel = await availability.channel_or_404(session, _channel_of(actor, channel_id))
    stocked = await availability.in_stock_variant_ids(session, channel, ids)
    return InStockOut(channel_id=channel.id, variant_ids=[v for v in ids if v in stocked])


@router.get(
    "/availability/nearby",
    summary="Nearby locations with a SKU in stock, nearest first (from lat,lon or US ZIP)",
    response_model=NearbyListOut,
    response_model_exclude_none=True,  # shoppers get no "available" member at all
)
async def nearby_stock(
    session: ReaderDep,
    variant_id: Annotated[str, Query(min_length=1, max_length=32)],
    near: Annotated[str | None, Query(max_length=60, description="'lat,lon'")] = None,
    zip_code: Annotated[
        str | None, Query(alias="zip", max_length=10, description="US ZIP code")
    ] = None,
    radius_km: Annotated[float, Query(gt=0, le=1000)] = 25,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    channel_id: ChannelQuery = None,
    actor: Actor = Access(public=True),
) -> NearbyListOut:
    point = await nearby.resolve_point(near, zip_code)
    if not await catalog_api.variant_exists(session, variant_id):
        raise NotFound("No such variant.", variant_id=variant_id)
    channel = await availability.channel_or_404(session, channel_id) if channel_id else None
    staff = has_permission(actor, READ)
    found = await nearby.nearby_with_stock(
        session,
        variant_id,
        point,
        radius_km=radius_km,
        limit=limit,
        channel=channel,
        kinds=None if staff else PUBLIC_PLACE_KINDS,
    )
    items = [
        NearbyOut(
            location_id=entry.location.id,
            name=entry.location.name,
            kind=entry.location.kind,
            distance_km=entry.distance_km,
            status=_status(stock_state(entry.available, entry.low_stock_threshold)),
            pickup=entry.pickup,
            available=entry.available if staff else None,
        )
        for entry in found
    ]
    return NearbyListOut(
        variant_id=variant_id, lat=point.lat, lon=point.lon, radius_km=radius_km, items=items
    )


def _channel_level(row: availability.LevelRow, pool: dict[str, Buffer] | None) -> ChannelLevelOut:
    q = row.quantities
    in_pool = pool is not None and row.location_id in pool
    return ChannelLevelOut(
        variant_id=row.variant_id,
        location_id=row.location_id,
        on_hand=q.on_hand,
        reserved=q.reserved,
        incoming=q.incoming,
        unsellable=q.unsellable,
        safety_stock=q.safety_stock,
        available=q.available(),
        available_to_channel=q.available(pool.get(row.location_id, NO_BUFFER))
        if pool is not None and in_pool
        else None,
    )


async def _pool_of(session: AsyncSession, channel_id: str | None) -> dict[str, Buffer] | None:
    if channel_id is None:
        return None
    return availability.pool_buffers(await availability.channel_or_404(session, channel_id))


@router.post(
    "/availability/bulk",
    summary="Levels of up to 100 SKUs x 100 locations in one call",
    response_model=BulkOut,
)
async def bulk_levels(body: BulkIn, session: ReaderDep, actor: Actor = Access(READ)) -> BulkOut:
    pool = await _pool_of(session, body.channel_id)
    rows = await availability.bulk_levels(session, body.variant_ids, body.location_ids)
    return BulkOut(channel_id=body.channel_id, items=[_channel_level(row, pool) for row in rows])


@router.get(
    "/variants/{variant_id}/levels",
    summary="Every quantity state of a SKU per location (and for a channel)",
    response_model=VariantLevelsOut,
)
async def variant_levels(
    variant_id: str,
    session: ReaderDep,
    location_id: Annotated[str | None, Query(max_length=32)] = None,
    channel_id: Annotated[str | None, Query(max_length=32)] = None,
    actor: Actor = Access(READ),
) -> VariantLevelsOut:
    variant = (await catalog_api.get_variants(session, [variant_id])).get(variant_id)
    if variant is None:
        raise NotFound("No such variant.", variant_id=variant_id)
    if variant.is_bundle:
        raise InvalidInput(
            "A bundle holds no stock of its own: read its components, or the channel "
            "availability, which derives it.",
            variant_id=variant_id,
        )
    if location_id is not None and not await locations_api.location_exists(session, location_id):
        raise NotFound("No such location.", location_id=location_id)
    pool = await _pool_of(session, channel_id)
    rows = await availability.level_rows(
        session, [variant_id], None if location_id is None else [location_id]
    )
    thresholds = await policies.location_policies(session, (row.location_id for row in rows))
    items = []
    for row in sorted(rows, key=lambda r: r.location_id):
        threshold = thresholds[row.location_id].low_stock_threshold
        level = _channel_level(row, pool)
        status = _status(stock_state(level.available, threshold))
        items.append(
            VariantLevelOut(**level.model_dump(), status=status, low_stock_threshold=threshold)
        )
    return VariantLevelsOut(variant_id=variant_id, channel_id=channel_id, items=items)


# Separate routers rather than include_router: the start-up access check inspects the
# routes of each router it is given, and included routers are not expanded there.
routers = [router, stock_router, reservation_router, ledger_router, policy_router]
