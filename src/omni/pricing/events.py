"""Facts the pricing module publishes."""

from __future__ import annotations

from dataclasses import dataclass

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class PriceListCreated(Event):
    name = "pricing.price_list_created"
    price_list_id: str
    code: str
    currency: str


@dataclass(frozen=True, kw_only=True)
class PriceListUpdated(Event):
    name = "pricing.price_list_updated"
    price_list_id: str
    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class PriceListDeleted(Event):
    name = "pricing.price_list_deleted"
    price_list_id: str
    code: str


@dataclass(frozen=True, kw_only=True)
class PricesChanged(Event):
    """Prices of these variants in this list were added, changed or removed."""

    name = "pricing.prices_changed"
    price_list_id: str
    variant_ids: list[str]
