"""HTTP commands under /inventory/stock: receipts, adjustments, damage, recovery,
write-offs, return restocks, carry-out sales and safety stock.

Each needs an Idempotency-Key (a retried receipt is applied once). Planners
(``inventory.write``) act at any location; store managers (``inventory.write_own``) at
their own stores only — another store answers 404. Safety stock is planning:
``inventory.write`` only.
"""

from __future__ import annotations

from collections.abc import Sequence

from omni.db.database import Database
from omni.http.deps import Access, DbDep
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.router import new_router
from omni.inventory import availability, ledger, service
from omni.inventory.domain import MovementKind, Quantities
from omni.inventory.schemas import (
    AdjustmentIn,
    LevelOut,
    ReasonedChangeIn,
    SafetyStockIn,
    SaleIn,
    StockChangeIn,
    StockChangeOut,
)
from omni.kernel.actor import Actor

router = new_router("/inventory/stock", ["inventory"])
STOCK_WRITERS = ("inventory.write", "inventory.write_own")


def level_out(variant_id: str, location_id: str, q: Quantities) -> LevelOut:
    return LevelOut(
        variant_id=variant_id,
        location_id=location_id,
        on_hand=q.on_hand,
        reserved=q.reserved,
        incoming=q.incoming,
        unsellable=q.unsellable,
        safety_stock=q.safety_stock,
        available=q.available(),
    )


async def _apply(
    db: Database,
    actor: Actor,
    kind: MovementKind,
    body: StockChangeIn | AdjustmentIn,
    lines: Sequence[tuple[str, int]],
    *,
    is_fact: bool = False,
    channel_id: str | None = None,
) -> StockChangeOut:
    source = ledger.Source(
        type=body.source_type, id=body.source_id, reason=body.reason, channel_id=channel_id
    )
    command = service.StockCommand(kind, body.location_id, lines, source, is_fact)
    after = await service.change_stock(db.uow(actor), command)
    return StockChangeOut(
        kind=kind.value,
        location_id=body.location_id,
        levels=[level_out(v, body.location_id, q) for v, q in sorted(after.items())],
        oversold=sorted(v for v, q in after.items() if q.oversold),
    )


def _units(body: StockChangeIn) -> list[tuple[str, int]]:
    return [(line.variant_id, line.quantity) for line in body.lines]


@router.post(
    "/receipts",
    summary="Receive goods (initial load, unplanned delivery)",
    status_code=201,
    response_model=StockChangeOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def receive(
    body: StockChangeIn, db: DbDep, actor: Actor = Access(any_of=STOCK_WRITERS)
) -> StockChangeOut:
    return await _apply(db, actor, MovementKind.RECEIPT, body, _units(body))


@router.post(
    "/adjustments",
    summary="Correct on-hand by a signed quantity (reason required)",
    status_code=201,
    response_model=StockChangeOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def adjust(
    body: AdjustmentIn, db: DbDep, actor: Actor = Access(any_of=STOCK_WRITERS)
) -> StockChangeOut:
    lines = [(line.variant_id, line.quantity) for line in body.lines]
    return await _apply(db, actor, MovementKind.ADJUSTMENT, body, lines)


@router.post(
    "/damage",
    summary="Move units to unsellable (damaged, quality hold; reason required)",
    status_code=201,
    response_model=StockChangeOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def damage(
    body: ReasonedChangeIn, db: DbDep, actor: Actor = Access(any_of=STOCK_WRITERS)
) -> StockChangeOut:
    return await _apply(db, actor, MovementKind.DAMAGE, body, _units(body))


@router.post(
    "/recoveries",
    summary="Make unsellable units sellable again",
    status_code=201,
    response_model=StockChangeOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def recover(
    body: StockChangeIn, db: DbDep, actor: Actor = Access(any_of=STOCK_WRITERS)
) -> StockChangeOut:
    return await _apply(db, actor, MovementKind.RECOVERY, body, _units(body))


@router.post(
    "/write-offs",
    summary="Dispose of unsellable units (reason required)",
    status_code=201,
    response_model=StockChangeOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def write_off(
    body: ReasonedChangeIn, db: DbDep, actor: Actor = Access(any_of=STOCK_WRITERS)
) -> StockChangeOut:
    return await _apply(db, actor, MovementKind.WRITE_OFF, body, _units(body))


@router.post(
    "/return-restocks",
    summary="Put returned units back on the shelf",
    status_code=201,
    response_model=StockChangeOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def restock_return(
    body: StockChangeIn, db: DbDep, actor: Actor = Access(any_of=STOCK_WRITERS)
) -> StockChangeOut:
    return await _apply(db, actor, MovementKind.RETURN_RESTOCK, body, _units(body))


@router.post(
    "/sales",
    summary="A carry-out sale at a till (offline: accepted as a fact, even below zero)",
    status_code=201,
    response_model=StockChangeOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def sell(
    body: SaleIn, db: DbDep, actor: Actor = Access(any_of=STOCK_WRITERS)
) -> StockChangeOut:
    return await _apply(
        db,
        actor,
        MovementKind.SALE,
        body,
        _units(body),
        is_fact=body.offline,
        channel_id=body.channel_id,
    )


@router.post(
    "/safety-stock",
    summary="Set the units a location keeps back from every channel",
    response_model=LevelOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def set_safety_stock(
    body: SafetyStockIn, db: DbDep, actor: Actor = Access("inventory.write")
) -> LevelOut:
    await service.set_safety_stock(db.uow(actor), body.variant_id, body.location_id, body.units)
    async with db.reader() as session:
        [row] = await availability.level_rows(session, [body.variant_id], [body.location_id])
    return level_out(row.variant_id, row.location_id, row.quantities)
