"""Request and response models of the pricing module."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from omni.http.schemas import StrictModel
from omni.kernel.money import check_currency

MAX_PRICE_ROWS = 1000
MAX_AMOUNT = 10**15
CODE_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"


def _currency(value: str | None) -> str | None:
    return None if value is None else check_currency(value.upper())


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("give a time zone (e.g. 2025-01-01T00:00:00Z)")
    return value.astimezone(UTC)


class PriceListIn(StrictModel):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    currency: str = Field(min_length=3, max_length=3)
    channel_ids: list[str] = Field(default_factory=list, max_length=100)
    customer_segment: str | None = Field(default=None, min_length=1, max_length=64)
    loyalty_tier: str | None = Field(default=None, min_length=1, max_length=64)
    priority: int = Field(default=0, ge=-1_000_000, le=1_000_000)
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    active: bool = True
    prices_include_tax: bool = False

    _currency = field_validator("currency")(_currency)
    _aware = field_validator("valid_from", "valid_to")(_aware)

    @model_validator(mode="after")
    def _window(self) -> Self:
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValueError("valid_to must be after valid_from")
        return self


class PriceListPatch(StrictModel):
    code: str | None = Field(default=None, pattern=CODE_PATTERN)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    channel_ids: list[str] | None = Field(default=None, max_length=100)
    customer_segment: str | None = Field(default=None, min_length=1, max_length=64)
    loyalty_tier: str | None = Field(default=None, min_length=1, max_length=64)
    priority: int | None = Field(default=None, ge=-1_000_000, le=1_000_000)
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    active: bool | None = None
    prices_include_tax: bool | None = None

    _currency = field_validator("currency")(_currency)
    _aware = field_validator("valid_from", "valid_to")(_aware)


class PriceListOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    code: str
    name: str
    currency: str
    channel_ids: list[str]
    customer_segment: str | None
    loyalty_tier: str | None
    priority: int
    valid_from: datetime | None
    valid_to: datetime | None
    active: bool
    prices_include_tax: bool
    created_at: datetime
    updated_at: datetime
    version: int


class PriceRowIn(StrictModel):
    variant_id: str = Field(min_length=1, max_length=32)
    min_quantity: int = Field(default=1, ge=1, le=1_000_000)
    amount: int = Field(ge=0, le=MAX_AMOUNT, description="Per unit, in minor units")
    compare_at_amount: int | None = Field(default=None, ge=0, le=MAX_AMOUNT)

    @model_validator(mode="after")
    def _compare_at(self) -> Self:
        if self.compare_at_amount is not None and self.compare_at_amount < self.amount:
            raise ValueError("compare_at_amount cannot be below amount")
        return self


class PricesIn(StrictModel):
    # Rows are checked one by one (see pricing.prices) so a bad row is reported by its
    # index with every other problem, instead of failing the whole body at once.
    prices: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_PRICE_ROWS)


class PriceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    price_list_id: str
    variant_id: str
    min_quantity: int
    amount: int
    compare_at_amount: int | None
    updated_at: datetime


class PricesUpsertedOut(BaseModel):
    price_list_id: str
    created: int
    updated: int
    version: int


class ResolvedPriceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    variant_id: str
    currency: str
    quantity: int
    unit_amount: int
    line_amount: int
    compare_at_unit_amount: int | None
    compare_at_line_amount: int | None
    price_list_id: str
    price_list_code: str
    min_quantity: int
    prices_include_tax: bool


class ResolveOut(BaseModel):
    currency: str
    quantity: int
    channel_id: str | None
    at: datetime
    prices: dict[str, ResolvedPriceOut | None] = Field(
        description="Per requested variant; null when no list prices it for this context"
    )
