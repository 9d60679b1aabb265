"""Facts the taxes module publishes."""

from __future__ import annotations

from dataclasses import dataclass

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class TaxRegionCreated(Event):
    name = "tax.region_created"
    region_code: str


@dataclass(frozen=True, kw_only=True)
class TaxRegionUpdated(Event):
    name = "tax.region_updated"
    region_code: str
    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class TaxRegionDeleted(Event):
    name = "tax.region_deleted"
    region_code: str


@dataclass(frozen=True, kw_only=True)
class TaxRatesChanged(Event):
    """A rate of the region was added, changed or removed."""

    name = "tax.rates_changed"
    region_code: str
    tax_classes: list[str]
