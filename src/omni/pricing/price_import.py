"""Price CSV rows against the database: resolve references, upsert, check tiers, export.

A row names its list by code and its variant by SKU; both are resolved a batch at a
time (one query each). Writing reuses the rules of ``PUT /price-lists/{id}/prices``
(``prices.parse_rows``, ``tier_errors``, ``apply_rows``) so a price is valid by the same
rules however it arrives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict, InvalidInput
from omni.pricing import domain, prices
from omni.pricing.events import PricesChanged
from omni.pricing.models import Price, PriceList
from omni.pricing.price_csv import PriceCsvRow, major_units, minor_units, parse_price_row
from omni.pricing.price_lists import list_for_update

EXPORT_BATCH = 1000
VARIANTS_PER_QUERY = 500

Problem = dict[str, Any]


@dataclass(frozen=True)
class ResolvedPriceRow:
    index: int
    price_list_id: str
    variant_id: str
    min_quantity: int
    amount: int
    compare_at_amount: int | None


@dataclass
class PriceRowsResult:
    created: int = 0
    updated: int = 0
    # Per input row, in order: (price_list_id, variant_id, min_quantity).
    keys: list[tuple[str, str, int]] = field(default_factory=list)


def _problem(index: int, column: str, message: str) -> Problem:
    return {"row": index, "field": column, "message": message}


def _parsed(
    rows: Sequence[Mapping[str, str]],
) -> tuple[list[tuple[int, PriceCsvRow]], list[Problem]]:
    parsed: list[tuple[int, PriceCsvRow]] = []
    problems: list[Problem] = []
    for index, row in enumerate(rows):
        value, errors = parse_price_row(row)
        problems += [_problem(index, e.field, e.message) for e in errors]
        if value is not None:
            parsed.append((index, value))
    return parsed, problems


async def _resolve(
    session: AsyncSession, parsed: list[tuple[int, PriceCsvRow]]
) -> tuple[list[ResolvedPriceRow], list[Problem]]:
    codes = {row.price_list_code for _, row in parsed}
    lists = {
        code: (list_id, currency)
        for code, list_id, currency in await session.execute(
            select(PriceList.code, PriceList.id, PriceList.currency).where(
                PriceList.code.in_(sorted(codes))
            )
        )
    }
    variants = await catalog_api.variant_ids_by_sku(session, {row.sku for _, row in parsed})
    resolved: list[ResolvedPriceRow] = []
    problems: list[Problem] = []
    for index, row in parsed:
        found = lists.get(row.price_list_code)
        variant_id = variants.get(row.sku)
        if found is None:
            problems.append(
                _problem(index, "price_list_code", f"No price list {row.price_list_code!r}.")
            )
        if variant_id is None:
            problems.append(_problem(index, "sku", f"No variant with SKU {row.sku}."))
        if found is None or variant_id is None:
            continue
        amounts = _amounts(index, row, found[1], problems)
        if amounts is not None:
            resolved.append(
                ResolvedPriceRow(index, found[0], variant_id, row.min_quantity, *amounts)
            )
    return resolved, problems


def _amounts(
    index: int, row: PriceCsvRow, currency: str, problems: list[Problem]
) -> tuple[int, int | None] | None:
    try:
        amount = minor_units(row.amount, currency)
    except ValueError as error:
        problems.append(_problem(index, "amount", str(error)))
        return None
    if row.compare_at_amount is None:
        return amount, None
    try:
        return amount, minor_units(row.compare_at_amount, currency)
    except ValueError as error:
        problems.append(_problem(index, "compare_at_amount", str(error)))
        return None


async def check_price_row_references(
    session: AsyncSession, rows: Sequence[Mapping[str, str]]
) -> list[Problem]:
    """Problems only the database can tell (unknown list or SKU, more decimals than the
    list's currency has) of the well-formed rows; ``row`` is the index in ``rows``."""
    parsed, _ = _parsed(rows)
    return (await _resolve(session, parsed))[1]


async def upsert_price_rows(
    uow: UnitOfWork, rows: Sequence[Mapping[str, str]], *, check_tiers: bool = True
) -> PriceRowsResult:
    """Create or replace the prices the rows describe, in the caller's unit of work
    (no commit). Raises ``InvalidInput`` with ``errors=[{row, field, message}]`` (``row``:
    index in ``rows``) when any row is invalid; nothing is changed then."""
    parsed, problems = _parsed(rows)
    resolved, reference_problems = await _resolve(uow.session, parsed)
    problems += reference_problems
    by_list: dict[str, list[ResolvedPriceRow]] = defaultdict(list)
    for row in resolved:
        by_list[row.price_list_id].append(row)
    result = PriceRowsResult()
    if not problems:
        # Lists are locked in id order, so two concurrent imports cannot deadlock.
        for list_id in sorted(by_list):
            problems += await _upsert_list(uow, list_id, by_list[list_id], check_tiers, result)
    if problems:
        raise InvalidInput(
            f"{len({p['row'] for p in problems})} rows are invalid; no price was changed.",
            errors=sorted(problems, key=lambda p: (p["row"], p["field"])),
        )
    try:
        await uow.flush()
    except IntegrityError as error:
        raise Conflict("Another upload changed these prices meanwhile; retry.") from error
    result.keys = [(r.price_list_id, r.variant_id, r.min_quantity) for r in resolved]
    return result


async def _upsert_list(
    uow: UnitOfWork,
    list_id: str,
    rows: list[ResolvedPriceRow],
    check_tiers: bool,
    result: PriceRowsResult,
) -> list[Problem]:
    price_list = await list_for_update(uow, list_id)
    checked, problems = prices.parse_rows(
        [
            {
                "variant_id": row.variant_id,
                "min_quantity": row.min_quantity,
                "amount": row.amount,
                "compare_at_amount": row.compare_at_amount,
            }
            for row in rows
        ]
    )
    variant_ids = sorted({row.variant_id for _, row in checked})
    existing = await prices.existing_rows(uow, list_id, variant_ids)
    if check_tiers:
        problems += prices.tier_errors(checked, existing)
    if problems:
        # parse_rows numbers this list's rows from 0: back to the caller's indexes.
        return [{**p, "row": rows[p["row"]].index} for p in problems]
    created = prices.apply_rows(uow, list_id, [row for _, row in checked], existing)
    price_list.version += 1
    price_list.updated_at = uow.clock.now()
    uow.record(PricesChanged(price_list_id=list_id, variant_ids=variant_ids))
    uow.audit(
        "pricing.prices_upserted",
        "price_list",
        list_id,
        {"created": created, "updated": len(checked) - created, "variants": len(variant_ids)},
    )
    result.created += created
    result.updated += len(checked) - created
    return []


async def price_tier_problems(
    session: AsyncSession, pairs: Iterable[tuple[str, str]]
) -> list[tuple[str, str, int]]:
    """For (price_list_id, variant_id) pairs, the tiers that now cost more per unit than
    a smaller tier of the same list: (price_list_id, variant_id, min_quantity)."""
    by_list: dict[str, set[str]] = defaultdict(set)
    for list_id, variant_id in pairs:
        by_list[list_id].add(variant_id)
    found: list[tuple[str, str, int]] = []
    for list_id in sorted(by_list):
        wanted = sorted(by_list[list_id])
        for start in range(0, len(wanted), VARIANTS_PER_QUERY):
            tiers: dict[str, list[tuple[int, int]]] = defaultdict(list)
            rows = await session.execute(
                select(Price.variant_id, Price.min_quantity, Price.amount).where(
                    Price.price_list_id == list_id,
                    Price.variant_id.in_(wanted[start : start + VARIANTS_PER_QUERY]),
                )
            )
            for variant_id, min_quantity, amount in rows:
                tiers[variant_id].append((min_quantity, amount))
            found += [
                (list_id, variant_id, min_quantity)
                for variant_id, variant_tiers in sorted(tiers.items())
                for min_quantity in domain.tier_problems(variant_tiers)
            ]
    return found


async def price_list_id_by_code(session: AsyncSession, code: str) -> str | None:
    found = await session.scalar(select(PriceList.id).where(PriceList.code == code))
    return None if found is None else str(found)


async def export_price_rows(
    session: AsyncSession, price_list_code: str | None = None
) -> AsyncIterator[dict[str, str]]:
    """Every price (or one list's) as a CSV row, amounts in major units, read in batches.

    A price whose variant no longer exists is left out: it could not be imported back.
    """
    after = ""
    while True:
        query = (
            select(Price, PriceList.code, PriceList.currency)
            .join(PriceList, PriceList.id == Price.price_list_id)
            .where(Price.id > after)
            .order_by(Price.id)
            .limit(EXPORT_BATCH)
        )
        if price_list_code is not None:
            query = query.where(PriceList.code == price_list_code)
        batch = (await session.execute(query)).all()
        if not batch:
            return
        skus = await catalog_api.variant_skus(session, {price.variant_id for price, _, _ in batch})
        for price, code, currency in batch:
            if price.variant_id in skus:
                yield _export_row(price, code, currency, skus[price.variant_id])
        after = batch[-1][0].id


def _export_row(price: Price, code: str, currency: str, sku: str) -> dict[str, str]:
    compare_at = price.compare_at_amount
    return {
        "price_list_code": code,
        "sku": sku,
        "min_quantity": str(price.min_quantity),
        "amount": major_units(price.amount, currency),
        "compare_at_amount": "" if compare_at is None else major_units(compare_at, currency),
    }
