"""``omni bench demo-build``: how long `omni demo` takes to build the retailer.

Builds into a fresh database each run — a temporary SQLite file, or a temporary
database on the PostgreSQL server named by ``--database-url`` — and drops it after.
Options: ``--set scale=1.0 --set seed=42``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bench.machine import machine_facts
from bench.pgdb import fresh_database
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
    with fresh_database(database_url, "omni_bench") as (_dsn, url):
        return build_demo(url, seed=seed, scale=scale)
