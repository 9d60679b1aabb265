"""Request and response models of the channels module."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from omni.channels import domain
from omni.http.schemas import StrictModel

Kind = Literal["web", "app", "pos", "social", "call_center", "marketplace"]
Method = Literal["ship", "pickup", "curbside", "same_day", "carry_out", "ship_to_store"]
assert set(Kind.__args__) == set(domain.KINDS)  # type: ignore[attr-defined]
assert set(Method.__args__) == set(domain.METHODS)  # type: ignore[attr-defined]
MAX_POOL_LOCATIONS = 1000


class ChannelIn(StrictModel):
    code: str = Field(min_length=1, max_length=60, examples=["pos-nyc-soho"])
    name: str = Field(min_length=1, max_length=200)
    kind: Kind
    currency: str = Field(min_length=3, max_length=3, examples=["USD"])
    locale: str = Field(min_length=2, max_length=35, examples=["en-US"])
    tax_region: str = Field(min_length=2, max_length=10, examples=["US-NY"])
    price_list_id: str | None = Field(default=None, max_length=32)
    location_id: str | None = Field(
        default=None, max_length=32, description="POS only: the store it belongs to"
    )
    fulfillment_methods: list[Method] = Field(min_length=1)
    default_buffer_units: int = Field(default=0, ge=0, le=1_000_000)
    default_buffer_percent: int = Field(default=0, ge=0, le=100)
    active: bool = True


class ChannelPatch(StrictModel):
    """Fields to change; code and kind are fixed once created."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    locale: str | None = Field(default=None, min_length=2, max_length=35)
    tax_region: str | None = Field(default=None, min_length=2, max_length=10)
    price_list_id: str | None = Field(default=None, max_length=32)
    location_id: str | None = Field(default=None, max_length=32)
    fulfillment_methods: list[Method] | None = Field(default=None, min_length=1)
    default_buffer_units: int | None = Field(default=None, ge=0, le=1_000_000)
    default_buffer_percent: int | None = Field(default=None, ge=0, le=100)
    active: bool | None = None


class ChannelOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    code: str
    name: str
    kind: str
    currency: str
    locale: str
    tax_region: str
    price_list_id: str | None
    location_id: str | None
    fulfillment_methods: list[str]
    default_buffer_units: int
    default_buffer_percent: int
    active: bool
    created_at: datetime
    updated_at: datetime
    version: int


class PublicChannelOut(BaseModel):
    """What a storefront needs to present itself; nothing about stock or prices."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    code: str
    kind: str
    currency: str
    locale: str
    fulfillment_methods: list[str]


class PoolLocationIn(StrictModel):
    location_id: str = Field(min_length=1, max_length=32)
    buffer_units: int | None = Field(
        default=None, ge=0, le=1_000_000, description="Null: the channel's default"
    )
    buffer_percent: int | None = Field(
        default=None, ge=0, le=100, description="Null: the channel's default"
    )


class StockPoolIn(StrictModel):
    locations: list[PoolLocationIn] = Field(max_length=MAX_POOL_LOCATIONS)


class PoolLocationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    location_id: str
    buffer_units: int | None
    buffer_percent: int | None


class StockPoolOut(BaseModel):
    channel_id: str
    default_buffer_units: int
    default_buffer_percent: int
    locations: list[PoolLocationOut]
