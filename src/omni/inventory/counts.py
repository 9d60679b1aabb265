"""Cycle counts (INV8): open → submitted → posted, or cancelled before posting.

A count covers a list of variants at one location, or "everything with stock here".
Associates submit what they counted as often as they like while it is open — two
people counting two shelves of the same item add up. Posting corrects on hand to the
counted quantity against on hand *at posting* (``count_correction`` movements) and
fixes the figures behind the accuracy reports: system quantity and difference per
line, and per count the lines counted, lines wrong and units off.

A listed variant nobody counted was looked for and not found: it posts as zero. In an
"everything" count so does any variant with stock here that no one counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.db.uow import UnitOfWork
from omni.inventory.document_events import CountPosted
from omni.inventory.document_rules import COUNT_ACTIONS, Accuracy, CountStatus, accuracy_of
from omni.inventory.document_stock import set_on_hand
from omni.inventory.document_store import (
    check_locations,
    check_variants,
    claim,
    ensure_acts_at,
    set_status,
)
from omni.inventory.documents import Count, CountLine
from omni.inventory.models import StockLevel
from omni.kernel.errors import InvalidInput, NotFound
from omni.kernel.ids import new_id

NOT_FOUND = "No such count."
LISTED = "listed"
ALL_WITH_STOCK = "all_with_stock"
BATCH = 1000


@dataclass(frozen=True)
class NewCount:
    location_id: str
    # The variants to count; None: every variant with stock here when it is posted.
    variant_ids: list[str] | None = None
    note: str | None = None


async def create_count(uow: UnitOfWork, new: NewCount) -> str:
    async with uow:
        ensure_acts_at(uow.actor, (new.location_id,), NOT_FOUND)
        await check_locations(uow.session, {"location_id": new.location_id})
        listed = sorted(set(new.variant_ids or ()))
        if new.variant_ids is not None:
            if not listed:
                raise InvalidInput("List at least one variant, or none for all.", field="skus")
            await check_variants(uow.session, listed)
        now = uow.clock.now()
        count_id = new_id("cnt")
        uow.session.add(
            Count(
                id=count_id,
                location_id=new.location_id,
                scope=LISTED if new.variant_ids is not None else ALL_WITH_STOCK,
                status=CountStatus.OPEN.value,
                note=new.note,
                created_at=now,
                updated_at=now,
                version=1,
            )
        )
        await uow.flush()
        if listed:
            await _insert_lines(uow, count_id, dict.fromkeys(listed, 0))
        uow.audit("inventory.count_created", "count", count_id, {"variants": len(listed)})
        await uow.commit()
    return count_id


async def _insert_lines(uow: UnitOfWork, count_id: str, counted: dict[str, int]) -> None:
    rows = [
        {"id": new_id("cntl"), "count_id": count_id, "variant_id": v, "counted": q}
        for v, q in sorted(counted.items())
    ]
    await uow.session.execute(insert(CountLine), rows)


async def open_count(uow: UnitOfWork, count_id: str, action: str) -> Count:
    """Load the count, check the caller may act at its location, and claim it."""
    count = await uow.session.get(Count, count_id)
    if count is None:
        raise NotFound(NOT_FOUND)
    ensure_acts_at(uow.actor, (count.location_id,), NOT_FOUND)
    await claim(uow, Count, count_id, COUNT_ACTIONS[action], action=action, not_found=NOT_FOUND)
    return count


async def add_counted(uow: UnitOfWork, count_id: str, counted: dict[str, int]) -> None:
    """One submission: add these quantities to what was counted so far."""
    if not counted:
        raise InvalidInput("Give at least one counted line.", field="lines")
    if any(quantity < 0 for quantity in counted.values()):
        raise InvalidInput("Counted quantities cannot be negative.", field="lines")
    async with uow:
        count = await open_count(uow, count_id, "count")
        await check_scope(uow, count, set(counted), raise_outside=True)
        await add_to_lines(uow, count_id, counted)
        uow.audit(
            "inventory.count_lines_added", "count", count_id, {"units": sum(counted.values())}
        )
        await uow.commit()


async def check_scope(
    uow: UnitOfWork, count: Count, variant_ids: set[str], *, raise_outside: bool
) -> set[str]:
    """The variants outside the count's scope (refused when ``raise_outside``)."""
    if count.scope == LISTED:
        listed = set(
            await uow.session.scalars(
                select(CountLine.variant_id).where(CountLine.count_id == count.id)
            )
        )
        outside = variant_ids - listed
    elif raise_outside:
        await check_variants(uow.session, variant_ids)
        outside = set()
    else:  # bundles hold no stock of their own
        known = await catalog_api.get_variants(uow.session, variant_ids)
        outside = {v for v, info in known.items() if info.is_bundle}
    if outside and raise_outside:
        raise InvalidInput("Not in this count.", field="lines", variant_ids=sorted(outside))
    return outside


