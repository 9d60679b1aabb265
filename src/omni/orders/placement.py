"""Placing an order: one short unit of work that takes the stock, writes the order, its
fulfilment groups, lines and first status, lets the payment and coupon steps write theirs
(``inside``), and records ``order.placed`` — all committed together or not at all.

Stock: lines fulfilled later are reserved through the channel (ORDER reservations, in
stock-level id order, one conditional update each; a cart's holds are given back in the
same transaction first, so the held units serve the order). A carry-out line is a fact —
the shopper is holding the item at the till — recorded as a sale that leaves on hand at
once. If stock runs out, inventory answers 409 and has already rolled the unit of work
back: nothing of the order exists, and the caller voids the payment authorization.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import insert

from omni.db.uow import UnitOfWork
from omni.inventory import api as inventory_api
from omni.kernel.ids import new_id
from omni.orders.domain import FulfilmentMethod, OrderStatus, web_order_number
from omni.orders.drafts import DraftLine, OrderDraft
from omni.orders.events import OrderPlaced
from omni.orders.models import FulfilmentGroup, Order, OrderLine, OrderStatusChange

Inside = Callable[[UnitOfWork, str], Awaitable[None]]


@dataclass(frozen=True)
class Placed:
    order_id: str
    number: str
    status: OrderStatus


async def place_order(
    uow: UnitOfWork,
    draft: OrderDraft,
    *,
    status: OrderStatus = OrderStatus.PLACED,
    number: str | None = None,
    inside: Inside | None = None,
) -> Placed:
    order_id = new_id("ord")
    number = number or web_order_number(order_id)
    async with uow:
        reservation_ids = await _take_stock(uow, draft, order_id)
        group_ids = [new_id("ofg") for _ in draft.groups]
        await _write_order(uow, draft, order_id, number, status)
        await _write_groups(uow, draft, order_id, group_ids, status)
        await _write_lines(uow, draft, order_id, group_ids, reservation_ids)
        await _write_history(uow, order_id, status)
        if inside is not None:
            await inside(uow, order_id)
        uow.record(
            OrderPlaced(
                order_id=order_id,
                number=number,
                channel_id=draft.channel_id,
                customer_id=draft.customer_id,
                status=status.value,
                currency=draft.currency,
                total=draft.total,
                lines=[
                    {"variant_id": line.variant_id, "quantity": line.quantity}
                    for line in draft.lines
                ],
            )
        )
        uow.audit("order.placed", "order", order_id, {"number": number, "total": draft.total})
        await uow.commit()
    return Placed(order_id, number, status)


async def _take_stock(uow: UnitOfWork, draft: OrderDraft, order_id: str) -> dict[int, list[str]]:
    """Reserve (or, for carry-out, sell) every line; reservation ids per line index."""

    def carried_out(line: DraftLine) -> bool:
        return draft.groups[line.group].method is FulfilmentMethod.CARRY_OUT

    carried = [line for line in draft.lines if carried_out(line)]
    later = [(i, line) for i, line in enumerate(draft.lines) if not carried_out(line)]
    if carried:
        await inventory_api.record_changes(uow, [_sale(draft, line, order_id) for line in carried])
    if not later:
        return {}
    if draft.cart_id:
        await inventory_api.release(uow, draft.cart_id)
    reserved = await inventory_api.reserve_for_channel(
        uow,
        draft.channel_id,
        [
            inventory_api.SellLine(
                line.variant_id, draft.groups[line.group].location_id, line.quantity
            )
            for _, line in later
        ],
        inventory_api.ReservationKind.ORDER,
        order_id,
    )
    by_place: dict[tuple[str, str], list[str]] = {}
    for item in reserved:
        by_place.setdefault((item.variant_id, item.location_id), []).append(item.reservation_id)
    return {
        index: by_place.get((line.variant_id, draft.groups[line.group].location_id), [])
        for index, line in later
    }


def _sale(draft: OrderDraft, line: DraftLine, order_id: str) -> inventory_api.StockChange:
    return inventory_api.StockChange(
        line.variant_id,
        draft.groups[line.group].location_id,
        inventory_api.MovementKind.SALE,
        line.quantity,
        inventory_api.Source("order", order_id, "carry-out sale", draft.channel_id),
        is_fact=True,
    )


async def _write_order(
    uow: UnitOfWork, draft: OrderDraft, order_id: str, number: str, status: OrderStatus
) -> None:
    now = uow.clock.now()
    await uow.session.execute(
        insert(Order).values(
            id=order_id,
            number=number,
            channel_id=draft.channel_id,
            channel_kind=draft.channel_kind,
            external_id=draft.external_id,
            customer_id=draft.customer_id,
            cart_id=draft.cart_id,
            status=status.value,
            currency=draft.currency,
            prices_include_tax=draft.prices_include_tax,
            subtotal=draft.subtotal,
            discount_total=draft.discount_total,
            shipping_total=draft.shipping_total,
            tax_total=draft.tax_total,
            total=draft.total,
            selling_location_id=draft.selling_location_id,
            associate_id=draft.associate_id,
            register_session_id=draft.register_session_id,
            contact=draft.contact,
            shipping_address=draft.shipping_address,
            promotions=list(draft.promotions),
            coupon_codes=list(draft.coupon_codes),
            note=draft.note,
            placed_at=now,
            updated_at=now,
            version=1,
        )
    )


async def _write_groups(
    uow: UnitOfWork,
    draft: OrderDraft,
    order_id: str,
    group_ids: list[str],
    status: OrderStatus,
) -> None:
    done = status is OrderStatus.FULFILLED
    await uow.session.execute(
        insert(FulfilmentGroup),
        [
            {
                "id": group_id,
                "order_id": order_id,
                "method": group.method.value,
                "location_id": group.location_id,
                "status": "fulfilled" if done else "open",
                "shipping_amount": group.shipping_amount,
                "promised_by": group.promised_by,
                "sourcing": group.sourcing,
            }
            for group_id, group in zip(group_ids, draft.groups, strict=True)
        ],
    )


async def _write_lines(
    uow: UnitOfWork,
    draft: OrderDraft,
    order_id: str,
    group_ids: list[str],
    reservation_ids: dict[int, list[str]],
) -> None:
    await uow.session.execute(
        insert(OrderLine),
        [
            {
                "id": new_id("oln"),
                "order_id": order_id,
                "group_id": group_ids[line.group],
                "position": position,
                "variant_id": line.variant_id,
                "sku": line.sku,
                "title": line.title,
                "quantity": line.quantity,
                "cancelled_quantity": 0,
                "unit_price": line.unit_price,
                "subtotal": line.subtotal,
                "discount": line.discount,
                "tax": line.tax,
                "total": line.total,
                "tax_rate": line.tax_rate,
                "promotions": list(line.promotions),
                "reservation_ids": reservation_ids.get(position - 1, []),
            }
            for position, line in enumerate(draft.lines, start=1)
        ],
    )


async def _write_history(uow: UnitOfWork, order_id: str, status: OrderStatus) -> None:
    """The first status (a carry-out sale is placed and fulfilled in the same moment)."""
    now = uow.clock.now()
    steps: list[tuple[OrderStatus | None, OrderStatus]] = [(None, OrderStatus.PLACED)]
    if status is OrderStatus.PENDING_PAYMENT:
        steps = [(None, status)]
    elif status is not OrderStatus.PLACED:
        steps.append((OrderStatus.PLACED, status))
    await uow.session.execute(
        insert(OrderStatusChange),
        [
            {
                "id": new_id("osc"),
                "order_id": order_id,
                "from_status": before.value if before else None,
                "to_status": after.value,
                "at": now,
                "actor_kind": uow.actor.kind.value,
                "actor_id": uow.actor.id,
                "reason": None,
            }
            for before, after in steps
        ],
    )
