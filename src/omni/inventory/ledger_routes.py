"""HTTP reads of the ledger (INV2): the movements of a SKU at a location, the position
at a past moment with the movements that explain it, and the admin check that every
level equals the sum of its movements."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.http.deps import Access, ReaderDep
from omni.http.pagination import Page, PageParams, encode_cursor, page_params
from omni.http.router import new_router
from omni.inventory import history, queries
from omni.inventory.domain import MovementKind
from omni.inventory.schemas import (
    LedgerCheckOut,
    MismatchOut,
    MovementOut,
    PositionOut,
    StateFigures,
)
from omni.kernel.actor import Actor
from omni.kernel.errors import InvalidInput, NotFound
from omni.locations import api as locations_api

router = new_router("/inventory", ["inventory"])
PageDep = Annotated[PageParams, Depends(page_params)]
READ = "inventory.read"


async def _pair_or_404(session: AsyncSession, variant_id: str, location_id: str) -> None:
    if not await catalog_api.variant_exists(session, variant_id):
        raise NotFound("No such variant.", variant_id=variant_id)
    if not await locations_api.location_exists(session, location_id):
        raise NotFound("No such location.", location_id=location_id)


@router.get(
    "/variants/{variant_id}/locations/{location_id}/movements",
    summary="Ledger movements of a SKU at a location, newest first",
    response_model=Page[MovementOut],
)
async def list_movements(
    variant_id: str,
    location_id: str,
    session: ReaderDep,
    page: PageDep,
    kind: Annotated[list[MovementKind] | None, Query(description="Repeat to keep several")] = None,
    since: Annotated[datetime | None, Query(description="From this time (inclusive)")] = None,
    until: Annotated[datetime | None, Query(description="Before this time")] = None,
    actor: Actor = Access(READ),
) -> Page[MovementOut]:
    await _pair_or_404(session, variant_id, location_id)
    where = history.MovementFilter(
        variant_id, location_id, [k.value for k in kind or []], since, until
    )
    rows = await history.movements(session, where, limit=page.limit + 1, cursor=page.after)
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return Page[MovementOut](
        items=[MovementOut.model_validate(row) for row in rows],
        next_cursor=encode_cursor(history.cursor_key(rows[-1])) if more and rows else None,
    )


@router.get(
    "/variants/{variant_id}/locations/{location_id}/position",
    summary="On hand (and every state) at a moment, with the movements that explain it",
    response_model=PositionOut,
)
async def position(
    variant_id: str,
    location_id: str,
    session: ReaderDep,
    at: Annotated[datetime, Query(description="An instant with a time zone")],
    actor: Actor = Access(READ),
) -> PositionOut:
    if at.tzinfo is None:
        raise InvalidInput("at needs a time zone (e.g. 2025-01-31T12:00:00Z).", param="at")
    await _pair_or_404(session, variant_id, location_id)
    figures, movements = await queries.position_at(session, variant_id, location_id, at)
    return PositionOut(
        variant_id=variant_id,
        location_id=location_id,
        at=at,
        on_hand=figures.on_hand,
        reserved=figures.reserved,
        incoming=figures.incoming,
        unsellable=figures.unsellable,
        movements=[MovementOut.model_validate(m) for m in movements],
    )


def _figures(values: tuple[int, int, int, int]) -> StateFigures:
    on_hand, reserved, incoming, unsellable = values
    return StateFigures(
        on_hand=on_hand, reserved=reserved, incoming=incoming, unsellable=unsellable
    )


@router.get(
    "/ledger/check",
    summary="Levels that differ from the sum of their movements (must be none)",
    response_model=LedgerCheckOut,
)
async def check_ledger(session: ReaderDep, actor: Actor = Access("audit.read")) -> LedgerCheckOut:
    found = await queries.ledger_mismatches(session)
    return LedgerCheckOut(
        balanced=not found,
        mismatches=[
            MismatchOut(
                variant_id=m.variant_id,
                location_id=m.location_id,
                level=_figures(m.level),
                ledger=_figures(m.ledger),
            )
            for m in found
        ],
    )
