"""Builders for replenishment tests: a DC and two nearby stores, and demand history
recorded through the real stock service on past days."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from omni.db.database import Database
from omni.inventory import stock
from omni.inventory.domain import MovementKind
from omni.kernel.clock import Clock, FixedClock
from tests.inventory.documents_support import Item, make_items, make_location
from tests.locations.support import create_location

RULES = "/api/v1/inventory/replenishment/rules"
PLANS = "/api/v1/inventory/replenishment/plans"


@dataclass(frozen=True)
class Network:
    dc: str
    store_a: str
    store_b: str  # 2 km from store A


async def make_network(client: httpx.AsyncClient, admin: dict[str, str]) -> Network:
    warehouse = await create_location(
        client,
        admin,
        kind="warehouse",
        latitude=40.80,
        longitude=-74.05,
        capabilities=["receive_transfers"],
    )
    dc = str(warehouse["id"])
    store_a = await make_location(client, admin, latitude=40.7247, longitude=-73.9981)
    store_b = await make_location(client, admin, latitude=40.7400, longitude=-73.9900)
    return Network(dc, store_a, store_b)


@contextmanager
def clock_at(db: Database, at: datetime) -> Iterator[None]:
    """Record what happens now as if it happened at ``at`` (the ledger takes the clock)."""
    real: Clock = db.clock
    db.clock = FixedClock(at)
    try:
        yield
    finally:
        db.clock = real


async def change(db: Database, variant_id: str, location_id: str, kind: MovementKind, qty: int):
    async with db.uow() as uow:
        await stock.apply_changes(uow, [stock.StockChange(variant_id, location_id, kind, qty)])
        await uow.commit()


async def sell_daily(
    db: Database, variant_id: str, location_id: str, pattern: list[int], days: int
) -> int:
    """Receive enough, then sell ``pattern[day % len]`` units a day for ``days`` days
    ending yesterday; the units sold."""
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    sold = sum(pattern[day % len(pattern)] for day in range(days))
    with clock_at(db, today - timedelta(days=days + 1)):
        await change(db, variant_id, location_id, MovementKind.RECEIPT, sold)
    for day in range(days):
        units = pattern[day % len(pattern)]
        if units:
            with clock_at(db, today - timedelta(days=days - day)):
                await change(db, variant_id, location_id, MovementKind.SALE, units)
    return sold


async def build_planned(
    client: httpx.AsyncClient, admin_headers: dict[str, str], database: Database
) -> tuple[Network, Item, Item]:
    """A store low on a SKU, a neighbour with spare units, a DC that sells online."""
    net = await make_network(client, admin_headers)
    [item, other] = await make_items(client, admin_headers, 2)
    # The DC sells about 5 a day online; store A about 2 a day.
    await sell_daily(database, item.id, net.dc, [4, 4, 5, 5, 6, 7, 4], 63)
    await sell_daily(database, item.id, net.store_a, [1, 2, 2, 2, 3, 3, 1], 63)
    await change(database, item.id, net.dc, MovementKind.RECEIPT, 60)
    await change(database, item.id, net.store_a, MovementKind.RECEIPT, 1)
    await change(database, item.id, net.store_b, MovementKind.RECEIPT, 10)
    rules = [
        {
            "variant_id": item.id,
            "location_id": net.store_a,
            "method": "min_max",
            "min_qty": 5,
            "max_qty": 20,
            "source_location_id": net.dc,
        },
        {
            "variant_id": item.id,
            "location_id": net.dc,
            "method": "reorder_point",
            "lead_time_days": 14,
            "pack_size": 12,
            "supplier_code": "ACME",
            "supplier_name": "Acme Textiles",
        },
    ]
    response = await client.put(RULES, json={"rules": rules}, headers=admin_headers)
    assert response.status_code == 200, response.text
    return net, item, other
