"""HTTP endpoints: /locations (staff), /locations/public (shoppers), opening checks.

Lists page by cursor in id order. A ``near=lat,lon`` query instead returns the ``limit``
nearest locations within ``radius_km``, nearest first, with ``distance_km`` — one page,
no cursor (a distance order has no stable key to resume from; ask for a larger limit).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import Depends, Header, Query, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.etag import parse_if_match, set_etag
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import InvalidInput, NotFound
from omni.locations import domain, queries, service
from omni.locations.models import Location
from omni.locations.schemas import (
    Capability,
    Kind,
    LocationIn,
    LocationOut,
    LocationPatch,
    OpenStateOut,
    PublicLocationOut,
    Status,
    location_out,
    public_location_out,
)

router = new_router("/locations", ["locations"])
PageDep = Annotated[PageParams, Depends(page_params)]
NearQuery = Annotated[
    str | None,
    Query(max_length=60, description="'latitude,longitude': nearest first, one page"),
]
RadiusQuery = Annotated[float, Query(gt=0, le=20_000, description="With near: the radius")]
TextQuery = Annotated[str | None, Query(max_length=100)]
PublicKind = Literal["store", "pickup_point", "locker"]  # warehouses are not public


async def _page(
    session: AsyncSession,
    where: queries.LocationFilter,
    page: PageParams,
    near: str | None,
    radius_km: float,
    out: Callable[[Location, float | None], Any],
) -> Page[Any]:
    if near is None:
        if page.after is not None and not isinstance(page.after, str):
            raise InvalidInput("The cursor is not one this API issued.", param="cursor")
        rows = await queries.list_locations(session, where, limit=page.limit + 1, after=page.after)
        return make_page([out(row, None) for row in rows], page, key=lambda item: item.id)
    if page.after is not None:
        raise InvalidInput("A near query returns one page, nearest first.", param="cursor")
    try:
        latitude, longitude = domain.parse_point(near)
    except ValueError as error:
        raise InvalidInput(str(error), param="near") from error
    pairs = await queries.nearest_locations(
        session,
        where,
        latitude=latitude,
        longitude=longitude,
        radius_km=radius_km,
        limit=page.limit,
    )
    return Page[Any](items=[out(location, round(km, 3)) for location, km in pairs])


@router.get(
    "/public",
    summary="Stores and pickup points for shoppers (address, hours, coordinates)",
    response_model=Page[PublicLocationOut],
)
async def list_public_locations(
    session: ReaderDep,
    page: PageDep,
    near: NearQuery = None,
    radius_km: RadiusQuery = 25,
    kind: PublicKind | None = None,
    capability: Capability | None = None,
    metro: TextQuery = None,
    country: TextQuery = None,
    actor: Actor = Access(public=True),
) -> Page[PublicLocationOut]:
    where = queries.LocationFilter(
        kinds=(kind,) if kind else queries.PUBLIC_KINDS,
        statuses=("active",),
        capability=capability,
        metro=metro,
        country=country,
    )
    return await _page(session, where, page, near, radius_km, public_location_out)


@router.post("", summary="Create a location", status_code=201, response_model=LocationOut)
async def create_location(
    body: LocationIn, db: DbDep, response: Response, actor: Actor = Access("locations.write")
) -> LocationOut:
    location = await service.create_location(db.uow(actor), body)
    set_etag(response, location.version)
    return location_out(location)


@router.get("", summary="List locations", response_model=Page[LocationOut])
async def list_locations(
    session: ReaderDep,
    page: PageDep,
    near: NearQuery = None,
    radius_km: RadiusQuery = 25,
    kind: Kind | None = None,
    status: Status | None = None,
    capability: Capability | None = None,
    metro: TextQuery = None,
    country: TextQuery = None,
    q: Annotated[str | None, Query(max_length=100, description="In name, code or city")] = None,
    actor: Actor = Access("locations.read"),
) -> Page[LocationOut]:
    where = queries.LocationFilter(
        kinds=(kind,) if kind else (),
        statuses=(status,) if status else (),
        capability=capability,
        metro=metro,
        country=country,
        text=q,
    )
    return await _page(session, where, page, near, radius_km, location_out)


async def _get(session: AsyncSession, location_id: str) -> Location:
    location = await session.get(Location, location_id)
    if location is None:
        raise NotFound("No such location.")
    return location


@router.get("/{location_id}", summary="A location", response_model=LocationOut)
async def get_location(
    location_id: str,
    session: ReaderDep,
    response: Response,
    actor: Actor = Access("locations.read"),
) -> LocationOut:
    location = await _get(session, location_id)
    set_etag(response, location.version)
    return location_out(location)


@router.patch(
    "/{location_id}",
    summary="Change a location (store managers: their stores' hours and capacity)",
    response_model=LocationOut,
    description="Needs locations.write, or locations.write_own for a store manager's own "
    "stores (opening_hours, special_days, capacity only). Honours If-Match.",
)
async def update_location(
    location_id: str,
    body: LocationPatch,
    db: DbDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
    # The use case then checks that a store manager edits only their own store's hours.
    actor: Actor = Access(any_of=("locations.write", "locations.write_own")),
) -> LocationOut:
    location = await service.update_location(
        db.uow(actor), location_id, body, if_match=parse_if_match(if_match)
    )
    set_etag(response, location.version)
    return location_out(location)


@router.get(
    "/{location_id}/open",
    summary="Is it open at a given time, until when, and when does it open next",
    response_model=OpenStateOut,
)
async def open_state(
    location_id: str,
    session: ReaderDep,
    db: DbDep,
    at: Annotated[datetime | None, Query(description="ISO 8601 with offset; default now")] = None,
    actor: Actor = Access("locations.read"),
) -> OpenStateOut:
    if at is not None and at.tzinfo is None:
        raise InvalidInput(
            "Give 'at' with a UTC offset, e.g. 2025-03-09T10:00:00-05:00.", param="at"
        )
    location = await _get(session, location_id)
    instant = at or db.clock.now()
    state = service.open_state_at(location, instant)
    zone = ZoneInfo(location.time_zone)
    return OpenStateOut(
        location_id=location.id,
        at=instant.astimezone(zone),
        time_zone=location.time_zone,
        open=state.is_open,
        closes_at=state.closes_at.astimezone(zone) if state.closes_at else None,
        next_opening=state.next_opening.astimezone(zone) if state.next_opening else None,
    )
