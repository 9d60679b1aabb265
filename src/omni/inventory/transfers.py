"""Transfers between our locations (INV7): draft → shipped → partially received →
received, or a draft cancelled.

Shipping takes the units out of the source's on hand (``transfer_out``) — only units
that are free there: never reserved, unsellable or safety stock — and raises the
destination's ``incoming`` (``incoming``); that is the in-transit quantity. Receiving
moves arrivals from incoming to on hand (``transfer_in``), damaged ones on to
unsellable; the final receipt writes off what never came. A shipped transfer cannot be
cancelled (it is on a truck): receive what arrives with ``final``.

Each command opens, commits and closes the unit of work it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import insert, select

from omni.db.uow import UnitOfWork
from omni.inventory import ledger
from omni.inventory.document_events import TransferCancelled, TransferReceived, TransferShipped
from omni.inventory.document_rules import TRANSFER_ACTIONS, LineProgress, TransferStatus
from omni.inventory.document_stock import Move, Step, apply_steps
from omni.inventory.document_store import (
    check_locations,
    check_variants,
    claim,
    ensure_acts_at,
    merged,
    set_status,
)
from omni.inventory.documents import Transfer, TransferLine
from omni.inventory.domain import MovementKind
from omni.inventory.receipts import (
    Arrival,
    Booked,
    OpenLine,
    all_arrived,
    arrival_steps,
    book,
    merge_arrivals,
    update_lines,
    write_receipt,
)
from omni.kernel.errors import InvalidInput, NotFound
from omni.kernel.ids import new_id

NOT_FOUND = "No such transfer."
SOURCE_TYPE = "transfer"


@dataclass(frozen=True)
class NewTransfer:
    from_location_id: str
    to_location_id: str
    lines: list[tuple[str, int]]  # (variant_id, quantity)
    expected_on: date | None = None
    carrier: str | None = None
    tracking: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class TransferReceipt:
    lines: list[Arrival] = field(default_factory=list)
    # The last receipt: whatever has not arrived is written off as lost in transit.
    final: bool = False
    received_at: datetime | None = None
    note: str | None = None


async def create_transfer(uow: UnitOfWork, new: NewTransfer) -> str:
    """A draft: it moves no stock until shipped."""
    async with uow:
        transfer_id = await insert_transfer(uow, new)
        await uow.commit()
    return transfer_id


async def insert_transfer(uow: UnitOfWork, new: NewTransfer) -> str:
    """A draft transfer's rows, inside the caller's open unit of work (which commits)."""
    if new.from_location_id == new.to_location_id:
        raise InvalidInput(
            "A transfer goes between two different locations.", field="to_location_id"
        )
    quantities = merged(new.lines)
    ensure_acts_at(uow.actor, (new.from_location_id, new.to_location_id), NOT_FOUND)
    await check_locations(
        uow.session,
        {"from_location_id": new.from_location_id, "to_location_id": new.to_location_id},
        receiving="to_location_id",
    )
    await check_variants(uow.session, quantities)
    now = uow.clock.now()
    transfer_id = new_id("trf")
    uow.session.add(
        Transfer(
            id=transfer_id,
            from_location_id=new.from_location_id,
            to_location_id=new.to_location_id,
            status=TransferStatus.DRAFT.value,
            expected_on=new.expected_on,
            carrier=new.carrier,
            tracking=new.tracking,
            note=new.note,
            created_at=now,
            updated_at=now,
            version=1,
        )
    )
    await uow.flush()
    await uow.session.execute(
        insert(TransferLine),
        [
            {"id": new_id("trfl"), "transfer_id": transfer_id, "variant_id": v, "quantity": q}
            for v, q in sorted(quantities.items())
        ],
    )
    uow.audit("inventory.transfer_created", "transfer", transfer_id, {"lines": len(quantities)})
    return transfer_id


async def _load(uow: UnitOfWork, transfer_id: str) -> Transfer:
    transfer = await uow.session.get(Transfer, transfer_id)
    if transfer is None:
        raise NotFound(NOT_FOUND)
    return transfer


async def _lines(uow: UnitOfWork, transfer_id: str) -> list[TransferLine]:
    rows = await uow.session.scalars(
        select(TransferLine)
        .where(TransferLine.transfer_id == transfer_id)
        .order_by(TransferLine.variant_id)
    )
    return list(rows)


async def ship_transfer(
    uow: UnitOfWork,
    transfer_id: str,
    *,
    carrier: str | None = None,
    tracking: str | None = None,
    expected_on: date | None = None,
) -> None:
    """On hand leaves the source (if free there), incoming rises at the destination."""
    async with uow:
        transfer = await _load(uow, transfer_id)
        ensure_acts_at(uow.actor, (transfer.from_location_id,), NOT_FOUND)
        now = uow.clock.now()
        changes: dict[str, object] = {"status": TransferStatus.SHIPPED.value, "shipped_at": now}
        changes |= {k: v for k, v in (("carrier", carrier), ("tracking", tracking)) if v}
        if expected_on is not None:
            changes["expected_on"] = expected_on
        await claim(
            uow,
            Transfer,
            transfer_id,
            TRANSFER_ACTIONS["ship"],
            action="ship",
            not_found=NOT_FOUND,
            values=changes,
        )
        lines = await _lines(uow, transfer_id)
        steps = _shipping_steps(transfer, lines)
        await apply_steps(uow, steps, source_type=SOURCE_TYPE, source_id=transfer_id)
        expected = expected_on or transfer.expected_on
        uow.record(
            TransferShipped(
                transfer_id=transfer_id,
                from_location_id=transfer.from_location_id,
                to_location_id=transfer.to_location_id,
                expected_on=expected.isoformat() if expected else None,
                lines=[
                    {"variant_id": line.variant_id, "quantity": line.quantity} for line in lines
                ],
            )
        )
        uow.audit(
            "inventory.transfer_shipped",
            "transfer",
            transfer_id,
            {"units": sum(line.quantity for line in lines)},
        )
        await uow.commit()


def _shipping_steps(transfer: Transfer, lines: list[TransferLine]) -> list[Step]:
    steps = []
    for line in lines:
        leaving = Move(MovementKind.TRANSFER_OUT, ledger.Delta(on_hand=-line.quantity))
        steps.append(
            Step(line.variant_id, transfer.from_location_id, [leaving], take=line.quantity)
        )
        coming = Move(MovementKind.INCOMING, ledger.Delta(incoming=line.quantity), "in transit")
        steps.append(Step(line.variant_id, transfer.to_location_id, [coming]))
    return steps


async def receive_transfer(uow: UnitOfWork, transfer_id: str, receipt: TransferReceipt) -> str:
    """Book in what arrived at the destination; returns the receipt id."""
    if not receipt.lines and not receipt.final:
        raise InvalidInput("Nothing to receive: give lines, or final to close.", field="lines")
    async with uow:
        transfer = await _load(uow, transfer_id)
        ensure_acts_at(uow.actor, (transfer.to_location_id,), NOT_FOUND)
        await claim(
            uow,
            Transfer,
            transfer_id,
            TRANSFER_ACTIONS["receive"],
            action="receive",
            not_found=NOT_FOUND,
        )
        lines = {
            line.variant_id: OpenLine(
                line.id, LineProgress(line.quantity, line.received + line.damaged, line.short)
            )
            for line in await _lines(uow, transfer_id)
        }
        booked = book(lines, merge_arrivals(receipt.lines, lines), final=receipt.final)
        done = receipt.final or all_arrived(lines, booked)
        status = TransferStatus.RECEIVED if done else TransferStatus.PARTIALLY_RECEIVED
        await set_status(
            uow,
            Transfer,
            transfer_id,
            status=status.value,
            **({"received_at": uow.clock.now()} if done else {}),
        )
        await update_lines(uow, TransferLine, booked)
        destination = transfer.to_location_id
        steps = arrival_steps(booked, destination, MovementKind.TRANSFER_IN)
        await apply_steps(uow, steps, source_type=SOURCE_TYPE, source_id=transfer_id)
        receipt_id = await write_receipt(
            uow,
            document_type=SOURCE_TYPE,
            document_id=transfer_id,
            location_id=destination,
            booked=booked,
            final=done,
            received_at=receipt.received_at,
            note=receipt.note,
        )
        _record_received(uow, transfer, receipt_id, status, booked)
        await uow.commit()
    return receipt_id


def _record_received(
    uow: UnitOfWork,
    transfer: Transfer,
    receipt_id: str,
    status: TransferStatus,
    booked: list[Booked],
) -> None:
    uow.record(
        TransferReceived(
            transfer_id=transfer.id,
            receipt_id=receipt_id,
            location_id=transfer.to_location_id,
            status=status.value,
            lines=[line.as_event_line() for line in booked],
        )
    )
    uow.audit(
        "inventory.transfer_received",
        "transfer",
        transfer.id,
        {"receipt_id": receipt_id, "status": status.value},
    )


async def cancel_transfer(uow: UnitOfWork, transfer_id: str) -> None:
    """Only a draft: it moved no stock, so cancelling moves none either."""
    async with uow:
        transfer = await _load(uow, transfer_id)
        ensure_acts_at(uow.actor, (transfer.from_location_id, transfer.to_location_id), NOT_FOUND)
        await claim(
            uow,
            Transfer,
            transfer_id,
            TRANSFER_ACTIONS["cancel"],
            action="cancel (a shipped transfer is received, with final to write off the rest)",
            not_found=NOT_FOUND,
            values={"status": TransferStatus.CANCELLED.value, "cancelled_at": uow.clock.now()},
        )
        uow.record(TransferCancelled(transfer_id=transfer_id))
        uow.audit("inventory.transfer_cancelled", "transfer", transfer_id)
        await uow.commit()
