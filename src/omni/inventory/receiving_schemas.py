"""Request and response models of purchase orders, ASNs and incoming stock."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from omni.http.schemas import StrictModel
from omni.inventory.document_queries import IncomingLine, PurchaseOrderView, order_progress
from omni.inventory.document_rules import PurchaseOrderStatus
from omni.inventory.documents import PurchaseOrder, PurchaseOrderLine
from omni.inventory.purchase_orders import DEFAULT_TOLERANCE_PERCENT
from omni.inventory.transfer_schemas import (
    MAX_LINES,
    Id,
    LineIn,
    Note,
    ReceiptIn,
    ReceiptOut,
    Text,
    receipt_out,
)

Code = Annotated[str, Field(min_length=1, max_length=64)]


class PurchaseOrderIn(StrictModel):
    supplier_code: Code
    supplier_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    number: Code | None = Field(default=None, description="The ERP's PO number; default the id.")
    location_id: Id
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=MAX_LINES)]
    expected_on: date | None = None
    tolerance_percent: Annotated[int, Field(ge=0, le=100)] = Field(
        default=DEFAULT_TOLERANCE_PERCENT,
        description="How far above the ordered quantity a receipt may go.",
    )
    note: Note | None = None
    open: bool = Field(default=False, description="Open at once (incoming rises now).")


class ShippingNoticeIn(StrictModel):
    number: Code = Field(description="The supplier's ASN or delivery number.")
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=MAX_LINES)]
    expected_on: date | None = None
    carrier: Text | None = None
    tracking: Text | None = None


class PurchaseOrderReceiptIn(ReceiptIn):
    asn_id: Id | None = Field(default=None, description="The shipping notice this delivers.")


class CloseIn(StrictModel):
    note: Note | None = None


class OrderLineOut(BaseModel):
    variant_id: str
    ordered: int
    advised: int = Field(description="Announced by shipping notices.")
    received: int
    damaged: int
    short: int = Field(description="Released when the order was closed short.")
    over: int
    outstanding: int = Field(description="Still expected: incoming at the location.")


class NoticeLineOut(BaseModel):
    variant_id: str
    quantity: int


class ShippingNoticeOut(BaseModel):
    id: str
    number: str
    status: str
    expected_on: date | None
    carrier: str | None
    tracking: str | None
    created_at: datetime
    received_at: datetime | None
    lines: list[NoticeLineOut]


class PurchaseOrderSummaryOut(BaseModel):
    id: str
    number: str
    supplier_code: str
    supplier_name: str | None
    location_id: str
    status: PurchaseOrderStatus
    expected_on: date | None
    tolerance_percent: int
    created_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    version: int
    ordered: int
    outstanding: int


class PurchaseOrderOut(PurchaseOrderSummaryOut):
    note: str | None
    lines: list[OrderLineOut]
    asns: list[ShippingNoticeOut]
    receipts: list[ReceiptOut]


class IncomingOut(BaseModel):
    variant_id: str
    quantity: int
    expected_on: date | None
    document_type: str
    document_id: str
    reference: str = Field(description="PO number, or the source location of a transfer.")


def _is_open(order: PurchaseOrder) -> bool:
    return order.status in (PurchaseOrderStatus.OPEN, PurchaseOrderStatus.PARTIALLY_RECEIVED)


def _line_out(line: PurchaseOrderLine, is_open: bool) -> OrderLineOut:
    progress = order_progress(line)
    return OrderLineOut(
        variant_id=line.variant_id,
        ordered=line.ordered,
        advised=line.advised,
        received=line.received,
        damaged=line.damaged,
        short=line.short,
        over=progress.over,
        outstanding=progress.outstanding if is_open else 0,
    )


def _summary_fields(order: PurchaseOrder, lines: list[OrderLineOut]) -> dict[str, object]:
    fields = {name: getattr(order, name) for name in _SUMMARY_FIELDS}
    fields["ordered"] = sum(line.ordered for line in lines)
    fields["outstanding"] = sum(line.outstanding for line in lines)
    return fields


def order_summary(order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> PurchaseOrderSummaryOut:
    outs = [_line_out(line, _is_open(order)) for line in lines]
    return PurchaseOrderSummaryOut.model_validate(_summary_fields(order, outs))


def order_out(view: PurchaseOrderView) -> PurchaseOrderOut:
    outs = [_line_out(line, _is_open(view.order)) for line in view.lines]
    notices = [
        ShippingNoticeOut(
            id=n.notice.id,
            number=n.notice.number,
            status=n.notice.status,
            expected_on=n.notice.expected_on,
            carrier=n.notice.carrier,
            tracking=n.notice.tracking,
            created_at=n.notice.created_at,
            received_at=n.notice.received_at,
            lines=[NoticeLineOut(variant_id=x.variant_id, quantity=x.quantity) for x in n.lines],
        )
        for n in view.notices
    ]
    return PurchaseOrderOut.model_validate(
        _summary_fields(view.order, outs)
        | {
            "note": view.order.note,
            "lines": outs,
            "asns": notices,
            "receipts": [receipt_out(r) for r in view.receipts],
        }
    )


def incoming_out(line: IncomingLine) -> IncomingOut:
    return IncomingOut(
        variant_id=line.variant_id,
        quantity=line.quantity,
        expected_on=line.expected_on,
        document_type=line.document_type,
        document_id=line.document_id,
        reference=line.reference,
    )


_SUMMARY_FIELDS = tuple(
    name for name in PurchaseOrderSummaryOut.model_fields if name not in ("ordered", "outstanding")
)
