"""Request and response models of the inventory HTTP API.

Shoppers and anonymous callers get ``Public…`` shapes: a coarse stock status, never
quantities, so a competitor cannot read a store's stock. Staff with ``inventory.read``
and API clients get the figures.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from omni.http.schemas import StrictModel

Id = Annotated[str, Field(min_length=1, max_length=32)]
Reference = Annotated[str, Field(min_length=1, max_length=64, description="Cart or order id")]
Units = Annotated[int, Field(gt=0, le=1_000_000)]
Status = Literal["in_stock", "low_stock", "out_of_stock", "backorder", "preorder"]
MAX_BULK = 100
MAX_LINES = 500
MAX_RESERVE_LINES = 100


# ---------------------------------------------------------------- stock changes


class StockLineIn(StrictModel):
    variant_id: Id
    quantity: Units


class StockChangeIn(StrictModel):
    """Units arriving, leaving or changing state at one location; all lines or none."""

    location_id: Id
    lines: list[StockLineIn] = Field(min_length=1, max_length=MAX_LINES)
    reason: str | None = Field(default=None, min_length=1, max_length=200)
    source_type: str | None = Field(default=None, min_length=1, max_length=24)
    source_id: str | None = Field(default=None, min_length=1, max_length=64)


class ReasonedChangeIn(StockChangeIn):
    """Damage and write-offs say why (audit)."""

    reason: str = Field(min_length=1, max_length=200)


class AdjustmentLineIn(StrictModel):
    variant_id: Id
    quantity: int = Field(ge=-1_000_000, le=1_000_000, description="Signed; never 0")

    @field_validator("quantity")
    @classmethod
    def _changes_something(cls, value: int) -> int:
        if value == 0:
            raise ValueError("an adjustment must change something")
        return value


class AdjustmentIn(StrictModel):
    location_id: Id
    lines: list[AdjustmentLineIn] = Field(min_length=1, max_length=MAX_LINES)
    reason: str = Field(min_length=1, max_length=200)
    source_type: str | None = Field(default=None, min_length=1, max_length=24)
    source_id: str | None = Field(default=None, min_length=1, max_length=64)


class SaleIn(StockChangeIn):
    """A carry-out sale at a till. ``offline``: the till sold while disconnected — a
    fact, accepted even below zero and flagged ``inventory.oversold``."""

    offline: bool = False
    channel_id: Id | None = None


class SafetyStockIn(StrictModel):
    variant_id: Id
    location_id: Id
    units: int = Field(ge=0, le=1_000_000)


class LevelOut(BaseModel):
    variant_id: str
    location_id: str
    on_hand: int
    reserved: int
    incoming: int
    unsellable: int
    safety_stock: int
    available: int = Field(description="on hand - reserved - unsellable - safety stock, ≥ 0")


class StockChangeOut(BaseModel):
    kind: str
    location_id: str
    levels: list[LevelOut]
    oversold: list[str] = Field(description="Variants now promised or sold beyond stock here")


# ---------------------------------------------------------------- reservations


class ReserveLineIn(StrictModel):
    variant_id: Id
    location_id: Id
    quantity: int = Field(gt=0, le=10_000)


class ReservationIn(StrictModel):
    channel_id: Id
    reference: Reference
    lines: list[ReserveLineIn] = Field(min_length=1, max_length=MAX_RESERVE_LINES)


class HoldIn(ReservationIn):
    ttl_seconds: int = Field(default=900, ge=60, le=7 * 24 * 3600)


class ExtendIn(StrictModel):
    ttl_seconds: int = Field(ge=60, le=7 * 24 * 3600)


class ConvertIn(StrictModel):
    order_reference: Reference


class FinishIn(StrictModel):
    reservation_ids: list[Id] | None = Field(
        default=None, min_length=1, max_length=MAX_LINES, description="Default: all of them"
    )


class ReservedOut(BaseModel):
    reservation_id: str
    variant_id: str
    location_id: str
    quantity: int


class ReservationsOut(BaseModel):
    reference: str
    kind: str
    channel_id: str
    expires_at: datetime | None
    reservations: list[ReservedOut]


class ExtendedOut(BaseModel):
    reference: str
    extended: int
    expires_at: datetime


class ConvertedOut(BaseModel):
    cart_reference: str
    order_reference: str
    converted: int


class FinishedOut(BaseModel):
    reference: str
    units: int


# ---------------------------------------------------------------- availability


class LocationAvailableOut(BaseModel):
    location_id: str
    available: int


class ChannelAvailabilityOut(BaseModel):
    variant_id: str
    status: Status
    available: int
    is_bundle: bool
    backorder: bool
    preorder: bool
    locations: list[LocationAvailableOut]


class PublicAvailabilityOut(BaseModel):
    variant_id: str
    status: Status


class AvailabilityOut(BaseModel):
    channel_id: str
    items: list[ChannelAvailabilityOut] | list[PublicAvailabilityOut]


class InStockOut(BaseModel):
    channel_id: str
    variant_ids: list[str]


class NearbyOut(BaseModel):
    location_id: str
    name: str
    kind: str
    distance_km: float
    status: Status
    pickup: bool
    available: int | None = Field(default=None, description="Staff only")


class NearbyListOut(BaseModel):
    variant_id: str
    lat: float
    lon: float
    radius_km: float
    items: list[NearbyOut]


class BulkIn(StrictModel):
    variant_ids: list[Id] = Field(min_length=1, max_length=MAX_BULK)
    location_ids: list[Id] = Field(min_length=1, max_length=MAX_BULK)
    channel_id: Id | None = Field(default=None, description="Adds available_to_channel")


class ChannelLevelOut(LevelOut):
    available_to_channel: int | None = Field(
        default=None, description="After the channel's buffer here; null: not in its pool"
    )


class BulkOut(BaseModel):
    channel_id: str | None
    items: list[ChannelLevelOut]


class VariantLevelOut(ChannelLevelOut):
    status: Status
    low_stock_threshold: int


class VariantLevelsOut(BaseModel):
    variant_id: str
    channel_id: str | None
    items: list[VariantLevelOut]


# ---------------------------------------------------------------- ledger


class MovementOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    on_hand_delta: int
    reserved_delta: int
    incoming_delta: int
    unsellable_delta: int
    reason: str | None
    channel_id: str | None
    actor_kind: str
    actor_id: str | None
    source_type: str | None
    source_id: str | None
    occurred_at: datetime


class PositionOut(BaseModel):
    variant_id: str
    location_id: str
    at: datetime
    on_hand: int
    reserved: int
    incoming: int
    unsellable: int
    movements: list[MovementOut] = Field(description="Newest first: the story behind it")


class StateFigures(BaseModel):
    on_hand: int
    reserved: int
    incoming: int
    unsellable: int


class MismatchOut(BaseModel):
    variant_id: str
    location_id: str
    level: StateFigures
    ledger: StateFigures


class LedgerCheckOut(BaseModel):
    balanced: bool
    mismatches: list[MismatchOut]


# ---------------------------------------------------------------- policies


class LocationPolicyIn(StrictModel):
    allow_negative: bool = False
    low_stock_threshold: int = Field(default=2, ge=0, le=1_000_000)


class LocationPolicyOut(BaseModel):
    location_id: str
    allow_negative: bool
    low_stock_threshold: int


class VariantPolicyIn(StrictModel):
    backorder: bool = False
    preorder: bool = False
    oversell_limit: int | None = Field(
        default=None, ge=0, le=1_000_000, description="Units beyond stock; null: no limit"
    )
    available_from: AwareDatetime | None = Field(
        default=None, description="Preorder: the release date (preorders close then)"
    )


class VariantPolicyOut(BaseModel):
    variant_id: str
    channel_id: str
    backorder: bool
    preorder: bool
    oversell_limit: int | None
    available_from: datetime | None
