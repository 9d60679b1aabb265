"""Read side of channels."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.channels.models import ChannelStockLocation

PoolRow = tuple[str, int | None, int | None]  # location_id, buffer_units, buffer_percent


async def pool_rows(session: AsyncSession, channel_id: str) -> list[PoolRow]:
    """The channel's pool as stored (null buffers: the channel default), by location id."""
    rows = await session.execute(
        select(
            ChannelStockLocation.location_id,
            ChannelStockLocation.buffer_units,
            ChannelStockLocation.buffer_percent,
        )
        .where(ChannelStockLocation.channel_id == channel_id)
        .order_by(ChannelStockLocation.location_id)
    )
    return [(row[0], row[1], row[2]) for row in rows]
