"""HTTP endpoints: /inventory/transfers (INV7).

Reading needs ``inventory.read``. Changing needs ``inventory.write`` (planners, anywhere)
or ``inventory.write_own`` (store managers): creating or cancelling where either end is
their store, shipping from their store, receiving at their store; other stores'
transfers answer 404 to them. Shipping, receiving and cancelling take an
Idempotency-Key: a retried "ship" must not ship twice.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response

from omni.db.database import Database
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.inventory import document_queries, transfers
from omni.inventory.document_rules import TransferStatus
from omni.inventory.receipts import Arrival
from omni.inventory.transfer_schemas import (
    ReceiptIn,
    ShipIn,
    TransferIn,
    TransferOut,
    TransferSummaryOut,
    transfer_out,
    transfer_summary,
)
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound

router = new_router("/inventory/transfers", ["inventory documents"])
PageDep = Annotated[PageParams, Depends(page_params)]
WRITERS = ("inventory.write", "inventory.write_own")


async def _view(db: Database, transfer_id: str) -> TransferOut:
    """The transfer as stored, read after the command committed."""
    async with db.reader() as session:
        view = await document_queries.get_transfer(session, transfer_id)
    if view is None:
        raise NotFound(transfers.NOT_FOUND)
    return transfer_out(view)


@router.post("", summary="Draft a transfer between two locations", status_code=201)
async def create_transfer(
    body: TransferIn, db: DbDep, response: Response, actor: Actor = Access(any_of=WRITERS)
) -> TransferOut:
    transfer_id = await transfers.create_transfer(
        db.uow(actor),
        transfers.NewTransfer(
            from_location_id=body.from_location_id,
            to_location_id=body.to_location_id,
            lines=[(line.variant_id, line.quantity) for line in body.lines],
            expected_on=body.expected_on,
            carrier=body.carrier,
            tracking=body.tracking,
            note=body.note,
        ),
    )
    response.headers["Location"] = f"{router.prefix}/{transfer_id}"
    return await _view(db, transfer_id)


@router.get("", summary="Transfers, newest first")
async def list_transfers(
    session: ReaderDep,
    page: PageDep,
    status: TransferStatus | None = None,
    location_id: Annotated[
        str | None, Query(max_length=32, description="At either end of the transfer")
    ] = None,
    actor: Actor = Access("inventory.read"),
) -> Page[TransferSummaryOut]:
    found = await document_queries.list_transfers(
        session, page, status=status.value if status else None, location_id=location_id
    )
    rows = [transfer_summary(transfer, lines) for transfer, lines in found]
    return make_page(rows, page, key=lambda t: t.id)


@router.get("/{transfer_id}", summary="A transfer: lines, in-transit units, receipts")
async def get_transfer(
    transfer_id: str, db: DbDep, actor: Actor = Access("inventory.read")
) -> TransferOut:
    return await _view(db, transfer_id)


@router.post(
    "/{transfer_id}/ship",
    summary="Ship: on hand leaves the source, incoming rises at the destination",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def ship_transfer(
    transfer_id: str,
    db: DbDep,
    body: ShipIn | None = None,
    actor: Actor = Access(any_of=WRITERS),
) -> TransferOut:
    details = body or ShipIn()
    await transfers.ship_transfer(
        db.uow(actor),
        transfer_id,
        carrier=details.carrier,
        tracking=details.tracking,
        expected_on=details.expected_on,
    )
    return await _view(db, transfer_id)


@router.post(
    "/{transfer_id}/receipts",
    summary="Receive (part of) a shipped transfer at its destination",
    description="Arrivals move from incoming to on hand; damaged units become unsellable. "
    "With final, whatever has not arrived is written off as lost in transit.",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def receive_transfer(
    transfer_id: str, body: ReceiptIn, db: DbDep, actor: Actor = Access(any_of=WRITERS)
) -> TransferOut:
    await transfers.receive_transfer(
        db.uow(actor),
        transfer_id,
        transfers.TransferReceipt(
            lines=[Arrival(line.variant_id, line.quantity, line.damaged) for line in body.lines],
            final=body.final,
            received_at=body.received_at,
            note=body.note,
        ),
    )
    return await _view(db, transfer_id)


@router.post(
    "/{transfer_id}/cancel",
    summary="Cancel a draft transfer (a shipped one is received instead)",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def cancel_transfer(
    transfer_id: str, db: DbDep, actor: Actor = Access(any_of=WRITERS)
) -> TransferOut:
    await transfers.cancel_transfer(db.uow(actor), transfer_id)
    return await _view(db, transfer_id)
