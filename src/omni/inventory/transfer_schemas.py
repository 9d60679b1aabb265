"""Request and response models of transfers, and of receipts (shared with purchase
orders)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field

from omni.http.schemas import StrictModel
from omni.inventory.document_queries import ReceiptView, TransferView, transfer_progress
from omni.inventory.document_rules import TransferStatus
from omni.inventory.documents import Transfer, TransferLine

Id = Annotated[str, Field(min_length=1, max_length=32)]
Units = Annotated[int, Field(gt=0, le=1_000_000)]
MaybeUnits = Annotated[int, Field(ge=0, le=1_000_000)]
Text = Annotated[str, Field(min_length=1, max_length=100)]
Note = Annotated[str, Field(max_length=2000)]
MAX_LINES = 1000


class LineIn(StrictModel):
    variant_id: Id
    quantity: Units


class TransferIn(StrictModel):
    from_location_id: Id
    to_location_id: Id
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=MAX_LINES)]
    expected_on: date | None = None
    carrier: Text | None = None
    tracking: Text | None = None
    note: Note | None = None


class ShipIn(StrictModel):
    """Optional details known only when the truck leaves."""

    carrier: Text | None = None
    tracking: Text | None = None
    expected_on: date | None = None


class ReceiptLineIn(StrictModel):
    variant_id: Id
    quantity: MaybeUnits = Field(default=0, description="Units arrived in sellable condition.")
    damaged: MaybeUnits = Field(default=0, description="Units arrived damaged (unsellable).")


class ReceiptIn(StrictModel):
    lines: Annotated[list[ReceiptLineIn], Field(max_length=MAX_LINES)] = []
    final: bool = Field(
        default=False,
        description="Nothing more will come: what has not arrived is written off "
        "(transfer: lost in transit; purchase order: closed short).",
    )
    received_at: AwareDatetime | None = Field(
        default=None, description="When the goods arrived; default now."
    )
    note: Note | None = None


class ReceiptLineOut(BaseModel):
    variant_id: str
    quantity: int
    damaged: int
    over: int
    short: int


class ReceiptOut(BaseModel):
    id: str
    received_at: datetime
    recorded_at: datetime
    final: bool
    asn_id: str | None
    note: str | None
    actor_kind: str
    actor_id: str | None
    lines: list[ReceiptLineOut]


def receipt_out(view: ReceiptView) -> ReceiptOut:
    r = view.receipt
    return ReceiptOut(
        id=r.id,
        received_at=r.received_at,
        recorded_at=r.recorded_at,
        final=r.final,
        asn_id=r.asn_id,
        note=r.note,
        actor_kind=r.actor_kind,
        actor_id=r.actor_id,
        lines=[
            ReceiptLineOut(
                variant_id=line.variant_id,
                quantity=line.quantity,
                damaged=line.damaged,
                over=line.over,
                short=line.short,
            )
            for line in view.lines
        ],
    )


class TransferLineOut(BaseModel):
    variant_id: str
    quantity: int = Field(description="Shipped (or to ship, while a draft).")
    received: int
    damaged: int
    short: int = Field(description="Never arrived: written off by the final receipt.")
    over: int = Field(description="Arrived beyond what was shipped.")
    in_transit: int


class TransferSummaryOut(BaseModel):
    id: str
    status: TransferStatus
    from_location_id: str
    to_location_id: str
    expected_on: date | None
    carrier: str | None
    tracking: str | None
    created_at: datetime
    shipped_at: datetime | None
    received_at: datetime | None
    cancelled_at: datetime | None
    version: int
    units: int
    in_transit: int


class TransferOut(TransferSummaryOut):
    note: str | None
    lines: list[TransferLineOut]
    receipts: list[ReceiptOut]


def _line_out(line: TransferLine, shipped: bool) -> TransferLineOut:
    progress = transfer_progress(line)
    return TransferLineOut(
        variant_id=line.variant_id,
        quantity=line.quantity,
        received=line.received,
        damaged=line.damaged,
        short=line.short,
        over=progress.over,
        in_transit=progress.outstanding if shipped else 0,
    )


def _is_in_transit(transfer: Transfer) -> bool:
    return transfer.status in (TransferStatus.SHIPPED, TransferStatus.PARTIALLY_RECEIVED)


def transfer_summary(transfer: Transfer, lines: list[TransferLine]) -> TransferSummaryOut:
    outs = [_line_out(line, _is_in_transit(transfer)) for line in lines]
    return TransferSummaryOut(
        **{name: getattr(transfer, name) for name in _SUMMARY_FIELDS},
        units=sum(line.quantity for line in outs),
        in_transit=sum(line.in_transit for line in outs),
    )


def transfer_out(view: TransferView) -> TransferOut:
    transfer = view.transfer
    outs = [_line_out(line, _is_in_transit(transfer)) for line in view.lines]
    return TransferOut(
        **{name: getattr(transfer, name) for name in _SUMMARY_FIELDS},
        note=transfer.note,
        units=sum(line.quantity for line in outs),
        in_transit=sum(line.in_transit for line in outs),
        lines=outs,
        receipts=[receipt_out(r) for r in view.receipts],
    )


_SUMMARY_FIELDS = tuple(
    name for name in TransferSummaryOut.model_fields if name not in ("units", "in_transit")
)
