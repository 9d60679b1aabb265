"""HTTP endpoints: /orders/{id}/changes (ORD6) — change an order before release, and its
history of changes.

A change takes an Idempotency-Key: a retry returns the first answer and makes no second
change, authorization or refund. ``If-Match: "v<version>"`` makes it conditional on the
order being as the client last read it (412 otherwise). The shopper changes their own
orders; staff need ``orders.write`` (store staff: orders of their stores); anyone else
gets 404. The body is scanned for card data first (422, never logged).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Request, Response
from sqlalchemy import select

from omni.http.deps import Access, DbDep
from omni.http.etag import parse_if_match, set_etag
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.orders import access
from omni.orders.change_models import OrderChange
from omni.orders.change_schemas import ChangedOrderOut, OrderChangeIn, OrderChangeOut
from omni.orders.changes import change_order
from omni.orders.queries import get_order
from omni.orders.schemas import OrderOut
from omni.payments import api as payments_api

router = payments_api.guard_router(new_router("/orders", ["orders"]))


@router.post(
    "/{order_id}/changes",
    summary="Change an order before release: lines, quantities, address (re-priced)",
    status_code=201,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def post_change(
    order_id: str,
    body: OrderChangeIn,
    db: DbDep,
    request: Request,
    response: Response,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", max_length=200)],
    if_match: Annotated[str | None, Header()] = None,
    actor: Actor = Access(access.WRITE, customers=True),
) -> ChangedOrderOut:
    provider = payments_api.app_provider(request.app.state)
    command = body.command(order_id, parse_if_match(if_match))
    done = await change_order(db, provider, actor, command, idempotency_key)
    async with db.reader() as session:
        change = await session.get(OrderChange, done.change_id)
        view = await get_order(session, order_id)
    assert change is not None and view is not None  # just committed; never deleted
    response.headers["Location"] = f"/api/v1/orders/{order_id}/changes/{done.change_id}"
    set_etag(response, view.order.version)
    return ChangedOrderOut(change=OrderChangeOut.of(change), order=OrderOut.of_view(view))


@router.get("/{order_id}/changes", summary="The changes made to an order, oldest first")
async def get_changes(
    order_id: str, db: DbDep, actor: Actor = Access(access.READ, customers=True)
) -> list[OrderChangeOut]:
    async with db.reader() as session:
        access.visible(await get_order(session, order_id), actor)
        rows = await session.scalars(
            select(OrderChange)
            .where(OrderChange.order_id == order_id)
            .order_by(OrderChange.at, OrderChange.id)
        )
        return [OrderChangeOut.of(row) for row in rows]
