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
from typing import Any, cast

from sqlalchemy import Table

from omni.db.uow import UnitOfWork, insert_rows
from omni.inventory import api as inventory_api
from omni.kernel.ids import new_id
from omni.orders.domain import FulfilmentMethod, OrderStatus, web_order_number
from omni.orders.drafts import DraftLine, OrderDraft
from omni.orders.events import OrderPlaced
from omni.orders.models import FulfilmentGroup, Order, OrderLine, OrderStatusChange

ORDERS = cast(Table, Order.__table__)
GROUPS = cast(Table, FulfilmentGroup.__table__)
LINES = cast(Table, OrderLine.__table__)
HISTORY = cast(Table, OrderStatusChange.__table__)
Inside = Callable[[UnitOfWork, str], Awaitable[None]]
# Takes the order's number inside its unit of work (a till's receipt counter).
Numbering = Callable[[UnitOfWork], Awaitable[str]]


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
    number: str | Numbering | None = None,
    inside: Inside | None = None,
) -> Placed:
    order_id = new_id("ord")
    async with uow:
        if callable(number):
            number = await number(uow)
        number = number or web_order_number(order_id)
        reservation_ids = await _take_stock(uow, draft, order_id)
        group_ids = [new_id("ofg") for _ in draft.groups]
        # The order, its groups, lines and first status: one statement on PostgreSQL.
        await insert_rows(
            uow.session,
            [
                (ORDERS, [_order_row(uow, draft, order_id, number, status)]),
                (GROUPS, _group_rows(draft, order_id, group_ids, status)),
                (LINES, _line_rows(draft, order_id, group_ids, reservation_ids)),
                (HISTORY, _history_rows(uow, order_id, status)),
            ],
        )
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
    if draft.cart_id and draft.cart_holds:
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


def _order_row(
    uow: UnitOfWork, draft: OrderDraft, order_id: str, number: str, status: OrderStatus
) -> dict[str, Any]:
    now = uow.clock.now()
    return dict(
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


def _group_rows(
    draft: OrderDraft, order_id: str, group_ids: list[str], status: OrderStatus
) -> list[dict[str, Any]]:
    done = status is OrderStatus.FULFILLED
    return [
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
    ]


def _line_rows(
    draft: OrderDraft,
    order_id: str,
    group_ids: list[str],
    reservation_ids: dict[int, list[str]],
) -> list[dict[str, Any]]:
    return [
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
    ]


def _history_rows(uow: UnitOfWork, order_id: str, status: OrderStatus) -> list[dict[str, Any]]:
    """The first status (a carry-out sale is placed and fulfilled in the same moment)."""
    now = uow.clock.now()
    steps: list[tuple[OrderStatus | None, OrderStatus]] = [(None, OrderStatus.PLACED)]
    if status is OrderStatus.PENDING_PAYMENT:
        steps = [(None, status)]
    elif status is not OrderStatus.PLACED:
        steps.append((OrderStatus.PLACED, status))
    return [
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
    ]
