"""Request and response models of the locations module."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from omni.http.schemas import StrictModel
from omni.locations import domain
from omni.locations.models import Location

Kind = Literal["store", "warehouse", "pickup_point", "locker"]
Status = Literal["active", "inactive", "opening_soon"]
Capability = Literal[
    "sell_in_store",
    "pickup",
    "curbside",
    "ship_from_store",
    "same_day_delivery",
    "accept_returns",
    "receive_transfers",
    "ship_to_customer",
]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
assert set(Kind.__args__) == set(domain.KINDS)  # type: ignore[attr-defined]
assert set(Capability.__args__) == set(domain.CAPABILITIES)  # type: ignore[attr-defined]

ClockTime = Annotated[str, Field(pattern=r"^\d{2}:\d{2}$", examples=["09:00"])]
Intervals = Annotated[
    list[tuple[ClockTime, ClockTime]],
    Field(max_length=domain.MAX_INTERVALS_PER_DAY, description="[open, close] pairs"),
]
WeeklyHours = Annotated[
    dict[Weekday, Intervals],
    Field(
        description="Local opening hours per weekday; a missing day is closed. A close "
        "before the open means the next day (18:00-02:00); 00:00-24:00 is all day.",
        examples=[{"mon": [["09:00", "21:00"]], "sat": [["10:00", "18:00"]]}],
    ),
]
SpecialDaysIn = Annotated[
    dict[date, Intervals],
    Field(
        max_length=domain.MAX_SPECIAL_DAYS,
        description="Exceptions by local date: [] closed all day, or that day's hours.",
        examples=[{"2025-12-25": [], "2025-12-24": [["09:00", "15:00"]]}],
    ),
]


class Address(StrictModel):
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")


class Capacity(StrictModel):
    orders_per_day: int | None = Field(default=None, ge=0)
    orders_per_hour: int | None = Field(default=None, ge=0)
    pickup_slot_minutes: int | None = Field(default=None, ge=5, le=1440)
    pickup_slot_capacity: int | None = Field(default=None, ge=0)
    pickup_hold_days: int | None = Field(default=None, ge=1, le=90)


class LocationIn(StrictModel):
    code: str = Field(min_length=1, max_length=40, examples=["NYC-SOHO"])
    name: str = Field(min_length=1, max_length=200)
    kind: Kind
    status: Status = "active"
    address: Address
    phone: str | None = Field(default=None, max_length=32)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    time_zone: str = Field(min_length=1, max_length=64, examples=["America/New_York"])
    metro: str | None = Field(default=None, max_length=100, examples=["New York"])
    opening_hours: WeeklyHours = {}
    special_days: SpecialDaysIn = {}
    capabilities: list[Capability] = []
    capacity: Capacity = Capacity()


class AddressPatch(StrictModel):
    line1: str | None = Field(default=None, min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, min_length=1, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, min_length=2, max_length=2)


class LocationPatch(StrictModel):
    """JSON Merge Patch (RFC 7396): send only what changes.

    ``address``, ``capacity``, ``opening_hours`` (per weekday) and ``special_days`` (per
    date; ``null`` removes a date) are merged into the current value; other fields,
    including the ``capabilities`` list, are replaced. The code never changes.
    """

    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: Kind | None = None
    status: Status | None = None
    address: AddressPatch | None = None
    phone: str | None = Field(default=None, max_length=32)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    time_zone: str | None = Field(default=None, min_length=1, max_length=64)
    metro: str | None = Field(default=None, max_length=100)
    opening_hours: WeeklyHours | None = None
    special_days: dict[date, Intervals | None] | None = Field(
        default=None, max_length=domain.MAX_SPECIAL_DAYS
    )
    capabilities: list[Capability] | None = None
    capacity: Capacity | None = None


class AddressOut(BaseModel):
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str | None
    country: str


class CapacityOut(BaseModel):
    orders_per_day: int | None
    orders_per_hour: int | None
    pickup_slot_minutes: int | None
    pickup_slot_capacity: int | None
    pickup_hold_days: int | None


class PublicLocationOut(BaseModel):
    """What a shopper may see: where it is and when it is open."""

    id: str
    name: str
    kind: str
    address: AddressOut
    phone: str | None
    latitude: float
    longitude: float
    time_zone: str
    opening_hours: dict[str, list[list[str]]]
    special_days: dict[str, list[list[str]]]
    distance_km: float | None = None


class LocationOut(PublicLocationOut):
    code: str
    status: str
    metro: str | None
    capabilities: list[str]
    capacity: CapacityOut
    created_at: datetime
    updated_at: datetime
    version: int


class OpenStateOut(BaseModel):
    location_id: str
    at: datetime = Field(description="The instant asked about, in the location's time zone")
    time_zone: str
    open: bool = Field(description="Active and within its opening hours at that instant")
    closes_at: datetime | None = Field(description="End of the current opening, if open")
    next_opening: datetime | None = Field(description="Next opening after 'at' (14 days ahead)")


def _address(location: Location) -> AddressOut:
    return AddressOut(
        line1=location.line1,
        line2=location.line2,
        city=location.city,
        region=location.region,
        postal_code=location.postal_code,
        country=location.country,
    )


def public_location_out(location: Location, distance_km: float | None = None) -> PublicLocationOut:
    return PublicLocationOut(
        id=location.id,
        name=location.name,
        kind=location.kind,
        address=_address(location),
        phone=location.phone,
        latitude=location.latitude,
        longitude=location.longitude,
        time_zone=location.time_zone,
        opening_hours=location.opening_hours,
        special_days=location.special_days,
        distance_km=distance_km,
    )


def location_out(location: Location, distance_km: float | None = None) -> LocationOut:
    return LocationOut(
        **public_location_out(location, distance_km).model_dump(),
        code=location.code,
        status=location.status,
        metro=location.metro,
        capabilities=location.capabilities,
        capacity=CapacityOut(
            orders_per_day=location.orders_per_day,
            orders_per_hour=location.orders_per_hour,
            pickup_slot_minutes=location.pickup_slot_minutes,
            pickup_slot_capacity=location.pickup_slot_capacity,
            pickup_hold_days=location.pickup_hold_days,
        ),
        created_at=location.created_at,
        updated_at=location.updated_at,
        version=location.version,
    )
