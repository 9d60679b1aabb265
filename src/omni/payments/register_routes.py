"""HTTP endpoints under /registers (PAY4): open and close till sessions, cash movements,
the end-of-day report. ``registers.operate`` (associates, store managers); store staff
act only at their stores — other stores' sessions and reports answer 404. Every
money-changing POST takes an Idempotency-Key; every body is scanned for card data."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, Query, Response

from omni.db.database import Database
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound
from omni.payments import register_queries, registers
from omni.payments.body_guard import guard_router
from omni.payments.register_schemas import (
    CloseSessionIn,
    EndOfDayOut,
    MovementIn,
    OpenSessionIn,
    SessionDetailOut,
    SessionOut,
    end_of_day_out,
    session_detail,
    session_out,
)
from omni.payments.schemas import money
from omni.permissions import can_act_in_store, is_store_scoped

router = guard_router(new_router("/registers", ["registers"]))
PageDep = Annotated[PageParams, Depends(page_params)]
OPERATE = "registers.operate"


async def _detail(db: Database, actor: Actor, session_id: str) -> SessionDetailOut:
    async with db.reader() as session:
        found = await register_queries.get_session(session, session_id)
    if found is None or not can_act_in_store(actor, found[0].location_id):
        raise NotFound(registers.NOT_FOUND)
    return session_detail(*found)


@router.post(
    "/sessions",
    summary="Open a till with its opening float",
    status_code=201,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def open_session(
    body: OpenSessionIn, db: DbDep, response: Response, actor: Actor = Access(OPERATE)
) -> SessionDetailOut:
    session_id = await registers.open_session(
        db.uow(actor),
        body.location_id,
        body.register_id,
        money(body.opening_float, body.currency),
        note=body.note,
    )
    response.headers["Location"] = f"/api/v1{router.prefix}/sessions/{session_id}"
    return await _detail(db, actor, session_id)


@router.get("/sessions", summary="Till sessions, newest first")
async def list_sessions(
    session: ReaderDep,
    page: PageDep,
    location_id: Annotated[str | None, Query(max_length=32)] = None,
    status: Literal["open", "closed"] | None = None,
    business_date: date | None = None,
    actor: Actor = Access(OPERATE),
) -> Page[SessionOut]:
    views = await register_queries.list_sessions(
        session,
        page,
        location_id=location_id,
        status=status,
        business_date=business_date,
        only_locations=actor.store_ids if is_store_scoped(actor) else None,
    )
    return make_page([session_out(v) for v in views], page, key=lambda s: s.id)


@router.get("/sessions/{session_id}", summary="A till session with its cash movements")
async def get_session(
    session_id: str, db: DbDep, actor: Actor = Access(OPERATE)
) -> SessionDetailOut:
    return await _detail(db, actor, session_id)


@router.post(
    "/sessions/{session_id}/movements",
    summary="Pay-in, pay-out or drop to the safe, with a reason",
    status_code=201,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def record_movement(
    session_id: str, body: MovementIn, db: DbDep, actor: Actor = Access(OPERATE)
) -> SessionDetailOut:
    current = await _detail(db, actor, session_id)
    await registers.record_movement(
        db.uow(actor),
        session_id,
        body.kind,
        money(body.amount, current.currency),
        body.reason,
    )
    return await _detail(db, actor, session_id)


@router.post(
    "/sessions/{session_id}/close",
    summary="Close with the counted cash: expected, counted, over/short",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def close_session(
    session_id: str, body: CloseSessionIn, db: DbDep, actor: Actor = Access(OPERATE)
) -> SessionDetailOut:
    current = await _detail(db, actor, session_id)
    await registers.close_session(
        db.uow(actor), session_id, money(body.counted, current.currency), note=body.note
    )
    return await _detail(db, actor, session_id)


@router.get("/reports/end-of-day", summary="A store's day: sessions, tenders, over/short")
async def end_of_day(
    session: ReaderDep,
    location_id: Annotated[str, Query(max_length=32)],
    business_date: Annotated[date, Query(alias="date")],
    actor: Actor = Access(OPERATE),
) -> EndOfDayOut:
    if not can_act_in_store(actor, location_id):
        raise NotFound("No such location.")
    report = await register_queries.end_of_day(session, location_id, business_date)
    if report is None:
        raise NotFound("No such location.")
    return end_of_day_out(report)
