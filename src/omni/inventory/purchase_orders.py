"""Purchase orders and advance shipping notices (INV7): draft → open → partially
received → received, or cancelled before anything arrived.

Opening an order raises the destination's ``incoming`` by the ordered quantities (what
planners and "available soon" see); receipts (``receiving.py``) move it to on hand;
closing short or cancelling releases what will not come. An ASN is the supplier saying
what is on its way and when: it moves the expected date, and records the announced
quantities per line, but changes no stock — only goods that arrive do.

Buying is a planner's job: these commands need ``inventory.write``. Each opens, commits
and closes the unit of work it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from omni.db.uow import UnitOfWork
from omni.inventory import ledger
from omni.inventory.document_events import (
    PurchaseOrderCancelled,
    PurchaseOrderOpened,
    ShippingNoticeRecorded,
)
from omni.inventory.document_rules import (
    PURCHASE_ORDER_ACTIONS,
    LineProgress,
    PurchaseOrderStatus,
    receipt_limit,
)
from omni.inventory.document_stock import Move, Step, apply_steps
from omni.inventory.document_store import WRITE, check_locations, check_variants, claim, merged
from omni.inventory.documents import (
    AdvanceShippingNotice,
    AdvanceShippingNoticeLine,
    PurchaseOrder,
    PurchaseOrderLine,
)
from omni.inventory.domain import MovementKind
from omni.kernel.errors import Conflict, Forbidden, InvalidInput
from omni.kernel.ids import new_id
from omni.permissions import has_permission

NOT_FOUND = "No such purchase order."
SOURCE_TYPE = "purchase_order"
DEFAULT_TOLERANCE_PERCENT = 5


@dataclass(frozen=True)
class NewPurchaseOrder:
    supplier_code: str
    location_id: str
    lines: list[tuple[str, int]]  # (variant_id, ordered)
    number: str | None = None  # the ERP's number; the id when not given
    supplier_name: str | None = None
    expected_on: date | None = None
    tolerance_percent: int = DEFAULT_TOLERANCE_PERCENT
    note: str | None = None


@dataclass(frozen=True)
class NewShippingNotice:
    number: str
    lines: list[tuple[str, int]]
    expected_on: date | None = None
    carrier: str | None = None
    tracking: str | None = None


def _buyer_only(uow: UnitOfWork) -> None:
    if not has_permission(uow.actor, WRITE):
        raise Forbidden("Purchase orders need inventory.write.", required=[WRITE])


async def create_purchase_order(
    uow: UnitOfWork, new: NewPurchaseOrder, *, open_now: bool = False
) -> str:
    """A draft (or, with ``open_now``, an open order, as an ERP sends them)."""
    async with uow:
        order_id = await insert_purchase_order(uow, new, open_now=open_now)
        try:
            await uow.commit()
        except IntegrityError as error:  # lost a race for the same number
            raise Conflict("A purchase order with this number exists.", field="number") from error
    return order_id


async def insert_purchase_order(
    uow: UnitOfWork, new: NewPurchaseOrder, *, open_now: bool = False
) -> str:
    """The order's rows, inside the caller's open unit of work (which commits)."""
    if not 0 <= new.tolerance_percent <= 100:
        raise InvalidInput("Tolerance is a whole percent from 0 to 100.", field="tolerance_percent")
    ordered = merged(new.lines)
    _buyer_only(uow)
    await check_locations(uow.session, {"location_id": new.location_id})
    await check_variants(uow.session, ordered)
    order_id = new_id("po")
    number = new.number or order_id
    taken = await uow.session.scalar(select(PurchaseOrder.id).where(PurchaseOrder.number == number))
    if taken is not None:
        raise Conflict("A purchase order with this number exists.", field="number")
    now = uow.clock.now()
    uow.session.add(
        PurchaseOrder(
            id=order_id,
            number=number,
            supplier_code=new.supplier_code,
            supplier_name=new.supplier_name,
            location_id=new.location_id,
            status=PurchaseOrderStatus.DRAFT.value,
            expected_on=new.expected_on,
            tolerance_percent=new.tolerance_percent,
            note=new.note,
            created_at=now,
            updated_at=now,
            version=1,
        )
    )
    await uow.flush()
    await uow.session.execute(
        insert(PurchaseOrderLine),
        [
            {"id": new_id("pol"), "purchase_order_id": order_id, "variant_id": v, "ordered": q}
            for v, q in sorted(ordered.items())
        ],
    )
    uow.audit("inventory.po_created", "purchase_order", order_id, {"number": number})
    if open_now:
        await _open(uow, order_id)
    return order_id


async def open_purchase_order(uow: UnitOfWork, order_id: str) -> None:
    """Confirmed with the supplier: the ordered units become incoming at the location."""
    async with uow:
        _buyer_only(uow)
        await _open(uow, order_id)
        await uow.commit()


async def _open(uow: UnitOfWork, order_id: str) -> None:
    await claim(
        uow,
        PurchaseOrder,
        order_id,
        PURCHASE_ORDER_ACTIONS["open"],
        action="open",
        not_found=NOT_FOUND,
        values={"status": PurchaseOrderStatus.OPEN.value, "opened_at": uow.clock.now()},
    )
    order = await _header(uow, order_id)
    lines = await order_lines(uow, order_id)
    steps = [
        Step(
            line.variant_id,
            order.location_id,
            [Move(MovementKind.INCOMING, ledger.Delta(incoming=line.ordered), "on order")],
        )
        for line in lines
    ]
    await apply_steps(uow, steps, source_type=SOURCE_TYPE, source_id=order_id)
    uow.record(
        PurchaseOrderOpened(
            purchase_order_id=order_id,
            number=order.number,
            location_id=order.location_id,
            expected_on=order.expected_on.isoformat() if order.expected_on else None,
            lines=[{"variant_id": line.variant_id, "quantity": line.ordered} for line in lines],
        )
    )
    uow.audit("inventory.po_opened", "purchase_order", order_id)


async def _header(uow: UnitOfWork, order_id: str) -> PurchaseOrder:
    """The order's row as it is now (read after the claim: a fresh object, not a cached one)."""
    order = await uow.session.scalar(
        select(PurchaseOrder)
        .where(PurchaseOrder.id == order_id)
        .execution_options(populate_existing=True)
    )
    assert order is not None  # claimed just before
    return order


