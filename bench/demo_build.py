"""``omni bench demo-build``: how long `omni demo` takes to build the retailer.

Builds into a fresh database each run — a temporary SQLite file, or a temporary
database on the PostgreSQL server named by ``--database-url`` — and drops it after.
Options: ``--set scale=1.0 --set seed=42``.
"""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from bench.machine import machine_facts
from omni.demo.builder import build_demo


def run(database_url: str, options: dict[str, Any]) -> dict[str, Any]:
    scale = float(options.get("scale", 1.0))
    seed = int(options.get("seed", 42))
    backend = make_url(database_url).get_backend_name()
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            result = build_demo(
                f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", seed=seed, scale=scale
            )
    else:
        result = _on_fresh_postgres_database(database_url, seed, scale)
    return {
        "scenario": "demo-build",
        "database": backend,
        "scale": scale,
        "seed": seed,
        "seconds": result.seconds,
        "step_seconds": result.step_seconds,
        "counts": result.counts,
        "machine": machine_facts(),
    }


def _on_fresh_postgres_database(database_url: str, seed: int, scale: float) -> Any:
    name = f"omni_bench_{uuid.uuid4().hex[:10]}"
    admin = (
        make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    asyncio.run(_execute(admin, f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(database_url).set(drivername="postgresql+asyncpg", database=name)
        return build_demo(url.render_as_string(hide_password=False), seed=seed, scale=scale)
    finally:
        asyncio.run(_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _execute(dsn: str, statement: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()
