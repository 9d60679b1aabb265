"""``omni bench hot-sku``: many clients reserving 1 unit of ONE SKU through the
inventory service at once — the oversell hot spot — compared with PostgreSQL's own
hot-row ceiling measured by pgbench in the same run.

Options: ``clients`` (64), ``seconds`` (20), ``processes`` (2: the load runs in this
many OS processes, clients split among them), ``pool`` (2: connections per process;
0 = one per client). Clients queue for a pooled connection as requests do in an API
process; with fewer connections fewer transactions wait in PostgreSQL's lock queue for
the hot row. pgbench runs twice: at ``clients`` connections (``l_row_tps``, the figure
the ratio is defined against) and at the load's own number of connections.
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
    shares = [
        clients // processes + (1 if i < clients % processes else 0) for i in range(processes)
    ]
    pools = [int(options.get("pool", 2)) or share for share in shares]
    with fresh_database(database_url, "omni_hotsku") as (_dsn, url):
        asyncio.run(_prepare(url))
        with ProcessPoolExecutor(processes) as executor:
            results = list(
                executor.map(_load, [url] * processes, shares, pools, [seconds] * processes)
            )
        audit = asyncio.run(_audit(url))
    latencies = [ms for result in results for ms in result["latencies"]]
    served = [count for result in results for count in result["per_client"]]
    per_second = len(latencies) / seconds
    l_row = hot_row_tps(database_url, clients=clients, seconds=int(seconds))
    l_row_same = (
        hot_row_tps(database_url, clients=sum(pools), seconds=int(seconds))
        if sum(pools) != clients
        else l_row
    )
    return {
        "scenario": "hot-sku",
        "clients": clients,
        "seconds": seconds,
        "processes": processes,
        "connections": sum(pools),
        "reservations": len(latencies),
        "reservations_per_s": round(per_second, 1),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "errors": sum(r["errors"] for r in results),
        # Every client is served about equally: the pool queue starves nobody.
        "per_client_min": min(served),
        "per_client_max": max(served),
        **audit,
        "l_row_tps": l_row,
        "ratio_to_l_row": round(per_second / l_row, 3) if l_row else None,
        "l_row_tps_same_connections": l_row_same,
        "ratio_same_connections": round(per_second / l_row_same, 3) if l_row_same else None,
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


def _load(url: str, clients: int, pool: int, seconds: float) -> dict[str, Any]:
    return asyncio.run(_load_async(url, clients, pool, seconds))


async def _load_async(url: str, clients: int, pool: int, seconds: float) -> dict[str, Any]:
    db = Database(_settings(url, pool))
    latencies: list[float] = []
    done = [0] * clients
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client(number: int) -> None:
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
                done[number] += 1
            except InsufficientStock:
                errors += 1
            # A real client's next request comes after a network hop: yield, so a client
            # waiting for a pooled connection gets the one just returned (no starvation).
            await asyncio.sleep(0)

    await asyncio.gather(*(client(number) for number in range(clients)))
    await db.dispose()
    return {"latencies": latencies, "errors": errors, "per_client": done}


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
