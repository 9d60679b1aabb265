"""Builders for inventory HTTP tests: SKUs, bundles, stores and channels made through
their own modules' APIs, stock received through ours, and snapshots to prove that a
refusal changed nothing."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from omni.db.database import Database
from omni.db.platform_models import OutboxEvent
from omni.inventory.models import Reservation, StockLevel, StockMovement
from tests.catalog.helpers import create_product, unique_sku
from tests.channels.support import create_channel
from tests.locations.support import create_location

API = "/api/v1"
INVENTORY = f"{API}/inventory"
STOCK = f"{INVENTORY}/stock"


def key() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": uuid.uuid4().hex}


async def make_variants(client: httpx.AsyncClient, admin: dict[str, str], count: int) -> list[str]:
    product = await create_product(
        client,
        admin,
        status="active",
        option_names=["size"],
        variants=[{"sku": unique_sku(), "option_values": {"size": str(n)}} for n in range(count)],
    )
    return [variant["id"] for variant in product["variants"]]


async def make_bundle(
    client: httpx.AsyncClient, admin: dict[str, str], recipe: dict[str, int]
) -> str:
    [bundle] = await make_variants(client, admin, 1)
    response = await client.put(
        f"{API}/catalog/variants/{bundle}/components",
        json={"components": [{"variant_id": v, "quantity": q} for v, q in recipe.items()]},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    return bundle


async def make_store(
    client: httpx.AsyncClient, admin: dict[str, str], lat: float = 40.7247, lon: float = -73.9981
) -> str:
    created = await create_location(client, admin, latitude=lat, longitude=lon)
    return str(created["id"])


async def make_warehouse(
    client: httpx.AsyncClient, admin: dict[str, str], lat: float = 40.0, lon: float = -74.5
) -> str:
    created = await create_location(
        client,
        admin,
        kind="warehouse",
        latitude=lat,
        longitude=lon,
        capabilities=["ship_to_customer"],
    )
    return str(created["id"])


async def make_channel(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    pool: dict[str, tuple[int, int]],
    **overrides: Any,
) -> str:
    """A channel selling from ``pool``: {location id: (buffer units, buffer percent)}."""
    channel = await create_channel(client, admin, **overrides)
    response = await client.put(
        f"{API}/channels/{channel['id']}/stock-pool",
        json={
            "locations": [
                {"location_id": loc, "buffer_units": units, "buffer_percent": percent}
                for loc, (units, percent) in pool.items()
            ]
        },
        headers=admin,
    )
    assert response.status_code == 200, response.text
    return str(channel["id"])


async def receive(
    client: httpx.AsyncClient, headers: dict[str, str], location_id: str, lines: dict[str, int]
) -> None:
    response = await client.post(
        f"{STOCK}/receipts",
        json={
            "location_id": location_id,
            "lines": [{"variant_id": v, "quantity": q} for v, q in lines.items()],
        },
        headers=headers | key(),
    )
    assert response.status_code == 201, response.text


async def stock_state(db: Database, *variant_ids: str) -> dict[str, Any]:
    """Levels, movement count and reservations of these variants: equal before and
    after a refused command means it changed nothing."""
    async with db.reader() as session:
        levels = {
            (row.variant_id, row.location_id): (
                row.on_hand,
                row.reserved,
                row.incoming,
                row.unsellable,
                row.safety_stock,
            )
            for row in await session.scalars(
                select(StockLevel).where(StockLevel.variant_id.in_(variant_ids))
            )
        }
        movements = await session.scalar(
            select(func.count())
            .select_from(StockMovement)
            .where(StockMovement.variant_id.in_(variant_ids))
        )
        reservations = sorted(
            (r.id, r.status, r.quantity, r.kind)
            for r in await session.scalars(
                select(Reservation).where(Reservation.variant_id.in_(variant_ids))
            )
        )
    return {"levels": levels, "movements": movements, "reservations": reservations}


async def level(db: Database, variant_id: str, location_id: str) -> tuple[int, ...]:
    """(on_hand, reserved, incoming, unsellable, safety_stock); zeros if never stocked."""
    state = await stock_state(db, variant_id)
    return tuple(state["levels"].get((variant_id, location_id), (0, 0, 0, 0, 0)))


async def events_about(db: Database, name: str, variant_id: str) -> list[dict[str, Any]]:
    async with db.reader() as session:
        return list(
            await session.scalars(
                select(OutboxEvent.payload)
                .where(
                    OutboxEvent.name == name,
                    OutboxEvent.payload["variant_id"].as_string() == variant_id,
                )
                .order_by(OutboxEvent.occurred_at, OutboxEvent.id)
            )
        )


async def channel_available(
    client: httpx.AsyncClient, headers: dict[str, str], channel_id: str, variant_id: str
) -> int:
    response = await client.get(
        f"{INVENTORY}/availability",
        params={"channel_id": channel_id, "variant_ids": variant_id},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return int(response.json()["items"][0]["available"])
