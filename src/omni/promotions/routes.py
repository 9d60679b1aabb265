"""HTTP endpoints under /promotions: promotions, their coupon codes, and the dry run."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, Query, Response

from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.etag import parse_if_match, set_etag
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import InvalidInput, NotFound
from omni.promotions import coupons, evaluation, queries, service
from omni.promotions.domain import PromotionKind
from omni.promotions.models import PromotionRecord
from omni.promotions.schemas import (
    CouponBatchIn,
    CouponBatchOut,
    CouponIn,
    CouponOut,
    EvaluateIn,
    EvaluateOut,
    PromotionIn,
    PromotionOut,
    PromotionPatch,
)

router = new_router("/promotions", ["promotions"])
PageDep = Annotated[PageParams, Depends(page_params)]
IfMatch = Annotated[str | None, Header()]


def _out(response: Response, record: PromotionRecord) -> PromotionOut:
    set_etag(response, record.version)
    return PromotionOut.model_validate(record)


@router.get("", summary="List promotions", response_model=Page[PromotionOut])
async def list_promotions(
    session: ReaderDep,
    page: PageDep,
    active: bool | None = None,
    kind: PromotionKind | None = None,
    requires_coupon: bool | None = None,
    running_at: Annotated[
        datetime | None, Query(description="Only promotions whose window contains this time")
    ] = None,
    actor: Actor = Access("promotions.read"),
) -> Page[PromotionOut]:
    if running_at is not None and running_at.tzinfo is None:
        raise InvalidInput("running_at needs a time zone.", param="running_at")
    rows = await queries.list_promotions(
        session,
        page,
        active=active,
        kind=None if kind is None else kind.value,
        requires_coupon=requires_coupon,
        running_at=running_at,
    )
    return make_page([PromotionOut.model_validate(r) for r in rows], page, key=lambda r: r.id)


@router.post("", summary="Create a promotion", status_code=201, response_model=PromotionOut)
async def create_promotion(
    body: PromotionIn, db: DbDep, response: Response, actor: Actor = Access("promotions.write")
) -> PromotionOut:
    record = await service.create_promotion(db.uow(actor), body)
    response.headers["Location"] = f"/api/v1/promotions/{record.id}"
    return _out(response, record)


@router.post(
    "/evaluate",
    summary="Dry run: discount a basket priced by the server, as checkout would",
    response_model=EvaluateOut,
)
async def evaluate(
    body: EvaluateIn, db: DbDep, session: ReaderDep, actor: Actor = Access("promotions.read")
) -> EvaluateOut:
    at = body.at or db.clock.now()
    result = await evaluation.dry_run(session, body, at)
    return EvaluateOut.model_validate({"channel_id": body.channel_id, "at": at, **result.as_dict()})


@router.get("/{promotion_id}", summary="A promotion", response_model=PromotionOut)
async def get_promotion(
    promotion_id: str,
    session: ReaderDep,
    response: Response,
    actor: Actor = Access("promotions.read"),
) -> PromotionOut:
    record = await session.get(PromotionRecord, promotion_id)
    if record is None:
        raise NotFound("No such promotion.")
    return _out(response, record)


@router.patch("/{promotion_id}", summary="Change a promotion", response_model=PromotionOut)
async def update_promotion(
    promotion_id: str,
    body: PromotionPatch,
    db: DbDep,
    response: Response,
    if_match: IfMatch = None,
    actor: Actor = Access("promotions.write"),
) -> PromotionOut:
    record = await service.update_promotion(
        db.uow(actor), promotion_id, body, if_match=parse_if_match(if_match)
    )
    return _out(response, record)


@router.post(
    "/{promotion_id}/deactivate",
    summary="Stop a promotion applying (kept for history; PATCH active=true resumes it)",
    response_model=PromotionOut,
)
async def deactivate_promotion(
    promotion_id: str,
    db: DbDep,
    response: Response,
    if_match: IfMatch = None,
    actor: Actor = Access("promotions.write"),
) -> PromotionOut:
    record = await service.deactivate_promotion(
        db.uow(actor), promotion_id, if_match=parse_if_match(if_match)
    )
    return _out(response, record)


@router.get(
    "/{promotion_id}/coupons",
    summary="The coupon codes of a promotion (codes are worth money: writers only)",
    response_model=Page[CouponOut],
)
async def list_coupons(
    promotion_id: str,
    session: ReaderDep,
    page: PageDep,
    active: bool | None = None,
    exhausted: bool | None = None,
    actor: Actor = Access("promotions.write"),
) -> Page[CouponOut]:
    if await session.get(PromotionRecord, promotion_id) is None:
        raise NotFound("No such promotion.")
    rows = await queries.list_coupons(
        session, promotion_id, page, active=active, exhausted=exhausted
    )
    return make_page([CouponOut.model_validate(r) for r in rows], page, key=lambda r: r.code)


@router.post(
    "/{promotion_id}/coupons",
    summary="Add one coupon code",
    status_code=201,
    response_model=CouponOut,
)
async def create_coupon(
    promotion_id: str, body: CouponIn, db: DbDep, actor: Actor = Access("promotions.write")
) -> CouponOut:
    coupon = await coupons.create_coupon(db.uow(actor), promotion_id, body)
    return CouponOut.model_validate(coupon)


@router.post(
    "/{promotion_id}/coupons/batch",
    summary="Generate up to 50,000 unique random codes at once (all or none)",
    status_code=201,
    response_model=CouponBatchOut,
    # A retried batch must not mint a second batch of codes worth money.
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def generate_coupons(
    promotion_id: str, body: CouponBatchIn, db: DbDep, actor: Actor = Access("promotions.write")
) -> CouponBatchOut:
    codes = await coupons.generate_coupons(db.uow(actor), promotion_id, body)
    return CouponBatchOut(
        promotion_id=promotion_id,
        created=len(codes),
        max_uses=body.max_uses,
        max_uses_per_customer=body.max_uses_per_customer,
        codes=codes,
    )


@router.post(
    "/{promotion_id}/coupons/{code}/deactivate",
    summary="Deactivate one coupon code (e.g. it leaked)",
    response_model=CouponOut,
)
async def deactivate_coupon(
    promotion_id: str, code: str, db: DbDep, actor: Actor = Access("promotions.write")
) -> CouponOut:
    coupon = await coupons.deactivate_coupon(db.uow(actor), promotion_id, code)
    return CouponOut.model_validate(coupon)