async def order_lines(uow: UnitOfWork, order_id: str) -> list[PurchaseOrderLine]:
    rows = await uow.session.scalars(
        select(PurchaseOrderLine)
        .where(PurchaseOrderLine.purchase_order_id == order_id)
        .order_by(PurchaseOrderLine.variant_id)
        .execution_options(populate_existing=True)
    )
    return list(rows)


def progress(line: PurchaseOrderLine) -> LineProgress:
    return LineProgress(line.ordered, line.received + line.damaged, line.short)


async def cancel_purchase_order(uow: UnitOfWork, order_id: str) -> None:
    """Only before anything arrived; an open order's incoming is released."""
    async with uow:
        _buyer_only(uow)
        await claim(
            uow,
            PurchaseOrder,
            order_id,
            PURCHASE_ORDER_ACTIONS["cancel"],
            action="cancel (once goods arrived, close it short instead)",
            not_found=NOT_FOUND,
            values={
                "status": PurchaseOrderStatus.CANCELLED.value,
                "cancelled_at": uow.clock.now(),
            },
        )
        order = await _header(uow, order_id)
        # opened_at, not the status read before the claim: a concurrent "open" may have
        # committed in between, and its incoming must be released too.
        if order.opened_at is not None:
            steps = [
                Step(
                    line.variant_id,
                    order.location_id,
                    [Move(MovementKind.INCOMING, ledger.Delta(incoming=-outstanding), "cancelled")],
                )
                for line in await order_lines(uow, order_id)
                if (outstanding := progress(line).outstanding)
            ]
            await apply_steps(uow, steps, source_type=SOURCE_TYPE, source_id=order_id)
        uow.record(PurchaseOrderCancelled(purchase_order_id=order_id))
        uow.audit("inventory.po_cancelled", "purchase_order", order_id)
        await uow.commit()


