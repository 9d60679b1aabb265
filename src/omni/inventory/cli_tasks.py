"""What ``omni replenish`` runs: one planning run, summarised for a terminal or as JSON."""

from __future__ import annotations

import asyncio
from typing import Any

from omni.db.database import Database
from omni.inventory.replenishment import PlanRequest, plan_replenishment
from omni.inventory.replenishment_queries import get_plan
from omni.kernel.actor import SYSTEM
from omni.settings import Settings


def plan_from_command_line(
    settings: Settings, location_ids: list[str] | None, evaluate: bool
) -> dict[str, Any]:
    return asyncio.run(_plan(settings, location_ids, evaluate))


async def _plan(
    settings: Settings, location_ids: list[str] | None, evaluate: bool
) -> dict[str, Any]:
    db = Database(settings)
    try:
        # The command line is an operator's tool: it plans as the system, like the worker.
        request = PlanRequest(location_ids=location_ids, evaluate=evaluate)
        plan_id = await plan_replenishment(db, SYSTEM, request)
        async with db.reader() as session:
            view = await get_plan(session, plan_id)
    finally:
        await db.dispose()
    assert view is not None
    return {"plan_id": plan_id, **view.plan.figures, "by_status": dict(view.by_status)}
