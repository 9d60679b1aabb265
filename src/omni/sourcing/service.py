"""Use cases: set a channel's sourcing profile, or put it back to the default.

A profile is one resource per channel with a version (ETag): the default profile is
version 0, so a client that read the default and PUTs with ``If-Match`` fails with 412
if someone stored a profile in between. Every change is audited and published as
``sourcing.profile_changed`` through the outbox (e.g. to re-plan unreleased orders).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from omni.channels import api as channels_api
from omni.db.uow import UnitOfWork
from omni.http.etag import check_version
from omni.kernel.errors import Conflict, InvalidInput, NotFound
from omni.locations import api as locations_api
from omni.sourcing.api import forget_profiles
from omni.sourcing.events import SourcingProfileChanged
from omni.sourcing.models import SourcingProfileRecord
from omni.sourcing.queries import DEFAULT_PROFILE, profile_out
from omni.sourcing.schemas import KNOBS, SourcingProfileIn

_WHAT = "sourcing profile"


async def _profile_for_update(uow: UnitOfWork, channel_id: str) -> SourcingProfileRecord | None:
    return await uow.session.scalar(
        select(SourcingProfileRecord)
        .where(SourcingProfileRecord.channel_id == channel_id)
        .with_for_update()
    )


async def _channel_code(uow: UnitOfWork, channel_id: str) -> str:
    channel = await channels_api.get_channel(uow.session, channel_id)
    if channel is None:
        raise NotFound("No such channel.")
    return channel.code


async def _check_locations(uow: UnitOfWork, data: SourcingProfileIn) -> None:
    """An excluded id that names no location is a typo that would exclude nothing."""
    wanted = data.excluded_location_ids
    known = await locations_api.get_locations(uow.session, wanted)
    unknown = [location_id for location_id in wanted if location_id not in known]
    if unknown:
        raise InvalidInput(
            f"No such location: {', '.join(unknown)}.",
            field="excluded_location_ids",
            unknown=unknown,
        )


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(name for name in after if before.get(name) != after[name])


def _settings_of(record: SourcingProfileRecord | None) -> dict[str, Any]:
    """What the channel sourced with until now, as stored knobs (with the name)."""
    shown = profile_out("", record).model_dump(mode="json", include={"name", *KNOBS})
    return dict(shown)


async def put_profile(
    uow: UnitOfWork, channel_id: str, data: SourcingProfileIn, *, if_match: int | None
) -> SourcingProfileRecord:
    """Store the channel's whole profile (knobs left out take the defaults)."""
    async with uow:
        code = await _channel_code(uow, channel_id)
        await _check_locations(uow, data)
        record = await _profile_for_update(uow, channel_id)
        check_version(if_match, 0 if record is None else record.version, _WHAT)
        before = _settings_of(record)
        settings, name, now = data.settings(), data.name or code, uow.clock.now()
        if record is None:
            record = SourcingProfileRecord(
                channel_id=channel_id, created_at=now, version=1, name=name, settings=settings
            )
            uow.session.add(record)
        else:
            record.version += 1
        record.name, record.settings = name, settings
        record.updated_at, record.updated_by = now, uow.actor.id
        try:
            await uow.flush()
        except IntegrityError as error:  # two first PUTs raced; the other one won
            raise Conflict("The sourcing profile changed meanwhile; read it again.") from error
        changed = _changed(before, {"name": name, **settings})
        _publish(uow, record, changed)
        uow.audit(
            "sourcing.profile_set", "sourcing_profile", channel_id, {"name": name, **settings}
        )
        await uow.commit()
    forget_profiles()
    return record


async def delete_profile(uow: UnitOfWork, channel_id: str, *, if_match: int | None) -> None:
    """Back to the default profile. Deleting when there is none is a no-op (idempotent)."""
    async with uow:
        await _channel_code(uow, channel_id)
        record = await _profile_for_update(uow, channel_id)
        check_version(if_match, 0 if record is None else record.version, _WHAT)
        if record is None:
            return
        before = _settings_of(record)
        await uow.session.delete(record)
        changed = _changed(before, _settings_of(None))
        uow.record(
            SourcingProfileChanged(
                channel_id=channel_id,
                profile_name=DEFAULT_PROFILE.name,
                version=0,
                reset=True,
                changed=changed,
            )
        )
        uow.audit("sourcing.profile_reset", "sourcing_profile", channel_id, {"was": before})
        await uow.commit()
    forget_profiles()


def _publish(uow: UnitOfWork, record: SourcingProfileRecord, changed: list[str]) -> None:
    uow.record(
        SourcingProfileChanged(
            channel_id=record.channel_id,
            profile_name=record.name,
            version=record.version,
            changed=changed,
        )
    )
