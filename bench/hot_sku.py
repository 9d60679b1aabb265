"""``omni bench hot-sku``: many clients reserving 1 unit of ONE SKU through the
inventory service at once — the oversell hot spot — compared with PostgreSQL's own
hot-row ceiling measured by pgbench in the same run.

Options: ``clients`` (64), ``seconds`` (20), ``processes`` (2: the load runs in this
many OS processes, clients split among them, each with its own connection pool).
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from bench.machine import machine_facts, percentile
from bench.pg_limits import hot_row_tps
from bench.pgdb import fresh_database
from omni.db.all_models import metadata
from omni.db.database import Database
from omni.inventory import reservations, stock
from omni.inventory.domain import MovementKind, ReservationKind
from omni.inventory.errors import InsufficientStock
from omni.inventory.queries import ledger_mismatches, levels
from omni.inventory.reservations import ReserveLine, ReserveRequest
from omni.kernel.ids import new_id
from omni.settings import Settings

VARIANT, LOCATION = "var_BENCHHOTSKU", "loc_BENCHSTORE"
STOCK = 10_000_000


def run(database_url: str, options: dict[str, Any]) -> dict[str, Any]:
    clients = int(options.get("clients", 64))
    seconds = float(options.get("seconds", 20))
    processes = int(options.get("processes", 2))
    with fresh_database(database_url, "omni_hotsku") as (_dsn, url):
        asyncio.run(_prepare(url))
        share = [
            clients // processes + (1 if i < clients % processes else 0) for i in range(processes)
        ]
        with ProcessPoolExecutor(processes) as pool:
            results = list(pool.map(_load, [url] * processes, share, [seconds] * processes))
        audit = asyncio.run(_audit(url))
    latencies = [ms for result in results for ms in result["latencies"]]
    reserved = len(latencies)
    l_row = hot_row_tps(database_url, clients=clients, seconds=int(seconds))
    per_second = reserved / seconds
    return {
        "scenario": "hot-sku",
        "clients": clients,
        "seconds": seconds,
        "processes": processes,
        "reservations": reserved,
        "reservations_per_s": round(per_second, 1),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "errors": sum(r["errors"] for r in results),
        **audit,
        "l_row_tps": l_row,
        "ratio_to_l_row": round(per_second / l_row, 3) if l_row else None,
        "machine": machine_facts(),
    }


def _settings(url: str, pool: int) -> Settings:
    return Settings(
        database_url=url,
        db_pool_size=pool,
        db_max_overflow=0,
        log_json=False,
        log_level="WARNING",
        dispatcher_enabled=False,
    )


async def _prepare(url: str) -> None:
    db = Database(_settings(url, 2))
    async with db.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    async with db.uow() as uow:
        await stock.apply_changes(
            uow, [stock.StockChange(VARIANT, LOCATION, MovementKind.RECEIPT, STOCK)]
        )
        await uow.commit()
    await db.dispose()


def _load(url: str, clients: int, seconds: float) -> dict[str, Any]:
    return asyncio.run(_load_async(url, clients, seconds))


async def _load_async(url: str, clients: int, seconds: float) -> dict[str, Any]:
    db = Database(_settings(url, clients))
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                async with db.uow() as uow:
                    request = ReserveRequest(
                        [ReserveLine(VARIANT, LOCATION, 1)], ReservationKind.ORDER, new_id("ord")
                    )
                    await reservations.reserve(uow, request)
                    await uow.commit()
                latencies.append((time.perf_counter() - started) * 1000)
            except InsufficientStock:
                errors += 1

    await asyncio.gather(*(client() for _ in range(clients)))
    await db.dispose()
    return {"latencies": latencies, "errors": errors}


async def _audit(url: str) -> dict[str, Any]:
    db = Database(_settings(url, 2))
    async with db.reader() as session:
        [view] = await levels(session, [VARIANT], [LOCATION])
        mismatches = await ledger_mismatches(session)
    await db.dispose()
    q = view.quantities
    return {
        "oversold": max(0, q.reserved - (q.on_hand - q.unsellable)),
        "ledger_mismatches": len(mismatches),
        "reserved_in_database": q.reserved,
    }
