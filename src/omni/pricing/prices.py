"""Use cases: bulk upsert of a list's prices (all or nothing) and removal of one row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from omni.catalog import api as catalog_api
from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict, InvalidInput, NotFound
from omni.kernel.ids import new_id
from omni.pricing import domain
from omni.pricing.events import PricesChanged
from omni.pricing.models import Price
from omni.pricing.price_lists import list_for_update
from omni.pricing.schemas import PriceRowIn

_ROW = TypeAdapter(PriceRowIn)


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int
    version: int


def _row_errors(index: int, error: ValidationError) -> list[dict[str, Any]]:
    return [
        {
            "row": index,
            "field": ".".join(str(part) for part in problem["loc"]) or "row",
            "message": problem["msg"],
        }
        for problem in error.errors()
    ]


Indexed = list[tuple[int, PriceRowIn]]


def parse_rows(raw_rows: Sequence[dict[str, Any]]) -> tuple[Indexed, list[dict[str, Any]]]:
    """Each row checked on its own, so one answer lists every bad row by its index."""
    rows: Indexed = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[str, int], int] = {}
    for index, raw in enumerate(raw_rows):
        try:
            row = _ROW.validate_python(raw)
        except ValidationError as error:
            errors += _row_errors(index, error)
            continue
        key = (row.variant_id, row.min_quantity)
        if key in seen:
            errors.append(
                {
                    "row": index,
                    "field": "min_quantity",
                    "message": f"Same variant and min_quantity as row {seen[key]}.",
                }
            )
        seen[key] = index
        rows.append((index, row))
    return rows, errors


async def upsert_prices(
    uow: UnitOfWork, price_list_id: str, raw_rows: Sequence[dict[str, Any]]
) -> UpsertResult:
    """Create or replace rows keyed by (variant, min_quantity); every row or none.

    Invalid rows raise ``InvalidInput`` with ``errors=[{row, field, message}]``.
    """
    rows, errors = parse_rows(raw_rows)
    async with uow:
        price_list = await list_for_update(uow, price_list_id)
        variant_ids = sorted({row.variant_id for _, row in rows})
        known = await catalog_api.get_variants(uow.session, variant_ids)
        errors += [
            {"row": index, "field": "variant_id", "message": "Unknown variant."}
            for index, row in rows
            if row.variant_id not in known
        ]
        existing = await existing_rows(uow, price_list.id, variant_ids)
        errors += tier_errors(rows, existing)
        if errors:
            raise InvalidInput(
                f"{len({e['row'] for e in errors})} rows are invalid; no price was changed.",
                errors=sorted(errors, key=lambda e: (e["row"], e["field"])),
            )
        created = apply_rows(uow, price_list.id, [row for _, row in rows], existing)
        price_list.version += 1
        price_list.updated_at = uow.clock.now()
        try:
            await uow.flush()
        except IntegrityError as error:
            raise Conflict("Another upload changed these prices meanwhile; retry.") from error
        uow.record(PricesChanged(price_list_id=price_list.id, variant_ids=variant_ids))
        uow.audit(
            "pricing.prices_upserted",
            "price_list",
            price_list.id,
            {"created": created, "updated": len(rows) - created, "variants": len(variant_ids)},
        )
        version = price_list.version
        await uow.commit()
    return UpsertResult(created=created, updated=len(rows) - created, version=version)


async def existing_rows(
    uow: UnitOfWork, price_list_id: str, variant_ids: list[str]
) -> dict[tuple[str, int], Price]:
    if not variant_ids:
        return {}
    found = await uow.session.scalars(
        select(Price).where(Price.price_list_id == price_list_id, Price.variant_id.in_(variant_ids))
    )
    return {(p.variant_id, p.min_quantity): p for p in found}


def tier_errors(rows: Indexed, existing: dict[tuple[str, int], Price]) -> list[dict[str, Any]]:
    """Quantity tiers after the upload must never make more units cost more per unit."""
    tiers: dict[str, dict[int, int]] = defaultdict(dict)
    for (variant_id, min_quantity), price in existing.items():
        tiers[variant_id][min_quantity] = price.amount
    sent: dict[tuple[str, int], int] = {}
    for index, row in rows:
        tiers[row.variant_id][row.min_quantity] = row.amount
        sent[(row.variant_id, row.min_quantity)] = index
    errors = []
    for variant_id, by_quantity in tiers.items():
        for min_quantity in domain.tier_problems(by_quantity.items()):
            # An untouched stored tier may be the dearer one: blame the variant's first row.
            first = min(i for (v, _), i in sent.items() if v == variant_id)
            errors.append(
                {
                    "row": sent.get((variant_id, min_quantity), first),
                    "field": "amount",
                    "message": f"From {min_quantity} units the unit price would be higher "
                    "than for fewer units.",
                }
            )
    return errors


def apply_rows(
    uow: UnitOfWork,
    price_list_id: str,
    rows: list[PriceRowIn],
    existing: dict[tuple[str, int], Price],
) -> int:
    now = uow.clock.now()
    created = 0
    for row in rows:
        price = existing.get((row.variant_id, row.min_quantity))
        if price is None:
            created += 1
            price = Price(
                id=new_id("prc"),
                price_list_id=price_list_id,
                variant_id=row.variant_id,
                min_quantity=row.min_quantity,
            )
            uow.session.add(price)
        price.amount = row.amount
        price.compare_at_amount = row.compare_at_amount
        price.updated_at = now
    return created


async def delete_price(uow: UnitOfWork, price_list_id: str, price_id: str) -> None:
    async with uow:
        price_list = await list_for_update(uow, price_list_id)
        price = await uow.session.get(Price, price_id)
        if price is None or price.price_list_id != price_list.id:
            raise NotFound("No such price in this list.")
        await uow.session.delete(price)
        price_list.version += 1
        price_list.updated_at = uow.clock.now()
        uow.record(PricesChanged(price_list_id=price_list.id, variant_ids=[price.variant_id]))
        uow.audit(
            "pricing.price_deleted",
            "price_list",
            price_list.id,
            {"variant_id": price.variant_id, "min_quantity": price.min_quantity},
        )
        await uow.commit()
