"""Read side of transfers, purchase orders and receipts: lean queries, never locking."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.http.pagination import PageParams
from omni.inventory.document_rules import LineProgress, PurchaseOrderStatus, TransferStatus
from omni.inventory.documents import (
    AdvanceShippingNotice,
    AdvanceShippingNoticeLine,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    Transfer,
    TransferLine,
)


@dataclass(frozen=True)
class ReceiptView:
    receipt: Receipt
    lines: list[ReceiptLine]


@dataclass(frozen=True)
class TransferView:
    transfer: Transfer
    lines: list[TransferLine]
    receipts: list[ReceiptView]


@dataclass(frozen=True)
class NoticeView:
    notice: AdvanceShippingNotice
    lines: list[AdvanceShippingNoticeLine]


@dataclass(frozen=True)
class PurchaseOrderView:
    order: PurchaseOrder
    lines: list[PurchaseOrderLine]
    notices: list[NoticeView]
    receipts: list[ReceiptView]


def transfer_progress(line: TransferLine) -> LineProgress:
    return LineProgress(line.quantity, line.received + line.damaged, line.short)


def order_progress(line: PurchaseOrderLine) -> LineProgress:
    return LineProgress(line.ordered, line.received + line.damaged, line.short)


async def receipts_of(
    session: AsyncSession, document_type: str, document_id: str
) -> list[ReceiptView]:
    receipts = list(
        await session.scalars(
            select(Receipt)
            .where(Receipt.document_type == document_type, Receipt.document_id == document_id)
            .order_by(Receipt.id)
        )
    )
    lines: dict[str, list[ReceiptLine]] = defaultdict(list)
    if receipts:
        rows = await session.scalars(
            select(ReceiptLine)
            .where(ReceiptLine.receipt_id.in_([r.id for r in receipts]))
            .order_by(ReceiptLine.variant_id)
        )
        for line in rows:
            lines[line.receipt_id].append(line)
    return [ReceiptView(receipt, lines[receipt.id]) for receipt in receipts]


async def get_transfer(session: AsyncSession, transfer_id: str) -> TransferView | None:
    transfer = await session.get(Transfer, transfer_id)
    if transfer is None:
        return None
    lines = await session.scalars(
        select(TransferLine)
        .where(TransferLine.transfer_id == transfer_id)
        .order_by(TransferLine.variant_id)
    )
    return TransferView(transfer, list(lines), await receipts_of(session, "transfer", transfer_id))


def _page(query: Select[Any], model: Any, page: PageParams) -> Select[Any]:
    """Newest first, keyed by the time-sortable id."""
    if page.after is not None:
        query = query.where(model.id < str(page.after))
    return query.order_by(model.id.desc()).limit(page.limit + 1)


async def list_transfers(
    session: AsyncSession,
    page: PageParams,
    *,
    status: str | None = None,
    location_id: str | None = None,
) -> list[tuple[Transfer, list[TransferLine]]]:
    """Transfers (``location_id``: at either end), each with its lines."""
    query = select(Transfer)
    if status is not None:
        query = query.where(Transfer.status == status)
    if location_id is not None:
        query = query.where(
            or_(Transfer.from_location_id == location_id, Transfer.to_location_id == location_id)
        )
    transfers = list(await session.scalars(_page(query, Transfer, page)))
    lines: dict[str, list[TransferLine]] = defaultdict(list)
    if transfers:
        for line in await session.scalars(
            select(TransferLine).where(TransferLine.transfer_id.in_([t.id for t in transfers]))
        ):
            lines[line.transfer_id].append(line)
    return [(transfer, lines[transfer.id]) for transfer in transfers]


async def get_purchase_order(session: AsyncSession, order_id: str) -> PurchaseOrderView | None:
    order = await session.get(PurchaseOrder, order_id)
    if order is None:
        return None
    lines = await session.scalars(
        select(PurchaseOrderLine)
        .where(PurchaseOrderLine.purchase_order_id == order_id)
        .order_by(PurchaseOrderLine.variant_id)
    )
    notices = list(
        await session.scalars(
            select(AdvanceShippingNotice)
            .where(AdvanceShippingNotice.purchase_order_id == order_id)
            .order_by(AdvanceShippingNotice.id)
        )
    )
    notice_lines: dict[str, list[AdvanceShippingNoticeLine]] = defaultdict(list)
    if notices:
        for line in await session.scalars(
            select(AdvanceShippingNoticeLine)
            .where(AdvanceShippingNoticeLine.asn_id.in_([n.id for n in notices]))
            .order_by(AdvanceShippingNoticeLine.variant_id)
        ):
            notice_lines[line.asn_id].append(line)
    return PurchaseOrderView(
        order,
        list(lines),
        [NoticeView(n, notice_lines[n.id]) for n in notices],
        await receipts_of(session, "purchase_order", order_id),
    )


async def list_purchase_orders(
    session: AsyncSession,
    page: PageParams,
    *,
    status: str | None = None,
    location_id: str | None = None,
    supplier_code: str | None = None,
) -> list[tuple[PurchaseOrder, list[PurchaseOrderLine]]]:
    query = select(PurchaseOrder)
    if status is not None:
        query = query.where(PurchaseOrder.status == status)
    if location_id is not None:
        query = query.where(PurchaseOrder.location_id == location_id)
    if supplier_code is not None:
        query = query.where(PurchaseOrder.supplier_code == supplier_code)
    orders = list(await session.scalars(_page(query, PurchaseOrder, page)))
    lines: dict[str, list[PurchaseOrderLine]] = defaultdict(list)
    if orders:
        for line in await session.scalars(
            select(PurchaseOrderLine).where(
                PurchaseOrderLine.purchase_order_id.in_([o.id for o in orders])
            )
        ):
            lines[line.purchase_order_id].append(line)
    return [(order, lines[order.id]) for order in orders]


@dataclass(frozen=True)
class IncomingLine:
    variant_id: str
    quantity: int
    expected_on: date | None
    document_type: str  # transfer | purchase_order
    document_id: str
    reference: str  # the PO number, or the source location of a transfer


async def incoming_at(session: AsyncSession, location_id: str) -> list[IncomingLine]:
    """What is on its way to a location, by document, soonest first (unknown dates last)."""
    in_transit = await session.execute(
        select(Transfer, TransferLine)
        .join(TransferLine, TransferLine.transfer_id == Transfer.id)
        .where(
            Transfer.to_location_id == location_id,
            Transfer.status.in_([TransferStatus.SHIPPED, TransferStatus.PARTIALLY_RECEIVED]),
        )
    )
    on_order = await session.execute(
        select(PurchaseOrder, PurchaseOrderLine)
        .join(PurchaseOrderLine, PurchaseOrderLine.purchase_order_id == PurchaseOrder.id)
        .where(
            PurchaseOrder.location_id == location_id,
            PurchaseOrder.status.in_(
                [PurchaseOrderStatus.OPEN, PurchaseOrderStatus.PARTIALLY_RECEIVED]
            ),
        )
    )
    lines = [
        IncomingLine(
            line.variant_id, outstanding, t.expected_on, "transfer", t.id, t.from_location_id
        )
        for t, line in in_transit
        if (outstanding := transfer_progress(line).outstanding)
    ] + [
        IncomingLine(line.variant_id, outstanding, o.expected_on, "purchase_order", o.id, o.number)
        for o, line in on_order
        if (outstanding := order_progress(line).outstanding)
    ]
    return sorted(lines, key=lambda i: (i.expected_on or date.max, i.document_id, i.variant_id))


async def purchase_order_ids_by_number(session: AsyncSession, numbers: set[str]) -> dict[str, str]:
    if not numbers:
        return {}
    rows = await session.execute(
        select(PurchaseOrder.number, PurchaseOrder.id).where(
            PurchaseOrder.number.in_(sorted(numbers))
        )
    )
    return {number: order_id for number, order_id in rows}
