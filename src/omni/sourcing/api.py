"""What other modules may call in the sourcing module: the pure engine's entry points
and values (the caller gathers the candidates — see docs/sourcing.md), and the one read
of the database checkout needs: the channel's sourcing profile."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

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
    "profile_for_channel",
    "resource",
    "resource_holdings",
]


async def profile_for_channel(session: AsyncSession, channel_id: str) -> SourcingProfile:
    """The channel's sourcing profile, or the default one if it has none (one query by
    primary key; no lock). Its ``name`` is stored with every decision made with it."""
    return engine_profile(await stored_profile(session, channel_id))
