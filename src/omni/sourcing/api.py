"""What other modules may call in the sourcing module: the pure engine's entry points
and values (the caller gathers the candidates — see docs/sourcing.md), and the one read
of the database checkout needs: the channel's sourcing profile."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omni.kernel.recent import Recent
from omni.sourcing.domain import (
    Allocation,
    Candidate,
    Decision,
    Destination,
    OrderLine,
    Rejection,
    SourcingProfile,
    SourcingRequest,
    decide,
    resource,
    resource_holdings,
)
from omni.sourcing.queries import engine_profile, stored_profile

_recent: Recent[tuple[str, str], SourcingProfile] = Recent(5.0)

__all__ = [
    "Allocation",
    "Candidate",
    "Decision",
    "Destination",
    "OrderLine",
    "Rejection",
    "SourcingProfile",
    "SourcingRequest",
    "decide",
    "forget_profiles",
    "profile_for_channel",
    "resource",
    "resource_holdings",
]


async def profile_for_channel(session: AsyncSession, channel_id: str) -> SourcingProfile:
    """The channel's sourcing profile, or the default one if it has none (one query by
    primary key, at most every few seconds per process; see ``omni.kernel.recent``).
    Its ``name`` is stored with every decision made with it."""
    key = (str(session.get_bind().engine.url), channel_id)
    profile = _recent.get(key)
    if profile is None:
        profile = _recent.put(key, engine_profile(await stored_profile(session, channel_id)))
    return profile


def forget_profiles() -> None:
    """A profile changed: read it afresh (the service calls this after its commit)."""
    _recent.forget()
