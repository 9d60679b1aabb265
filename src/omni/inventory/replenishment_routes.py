"""HTTP endpoints: /inventory/replenishment (INV10).

Rules: reading needs ``inventory.read``; setting or removing them ``inventory.write``
(planners, anywhere) or ``inventory.write_own`` (store managers, for their stores).
Plans: reading needs ``inventory.read``; planning, accepting and dismissing are the
planner's (``inventory.write``). Accepting drafts purchase orders and transfers, so it
takes an Idempotency-Key: a retried "accept" must not order twice.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response

from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.inventory import replenishment, replenishment_decisions, replenishment_rules
from omni.inventory.replenishment_queries import (
    SuggestionFilter,
    get_plan,
    list_plans,
    list_suggestions,
)
from omni.inventory.replenishment_schemas import (
    AcceptIn,
    AcceptOut,
    DismissIn,
    DismissOut,
    PlanIn,
    PlanOut,
    PlanSummaryOut,
    RuleOut,
    RulesIn,
    RulesOut,
    SuggestionOut,
)
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound

router = new_router("/inventory/replenishment", ["replenishment"])
PageDep = Annotated[PageParams, Depends(page_params)]
READ, PLAN = "inventory.read", "inventory.write"
RULE_WRITERS = ("inventory.write", "inventory.write_own")
IdQuery = Annotated[str | None, Query(max_length=32)]


@router.put("/rules", summary="Create or replace rules (one per variant x location)")
async def put_rules(
    body: RulesIn, db: DbDep, actor: Actor = Access(any_of=RULE_WRITERS)
) -> RulesOut:
    ids = await replenishment_rules.set_rules(
        db.uow(actor), [rule.as_rule() for rule in body.rules]
    )
    return RulesOut(ids=ids)


@router.get("/rules", summary="Rules, optionally of one location or variant")
async def get_rules(
    session: ReaderDep,
    page: PageDep,
    location_id: IdQuery = None,
    variant_id: IdQuery = None,
    actor: Actor = Access(READ),
) -> Page[RuleOut]:
    rows = await replenishment_rules.list_rules(
        session,
        location_id=location_id,
        variant_id=variant_id,
        after=page.after,
        limit=page.limit + 1,
    )
    return make_page([RuleOut.of(row) for row in rows], page, lambda rule: rule.id)


@router.delete("/rules/{rule_id}", summary="Remove a rule", status_code=204)
async def delete_rule(
    rule_id: str, db: DbDep, actor: Actor = Access(any_of=RULE_WRITERS)
) -> Response:
    await replenishment_rules.delete_rule(db.uow(actor), rule_id)
    return Response(status_code=204)


@router.post(
    "/plans",
    summary="Plan: forecast demand and suggest purchase orders and transfers",
    status_code=201,
)
async def create_plan(
    body: PlanIn, db: DbDep, response: Response, actor: Actor = Access(PLAN)
) -> PlanOut:
    request = replenishment.PlanRequest(body.location_ids, body.history_days, body.evaluate)
    plan_id = await replenishment.plan_replenishment(db, actor, request)
    response.headers["Location"] = f"{router.prefix}/plans/{plan_id}"
    async with db.reader() as session:
        view = await get_plan(session, plan_id)
    assert view is not None  # just written
    return PlanOut.of(view)


@router.get("/plans", summary="Plans, newest first")
async def get_plans(
    session: ReaderDep, page: PageDep, actor: Actor = Access(READ)
) -> Page[PlanSummaryOut]:
    rows = await list_plans(session, before=page.after, limit=page.limit + 1)
    return make_page([PlanSummaryOut.of(row) for row in rows], page, lambda plan: plan.id)


@router.get("/plans/{plan_id}", summary="A plan, its forecast figures and suggestion counts")
async def get_one_plan(plan_id: str, session: ReaderDep, actor: Actor = Access(READ)) -> PlanOut:
    view = await get_plan(session, plan_id)
    if view is None:
        raise NotFound(replenishment_decisions.PLAN_NOT_FOUND)
    return PlanOut.of(view)


@router.get("/plans/{plan_id}/suggestions", summary="A plan's suggestions")
async def get_suggestions(
    plan_id: str,
    session: ReaderDep,
    page: PageDep,
    status: Annotated[str | None, Query(pattern="^(suggested|accepted|dismissed)$")] = None,
    kind: Annotated[str | None, Query(pattern="^(purchase|transfer|rebalance)$")] = None,
    location_id: IdQuery = None,
    actor: Actor = Access(READ),
) -> Page[SuggestionOut]:
    if await get_plan(session, plan_id) is None:
        raise NotFound(replenishment_decisions.PLAN_NOT_FOUND)
    where = SuggestionFilter(status=status, kind=kind, location_id=location_id)
    rows = await list_suggestions(session, plan_id, where, after=page.after, limit=page.limit + 1)
    return make_page([SuggestionOut.of(row) for row in rows], page, lambda s: s.id)


@router.post(
    "/plans/{plan_id}/accept",
    summary="Accept suggestions: draft purchase orders and transfers from them",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def accept(
    plan_id: str, db: DbDep, body: AcceptIn | None = None, actor: Actor = Access(PLAN)
) -> AcceptOut:
    chosen = (body or AcceptIn()).suggestions
    picks = (
        None if chosen is None else [replenishment_decisions.Pick(p.id, p.quantity) for p in chosen]
    )
    done = await replenishment_decisions.accept(db.uow(actor), plan_id, picks)
    return AcceptOut(purchase_order_ids=done.purchase_order_ids, transfer_ids=done.transfer_ids)


@router.post("/plans/{plan_id}/dismiss", summary="Dismiss suggestions")
async def dismiss(
    plan_id: str, body: DismissIn, db: DbDep, actor: Actor = Access(PLAN)
) -> DismissOut:
    count = await replenishment_decisions.dismiss(db.uow(actor), plan_id, body.suggestion_ids)
    return DismissOut(dismissed=count)
