"""Who is shopping and with which cart: the storefront's session state, resolved through
the access, channels and carts facades.

The session cookie holds only opaque references: the access module's session token
(revocable, stored hashed server-side), the guest cart's id and token, the CSRF token
and the orders this browser placed. No price, quantity or identity is trusted from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from omni.access import api as access_api
from omni.carts import api as carts_api
from omni.channels import api as channels_api
from omni.customers import api as customers_api
from omni.db.database import Database
from omni.kernel.actor import ANONYMOUS, Actor, ActorKind
from omni.kernel.errors import NotFound
from omni.web.templating import render

WEB_CHANNEL_CODE = "web"
MAX_REMEMBERED_ORDERS = 10


@dataclass(frozen=True)
class Shop:
    """One request's view of the storefront: the caller and the web channel."""

    actor: Actor
    channel_id: str
    currency: str

    @property
    def signed_in(self) -> bool:
        return self.actor.kind is ActorKind.CUSTOMER

    @property
    def caller(self) -> carts_api.Caller:
        return carts_api.Caller(self.actor)


async def current_actor(request: Request, db: Database) -> Actor:
    """The signed-in shopper, or anonymous; a session the access module no longer
    honours (signed out elsewhere, expired, password reset) is forgotten."""
    token = request.session.get("auth")
    if not isinstance(token, str):
        return ANONYMOUS
    actor = await access_api.resolve_credential(db, token)
    if actor is None or actor.kind is not ActorKind.CUSTOMER:
        request.session.pop("auth", None)
        return ANONYMOUS
    return actor


async def open_shop(request: Request, db: Database, session: AsyncSession) -> Shop:
    channel = await channels_api.channel_by_code(session, WEB_CHANNEL_CODE)
    if channel is None or not channel.active:
        raise NotFound("The web store is not set up (no active 'web' channel).")
    return Shop(await current_actor(request, db), channel.id, channel.currency)


def guest_caller(request: Request) -> carts_api.Caller:
    token = request.session.get("guest")
    return carts_api.Caller(ANONYMOUS, token if isinstance(token, str) else None)


async def current_cart(
    request: Request, db: Database, session: AsyncSession, shop: Shop
) -> carts_api.CartView | None:
    """The shopper's active cart (the same on every device and in the app), or the guest
    cart this session opened; None when there is none yet."""
    at = db.clock.now()
    if shop.signed_in and shop.actor.id is not None:
        cart = await carts_api.active_cart_of(session, shop.actor.id)
        return None if cart is None else await carts_api.cart_view(session, cart, at)
    cart_id = request.session.get("cart")
    if not isinstance(cart_id, str):
        return None
    return await carts_api.find_cart_view(session, cart_id, guest_caller(request), at)


async def cart_to_change(
    request: Request, db: Database, shop: Shop
) -> tuple[str, carts_api.Caller]:
    """The cart to add to, opened when needed: the shopper's own, or a guest cart whose
    token stays in the session."""
    if shop.signed_in:
        opened = await carts_api.open_cart(db.uow(shop.actor), shop.caller, shop.channel_id)
        return opened.cart_id, shop.caller
    async with db.reader() as session:
        existing = await current_cart(request, db, session, shop)
    if existing is not None:
        return existing.cart.id, guest_caller(request)
    opened = await carts_api.open_cart(
        db.uow(ANONYMOUS), carts_api.Caller(ANONYMOUS), shop.channel_id
    )
    request.session["cart"], request.session["guest"] = opened.cart_id, opened.guest_token
    return opened.cart_id, guest_caller(request)


def remember_order(request: Request, order_id: str) -> None:
    """This browser placed the order: it may show its confirmation (guests included)."""
    placed = [o for o in request.session.get("orders", []) if isinstance(o, str)]
    request.session["orders"] = [order_id, *placed][:MAX_REMEMBERED_ORDERS]


def placed_here(request: Request, order_id: str) -> bool:
    return order_id in request.session.get("orders", [])


async def page(
    request: Request,
    db: Database,
    session: AsyncSession,
    shop: Shop,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> Response:
    """A storefront page with its header: the shopper's name and the cart's size."""
    cart = await current_cart(request, db, session, shop)
    customer = None
    if shop.signed_in and shop.actor.id is not None:
        customer = await customers_api.get_customer_summary(session, shop.actor.id)
    header = {
        "customer": customer,
        "cart_units": sum(line.quantity for line in cart.lines) if cart else 0,
        "currency": shop.currency,
    }
    return render(request, name, {**header, **context}, status_code)
