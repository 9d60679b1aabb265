"""Items named by whoever sends them — a till scans SKUs or barcodes, a marketplace sends
SKUs, an app sends variant ids — resolved to variants in at most two queries, and the
same variant named twice becomes one line (two scans of the same shirt: quantity 2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from omni.carts import api as carts_api
from omni.catalog import api as catalog_api
from omni.kernel.errors import InvalidInput

MAX_QUANTITY = 999


@dataclass(frozen=True)
class ItemRequest:
    quantity: int
    variant_id: str | None = None
    sku: str | None = None
    gtin: str | None = None  # a scanned barcode


async def wanted_lines(
    session: AsyncSession, items: Sequence[ItemRequest], *, channel_id: str, at: datetime
) -> list[carts_api.WantedLine]:
    """One line per distinct variant, in the order first named; 422 naming the item
    that is unknown, badly formed or not sold on the channel (nothing is ordered then)."""
    if not items:
        raise InvalidInput("Name at least one item.", field="items")
    by_sku = await catalog_api.variant_ids_by_sku(session, {_sku(i) for i in items if i.sku})
    by_gtin = await catalog_api.variant_ids_by_gtin(session, {_gtin(i) for i in items if i.gtin})
    known = set(
        await catalog_api.get_variants(session, {i.variant_id for i in items if i.variant_id})
    )
    quantities: dict[str, int] = {}
    first_named: dict[str, int] = {}
    for index, item in enumerate(items):
        variant_id = _variant_of(item, index, by_sku, by_gtin, known)
        first_named.setdefault(variant_id, index)
        quantities[variant_id] = quantities.get(variant_id, 0) + item.quantity
        if not 0 < quantities[variant_id] <= MAX_QUANTITY:
            raise InvalidInput(
                f"Quantities are 1 to {MAX_QUANTITY} per item.", field=f"items[{index}].quantity"
            )
    sellable = await catalog_api.sellable_variant_ids(
        session, quantities, channel_id=channel_id, at=at
    )
    for variant_id, index in first_named.items():
        if variant_id not in sellable:
            raise InvalidInput("This item is not sold on this channel.", field=f"items[{index}]")
    return [
        carts_api.WantedLine(f"line-{n}", variant_id, quantity)
        for n, (variant_id, quantity) in enumerate(quantities.items(), start=1)
    ]


def _variant_of(
    item: ItemRequest,
    index: int,
    by_sku: dict[str, str],
    by_gtin: dict[str, str],
    known: set[str],
) -> str:
    named = [value for value in (item.variant_id, item.sku, item.gtin) if value]
    if len(named) != 1:
        raise InvalidInput(
            "Name each item by exactly one of variant_id, sku or gtin.", field=f"items[{index}]"
        )
    if item.sku:
        found = by_sku.get(_sku(item))
    elif item.gtin:
        found = by_gtin.get(_gtin(item))
    else:
        found = item.variant_id if item.variant_id in known else None
    if found is None:
        raise InvalidInput("No such item in the catalog.", field=f"items[{index}]")
    return found


def _sku(item: ItemRequest) -> str:
    return (item.sku or "").strip().upper()


def _gtin(item: ItemRequest) -> str:
    """Barcodes are stored as GTIN-14: a scanned UPC-A or EAN-13 is zero-padded."""
    return (item.gtin or "").strip().zfill(14)
