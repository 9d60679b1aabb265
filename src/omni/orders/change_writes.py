"""The unit of work of an order change (see ``changes``): everything the change does to
the database, committed together or not at all.

The order row is locked first and must still be at the version the change was computed
from — a conditional check under the lock (on SQLite writers are serialised already) —
so of two concurrent changes the second is refused (409) instead of overwriting the
first with totals computed from a stale order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update

from omni.db.database import Database
from omni.db.uow import UnitOfWork
from omni.inventory import api as inventory_api
from omni.kernel.errors import Conflict, NotFound
from omni.orders import service
from omni.orders.change_models import OrderChange
from omni.orders.change_payments import PaymentPlan
from omni.orders.change_payments import apply as apply_payments
from omni.orders.change_pricing import RepricedOrder, active_quantity
from omni.orders.events import OrderChanged
from omni.orders.models import FulfilmentGroup, Order, OrderLine
from omni.orders.queries import OrderView
from omni.orders.shipping import Address
from omni.payments import api as payments_api


class OrderChangedMeanwhile(Conflict):
    code = "order_changed_meanwhile"
    title = "The order changed meanwhile"


@dataclass(frozen=True)
class Change:
    id: str
    view: OrderView  # the order as the change was computed from
    quantities: dict[str, int]  # units per line after the change
    address: Address | None  # the new delivery address, if it changes
    priced: RepricedOrder | None  # None: every unit cancelled, the order is cancelled
    money: PaymentPlan
    outcomes: list[payments_api.AuthorizationOutcome]  # tenders for an increase
    reason: str | None

    @property
    def order_id(self) -> str:
        return self.view.order.id


async def write(uow: UnitOfWork, change: Change) -> None:
    async with uow:
        await _lock_at_version(uow, change.view.order)
        if change.priced is None:
            await service.cancel_as_system(uow, change.order_id, change.reason or "order changed")
        else:
            await _stock(uow, change)
            await _lines(uow, change, change.priced)
            await _groups(uow, change, change.priced)
            await _order(uow, change, change.priced)
            await apply_payments(uow, change.money)
            if change.outcomes:
                await payments_api.record_payments(uow, change.order_id, change.outcomes)
        await _history(uow, change)
        await uow.commit()


async def _lock_at_version(uow: UnitOfWork, order: Order) -> None:
    version = await uow.session.scalar(
        select(Order.version).where(Order.id == order.id).with_for_update()
    )
    if version is None:
        raise NotFound("No such order.")
    if version != order.version:
        raise OrderChangedMeanwhile(
            "The order changed while this change was prepared; read it again and retry.",
            expected_version=order.version,
            current_version=version,
        )


async def _stock(uow: UnitOfWork, change: Change) -> None:
    """Fewer units: give them back off the line's reservations. More: reserve them at the
    line's location (409 with where else it is, and the unit of work rolled back)."""
    location = {group.id: group.location_id for group in change.view.groups}
    fewer, more = [], []
    for line in change.view.lines:
        difference = change.quantities[line.id] - active_quantity(line)
        if difference < 0:
            fewer.append(inventory_api.UnitRelease(tuple(line.reservation_ids), -difference))
        elif difference > 0:
            more.append((line, location[line.group_id], difference))
    if fewer:
        await inventory_api.release_units(uow, change.order_id, fewer)
    if not more:
        return
    reserved = await inventory_api.reserve_for_channel(
        uow,
        change.view.order.channel_id,
        [inventory_api.SellLine(line.variant_id, place, units) for line, place, units in more],
        inventory_api.ReservationKind.ORDER,
        change.order_id,
    )
    by_place: dict[tuple[str, str], list[str]] = {}
    for item in reserved:
        by_place.setdefault((item.variant_id, item.location_id), []).append(item.reservation_id)
    for line, place, _ in more:
        taken = by_place.get((line.variant_id, place), [])
        await uow.session.execute(
            update(OrderLine)
            .where(OrderLine.id == line.id)
            .values(reservation_ids=[*line.reservation_ids, *taken])
            .execution_options(synchronize_session=False)
        )


