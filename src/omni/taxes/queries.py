"""Read side of taxes: regions with their rates, and the rates in force at a time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.http.pagination import PageParams
from omni.taxes.models import TaxRateRecord, TaxRegionRecord


async def list_regions(session: AsyncSession, page: PageParams) -> list[TaxRegionRecord]:
    query = select(TaxRegionRecord).order_by(TaxRegionRecord.code).limit(page.limit + 1)
    if page.after:
        query = query.where(TaxRegionRecord.code > str(page.after))
    return list(await session.scalars(query))


async def rates_of(
    session: AsyncSession, region_codes: list[str], *, at: datetime | None = None
) -> dict[str, list[TaxRateRecord]]:
    """The regions' rates (only those in force at ``at`` when given), in one query."""
    if not region_codes:
        return {}
    query = (
        select(TaxRateRecord)
        .where(TaxRateRecord.region_code.in_(region_codes))
        .order_by(TaxRateRecord.tax_class, TaxRateRecord.valid_from, TaxRateRecord.id)
    )
    if at is not None:
        query = query.where(
            or_(TaxRateRecord.valid_from.is_(None), TaxRateRecord.valid_from <= at),
            or_(TaxRateRecord.valid_to.is_(None), TaxRateRecord.valid_to > at),
        )
    found: dict[str, list[TaxRateRecord]] = {code: [] for code in region_codes}
    for rate in await session.scalars(query):
        found[rate.region_code].append(rate)
    return found
