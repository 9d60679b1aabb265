"""What other modules may call in the channels module. Nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.channels.domain import held_back_units
from omni.channels.models import Channel
from omni.channels.queries import pool_rows
from omni.kernel.recent import Recent

# Every cart and checkout reads its channel (and the stock pool) — which change a few
# times a year — up to three times per checkout: each process keeps what it read for a
# few seconds. ``ChannelInfo`` is immutable, so a cached one is safe to share.
CACHE_SECONDS = 5.0
_recent: Recent[tuple[str, str], ChannelInfo] = Recent(CACHE_SECONDS)

__all__ = [
    "ChannelInfo",
    "PoolEntry",
    "channel_by_code",
    "channel_exists",
    "forget_channels",
    "get_channel",
    "held_back_units",
    "till_channel",
]


class PoolEntry(NamedTuple):
    """A location the channel may sell from, with its effective buffers (defaults applied)."""

    location_id: str
    buffer_units: int
    buffer_percent: int


@dataclass(frozen=True)
class ChannelInfo:
    """A channel as other modules see it.

    Available-to-sell through the channel at a pool location is what is available there
    minus ``held_back_units(on_hand, entry.buffer_units, entry.buffer_percent)``.
    """

    id: str
    code: str
    name: str
    kind: str
    currency: str
    locale: str
    tax_region: str
    price_list_id: str | None
    location_id: str | None
    fulfillment_methods: frozenset[str]
    active: bool
    pool: tuple[PoolEntry, ...]


async def channel_exists(session: AsyncSession, channel_id: str) -> bool:
    """Whether a channel with this id exists (active or not)."""
    found = await session.scalar(select(Channel.id).where(Channel.id == channel_id))
    return found is not None


async def _info(session: AsyncSession, channel: Channel | None) -> ChannelInfo | None:
    if channel is None:
        return None
    pool = tuple(
        PoolEntry(
            location_id,
            channel.default_buffer_units if units is None else units,
            channel.default_buffer_percent if percent is None else percent,
        )
        for location_id, units, percent in await pool_rows(session, channel.id)
    )
    return ChannelInfo(
        id=channel.id,
        code=channel.code,
        name=channel.name,
        kind=channel.kind,
        currency=channel.currency,
        locale=channel.locale,
        tax_region=channel.tax_region,
        price_list_id=channel.price_list_id,
        location_id=channel.location_id,
        fulfillment_methods=frozenset(channel.fulfillment_methods),
        active=channel.active,
        pool=pool,
    )


async def get_channel(session: AsyncSession, channel_id: str) -> ChannelInfo | None:
    """The channel with its stock pool, or None: read at most every ``CACHE_SECONDS``
    per process (two indexed queries), from memory in between."""
    key = (str(session.get_bind().engine.url), channel_id)
    info = _recent.get(key)
    if info is None:
        info = await _info(session, await session.get(Channel, channel_id))
        if info is not None:
            _recent.put(key, info)
    return info


def forget_channels() -> None:
    """A channel or its pool changed: read them afresh (the service calls this after
    its commit; other processes catch up within ``CACHE_SECONDS``)."""
    _recent.forget()


async def channel_by_code(session: AsyncSession, code: str) -> ChannelInfo | None:
    """The channel with this code (``web``, ``pos-nyc-soho``; case-insensitive), or None."""
    channel = await session.scalar(select(Channel).where(Channel.code == code.strip().lower()))
    return await _info(session, channel)


async def till_channel(session: AsyncSession, location_id: str) -> ChannelInfo | None:
    """The active POS channel a store's tills sell through: the store's own, or else the
    shared POS channel (no store; the first by code if there are several)."""
    channel = await session.scalar(
        select(Channel)
        .where(
            Channel.kind == "pos",
            Channel.active.is_(True),
            (Channel.location_id == location_id) | Channel.location_id.is_(None),
        )
        .order_by(Channel.location_id.is_(None), Channel.code)
        .limit(1)
    )
    return await _info(session, channel)
