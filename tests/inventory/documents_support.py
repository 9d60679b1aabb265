"""Builders for stock-document tests: real locations and variants (through their APIs),
stock in place, idempotent POSTs, level snapshots, recorded events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select

from omni.db.database import Database
from omni.db.platform_models import AuditEntry, OutboxEvent
from omni.inventory.models import StockLevel, StockMovement
from tests.catalog.helpers import PRODUCTS, product_body, unique_gtin, unique_sku
from tests.inventory.helpers import receive
from tests.locations.support import create_location

SIZES = ("XS", "S", "M", "L", "XL", "XXL")


@dataclass(frozen=True)
class Item:
    id: str
    sku: str
    gtin: str  # as stored: 14 digits


async def make_location(
    client: httpx.AsyncClient, admin: dict[str, str], *, receives: bool = True, **fields: Any
) -> str:
    capabilities = ["sell_in_store", "pickup"] + (["receive_transfers"] if receives else [])
    location = await create_location(client, admin, capabilities=capabilities, **fields)
    return str(location["id"])


async def make_items(
    client: httpx.AsyncClient, admin: dict[str, str], count: int = 2
) -> list[Item]:
    """``count`` variants of one new product, each with its own SKU and GTIN-13."""
    variants = [
        {
            "sku": unique_sku(),
            "gtin": unique_gtin(),
            "option_values": {"size": size, "color": "Navy"},
        }
        for size in SIZES[:count]
    ]
    response = await client.post(
        PRODUCTS, json=product_body(variants=variants, status="active"), headers=admin
    )
    assert response.status_code == 201, response.text
    return [Item(v["id"], v["sku"], v["gtin"]) for v in response.json()["variants"]]


async def stock(database: Database, item: Item, location_id: str, quantity: int) -> None:
    await receive(database, item.id, location_id, quantity)


def keyed(headers: dict[str, str]) -> dict[str, str]:
    """The headers with a fresh Idempotency-Key."""
    return headers | {"Idempotency-Key": uuid.uuid4().hex}


async def post(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], json: Any = None
) -> httpx.Response:
    return await client.post(url, json=json, headers=keyed(headers))


async def levels(database: Database, location_id: str) -> dict[str, tuple[int, int, int, int]]:
    """(on_hand, reserved, incoming, unsellable) per variant at a location."""
    async with database.reader() as session:
        rows = await session.scalars(
            select(StockLevel).where(StockLevel.location_id == location_id)
        )
        return {r.variant_id: (r.on_hand, r.reserved, r.incoming, r.unsellable) for r in rows}


async def movements_of(database: Database, source_id: str) -> list[tuple[str, str, int, int, int]]:
    """(kind, location, on_hand, incoming, unsellable) deltas written for a document."""
    async with database.reader() as session:
        rows = await session.scalars(
            select(StockMovement)
            .where(StockMovement.source_id == source_id)
            .order_by(StockMovement.id)
        )
        return [
            (m.kind, m.location_id, m.on_hand_delta, m.incoming_delta, m.unsellable_delta)
            for m in rows
        ]


async def events(database: Database, name: str, key: str, value: str) -> list[dict[str, Any]]:
    async with database.reader() as session:
        rows = await session.scalars(
            select(OutboxEvent.payload)
            .where(OutboxEvent.name == name, OutboxEvent.payload[key].as_string() == value)
            .order_by(OutboxEvent.occurred_at, OutboxEvent.id)
        )
        return list(rows)


async def audit_actions(database: Database, object_id: str) -> list[str]:
    async with database.reader() as session:
        rows = await session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_id == object_id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        return list(rows)


# Partition table of SGTIN-96, written out independently of the decoder under test:
# partition -> (company prefix bits, digits, item reference bits).
SGTIN_PARTITIONS = {
    0: (40, 12, 4),
    1: (37, 11, 7),
    2: (34, 10, 10),
    3: (30, 9, 14),
    4: (27, 8, 17),
    5: (24, 7, 20),
    6: (20, 6, 24),
}


def encode_sgtin96(gtin14: str, serial: int, *, partition: int = 5, filter_value: int = 1) -> str:
    """The 24 hex digits a tag would carry for this GTIN-14 and serial."""
    prefix_bits, prefix_digits, reference_bits = SGTIN_PARTITIONS[partition]
    company = int(gtin14[1 : 1 + prefix_digits])
    reference = int(gtin14[0] + gtin14[1 + prefix_digits : 13])
    value = (
        (0x30 << 88)
        | (filter_value << 85)
        | (partition << 82)
        | (company << (38 + reference_bits))
        | (reference << 38)
        | serial
    )
    assert prefix_bits + reference_bits == 44
    return f"{value:024X}"
