"""HTTP endpoints: /inventory/purchase-orders (INV7) and what is incoming per location.

Reading needs ``inventory.read``. Buying — creating, opening, announcing (ASN),
closing short, cancelling — needs ``inventory.write``. Booking a delivery in needs
``inventory.write``, or ``inventory.write_own`` at the store manager's own store (other
stores' orders answer 404). Every POST that changes stock takes an Idempotency-Key.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response

from omni.db.database import Database
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.inventory import document_queries, purchase_orders, receiving
from omni.inventory.document_rules import PurchaseOrderStatus
from omni.inventory.receipts import Arrival
from omni.inventory.receiving_schemas import (
    CloseIn,
    IncomingOut,
    PurchaseOrderIn,
    PurchaseOrderOut,
    PurchaseOrderReceiptIn,
    PurchaseOrderSummaryOut,
    ShippingNoticeIn,
    incoming_out,
    order_out,
    order_summary,
)
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound
from omni.locations import api as locations_api

router = new_router("/inventory", ["inventory documents"])
PageDep = Annotated[PageParams, Depends(page_params)]
ORDERS = "/purchase-orders"
BUYER = "inventory.write"
RECEIVERS = ("inventory.write", "inventory.write_own")


async def _view(db: Database, order_id: str) -> PurchaseOrderOut:
    async with db.reader() as session:
        view = await document_queries.get_purchase_order(session, order_id)
    if view is None:
        raise NotFound(purchase_orders.NOT_FOUND)
    return order_out(view)


@router.post(
    ORDERS,
    summary="Create a purchase order (a draft, or open at once)",
    status_code=201,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def create_purchase_order(
    body: PurchaseOrderIn, db: DbDep, response: Response, actor: Actor = Access(BUYER)
) -> PurchaseOrderOut:
    order_id = await purchase_orders.create_purchase_order(
        db.uow(actor),
        purchase_orders.NewPurchaseOrder(
            supplier_code=body.supplier_code,
            supplier_name=body.supplier_name,
            number=body.number,
            location_id=body.location_id,
            lines=[(line.variant_id, line.quantity) for line in body.lines],
            expected_on=body.expected_on,
            tolerance_percent=body.tolerance_percent,
            note=body.note,
        ),
        open_now=body.open,
    )
    response.headers["Location"] = f"{router.prefix}{ORDERS}/{order_id}"
    return await _view(db, order_id)


@router.get(ORDERS, summary="Purchase orders, newest first")
async def list_purchase_orders(
    session: ReaderDep,
    page: PageDep,
    status: PurchaseOrderStatus | None = None,
    location_id: Annotated[str | None, Query(max_length=32)] = None,
    supplier_code: Annotated[str | None, Query(max_length=64)] = None,
    actor: Actor = Access("inventory.read"),
) -> Page[PurchaseOrderSummaryOut]:
    found = await document_queries.list_purchase_orders(
        session,
        page,
        status=status.value if status else None,
        location_id=location_id,
        supplier_code=supplier_code,
    )
    rows = [order_summary(order, lines) for order, lines in found]
    return make_page(rows, page, key=lambda o: o.id)


@router.get(ORDERS + "/{order_id}", summary="A purchase order: lines, ASNs, receipts")
async def get_purchase_order(
    order_id: str, db: DbDep, actor: Actor = Access("inventory.read")
) -> PurchaseOrderOut:
    return await _view(db, order_id)


@router.post(
    ORDERS + "/{order_id}/open",
    summary="Open (confirm) a draft: the ordered units become incoming",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def open_purchase_order(
    order_id: str, db: DbDep, actor: Actor = Access(BUYER)
) -> PurchaseOrderOut:
    await purchase_orders.open_purchase_order(db.uow(actor), order_id)
    return await _view(db, order_id)


@router.post(
    ORDERS + "/{order_id}/asns",
    summary="Record an advance shipping notice (expected date, quantities on their way)",
    status_code=201,
)
async def record_shipping_notice(
    order_id: str, body: ShippingNoticeIn, db: DbDep, actor: Actor = Access(BUYER)
) -> PurchaseOrderOut:
    await purchase_orders.record_shipping_notice(
        db.uow(actor),
        order_id,
        purchase_orders.NewShippingNotice(
            number=body.number,
            lines=[(line.variant_id, line.quantity) for line in body.lines],
            expected_on=body.expected_on,
            carrier=body.carrier,
            tracking=body.tracking,
        ),
    )
    return await _view(db, order_id)


@router.post(
    ORDERS + "/{order_id}/receipts",
    summary="Book a delivery in against the order (partial, damaged, within tolerance)",
    description="Refused whole (422 over_receipt) if any line would go beyond the ordered "
    "quantity plus the order's tolerance. final (close short) needs inventory.write.",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def receive_purchase_order(
    order_id: str,
    body: PurchaseOrderReceiptIn,
    db: DbDep,
    actor: Actor = Access(any_of=RECEIVERS),
) -> PurchaseOrderOut:
    await receiving.receive_purchase_order(
        db.uow(actor),
        order_id,
        receiving.PurchaseOrderReceipt(
            lines=[Arrival(line.variant_id, line.quantity, line.damaged) for line in body.lines],
            final=body.final,
            asn_id=body.asn_id,
            received_at=body.received_at,
            note=body.note,
        ),
    )
    return await _view(db, order_id)


@router.post(
    ORDERS + "/{order_id}/close",
    summary="Close short: what has not arrived is no longer expected",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def close_purchase_order(
    order_id: str, db: DbDep, body: CloseIn | None = None, actor: Actor = Access(BUYER)
) -> PurchaseOrderOut:
    await receiving.close_purchase_order(db.uow(actor), order_id, (body or CloseIn()).note)
    return await _view(db, order_id)


@router.post(
    ORDERS + "/{order_id}/cancel",
    summary="Cancel an order nothing has arrived against (releases its incoming)",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def cancel_purchase_order(
    order_id: str, db: DbDep, actor: Actor = Access(BUYER)
) -> PurchaseOrderOut:
    await purchase_orders.cancel_purchase_order(db.uow(actor), order_id)
    return await _view(db, order_id)


@router.get(
    "/locations/{location_id}/incoming",
    summary="What is on its way to a location: open purchase orders and transfers in transit",
)
async def incoming(
    location_id: str, session: ReaderDep, actor: Actor = Access("inventory.read")
) -> list[IncomingOut]:
    if not await locations_api.location_exists(session, location_id):
        raise NotFound("No such location.")
    return [incoming_out(line) for line in await document_queries.incoming_at(session, location_id)]
