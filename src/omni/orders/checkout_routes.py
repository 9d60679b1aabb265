"""HTTP endpoint: POST /orders/checkout (ORD2) — a cart becomes a paid order.

Requires an Idempotency-Key: a retried checkout returns the first answer and never makes
a second order or a second charge. The body is scanned for card data first (422, never
logged). Shoppers check out their own cart, guests with their cart token, staff (an
agent on the phone, an associate at the counter) a customer's cart.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Request, Response
from pydantic import BaseModel

from omni.http.deps import Access, DbDep
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import Conflict
from omni.kernel.money import Money
from omni.orders import access
from omni.orders.checkout import checkout_cart
from omni.orders.checkout_schemas import CheckoutIn, CheckoutOut
from omni.orders.domain import OrderStatus
from omni.orders.queries import get_order
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
        payment_link_url=done.payment_link_url,
    )


class PaymentLinkOut(BaseModel):
    order_id: str
    payment_id: str
    url: str
    amount: int
    currency: str


@router.post(
    "/{order_id}/payment-link",
    summary="The payment link of an order waiting for one (made now if the provider failed)",
)
async def payment_link(
    order_id: str,
    db: DbDep,
    request: Request,
    actor: Actor = Access(access.WRITE, customers=True),
) -> PaymentLinkOut:
    async with db.reader() as session:
        view = access.visible(await get_order(session, order_id), actor, access.WRITE)
        due = (await payments_api.order_payments(session, order_id)).due_later
    if view.order.status != OrderStatus.PENDING_PAYMENT.value or due <= 0:
        raise Conflict("This order does not wait for a payment link.")
    provider = payments_api.app_provider(request.app.state)
    link = await payments_api.create_payment_link(
        db, provider, order_id, Money(due, view.order.currency), actor=actor
    )
    return PaymentLinkOut(
        order_id=order_id,
        payment_id=link.payment_id,
        url=link.url,
        amount=link.amount.amount,
        currency=link.amount.currency,
    )
