"""Facts the sourcing module publishes."""

from __future__ import annotations

from dataclasses import dataclass

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class SourcingProfileChanged(Event):
    """A channel's sourcing profile was set or changed (``reset``: deleted, so the
    channel is back on the default profile). ``version`` 0 means the default."""

    name = "sourcing.profile_changed"
    channel_id: str
    profile_name: str
    version: int
    reset: bool = False
    changed: list[str]