async def _lines(uow: UnitOfWork, change: Change, priced: RepricedOrder) -> None:
    for line in change.view.lines:
        after = priced.lines[line.id]
        difference = after.quantity - active_quantity(line)
        await uow.session.execute(
            update(OrderLine)
            .where(OrderLine.id == line.id)
            .values(
                # Units cancelled stay on the line (its history); units added extend it.
                quantity=line.quantity + max(difference, 0),
                cancelled_quantity=line.cancelled_quantity + max(-difference, 0),
                subtotal=after.subtotal,
                discount=after.discount,
                tax=after.tax,
                total=after.total,
                tax_rate=after.tax_rate,
                promotions=after.promotions,
            )
            .execution_options(synchronize_session=False)
        )


async def _groups(uow: UnitOfWork, change: Change, priced: RepricedOrder) -> None:
    for group in change.view.groups:
        live = any(
            change.quantities[line.id] > 0
            for line in change.view.lines
            if line.group_id == group.id
        )
        await uow.session.execute(
            update(FulfilmentGroup)
            .where(FulfilmentGroup.id == group.id)
            .values(
                shipping_amount=priced.shipping_by_group[group.id],
                status="open" if live else "cancelled",
            )
            .execution_options(synchronize_session=False)
        )


async def _order(uow: UnitOfWork, change: Change, priced: RepricedOrder) -> None:
    address = change.address.as_dict() if change.address else change.view.order.shipping_address
    await uow.session.execute(
        update(Order)
        .where(Order.id == change.order_id)
        .values(
            subtotal=priced.subtotal,
            discount_total=priced.discount_total,
            shipping_total=priced.shipping_total,
            tax_total=priced.tax_total,
            total=priced.total,
            promotions=priced.promotions,
            shipping_address=address,
            updated_at=uow.clock.now(),
            version=Order.version + 1,
        )
        .execution_options(synchronize_session=False)
    )


async def _history(uow: UnitOfWork, change: Change) -> None:
    order = change.view.order
    lines = _line_changes(change)
    total_after = change.priced.total if change.priced else 0
    kind = _kind(change)
    version = await uow.session.scalar(select(Order.version).where(Order.id == order.id))
    await uow.session.execute(
        insert(OrderChange).values(
            id=change.id,
            order_id=order.id,
            kind=kind,
            at=uow.clock.now(),
            actor_kind=uow.actor.kind.value,
            actor_id=uow.actor.id,
            reason=change.reason,
            total_before=order.total,
            total_after=total_after,
            lines=lines,
            address_before=order.shipping_address if change.address else None,
            address_after=change.address.as_dict() if change.address else None,
            payments=_payment_entries(change),
            order_version=version or order.version,
        )
    )
    uow.record(
        OrderChanged(
            order_id=order.id, total=total_after, changes=lines, change_id=change.id, kind=kind
        )
    )
    uow.audit(
        "order.changed",
        "order",
        order.id,
        {"change_id": change.id, "total_before": order.total, "total_after": total_after},
    )


def _kind(change: Change) -> str:
    """What the requester changed (re-pricing alone changes other lines' totals too)."""
    quantities = any(
        change.quantities[line.id] != active_quantity(line) for line in change.view.lines
    )
    if change.address is None:
        return "lines"
    return "lines_and_address" if quantities else "address"


def _line_changes(change: Change) -> list[dict[str, Any]]:
    changed = []
    for line in change.view.lines:
        before, after = active_quantity(line), change.quantities[line.id]
        total_after = change.priced.lines[line.id].total if change.priced else 0
        if before == after and total_after == line.total:
            continue
        changed.append(
            {
                "line_id": line.id,
                "sku": line.sku,
                "variant_id": line.variant_id,
                "quantity_before": before,
                "quantity_after": after,
                "total_before": line.total,
                "total_after": total_after,
            }
        )
    return changed


def _payment_entries(change: Change) -> list[dict[str, Any]]:
    added = [
        {"action": "tender", "kind": o.tender.kind.value, "amount": o.tender.amount.amount}
        for o in change.outcomes
    ]
    return [*change.money.entries(), *added]


async def record_settlement(db: Database, change_id: str, outcomes: dict[str, str]) -> None:
    """After the provider calls: how each refund or void went, on the change's row."""
    async with db.uow() as uow:
        row = await uow.session.get(OrderChange, change_id, with_for_update=True)
        if row is None:
            raise NotFound("No such change.")
        row.payments = [
            {**entry, "status": outcomes[entry["payment_id"]]}
            if entry.get("action") in ("refund", "void") and entry.get("payment_id") in outcomes
            else entry
            for entry in row.payments
        ]
        await uow.commit()
