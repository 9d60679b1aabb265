"""What other modules may call in the pricing module.

``resolve_prices`` is the one way any channel (web, app, POS, call center, orders) prices
a variant, so a product costs the same wherever the rules say it should.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.pricing.domain import (
    CandidatePrice,
    PriceListTerms,
    PricingContext,
    ResolvedPrice,
    resolve,
)
from omni.pricing.models import Price, PriceList
from omni.pricing.price_csv import (
    PRICE_CSV_COLUMNS,
    REQUIRED_PRICE_COLUMNS,
    PriceRowError,
    parse_price_row,
)
from omni.pricing.price_import import (
    PriceRowsResult,
    check_price_row_references,
    export_price_rows,
    price_list_id_by_code,
    price_tier_problems,
    upsert_price_rows,
)

__all__ = [
    "PRICE_CSV_COLUMNS",
    "REQUIRED_PRICE_COLUMNS",
    "PriceRowError",
    "PriceRowsResult",
    "PricingContext",
    "ResolvedPrice",
    "check_price_row_references",
    "export_price_rows",
    "price_list_exists",
    "price_list_id_by_code",
    "price_tier_problems",
    "resolve_prices",
    "upsert_price_rows",
    "validate_price_row",
]


async def resolve_prices(
    session: AsyncSession, variant_ids: Iterable[str], context: PricingContext
) -> dict[str, ResolvedPrice | None]:
    """The price of each variant in ``context`` (None: no list prices it there).

    One SQL query fetches every candidate row of every variant (narrowed by currency,
    activity, validity and quantity); the pure ``pricing.domain.resolve`` then applies
    the channel, segment and tier rules and picks the winner. It does not check that the
    variants are sellable: callers facing shoppers do that through ``catalog.api``.
    """
    wanted = sorted(set(variant_ids))
    if not wanted:
        return {}
    rows = await session.execute(_candidates_query(wanted, context))
    candidates: dict[str, list[CandidatePrice]] = {variant_id: [] for variant_id in wanted}
    for row in rows:
        candidates[row.variant_id].append(_candidate(row))
    return {variant_id: resolve(found, context) for variant_id, found in candidates.items()}


def _candidates_query(variant_ids: list[str], context: PricingContext) -> Any:
    at = context.at
    return (
        select(
            Price.variant_id,
            Price.min_quantity,
            Price.amount,
            Price.compare_at_amount,
            PriceList.id.label("list_id"),
            PriceList.code,
            PriceList.currency,
            PriceList.priority,
            PriceList.channel_ids,
            PriceList.customer_segment,
            PriceList.loyalty_tier,
            PriceList.valid_from,
            PriceList.valid_to,
            PriceList.active,
            PriceList.prices_include_tax,
        )
        .join(PriceList, PriceList.id == Price.price_list_id)
        .where(
            Price.variant_id.in_(variant_ids),
            Price.min_quantity <= context.quantity,
            PriceList.active.is_(True),
            PriceList.currency == context.currency,
            or_(PriceList.valid_from.is_(None), PriceList.valid_from <= at),
            or_(PriceList.valid_to.is_(None), PriceList.valid_to > at),
        )
    )


def _candidate(row: Any) -> CandidatePrice:
    terms = PriceListTerms(
        id=row.list_id,
        code=row.code,
        currency=row.currency,
        priority=row.priority,
        channel_ids=frozenset(row.channel_ids or ()),
        customer_segment=row.customer_segment,
        loyalty_tier=row.loyalty_tier,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        active=row.active,
        prices_include_tax=row.prices_include_tax,
    )
    return CandidatePrice(
        terms=terms,
        variant_id=row.variant_id,
        amount=row.amount,
        min_quantity=row.min_quantity,
        compare_at_amount=row.compare_at_amount,
    )


async def price_list_exists(session: AsyncSession, price_list_id: str) -> bool:
    found = await session.scalar(select(PriceList.id).where(PriceList.id == price_list_id))
    return found is not None


def validate_price_row(row: Mapping[str, str]) -> list[PriceRowError]:
    """Every problem of one price CSV row (see ``PRICE_CSV_COLUMNS``) that needs no
    database; empty means well-formed. ``check_price_row_references`` does the rest
    (the list and SKU exist, the amount fits the list's currency), and
    ``upsert_price_rows`` checks it all again with the quantity-tier rule."""
    return parse_price_row(row)[1]
