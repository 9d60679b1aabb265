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
from tests.inventory.documents_support import make_location
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
