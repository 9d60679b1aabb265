"""``omni bench availability``: latency of the availability reads on a large catalog.

Generates a catalog — ``variants`` variants (5 per product, all published on one web
channel), ``locations`` locations (all in the channel's pool) and a stock level for
every variant at ``stocked`` of them — then times, one request at a time, the three
reads of ``bench.availability_reads`` with random SKUs, points and pages.

Defaults: on PostgreSQL 25,000 variants x 400 stocked locations of 1,000 (10M stock
rows); on SQLite 5,000 x 100 of 250 (500k). Options: ``variants``, ``locations``,
``stocked``, ``iterations`` (300), ``warmup`` (30), ``count_iterations`` (5: counting
every in-stock product), ``seed`` (7), ``gc_freeze`` (1: ``gc.freeze()`` before measuring,
as the server does at start-up; 0: not) and ``index`` — SQL run after loading
(``CREATE INDEX …``), to prove what an index would change.
"""

from __future__ import annotations

import asyncio
import gc
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import availability_data as data
from bench import availability_reads as reads
from bench.machine import machine_facts
from bench.pgdb import fresh_database
from omni.db.all_models import metadata
from omni.db.database import Database
from omni.main import freeze_startup_objects
from omni.settings import Settings

DEFAULT_SHAPES = {
    "postgresql": data.Shape(variants=25_000, locations=1_000, stocked=400),
    "sqlite": data.Shape(variants=5_000, locations=250, stocked=100),
}
# p99 for (a) and (b), p95 for (c), in milliseconds (the targets).
TARGETS = {"nearby": ("p99_ms", 10.0), "bulk": ("p99_ms", 50.0), "listing": ("p95_ms", 100.0)}


def run(database_url: str, options: dict[str, Any]) -> dict[str, Any]:
    backend = make_url(database_url).get_backend_name()
    default = DEFAULT_SHAPES["sqlite" if backend == "sqlite" else "postgresql"]
    shape = data.Shape(
        variants=int(options.get("variants", default.variants)),
        locations=int(options.get("locations", default.locations)),
        stocked=int(options.get("stocked", default.stocked)),
    )
    if not 0 < shape.stocked <= shape.locations:
        raise SystemExit("stocked must be between 1 and locations")
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'availability.db'}"
            figures = asyncio.run(_bench(url, shape, options))
    else:
        with fresh_database(database_url, "omni_availability") as (_dsn, url):
            figures = asyncio.run(_bench(url, shape, options))
    return {
        "scenario": "availability",
        "database": backend,
        "variants": shape.variants,
        "locations": shape.locations,
        "stocked_per_variant": shape.stocked,
        "stock_rows": shape.stock_rows,
        **figures,
        "machine": machine_facts(),
    }


def _settings(url: str) -> Settings:
    return Settings(
        database_url=url,
        db_pool_size=2,
        db_max_overflow=0,
        log_json=False,
        log_level="WARNING",
        dispatcher_enabled=False,
    )


async def _bench(url: str, shape: data.Shape, options: dict[str, Any]) -> dict[str, Any]:
    db = Database(_settings(url))
    try:
        load = await _load(db, shape, options.get("index"))
        queries = await _measure(db, shape, options)
    finally:
        await db.dispose()
    return {**load, "queries": queries}


async def _load(db: Database, shape: data.Shape, index: str | None) -> dict[str, Any]:
    started = time.perf_counter()
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await data.generate(conn, shape)
    generated = time.perf_counter()
    await _settle(db, index)
    return {
        "generate_s": round(generated - started, 1),
        "vacuum_analyze_s": round(time.perf_counter() - generated, 1),
        "extra_index": index,
    }


async def _settle(db: Database, index: str | None) -> None:
    """The state of a table in service: statistics gathered and, on PostgreSQL, the
    visibility map set by (auto)vacuum — right after a bulk load neither is true, and
    an index-only scan would still visit every heap page."""
    async with db.engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        if index:
            await autocommit.execute(text(index))
        settle = "VACUUM ANALYZE" if db.dialect == "postgresql" else "ANALYZE"
        await autocommit.execute(text(settle))


async def _measure(db: Database, shape: data.Shape, options: dict[str, Any]) -> dict[str, Any]:
    workload = reads.Workload(shape, random.Random(int(options.get("seed", 7))))
    log = reads.StatementLog()
    log.attach(db)
    freeze = options.get("gc_freeze", "1") in ("1", "true", "yes")
    if freeze:
        # What `omni serve` does once started (omni.main.freeze_startup_objects): move
        # every object alive now out of the collector's sight, so a full collection only
        # walks what requests made.
        freeze_startup_objects()
    full_collections = gc.get_stats()[2]["collections"]
    warmup, iterations = int(options.get("warmup", 30)), int(options.get("iterations", 300))

    async def timed(
        read: Any, arguments: Any, runs: int = iterations, warm: int = warmup
    ) -> dict[str, Any]:
        return await reads.measure(db, read, arguments, warmup=warm, iterations=runs, log=log)

    figures = {
        "nearby": await timed(reads.nearby_read, workload.nearby),
        "bulk": await timed(reads.bulk_read, workload.bulk),
        "listing": await timed(reads.listing_read, workload.listing),
        # Counting walks the whole listing: a few runs say what it costs.
        "listing_count": await timed(
            reads.count_read, workload.count, int(options.get("count_iterations", 5)), 1
        ),
    }
    for name, (statistic, limit) in TARGETS.items():
        figures[name]["target"] = f"{statistic} <= {limit:g}"
        figures[name]["target_met"] = figures[name][statistic] <= limit
    return {
        **figures,
        "targets_met": all(figures[name]["target_met"] for name in TARGETS),
        "gc_freeze": freeze,
        # Full (generation 2) collections of Python's cycle collector while measuring.
        "gc_full_collections": gc.get_stats()[2]["collections"] - full_collections,
        "locking_statements": len(log.locking),
    }