async def add_to_lines(uow: UnitOfWork, count_id: str, counted: dict[str, int]) -> None:
    """Add by SQL expression (an upsert), so two submissions at once both count."""
    dialect = uow.session.get_bind().dialect.name
    make_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [
        {"id": new_id("cntl"), "count_id": count_id, "variant_id": v, "counted": q}
        for v, q in sorted(counted.items())
    ]
    # In slices: one statement's bound parameters are limited (SQLite: 32,766).
    for start in range(0, len(rows), BATCH):
        statement = make_insert(CountLine).values(rows[start : start + BATCH])
        await uow.session.execute(
            statement.on_conflict_do_update(
                index_elements=["count_id", "variant_id"],
                set_={"counted": CountLine.counted + statement.excluded.counted},
            )
        )


async def submit_count(uow: UnitOfWork, count_id: str) -> None:
    """The counters are done; a supervisor reviews and posts (or reopens)."""
    await _move(uow, count_id, "submit", CountStatus.SUBMITTED, "submitted_at", "submitted")


async def reopen_count(uow: UnitOfWork, count_id: str) -> None:
    """Back to counting (a shelf was missed); nothing was posted yet."""
    await _move(uow, count_id, "reopen", CountStatus.OPEN, None, "reopened")


async def cancel_count(uow: UnitOfWork, count_id: str) -> None:
    await _move(uow, count_id, "cancel", CountStatus.CANCELLED, "cancelled_at", "cancelled")


async def _move(
    uow: UnitOfWork,
    count_id: str,
    action: str,
    status: CountStatus,
    stamp: str | None,
    done: str,
) -> None:
    async with uow:
        await open_count(uow, count_id, action)
        changes = {"status": status.value} | ({stamp: uow.clock.now()} if stamp else {})
        await set_status(uow, Count, count_id, **changes)
        uow.audit(f"inventory.count_{done}", "count", count_id)
        await uow.commit()


async def post_count(uow: UnitOfWork, count_id: str) -> Accuracy:
    """Correct on hand to the counted quantities; returns the count's accuracy."""
    async with uow:
        count = await open_count(uow, count_id, "post")
        counted = await _counted(uow, count)
        results = await set_on_hand(uow, count.location_id, counted, source_id=count_id)
        await _record_results(
            uow, count_id, {r.variant_id: (r.system, r.difference) for r in results}
        )
        accuracy = accuracy_of([(r.system, r.counted) for r in results])
        await set_status(
            uow,
            Count,
            count_id,
            status=CountStatus.POSTED.value,
            posted_at=uow.clock.now(),
            lines_counted=accuracy.lines_counted,
            lines_with_difference=accuracy.lines_with_difference,
            units_difference=accuracy.units_difference,
            system_units=accuracy.system_units,
        )
        corrections = [
            {
                "variant_id": r.variant_id,
                "system": r.system,
                "counted": r.counted,
                "difference": r.difference,
            }
            for r in sorted(results, key=lambda r: r.variant_id)
            if r.difference
        ]
        uow.record(
            CountPosted(
                count_id=count_id,
                location_id=count.location_id,
                lines_counted=accuracy.lines_counted,
                lines_with_difference=accuracy.lines_with_difference,
                units_difference=accuracy.units_difference,
                corrections=corrections,
            )
        )
        uow.audit("inventory.count_posted", "count", count_id, {"corrections": len(corrections)})
        await uow.commit()
    return accuracy


async def _counted(uow: UnitOfWork, count: Count) -> dict[str, int]:
    """Counted per variant; an "everything" count adds what has stock here, uncounted (0)."""
    rows = await uow.session.execute(
        select(CountLine.variant_id, CountLine.counted).where(CountLine.count_id == count.id)
    )
    counted = {variant_id: quantity for variant_id, quantity in rows}
    if count.scope == ALL_WITH_STOCK:
        with_stock = await uow.session.scalars(
            select(StockLevel.variant_id).where(
                StockLevel.location_id == count.location_id, StockLevel.on_hand != 0
            )
        )
        missed = {variant_id: 0 for variant_id in with_stock if variant_id not in counted}
        if missed:
            await _insert_lines(uow, count.id, missed)
            counted |= missed
    return counted


async def _record_results(
    uow: UnitOfWork, count_id: str, results: dict[str, tuple[int, int]]
) -> None:
    table = cast(Table, CountLine.__table__)  # Core, for one executemany by variant
    await uow.session.execute(
        update(table)
        .where(table.c.count_id == count_id, table.c.variant_id == bindparam("line_variant"))
        .values(system_quantity=bindparam("system"), difference=bindparam("diff")),
        [
            {"line_variant": variant_id, "system": system, "diff": difference}
            for variant_id, (system, difference) in results.items()
        ],
    )


async def variants_for_skus(session: AsyncSession, skus: Iterable[str]) -> dict[str, str]:
    """Variant ids by SKU as people type them (any case); unknown SKUs are refused."""
    wanted = {sku.strip().upper() for sku in skus}
    found = await catalog_api.variant_ids_by_sku(session, wanted)
    unknown = sorted(wanted - found.keys())
    if unknown:
        raise InvalidInput("Unknown SKUs.", field="skus", skus=unknown)
    return found
