"""Receipts against purchase orders (INV7), possibly partial, possibly against an ASN.

Arrived units move from incoming to on hand (``receipt``), damaged ones on to
unsellable. Suppliers round to full cases, so a receipt may go over the ordered
quantity up to the order's tolerance (5 % by default); beyond it the whole receipt is
refused and nothing is booked. Closing an order short is a final receipt of nothing:
what is still outstanding leaves incoming.

Store managers book deliveries at their own stores (``inventory.write_own``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update

from omni.db.uow import UnitOfWork
from omni.inventory.document_events import PurchaseOrderClosed, PurchaseOrderReceived
from omni.inventory.document_rules import (
    PURCHASE_ORDER_ACTIONS,
    PurchaseOrderStatus,
    receipt_limit,
)
from omni.inventory.document_stock import apply_steps
from omni.inventory.document_store import WRITE, claim, ensure_acts_at, set_status
from omni.inventory.documents import AdvanceShippingNotice, PurchaseOrder, PurchaseOrderLine
from omni.inventory.domain import MovementKind
from omni.inventory.purchase_orders import NOT_FOUND, SOURCE_TYPE, order_lines, progress
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
from omni.kernel.errors import Forbidden, InvalidInput, NotFound
from omni.permissions import has_permission


class OverReceipt(InvalidInput):
    """More arrived than the order allows (ordered + tolerance): refused whole."""

    code = "over_receipt"
    title = "More than ordered"


@dataclass(frozen=True)
class PurchaseOrderReceipt:
    lines: list[Arrival] = field(default_factory=list)
    final: bool = False  # nothing more will come: release what is outstanding
    asn_id: str | None = None
    received_at: datetime | None = None
    note: str | None = None


async def receive_purchase_order(
    uow: UnitOfWork, order_id: str, receipt: PurchaseOrderReceipt
) -> str:
    """Book a delivery in; returns the receipt id."""
    async with uow:
        receipt_id = await book_receipt(uow, order_id, receipt)
        await uow.commit()
    return receipt_id


async def close_purchase_order(uow: UnitOfWork, order_id: str, note: str | None = None) -> str:
    """Nothing more will come: release what is still on order (a final, empty receipt)."""
    return await receive_purchase_order(
        uow, order_id, PurchaseOrderReceipt(final=True, note=note or "closed short")
    )


async def book_receipt(uow: UnitOfWork, order_id: str, receipt: PurchaseOrderReceipt) -> str:
    """In the caller's unit of work (the CSV import books many receipts in one)."""
    if not receipt.lines and not receipt.final:
        raise InvalidInput("Nothing to receive: give lines, or final to close.", field="lines")
    location_id = await _location_of(uow, order_id)
    ensure_acts_at(uow.actor, (location_id,), NOT_FOUND)
    if receipt.final and not has_permission(uow.actor, WRITE):
        # Whether more will come is the buyer's call, not the receiving dock's.
        raise Forbidden("Closing a purchase order short needs inventory.write.", required=[WRITE])
    action = "receive" if receipt.lines else "close"
    await claim(
        uow,
        PurchaseOrder,
        order_id,
        PURCHASE_ORDER_ACTIONS[action],
        action=action,
        not_found=NOT_FOUND,
    )
    rows = await order_lines(uow, order_id)
    lines = {row.variant_id: OpenLine(row.id, progress(row)) for row in rows}
    arrivals = merge_arrivals(receipt.lines, lines)
    _check_tolerance(rows, arrivals, await _tolerance(uow, order_id))
    if receipt.asn_id is not None:
        await _mark_notice_received(uow, order_id, receipt.asn_id)
    booked = book(lines, arrivals, final=receipt.final)
    done = receipt.final or all_arrived(lines, booked)
    status = PurchaseOrderStatus.RECEIVED if done else PurchaseOrderStatus.PARTIALLY_RECEIVED
    await set_status(
        uow,
        PurchaseOrder,
        order_id,
        status=status.value,
        **({"closed_at": uow.clock.now()} if done else {}),
    )
    await update_lines(uow, PurchaseOrderLine, booked)
    steps = arrival_steps(booked, location_id, MovementKind.RECEIPT)
    await apply_steps(uow, steps, source_type=SOURCE_TYPE, source_id=order_id)
    receipt_id = await write_receipt(
        uow,
        document_type=SOURCE_TYPE,
        document_id=order_id,
        location_id=location_id,
        booked=booked,
        final=done,
        received_at=receipt.received_at,
        asn_id=receipt.asn_id,
        note=receipt.note,
    )
    _record(uow, order_id, receipt_id, location_id, status, booked, closed_short=receipt.final)
    return receipt_id


async def _location_of(uow: UnitOfWork, order_id: str) -> str:
    location_id = await uow.session.scalar(
        select(PurchaseOrder.location_id).where(PurchaseOrder.id == order_id)
    )
    if location_id is None:
        raise NotFound(NOT_FOUND)
    return location_id


async def _tolerance(uow: UnitOfWork, order_id: str) -> int:
    tolerance = await uow.session.scalar(
        select(PurchaseOrder.tolerance_percent).where(PurchaseOrder.id == order_id)
    )
    return int(tolerance or 0)


def _check_tolerance(
    rows: list[PurchaseOrderLine], arrivals: dict[str, Arrival], tolerance_percent: int
) -> None:
    beyond = []
    for row in rows:
        arrival = arrivals.get(row.variant_id)
        if arrival is None:
            continue
        already = row.received + row.damaged
        limit = receipt_limit(row.ordered, tolerance_percent)
        if already + arrival.quantity + arrival.damaged > limit:
            beyond.append(
                {
                    "variant_id": row.variant_id,
                    "ordered": row.ordered,
                    "already_received": already,
                    "receiving": arrival.quantity + arrival.damaged,
                    "limit": limit,
                }
            )
    if beyond:
        raise OverReceipt(
            f"More than ordered plus {tolerance_percent} % tolerance; nothing was booked.",
            field="lines",
            tolerance_percent=tolerance_percent,
            lines=beyond,
        )


async def _mark_notice_received(uow: UnitOfWork, order_id: str, asn_id: str) -> None:
    result = await uow.session.execute(
        update(AdvanceShippingNotice)
        .where(
            AdvanceShippingNotice.id == asn_id,
            AdvanceShippingNotice.purchase_order_id == order_id,
        )
        .values(status="received", received_at=uow.clock.now())
        .returning(AdvanceShippingNotice.id)
    )
    if result.first() is None:
        raise InvalidInput("No such shipping notice on this purchase order.", field="asn_id")


def _record(
    uow: UnitOfWork,
    order_id: str,
    receipt_id: str,
    location_id: str,
    status: PurchaseOrderStatus,
    booked: list[Booked],
    *,
    closed_short: bool,
) -> None:
    arrived = [line for line in booked if line.quantity or line.damaged]
    if arrived:
        uow.record(
            PurchaseOrderReceived(
                purchase_order_id=order_id,
                receipt_id=receipt_id,
                location_id=location_id,
                status=status.value,
                lines=[line.as_event_line() for line in arrived],
            )
        )
    if closed_short:
        uow.record(
            PurchaseOrderClosed(
                purchase_order_id=order_id,
                location_id=location_id,
                lines=[{"variant_id": b.variant_id, "short": b.short} for b in booked if b.short],
            )
        )
    uow.audit(
        "inventory.po_closed" if closed_short else "inventory.po_received",
        "purchase_order",
        order_id,
        {"receipt_id": receipt_id, "status": status.value},
    )
