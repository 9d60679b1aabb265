"""Request and response models of the taxes module."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from omni.http.schemas import StrictModel
from omni.kernel.money import check_currency
from omni.taxes.codes import check_tax_class, normalize_region_code
from omni.taxes.domain import RoundingLevel

MAX_AMOUNT = 10**15
TaxClass = Annotated[str, Field(min_length=1, max_length=32, examples=["standard"])]
Percent = Annotated[
    Decimal, Field(ge=0, le=100, max_digits=10, decimal_places=6, examples=["8.875"])
]


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("give a time zone (e.g. 2025-01-01T00:00:00Z)")
    return value.astimezone(UTC)


def _tax_class(value: str | None) -> str | None:
    return None if value is None else check_tax_class(value)


class TaxRateIn(StrictModel):
    tax_class: TaxClass
    percent: Percent
    name: str = Field(min_length=1, max_length=100, examples=["NY sales tax"])
    valid_from: datetime | None = None
    valid_to: datetime | None = None

    _class = field_validator("tax_class")(_tax_class)
    _times = field_validator("valid_from", "valid_to")(_aware)

    @model_validator(mode="after")
    def _window(self) -> Self:
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValueError("valid_to must be after valid_from")
        return self


class TaxRatePatch(StrictModel):
    percent: Percent | None = None
    name: str | None = Field(default=None, min_length=1, max_length=100)
    valid_from: datetime | None = None
    valid_to: datetime | None = None

    _times = field_validator("valid_from", "valid_to")(_aware)


class TaxRegionIn(StrictModel):
    code: str = Field(min_length=2, max_length=10, examples=["US-NY", "DE"])
    name: str = Field(min_length=1, max_length=200)
    prices_include_tax: bool = False
    rounding: RoundingLevel = RoundingLevel.LINE
    shipping_tax_class: TaxClass | None = "standard"
    rates: list[TaxRateIn] = Field(default_factory=list, max_length=100)

    _class = field_validator("shipping_tax_class")(_tax_class)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        return normalize_region_code(value)


class TaxRegionPatch(StrictModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    prices_include_tax: bool | None = None
    rounding: RoundingLevel | None = None
    shipping_tax_class: TaxClass | None = None

    _class = field_validator("shipping_tax_class")(_tax_class)


class TaxRateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    region_code: str
    tax_class: str
    percent: str
    name: str
    valid_from: datetime | None
    valid_to: datetime | None
    created_at: datetime
    updated_at: datetime


class TaxRegionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    prices_include_tax: bool
    rounding: str
    shipping_tax_class: str | None
    created_at: datetime
    updated_at: datetime
    version: int
    rates: list[TaxRateOut] = Field(default_factory=list)


class QuoteLineIn(StrictModel):
    line_id: str = Field(min_length=1, max_length=64)
    amount: int = Field(ge=0, le=MAX_AMOUNT, description="After discounts, minor units")
    tax_class: TaxClass = "standard"


class QuoteIn(StrictModel):
    """What checkout sends the tax provider, to check a region's configuration."""

    region: str = Field(min_length=2, max_length=10)
    currency: str = Field(min_length=3, max_length=3)
    prices_include_tax: bool | None = Field(default=None, description="Default: the region's")
    lines: list[QuoteLineIn] = Field(min_length=1, max_length=500)
    shipping: int | None = Field(default=None, ge=0, le=MAX_AMOUNT)
    at: datetime | None = None

    _times = field_validator("at")(_aware)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return check_currency(value.upper())

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        return value.strip().upper()


class QuoteOut(BaseModel):
    """``TaxQuote.as_dict()``: amounts in minor units, percentages as decimal text."""

    provider: str
    currency: str
    region: str
    prices_include_tax: bool
    rounding: str
    net_total: int
    tax_total: int
    gross_total: int
    lines: list[dict[str, Any]]
    shipping: dict[str, Any] | None
    breakdown: list[dict[str, Any]]
