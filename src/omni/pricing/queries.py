"""Read side of pricing: lists of price lists and of a list's prices."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.http.pagination import PageParams
from omni.pricing.models import Price, PriceList


async def list_price_lists(
    session: AsyncSession,
    page: PageParams,
    *,
    active: bool | None = None,
    currency: str | None = None,
) -> list[PriceList]:
    query = select(PriceList).order_by(PriceList.id).limit(page.limit + 1)
    if page.after:
        query = query.where(PriceList.id > str(page.after))
    if active is not None:
        query = query.where(PriceList.active.is_(active))
    if currency is not None:
        query = query.where(PriceList.currency == currency.upper())
    return list(await session.scalars(query))


async def list_prices(
    session: AsyncSession, price_list_id: str, page: PageParams, *, variant_id: str | None = None
) -> list[Price]:
    query = (
        select(Price)
        .where(Price.price_list_id == price_list_id)
        .order_by(Price.id)
        .limit(page.limit + 1)
    )
    if page.after:
        query = query.where(Price.id > str(page.after))
    if variant_id is not None:
        query = query.where(Price.variant_id == variant_id)
    return list(await session.scalars(query))
