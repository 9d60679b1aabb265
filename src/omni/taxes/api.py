"""What other modules may call in the taxes module (checkout, orders, carts).

Checkout, after the promotion engine::

    region = taxes_api.region_for_address(address.country, address.region)  # or the
    # channel's tax_region for a store sale
    lines = [TaxableLine(line.line_id, line.total, variant.tax_class) for ...]
    quote = await taxes_api.quote(session, region, lines, result.shipping_total,
                                  currency, prices_include_tax, at=uow.clock.now())

Use ``DiscountedLine.total`` (after every discount) per line and
``PromotionResult.shipping_total``; ``prices_include_tax`` comes from the price list the
prices were resolved from (``ResolvedPrice.prices_include_tax``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from omni.kernel.money import Money
from omni.taxes import queries
from omni.taxes.codes import region_for_address
from omni.taxes.domain import (
    RoundingLevel,
    TableTaxProvider,
    TaxableLine,
    TaxProvider,
    TaxQuote,
    TaxRate,
    TaxRegion,
    TaxRequest,
    UnknownTaxRate,
    UnknownTaxRegion,
)
from omni.taxes.models import TaxRegionRecord

__all__ = [
    "RoundingLevel",
    "TableTaxProvider",
    "TaxProvider",
    "TaxQuote",
    "TaxRegion",
    "TaxRequest",
    "TaxableLine",
    "UnknownTaxRate",
    "UnknownTaxRegion",
    "load_region",
    "quote",
    "region_exists",
    "region_for_address",
]


async def region_exists(session: AsyncSession, code: str) -> bool:
    """Whether a tax region with this code (``US-NY``, ``DE``) is configured."""
    return await session.get(TaxRegionRecord, code.strip().upper()) is not None


async def load_region(
    session: AsyncSession, code: str, at: datetime
) -> tuple[TaxRegion, bool] | None:
    """The region as the tax engine sees it — with the rates in force at ``at`` — and
    whether its prices include tax by default; None if no such region. Two queries."""
    record = await session.get(TaxRegionRecord, code.strip().upper())
    if record is None:
        return None
    rates = (await queries.rates_of(session, [record.code], at=at))[record.code]
    region = TaxRegion(
        code=record.code,
        rates=tuple(TaxRate(r.tax_class, Decimal(r.percent), r.name) for r in rates),
        shipping_tax_class=record.shipping_tax_class,
        rounding=RoundingLevel(record.rounding),
    )
    return region, record.prices_include_tax


async def quote(
    session: AsyncSession,
    region_code: str,
    request_lines: Sequence[TaxableLine],
    shipping: Money | None,
    currency: str,
    prices_include_tax: bool | None = None,
    *,
    at: datetime | None = None,
) -> TaxQuote:
    """The tax of a basket in ``region_code`` from the configured table (two queries).

    - ``request_lines``: one ``TaxableLine(line_id, amount, tax_class)`` per line, the
      amount after every discount, in ``currency`` (``VariantInfo.tax_class`` from the
      catalog gives the class);
    - ``shipping``: the shipping charge after its discount, taxed at the region's
      ``shipping_tax_class``; None when nothing is shipped;
    - ``prices_include_tax``: whether the amounts include tax (from the price list);
      None takes the region's default;
    - ``at``: when the rates must be in force — pass the unit of work's clock
      (``uow.clock.now()``); None is the system time.

    Raises ``UnknownTaxRegion`` (422, code ``tax_region_unknown``) when the region is not
    configured, and ``UnknownTaxRate`` (422, ``tax_rate_unknown``) when a line's class
    (or the shipping class) has no rate in force there — never a silent 0 %.
    ``ValueError`` for amounts in another currency (a programming error).
    """
    loaded = await load_region(session, region_code, at or datetime.now(UTC))
    if loaded is None:
        raise UnknownTaxRegion(
            f"No tax rates are configured for region {region_code}.", region=region_code
        )
    region, region_includes_tax = loaded
    request = TaxRequest(
        currency=currency,
        region=region.code,
        lines=tuple(request_lines),
        prices_include_tax=region_includes_tax
        if prices_include_tax is None
        else prices_include_tax,
        shipping=shipping,
    )
    return TableTaxProvider([region]).quote(request)
