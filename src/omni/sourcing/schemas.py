"""Request and response models of the sourcing module: a channel's sourcing profile.

Defaults are the engine's (``SourcingProfile``), so a PUT that leaves a knob out gets
what a channel without a profile gets. Ranges refuse what no retailer means (a split
limit of 50, a negative cost, a radius beyond the Earth's half circumference) with a
422 problem naming the field. The search bounds (``shortlist_per_line``…) are not
channel settings: they trade checkout latency against plan quality for everyone and
stay at the engine's measured defaults (docs/sourcing.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator

from omni.http.schemas import StrictModel
from omni.sourcing.domain import SourcingProfile

_DEFAULT = SourcingProfile()
# Farther than half the Earth's circumference is no limit at all: refuse it as a typo.
MAX_KM = 20_038.0
MAX_COST = 1_000_000.0
SourcedKind = Literal["store", "warehouse"]  # the location kinds sourcing considers
Cost = Annotated[float, Field(ge=0, le=MAX_COST, allow_inf_nan=False)]
PerKm = Annotated[float, Field(ge=0, le=1_000, allow_inf_nan=False)]
LocationId = Annotated[str, Field(min_length=1, max_length=32)]

# The knobs a channel may set: every field of SourcingProfileIn except the name.
KNOBS = (
    "max_splits",
    "allow_partial",
    "allow_line_split",
    "store_cost_per_km",
    "warehouse_cost_per_km",
    "store_handling_cost",
    "warehouse_handling_cost",
    "split_penalty",
    "capacity_weight",
    "capacity_headroom",
    "depth_weight",
    "max_distance_km",
    "same_day_radius_km",
    "excluded_location_ids",
    "excluded_kinds",
    "allow_pickup_transfer",
    "transfer_cost",
    "transfer_delay_hours",
)


class SourcingProfileIn(StrictModel):
    """A channel's whole sourcing profile (PUT replaces it; knobs left out take the
    engine's defaults). Costs are "cost points": only their ratios matter."""

    name: str | None = Field(
        default=None, min_length=1, max_length=64, description="Default: the channel's code"
    )
    max_splits: int = Field(default=_DEFAULT.max_splits, ge=1, le=20)
    allow_partial: bool = _DEFAULT.allow_partial
    allow_line_split: bool = _DEFAULT.allow_line_split
    store_cost_per_km: PerKm = _DEFAULT.store_cost_per_km
    warehouse_cost_per_km: PerKm = _DEFAULT.warehouse_cost_per_km
    store_handling_cost: Cost = _DEFAULT.store_handling_cost
    warehouse_handling_cost: Cost = _DEFAULT.warehouse_handling_cost
    split_penalty: Cost = _DEFAULT.split_penalty
    capacity_weight: Cost = _DEFAULT.capacity_weight
    capacity_headroom: int = Field(default=_DEFAULT.capacity_headroom, ge=1, le=10_000)
    depth_weight: Cost = _DEFAULT.depth_weight
    max_distance_km: float | None = Field(
        default=_DEFAULT.max_distance_km, gt=0, le=MAX_KM, allow_inf_nan=False
    )
    same_day_radius_km: float = Field(
        default=_DEFAULT.same_day_radius_km, ge=0, le=1_000, allow_inf_nan=False
    )
    excluded_location_ids: list[LocationId] = Field(default_factory=list, max_length=1_000)
    excluded_kinds: list[SourcedKind] = Field(default_factory=list, max_length=2)
    allow_pickup_transfer: bool = _DEFAULT.allow_pickup_transfer
    transfer_cost: Cost = _DEFAULT.transfer_cost
    transfer_delay_hours: int = Field(default=_DEFAULT.transfer_delay_hours, ge=0, le=720)

    @field_validator("excluded_location_ids", "excluded_kinds")
    @classmethod
    def _as_set(cls, value: list[str]) -> list[str]:
        return sorted(set(value))

    def settings(self) -> dict[str, Any]:
        """The knobs as stored (JSON types)."""
        return self.model_dump(mode="json", include=set(KNOBS))


class SourcingProfileOut(BaseModel):
    """The profile checkout uses for the channel: the stored one, or the engine's
    default (``is_default``, version 0) when the channel has none."""

    channel_id: str
    name: str
    is_default: bool
    version: int
    updated_at: datetime | None
    updated_by: str | None
    max_splits: int
    allow_partial: bool
    allow_line_split: bool
    store_cost_per_km: float
    warehouse_cost_per_km: float
    store_handling_cost: float
    warehouse_handling_cost: float
    split_penalty: float
    capacity_weight: float
    capacity_headroom: int
    depth_weight: float
    max_distance_km: float | None
    same_day_radius_km: float
    excluded_location_ids: list[str]
    excluded_kinds: list[str]
    allow_pickup_transfer: bool
    transfer_cost: float
    transfer_delay_hours: int
