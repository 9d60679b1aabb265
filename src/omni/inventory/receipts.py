"""Booking a delivery in, shared by transfers and purchase orders: what arrived per line
(sellable and damaged), what of it was expected (leaves ``incoming``), what was over,
and — when the document is closed — what never came (released from ``incoming``).

The document's lines must have been read after the document was claimed, so the
progress seen here is what earlier receipts committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update

from omni.db.uow import UnitOfWork
from omni.inventory import ledger
from omni.inventory.document_rules import LineProgress
from omni.inventory.document_stock import Move, Step
from omni.inventory.documents import Receipt, ReceiptLine
from omni.inventory.domain import MovementKind
from omni.kernel.errors import InvalidInput
from omni.kernel.ids import new_id


@dataclass(frozen=True)
class Arrival:
    variant_id: str
    quantity: int  # arrived sellable
    damaged: int = 0


@dataclass(frozen=True)
class Booked:
    line_id: str
    variant_id: str
    quantity: int
    damaged: int
    from_incoming: int  # of the arrived units, how many were expected
    over: int  # arrived beyond what was expected
    short: int  # written off now because the document closes

    def as_event_line(self) -> dict[str, Any]:
        return {
            "variant_id": self.variant_id,
            "quantity": self.quantity,
            "damaged": self.damaged,
            "over": self.over,
            "short": self.short,
        }


@dataclass(frozen=True)
class OpenLine:
    """A document line as read under the claim: its id and progress so far."""

    line_id: str
    progress: LineProgress


def merge_arrivals(arrivals: list[Arrival], lines: Mapping[str, OpenLine]) -> dict[str, Arrival]:
    """One arrival per variant; every variant must be on the document."""
    merged: dict[str, Arrival] = {}
    for arrival in arrivals:
        if arrival.quantity < 0 or arrival.damaged < 0 or arrival.quantity + arrival.damaged == 0:
            raise InvalidInput(
                "Each line needs a positive quantity or damaged count.", field="lines"
            )
        if arrival.variant_id not in lines:
            raise InvalidInput(
                "This variant is not on the document: book it in with an adjustment.",
                field="lines",
                variant_id=arrival.variant_id,
            )
        before = merged.get(arrival.variant_id, Arrival(arrival.variant_id, 0, 0))
        merged[arrival.variant_id] = Arrival(
            arrival.variant_id, before.quantity + arrival.quantity, before.damaged + arrival.damaged
        )
    return merged


def book(
    lines: Mapping[str, OpenLine], arrivals: Mapping[str, Arrival], *, final: bool
) -> list[Booked]:
    """Per line: what this receipt books (lines with nothing to book are left out)."""
    booked = []
    for variant_id, line in sorted(lines.items()):
        arrival = arrivals.get(variant_id, Arrival(variant_id, 0, 0))
        units = arrival.quantity + arrival.damaged
        progress = line.progress
        after = LineProgress(progress.expected, progress.arrived + units, progress.short)
        short = after.outstanding if final else 0
        if units == 0 and short == 0:
            continue
        booked.append(
            Booked(
                line_id=line.line_id,
                variant_id=variant_id,
                quantity=arrival.quantity,
                damaged=arrival.damaged,
                from_incoming=progress.from_incoming(units),
                over=after.over - progress.over,
                short=short,
            )
        )
    return booked


def all_arrived(lines: Mapping[str, OpenLine], booked: list[Booked]) -> bool:
    """Nothing is outstanding any more after this receipt."""
    done = {b.variant_id: b.quantity + b.damaged + b.short for b in booked}
    return all(
        LineProgress(
            line.progress.expected, line.progress.arrived + done.get(v, 0), line.progress.short
        ).outstanding
        == 0
        for v, line in lines.items()
    )


def arrival_steps(booked: list[Booked], location_id: str, kind: MovementKind) -> list[Step]:
    """Arrived units go on hand (the expected ones out of incoming); damaged ones are
    set aside as unsellable; units written off leave incoming."""
    steps = []
    for line in booked:
        units = line.quantity + line.damaged
        moves = []
        if units:
            moves.append(Move(kind, ledger.Delta(on_hand=units, incoming=-line.from_incoming)))
        if line.damaged:
            moves.append(
                Move(
                    MovementKind.DAMAGE, ledger.Delta(unsellable=line.damaged), "damaged on arrival"
                )
            )
        if line.short:
            moves.append(
                Move(MovementKind.INCOMING, ledger.Delta(incoming=-line.short), "closed short")
            )
        steps.append(Step(line.variant_id, location_id, moves))
    return steps


async def update_lines(uow: UnitOfWork, line_model: Any, booked: list[Booked]) -> None:
    """Add what was booked to the document's lines, by SQL expression."""
    for line in booked:
        await uow.session.execute(
            update(line_model)
            .where(line_model.id == line.line_id)
            .values(
                received=line_model.received + line.quantity,
                damaged=line_model.damaged + line.damaged,
                short=line_model.short + line.short,
            )
        )


async def write_receipt(
    uow: UnitOfWork,
    *,
    document_type: str,
    document_id: str,
    location_id: str,
    booked: list[Booked],
    final: bool,
    received_at: datetime | None = None,
    asn_id: str | None = None,
    note: str | None = None,
) -> str:
    now = uow.clock.now()
    receipt_id = new_id("rcp")
    await uow.session.execute(
        insert(Receipt),
        [
            {
                "id": receipt_id,
                "document_type": document_type,
                "document_id": document_id,
                "location_id": location_id,
                "asn_id": asn_id,
                "final": final,
                "received_at": received_at or now,
                "recorded_at": now,
                "actor_kind": uow.actor.kind.value,
                "actor_id": uow.actor.id,
                "note": note,
            }
        ],
    )
    if booked:
        await uow.session.execute(
            insert(ReceiptLine),
            [
                {
                    "id": new_id("rcpl"),
                    "receipt_id": receipt_id,
                    "variant_id": line.variant_id,
                    "quantity": line.quantity,
                    "damaged": line.damaged,
                    "over": line.over,
                    "short": line.short,
                }
                for line in booked
            ],
        )
    return receipt_id
