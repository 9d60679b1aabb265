"""HTTP endpoints: /orders (ORD3, ORD6) — reading orders and moving them along.

Shoppers read their own orders and may cancel one before it is released to the store;
staff need ``orders.read`` / ``orders.write`` (store staff: orders sold or fulfilled at
their stores). Anyone else: 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from omni.db.database import Database
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.orders import access, service
from omni.orders.domain import OrderStatus
from omni.orders.queries import OrderFilter, get_order, list_orders
from omni.orders.schemas import OrderOut, OrderSummaryOut, ReasonIn
from omni.permissions import is_store_scoped

router = new_router("/orders", ["orders"])
PageDep = Annotated[PageParams, Depends(page_params)]
IdQuery = Annotated[str | None, Query(max_length=32)]


async def order_out(db: Database, order_id: str, actor: Actor) -> OrderOut:
    async with db.reader() as session:
        view = access.visible(await get_order(session, order_id), actor)
    return OrderOut.of_view(view)


@router.get("", summary="Orders, newest first (a shopper sees their own)")
async def get_orders(
    session: ReaderDep,
    page: PageDep,
    customer_id: IdQuery = None,
    channel_id: IdQuery = None,
    status: OrderStatus | None = None,
    location_id: IdQuery = None,
    actor: Actor = Access(access.READ, customers=True),
) -> Page[OrderSummaryOut]:
    places = frozenset({location_id}) if location_id else None
    if actor.is_customer:
        customer_id = actor.id
    elif is_store_scoped(actor):
        places = (places or actor.store_ids) & actor.store_ids
    where = OrderFilter(
        customer_id=customer_id,
        channel_id=channel_id,
        status=status.value if status else None,
        location_ids=places,
    )
    rows = await list_orders(session, where, before=page.after, limit=page.limit + 1)
    return make_page([OrderSummaryOut.of(row) for row in rows], page, lambda o: o.id)


@router.get("/{order_id}", summary="An order with its lines, fulfilment groups and history")
async def get_one(
    order_id: str, db: DbDep, actor: Actor = Access(access.READ, customers=True)
) -> OrderOut:
    return await order_out(db, order_id, actor)


@router.post("/{order_id}/release", summary="Release to fulfilment (no more edits)")
async def release(order_id: str, db: DbDep, actor: Actor = Access(access.WRITE)) -> OrderOut:
    await service.release(db.uow(actor), order_id)
    return await order_out(db, order_id, actor)


@router.post("/{order_id}/hold", summary="Keep the order back (payment review, request)")
async def hold(
    order_id: str, db: DbDep, body: ReasonIn | None = None, actor: Actor = Access(access.WRITE)
) -> OrderOut:
    await service.hold(db.uow(actor), order_id, (body or ReasonIn()).reason)
    return await order_out(db, order_id, actor)


@router.post("/{order_id}/resume", summary="Take an order off hold")
async def resume(order_id: str, db: DbDep, actor: Actor = Access(access.WRITE)) -> OrderOut:
    await service.resume(db.uow(actor), order_id)
    return await order_out(db, order_id, actor)


@router.post("/{order_id}/cancel", summary="Cancel the order; its stock goes back at once")
async def cancel(
    order_id: str,
    db: DbDep,
    body: ReasonIn | None = None,
    actor: Actor = Access(access.WRITE, customers=True),
) -> OrderOut:
    await service.cancel(db.uow(actor), order_id, (body or ReasonIn()).reason)
    return await order_out(db, order_id, actor)
