"""The ledger's story of one SKU x location, newest first, one page per statement.

Pages are keyed by (occurred_at, id), both descending: the cursor is the last entry's
pair, so a page costs one index range scan however far back the client reads, and
movements appended meanwhile never shift later pages.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.inventory.models import StockMovement
from omni.kernel.errors import InvalidInput


@dataclass(frozen=True)
class MovementFilter:
    variant_id: str
    location_id: str
    kinds: Sequence[str] = ()
    since: datetime | None = None
    until: datetime | None = None


def cursor_key(movement: StockMovement) -> list[str]:
    return [movement.occurred_at.isoformat(), movement.id]


def _after(cursor: object) -> tuple[datetime, str]:
    if isinstance(cursor, list) and len(cursor) == 2:
        with contextlib.suppress(ValueError):
            at = datetime.fromisoformat(str(cursor[0]))
            if at.tzinfo is not None:
                return at, str(cursor[1])
    raise InvalidInput("The cursor is not one this API issued.", param="cursor")


def _aware(value: datetime | None, param: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise InvalidInput(f"{param} needs a time zone (e.g. 2025-01-31T12:00:00Z).", param=param)
    return value


async def movements(
    session: AsyncSession, where: MovementFilter, *, limit: int, cursor: object = None
) -> list[StockMovement]:
    """Up to ``limit`` movements newest first, after ``cursor`` (a ``cursor_key``)."""
    since, until = _aware(where.since, "since"), _aware(where.until, "until")
    query = (
        select(StockMovement)
        .where(
            StockMovement.variant_id == where.variant_id,
            StockMovement.location_id == where.location_id,
        )
        .order_by(StockMovement.occurred_at.desc(), StockMovement.id.desc())
        .limit(limit)
    )
    if where.kinds:
        query = query.where(StockMovement.kind.in_(list(where.kinds)))
    if since is not None:
        query = query.where(StockMovement.occurred_at >= since)
    if until is not None:
        query = query.where(StockMovement.occurred_at < until)
    if cursor is not None:
        at, last_id = _after(cursor)
        query = query.where(
            or_(
                StockMovement.occurred_at < at,
                and_(StockMovement.occurred_at == at, StockMovement.id < last_id),
            )
        )
    return list(await session.scalars(query))
