"""HTTP endpoint: POST /orders/till-sales — a sale rung up at a store's till (ORD2).

Store staff sell at their own stores' tills only (another store's register session is
404). Requires an Idempotency-Key: a till that retries after a network blip gets the
first receipt back, never a second sale or a second card charge. Card data in the body
is refused (422) before anything reads it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Request, Response

from omni.http.deps import Access, DbDep
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.orders.pos import ring_up
from omni.orders.pos_schemas import TillReceiptOut, TillSaleIn
from omni.payments import api as payments_api

router = payments_api.guard_router(new_router("/orders", ["point of sale"]))


@router.post(
    "/till-sales",
    summary="Ring up a sale at a till: carried out, paid, on the register session",
    status_code=201,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def till_sale(
    body: TillSaleIn,
    db: DbDep,
    request: Request,
    response: Response,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", max_length=200)],
    actor: Actor = Access("registers.operate"),
) -> TillReceiptOut:
    provider = payments_api.app_provider(request.app.state)
    receipt = await ring_up(db, provider, actor, body.command(), idempotency_key)
    response.headers["Location"] = f"/api/v1/orders/{receipt.order_id}"
    return TillReceiptOut.of(receipt)
