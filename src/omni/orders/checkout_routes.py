"""HTTP endpoint: POST /orders/checkout (ORD2) — a cart becomes a paid order.

Requires an Idempotency-Key: a retried checkout returns the first answer and never makes
a second order or a second charge. The body is scanned for card data first (422, never
logged). Shoppers check out their own cart, guests with their cart token, staff (an
agent on the phone, an associate at the counter) a customer's cart.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Request, Response

from omni.http.deps import Access, DbDep
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.orders.checkout import checkout_cart
from omni.orders.checkout_schemas import CheckoutIn, CheckoutOut
from omni.payments import api as payments_api

router = payments_api.guard_router(new_router("/orders", ["checkout"]))


@router.post(
    "/checkout",
    summary="Check out a cart: priced, sourced and paid by the server",
    status_code=201,
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def checkout(
    body: CheckoutIn,
    db: DbDep,
    request: Request,
    response: Response,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", max_length=200)],
    cart_token: Annotated[str | None, Header(alias="X-Cart-Token", max_length=100)] = None,
    actor: Actor = Access(public=True),
) -> CheckoutOut:
    provider = payments_api.app_provider(request.app.state)
    done = await checkout_cart(db, provider, actor, body.command(cart_token), idempotency_key)
    response.headers["Location"] = f"/api/v1/orders/{done.order_id}"
    return CheckoutOut(
        order_id=done.order_id,
        number=done.number,
        status=done.status.value,
        next_action_url=done.next_action_url,
    )
