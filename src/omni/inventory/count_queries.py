"""Read side of counts: one count with its lines (and, before posting, what the books
say now), lists, and accuracy per location over recent counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.http.pagination import PageParams
from omni.inventory.document_rules import Accuracy, CountStatus
from omni.inventory.documents import Count, CountLine
from omni.inventory.models import StockLevel


@dataclass(frozen=True)
class CountLineView:
    variant_id: str
    counted: int
    # Posted: on hand when posted. Not yet posted: on hand now (a preview).
    system_quantity: int
    difference: int


@dataclass(frozen=True)
class CountView:
    count: Count
    lines: list[CountLineView]

    @property
    def accuracy(self) -> Accuracy | None:
        count = self.count
        if count.status != CountStatus.POSTED or count.lines_counted is None:
            return None
        return Accuracy(
            counts=1,
            lines_counted=count.lines_counted,
            lines_with_difference=count.lines_with_difference or 0,
            units_difference=count.units_difference or 0,
            system_units=count.system_units or 0,
        )


async def get_count(session: AsyncSession, count_id: str) -> CountView | None:
    count = await session.get(Count, count_id)
    if count is None:
        return None
    if count.status == CountStatus.POSTED:
        lines = await session.scalars(
            select(CountLine).where(CountLine.count_id == count_id).order_by(CountLine.variant_id)
        )
        posted = [
            CountLineView(x.variant_id, x.counted, x.system_quantity or 0, x.difference or 0)
            for x in lines
        ]
        return CountView(count, posted)
    # Not posted yet: compare with what the books say now (a preview; posting decides).
    rows = await session.execute(
        select(CountLine.variant_id, CountLine.counted, func.coalesce(StockLevel.on_hand, 0))
        .outerjoin(
            StockLevel,
            (StockLevel.variant_id == CountLine.variant_id)
            & (StockLevel.location_id == count.location_id),
        )
        .where(CountLine.count_id == count_id)
        .order_by(CountLine.variant_id)
    )
    preview = [
        CountLineView(v, counted, on_hand, counted - on_hand) for v, counted, on_hand in rows
    ]
    return CountView(count, preview)


async def list_counts(
    session: AsyncSession,
    page: PageParams,
    *,
    location_id: str | None = None,
    status: str | None = None,
) -> list[Count]:
    query = select(Count)
    if location_id is not None:
        query = query.where(Count.location_id == location_id)
    if status is not None:
        query = query.where(Count.status == status)
    if page.after is not None:
        query = query.where(Count.id < str(page.after))
    return list(await session.scalars(query.order_by(Count.id.desc()).limit(page.limit + 1)))


async def location_accuracy(
    session: AsyncSession,
    location_id: str,
    *,
    since: datetime | None = None,
    last: int | None = None,
) -> Accuracy:
    """Accuracy over the location's posted counts since ``since`` and/or the ``last`` N:
    lines and units are pooled, so a big count weighs more than a small one."""
    recent = select(
        Count.lines_counted,
        Count.lines_with_difference,
        Count.units_difference,
        Count.system_units,
    ).where(Count.location_id == location_id, Count.status == CountStatus.POSTED.value)
    if since is not None:
        recent = recent.where(Count.posted_at >= since)
    if last is not None:
        recent = recent.order_by(Count.posted_at.desc(), Count.id.desc()).limit(last)
    pooled = recent.subquery()
    row = (
        await session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(pooled.c.lines_counted), 0),
                func.coalesce(func.sum(pooled.c.lines_with_difference), 0),
                func.coalesce(func.sum(pooled.c.units_difference), 0),
                func.coalesce(func.sum(pooled.c.system_units), 0),
            )
        )
    ).one()
    counts, lines, wrong, units, system = (int(value) for value in row)
    return Accuracy(counts, lines, wrong, units, system)
