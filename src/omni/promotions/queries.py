"""Read side of promotions: admin lists, and what checkout loads before evaluating."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.http.pagination import PageParams
from omni.promotions import codec
from omni.promotions.domain import CouponUsage, Promotion
from omni.promotions.models import CouponCode, CouponCustomerUse, PromotionRecord
from omni.promotions.redemption import normalized

# The columns the engine needs (never the description).
_ENGINE_COLUMNS = (
    PromotionRecord.id,
    PromotionRecord.name,
    PromotionRecord.currency,
    PromotionRecord.benefit,
    PromotionRecord.conditions,
    PromotionRecord.starts_at,
    PromotionRecord.ends_at,
    PromotionRecord.priority,
    PromotionRecord.stacking,
    PromotionRecord.stacking_group,
)


async def list_promotions(
    session: AsyncSession,
    page: PageParams,
    *,
    active: bool | None = None,
    kind: str | None = None,
    requires_coupon: bool | None = None,
    running_at: datetime | None = None,
) -> list[PromotionRecord]:
    query = select(PromotionRecord).order_by(PromotionRecord.id).limit(page.limit + 1)
    if page.after:
        query = query.where(PromotionRecord.id > str(page.after))
    if active is not None:
        query = query.where(PromotionRecord.active.is_(active))
    if kind is not None:
        query = query.where(PromotionRecord.kind == kind)
    if requires_coupon is not None:
        query = query.where(PromotionRecord.requires_coupon.is_(requires_coupon))
    if running_at is not None:
        query = query.where(*_running(running_at))
    return list(await session.scalars(query))


async def list_coupons(
    session: AsyncSession,
    promotion_id: str,
    page: PageParams,
    *,
    active: bool | None = None,
    exhausted: bool | None = None,
) -> list[CouponCode]:
    query = (
        select(CouponCode)
        .where(CouponCode.promotion_id == promotion_id)
        .order_by(CouponCode.code)
        .limit(page.limit + 1)
    )
    if page.after:
        query = query.where(CouponCode.code > str(page.after))
    if active is not None:
        query = query.where(CouponCode.active.is_(active))
    if exhausted is not None:
        used_up = and_(CouponCode.max_uses.is_not(None), CouponCode.uses >= CouponCode.max_uses)
        query = query.where(used_up if exhausted else ~used_up)
    return list(await session.scalars(query))


def _running(at: datetime) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (
        or_(PromotionRecord.starts_at.is_(None), PromotionRecord.starts_at <= at),
        or_(PromotionRecord.ends_at.is_(None), PromotionRecord.ends_at > at),
    )


async def active_promotions(
    session: AsyncSession, channel_id: str, at: datetime, codes: Iterable[str] = ()
) -> list[Promotion]:
    """See ``omni.promotions.api.active_promotions``."""
    automatic = await session.execute(
        select(*_ENGINE_COLUMNS).where(
            PromotionRecord.active.is_(True),
            PromotionRecord.requires_coupon.is_(False),
            *_running(at),
        )
    )
    found = [
        codec.to_engine(dict(row._mapping))
        for row in automatic
        if _on_channel(row.conditions, channel_id)
    ]
    wanted = normalized(codes)
    if not wanted:
        return found
    # Unlocked promotions come whatever their window and channel, so the engine can say
    # why a code gives nothing (expired, not for this channel) instead of "unknown".
    unlocked = await session.execute(
        select(*_ENGINE_COLUMNS, CouponCode.code)
        .join(CouponCode, CouponCode.promotion_id == PromotionRecord.id)
        .where(
            CouponCode.code.in_(wanted),
            CouponCode.active.is_(True),
            PromotionRecord.active.is_(True),
            PromotionRecord.requires_coupon.is_(True),
        )
    )
    by_promotion: dict[str, tuple[dict[str, object], set[str]]] = {}
    for row in unlocked:
        _, row_codes = by_promotion.setdefault(row.id, (dict(row._mapping), set()))
        row_codes.add(row.code)
    found += [codec.to_engine(values, row_codes) for values, row_codes in by_promotion.values()]
    return found


def _on_channel(conditions: dict[str, object], channel_id: str) -> bool:
    channels = conditions.get("channel_ids") or []
    assert isinstance(channels, list)
    return not channels or channel_id in channels


async def coupon_usage(
    session: AsyncSession, codes: Iterable[str], customer_id: str | None
) -> list[CouponUsage]:
    """See ``omni.promotions.api.coupon_usage``."""
    wanted = normalized(codes)
    if not wanted:
        return []
    query = select(
        CouponCode.code,
        CouponCode.max_uses,
        CouponCode.uses,
        CouponCode.max_uses_per_customer,
        CouponCustomerUse.uses.label("customer_uses"),
    ).where(CouponCode.code.in_(wanted), CouponCode.active.is_(True))
    # A guest matches no counter row (customer_id IS NULL never joins).
    query = query.outerjoin(
        CouponCustomerUse,
        and_(
            CouponCustomerUse.code == CouponCode.code,
            CouponCustomerUse.customer_id == customer_id,
        ),
    )
    return [
        CouponUsage(
            code=row.code,
            exhausted=row.max_uses is not None and row.uses >= row.max_uses,
            used_by_customer=row.max_uses_per_customer is not None
            and (row.customer_uses or 0) >= row.max_uses_per_customer,
        )
        for row in await session.execute(query)
    ]
