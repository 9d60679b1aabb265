"""Read side of sourcing profiles, and the translation of a stored profile into the
engine's ``SourcingProfile``. Never locks: checkout reads a profile on its hot path."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.http.pagination import PageParams
from omni.sourcing.domain import SourcingProfile
from omni.sourcing.models import SourcingProfileRecord
from omni.sourcing.schemas import KNOBS, SourcingProfileOut

DEFAULT_PROFILE = SourcingProfile()
_SETS = ("excluded_location_ids", "excluded_kinds")


def engine_profile(record: SourcingProfileRecord | None) -> SourcingProfile:
    """The engine's profile for a stored row (None: the default profile). Knobs stored
    before a rename or removal are ignored; knobs added since take their defaults."""
    if record is None:
        return DEFAULT_PROFILE
    knobs: dict[str, Any] = {k: v for k, v in record.settings.items() if k in KNOBS}
    for name in _SETS:
        knobs[name] = frozenset(knobs.get(name, ()))
    return SourcingProfile(name=record.name, **knobs)


def profile_out(channel_id: str, record: SourcingProfileRecord | None) -> SourcingProfileOut:
    profile = engine_profile(record)
    knobs = {name: getattr(profile, name) for name in KNOBS}
    for name in _SETS:
        knobs[name] = sorted(knobs[name])
    return SourcingProfileOut(
        channel_id=channel_id,
        name=profile.name,
        is_default=record is None,
        version=0 if record is None else record.version,
        updated_at=None if record is None else record.updated_at,
        updated_by=None if record is None else record.updated_by,
        **knobs,
    )


async def stored_profile(session: AsyncSession, channel_id: str) -> SourcingProfileRecord | None:
    return await session.get(SourcingProfileRecord, channel_id)


async def list_profiles(session: AsyncSession, page: PageParams) -> list[SourcingProfileRecord]:
    """Stored profiles by channel id (channels without one use the default)."""
    query = (
        select(SourcingProfileRecord)
        .order_by(SourcingProfileRecord.channel_id)
        .limit(page.limit + 1)
    )
    if page.after:
        query = query.where(SourcingProfileRecord.channel_id > str(page.after))
    return list(await session.scalars(query))
