"""Use cases: create and change locations (one transaction each), and the steps they
share with bulk imports (which run them inside the importer's unit of work)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from omni.db.uow import UnitOfWork
from omni.http.etag import check_version
from omni.kernel.actor import Actor
from omni.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed
from omni.kernel.ids import new_id
from omni.locations import domain
from omni.locations.domain import OpenState
from omni.locations.events import LocationCreated, LocationUpdated
from omni.locations.models import Location
from omni.locations.schemas import LocationIn, LocationPatch
from omni.locations.validation import (
    ADDRESS_FIELDS,
    CAPACITY_FIELDS,
    InvalidLocation,
    normalize_location,
)
from omni.permissions import can_act_in_store, has_permission

# A store manager runs the store's day, not its identity: hours and capacity only.
OWN_STORE_FIELDS = frozenset({"opening_hours", "special_days", "capacity"})
# Object-valued fields a PATCH merges into (RFC 7396) rather than replaces.
MERGED_FIELDS = frozenset({"address", "capacity", "opening_hours", "special_days"})


def _normalized(values: dict[str, Any]) -> dict[str, Any]:
    try:
        return normalize_location(values)
    except InvalidLocation as error:
        first = error.errors[0]
        raise InvalidInput(
            str(error),
            field=first.field,
            errors=[{"field": e.field, "message": e.message} for e in error.errors],
        ) from error


def api_values(location: Location) -> dict[str, Any]:
    """The location in the API's (input) shape, the base a PATCH is merged into."""
    return {
        "code": location.code,
        "name": location.name,
        "kind": location.kind,
        "status": location.status,
        "address": {name: getattr(location, name) for name in ADDRESS_FIELDS},
        "phone": location.phone,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "time_zone": location.time_zone,
        "metro": location.metro,
        "opening_hours": dict(location.opening_hours),
        "special_days": dict(location.special_days),
        "capabilities": list(location.capabilities),
        "capacity": {name: getattr(location, name) for name in CAPACITY_FIELDS},
    }


def merge_patch(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = dict(current)
    for name, value in changes.items():
        if name in MERGED_FIELDS and isinstance(value, dict):
            combined = {**current[name], **value}
            if name == "special_days":  # null removes the exception for that date
                combined = {day: hours for day, hours in combined.items() if hours is not None}
            merged[name] = combined
        else:
            merged[name] = value
    return merged


async def _ensure_code_free(uow: UnitOfWork, code: str) -> None:
    if await uow.session.scalar(select(Location.id).where(Location.code == code)):
        raise Conflict(f"A location with code {code} exists.", field="code")


def insert_location(uow: UnitOfWork, columns: dict[str, Any]) -> Location:
    """Add a location from checked columns in the caller's unit of work (no commit)."""
    now = uow.clock.now()
    location = Location(id=new_id("loc"), **columns, created_at=now, updated_at=now)
    uow.session.add(location)
    uow.record(LocationCreated(location_id=location.id, code=location.code, kind=location.kind))
    uow.audit(
        "location.created",
        "location",
        location.id,
        {"code": location.code, "kind": location.kind, "status": location.status},
    )
    return location


def apply_columns(uow: UnitOfWork, location: Location, columns: dict[str, Any]) -> list[str]:
    """Give ``location`` these checked columns (no commit); the names of those that changed."""
    changed = {
        name: value
        for name, value in columns.items()
        if name != "code" and getattr(location, name) != value
    }
    if not changed:
        return []
    for name, value in changed.items():
        setattr(location, name, value)
    location.updated_at = uow.clock.now()
    fields = sorted(changed)
    uow.record(LocationUpdated(location_id=location.id, fields=fields))
    uow.audit("location.updated", "location", location.id, changed)
    return fields


async def _commit(uow: UnitOfWork) -> None:
    try:
        await uow.commit()
    except IntegrityError as error:  # lost a race for the same code
        raise Conflict("A location with this code exists.", field="code") from error
    except StaleDataError as error:  # another edit committed since we read the version
        raise PreconditionFailed("The location changed while you were saving it.") from error


async def create_location(uow: UnitOfWork, body: LocationIn) -> Location:
    async with uow:
        columns = _normalized(body.model_dump(mode="json"))
        await _ensure_code_free(uow, columns["code"])
        location = insert_location(uow, columns)
        await _commit(uow)
    return location


def _may_edit_all(actor: Actor) -> bool:
    if has_permission(actor, "locations.write"):
        return True
    if has_permission(actor, "locations.write_own"):
        return False
    raise Forbidden(
        "Your role does not allow this action.",
        one_of=["locations.write", "locations.write_own"],
    )


async def update_location(
    uow: UnitOfWork, location_id: str, patch: LocationPatch, *, if_match: int | None
) -> Location:
    """Planners and admins may change anything; store managers only their own stores'
    hours and capacity (other stores look nonexistent to them)."""
    changes = patch.model_dump(mode="json", exclude_unset=True)
    async with uow:
        all_fields = _may_edit_all(uow.actor)
        location = await uow.session.get(Location, location_id)
        if location is None or not (all_fields or can_act_in_store(uow.actor, location.id)):
            raise NotFound("No such location.")
        refused = sorted(set(changes) - OWN_STORE_FIELDS)
        if not all_fields and refused:
            raise Forbidden(
                "Store managers may change only opening hours, special days and capacity.",
                fields=refused,
            )
        check_version(if_match, location.version, "location")
        apply_columns(uow, location, _normalized(merge_patch(api_values(location), changes)))
        await _commit(uow)
    return location


def open_state_at(location: Location, at: datetime) -> OpenState:
    """Whether ``location`` is open at ``at``: only an active location ever is."""
    if location.status != "active":
        return OpenState(is_open=False, closes_at=None, next_opening=None)
    return domain.open_state(
        domain.parse_schedule(location.opening_hours),
        domain.parse_special_days(location.special_days),
        ZoneInfo(location.time_zone),
        at,
    )
