"""``omni bench forecast``: how good the replenishment forecasts are on the demo's
year of demand, and how long a full planning run takes.

Builds the demo into a fresh database (a temporary SQLite file, or a temporary
database on the PostgreSQL server named by ``--database-url``), then runs one
replenishment plan over every rule with ``evaluate`` on: each ruled SKU x location is
fitted on all but its last 28 days and scored on them with MASE, beside the
seasonal-naive forecast ("same weekday last week") scored the same way.
Options: ``--set scale=1.0 --set seed=42``.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bench.machine import machine_facts
from bench.pgdb import fresh_database
from omni.db.database import Database
from omni.demo.builder import build_demo
from omni.inventory.replenishment import PlanRequest, plan_replenishment
from omni.inventory.replenishment_queries import get_plan
from omni.kernel.actor import SYSTEM
from omni.settings import Settings


def run(database_url: str, options: dict[str, Any]) -> dict[str, Any]:
    scale = float(options.get("scale", 1.0))
    seed = int(options.get("seed", 42))
    backend = make_url(database_url).get_backend_name()
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            figures = _measure(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", seed, scale)
    else:
        with fresh_database(database_url, "omni_forecast") as (_dsn, url):
            figures = _measure(url, seed, scale)
    return {
        "scenario": "forecast",
        "database": backend,
        "scale": scale,
        "seed": seed,
        **figures,
        "machine": machine_facts(),
    }


def _measure(url: str, seed: int, scale: float) -> dict[str, Any]:
    build_demo(url, seed=seed, scale=scale)
    return asyncio.run(_plan(url))


async def _plan(url: str) -> dict[str, Any]:
    db = Database(Settings(database_url=url, log_json=False, log_level="WARNING"))
    try:
        started = time.perf_counter()
        plan_id = await plan_replenishment(db, SYSTEM, PlanRequest(evaluate=True))
        seconds = time.perf_counter() - started
        async with db.reader() as session:
            view = await get_plan(session, plan_id)
    finally:
        await db.dispose()
    assert view is not None
    figures = view.plan.figures
    return {
        "plan_seconds": round(seconds, 2),
        "rules": figures["rules"],
        "forecast_methods": figures["forecast_methods"],
        "backtest": figures["backtest"],
        "suggestions": figures["suggestions"],
    }
