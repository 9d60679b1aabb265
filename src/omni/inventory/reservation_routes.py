"""HTTP commands for reservations: cart holds (expire unless extended or converted)
and order reservations (kept until consumed or released).

For staff and API clients with ``inventory.write`` (e.g. an external OMS); shoppers
will hold stock through their carts, which own the cart reference. Every command needs
an Idempotency-Key. A reservation the stock cannot cover answers 409 with the figures
and where else the channel has it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from omni.http.deps import Access, DbDep
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.router import new_router
from omni.inventory import service
from omni.inventory.channel_reservations import SellLine
from omni.inventory.domain import ReservationKind
from omni.inventory.reservations import Reserved
from omni.inventory.schemas import (
    ConvertedOut,
    ConvertIn,
    ExtendedOut,
    ExtendIn,
    FinishedOut,
    FinishIn,
    HoldIn,
    ReservationIn,
    ReservationsOut,
    ReservedOut,
)
from omni.kernel.actor import Actor

router = new_router("/inventory", ["inventory"])
WRITE = "inventory.write"


def _lines(body: ReservationIn) -> list[SellLine]:
    return [SellLine(line.variant_id, line.location_id, line.quantity) for line in body.lines]


def _out(
    body: ReservationIn, kind: ReservationKind, made: list[Reserved], expires_at: datetime | None
) -> ReservationsOut:
    return ReservationsOut(
        reference=body.reference,
        kind=kind.value,
        channel_id=body.channel_id,
        expires_at=expires_at,
        reservations=[
            ReservedOut(
                reservation_id=r.reservation_id,
                variant_id=r.variant_id,
                location_id=r.location_id,
                quantity=r.quantity,
            )
            for r in made
        ],
    )


@router.post(
    "/holds",
    summary="Hold stock for a cart (expires after ttl_seconds)",
    status_code=201,
    response_model=ReservationsOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def hold(body: HoldIn, db: DbDep, actor: Actor = Access(WRITE)) -> ReservationsOut:
    expires_at = db.clock.now() + timedelta(seconds=body.ttl_seconds)
    made = await service.reserve(
        db.uow(actor),
        body.channel_id,
        body.reference,
        _lines(body),
        ReservationKind.HOLD,
        expires_at,
    )
    return _out(body, ReservationKind.HOLD, made, expires_at)


@router.post(
    "/holds/{reference}/extend",
    summary="Push back the expiry of a cart's holds",
    response_model=ExtendedOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def extend(
    reference: str, body: ExtendIn, db: DbDep, actor: Actor = Access(WRITE)
) -> ExtendedOut:
    extended, expires_at = await service.extend_holds(db.uow(actor), reference, body.ttl_seconds)
    return ExtendedOut(reference=reference, extended=extended, expires_at=expires_at)


@router.post(
    "/holds/{reference}/convert",
    summary="Checkout: the cart's holds become the order's reservation",
    response_model=ConvertedOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def convert(
    reference: str, body: ConvertIn, db: DbDep, actor: Actor = Access(WRITE)
) -> ConvertedOut:
    converted = await service.convert_holds(db.uow(actor), reference, body.order_reference)
    return ConvertedOut(
        cart_reference=reference, order_reference=body.order_reference, converted=converted
    )


@router.post(
    "/holds/{reference}/release",
    summary="Give a cart's held units back",
    response_model=FinishedOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def release_holds(reference: str, db: DbDep, actor: Actor = Access(WRITE)) -> FinishedOut:
    units = await service.finish(db.uow(actor), reference, None, consume=False)
    return FinishedOut(reference=reference, units=units)


@router.post(
    "/reservations",
    summary="Reserve stock for an order (until consumed or released)",
    status_code=201,
    response_model=ReservationsOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def reserve(body: ReservationIn, db: DbDep, actor: Actor = Access(WRITE)) -> ReservationsOut:
    made = await service.reserve(
        db.uow(actor), body.channel_id, body.reference, _lines(body), ReservationKind.ORDER
    )
    return _out(body, ReservationKind.ORDER, made, None)


@router.post(
    "/reservations/{reference}/release",
    summary="Cancel: give an order's reserved units back (all, or some reservations)",
    response_model=FinishedOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def release_reservations(
    reference: str, db: DbDep, body: FinishIn | None = None, actor: Actor = Access(WRITE)
) -> FinishedOut:
    ids = body.reservation_ids if body else None
    units = await service.finish(db.uow(actor), reference, ids, consume=False)
    return FinishedOut(reference=reference, units=units)


@router.post(
    "/reservations/{reference}/consume",
    summary="Fulfilment: the reserved units were picked and left",
    response_model=FinishedOut,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def consume(
    reference: str, db: DbDep, body: FinishIn | None = None, actor: Actor = Access(WRITE)
) -> FinishedOut:
    ids = body.reservation_ids if body else None
    units = await service.finish(db.uow(actor), reference, ids, consume=True)
    return FinishedOut(reference=reference, units=units)