async def record_shipping_notice(uow: UnitOfWork, order_id: str, notice: NewShippingNotice) -> str:
    """The supplier announced a delivery: new expected date, quantities on their way."""
    announced = merged(notice.lines)
    async with uow:
        _buyer_only(uow)
        asn_id = await add_shipping_notice(uow, order_id, notice, announced)
        try:
            await uow.commit()
        except IntegrityError as error:
            raise Conflict("This ASN number is already recorded.", field="number") from error
    return asn_id


async def add_shipping_notice(
    uow: UnitOfWork, order_id: str, notice: NewShippingNotice, announced: dict[str, int]
) -> str:
    """In the caller's unit of work (the CSV import shares it)."""
    changes = {"expected_on": notice.expected_on} if notice.expected_on else {}
    await claim(
        uow,
        PurchaseOrder,
        order_id,
        PURCHASE_ORDER_ACTIONS["advise"],
        action="record a shipping notice",
        not_found=NOT_FOUND,
        values=changes,
    )
    order = await _header(uow, order_id)
    lines = {line.variant_id: line for line in await order_lines(uow, order_id)}
    _check_announced(order, lines, announced)
    duplicate = await uow.session.scalar(
        select(AdvanceShippingNotice.id).where(
            AdvanceShippingNotice.purchase_order_id == order_id,
            AdvanceShippingNotice.number == notice.number,
        )
    )
    if duplicate is not None:
        raise Conflict("This ASN number is already recorded.", field="number", asn_id=duplicate)
    asn_id = new_id("asn")
    uow.session.add(
        AdvanceShippingNotice(
            id=asn_id,
            purchase_order_id=order_id,
            number=notice.number,
            status="in_transit",
            expected_on=notice.expected_on,
            carrier=notice.carrier,
            tracking=notice.tracking,
            created_at=uow.clock.now(),
        )
    )
    await uow.flush()
    await uow.session.execute(
        insert(AdvanceShippingNoticeLine),
        [
            {"id": new_id("asnl"), "asn_id": asn_id, "variant_id": v, "quantity": q}
            for v, q in sorted(announced.items())
        ],
    )
    for variant_id, quantity in announced.items():
        await uow.session.execute(
            update(PurchaseOrderLine)
            .where(PurchaseOrderLine.id == lines[variant_id].id)
            .values(advised=PurchaseOrderLine.advised + quantity)
        )
    _record_notice(uow, order_id, asn_id, notice, announced)
    return asn_id


def _check_announced(
    order: PurchaseOrder, lines: dict[str, PurchaseOrderLine], announced: dict[str, int]
) -> None:
    unknown = sorted(set(announced) - set(lines))
    if unknown:
        raise InvalidInput("Not on this purchase order.", field="lines", variant_ids=unknown)
    beyond = [
        {"variant_id": v, "ordered": lines[v].ordered, "announced": lines[v].advised + q}
        for v, q in sorted(announced.items())
        if lines[v].advised + q > receipt_limit(lines[v].ordered, order.tolerance_percent)
    ]
    if beyond:
        raise InvalidInput(
            "The supplier announces more than was ordered (beyond the tolerance).",
            field="lines",
            lines=beyond,
        )


def _record_notice(
    uow: UnitOfWork,
    order_id: str,
    asn_id: str,
    notice: NewShippingNotice,
    announced: dict[str, int],
) -> None:
    uow.record(
        ShippingNoticeRecorded(
            purchase_order_id=order_id,
            asn_id=asn_id,
            number=notice.number,
            expected_on=notice.expected_on.isoformat() if notice.expected_on else None,
            lines=[{"variant_id": v, "quantity": q} for v, q in sorted(announced.items())],
        )
    )
    uow.audit("inventory.asn_recorded", "purchase_order", order_id, {"asn_id": asn_id})
