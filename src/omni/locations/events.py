"""Facts the locations module publishes."""

from __future__ import annotations

from dataclasses import dataclass

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class LocationCreated(Event):
    name = "location.created"
    location_id: str
    code: str
    kind: str


@dataclass(frozen=True, kw_only=True)
class LocationUpdated(Event):
    """Sourcing and availability caches listen: status, capabilities or capacity may differ."""

    name = "location.updated"
    location_id: str
    fields: list[str]
