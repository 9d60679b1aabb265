"""Facts the channels module publishes."""

from __future__ import annotations

from dataclasses import dataclass

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class ChannelCreated(Event):
    name = "channel.created"
    channel_id: str
    code: str
    kind: str


@dataclass(frozen=True, kw_only=True)
class ChannelUpdated(Event):
    name = "channel.updated"
    channel_id: str
    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class ChannelStockPoolChanged(Event):
    """Availability per channel must be recomputed for these locations (old and new)."""

    name = "channel.stock_pool_changed"
    channel_id: str
    location_ids: list[str]
