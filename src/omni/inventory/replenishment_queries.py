"""Read side of replenishment (INV10): plans and their suggestions. Reads never lock."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.inventory.replenishment_models import ReplenishmentPlan, ReplenishmentSuggestion


@dataclass(frozen=True)
class PlanView:
    plan: ReplenishmentPlan
    by_status: Counter[str]  # suggestions per status


async def get_plan(session: AsyncSession, plan_id: str) -> PlanView | None:
    plan = await session.get(ReplenishmentPlan, plan_id)
    if plan is None:
        return None
    counts = await session.execute(
        select(ReplenishmentSuggestion.status, func.count())
        .where(ReplenishmentSuggestion.plan_id == plan_id)
        .group_by(ReplenishmentSuggestion.status)
    )
    return PlanView(plan, Counter({status: int(n) for status, n in counts}))


async def list_plans(
    session: AsyncSession, *, before: str | None, limit: int
) -> list[ReplenishmentPlan]:
    """Newest first (ids sort by time)."""
    query = select(ReplenishmentPlan).order_by(ReplenishmentPlan.id.desc()).limit(limit)
    if before is not None:
        query = query.where(ReplenishmentPlan.id < before)
    return list(await session.scalars(query))


@dataclass(frozen=True)
class SuggestionFilter:
    status: str | None = None
    kind: str | None = None
    location_id: str | None = None


async def list_suggestions(
    session: AsyncSession, plan_id: str, where: SuggestionFilter, *, after: str | None, limit: int
) -> list[ReplenishmentSuggestion]:
    query = (
        select(ReplenishmentSuggestion)
        .where(ReplenishmentSuggestion.plan_id == plan_id)
        .order_by(ReplenishmentSuggestion.id)
        .limit(limit)
    )
    if where.status is not None:
        query = query.where(ReplenishmentSuggestion.status == where.status)
    if where.kind is not None:
        query = query.where(ReplenishmentSuggestion.kind == where.kind)
    if where.location_id is not None:
        query = query.where(ReplenishmentSuggestion.location_id == where.location_id)
    if after is not None:
        query = query.where(ReplenishmentSuggestion.id > after)
    return list(await session.scalars(query))
