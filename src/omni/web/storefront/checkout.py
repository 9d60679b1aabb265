"""Checkout: where to (an address, placed on the map by its ZIP code), each delivery
option with its promise (ship, click & collect at a nearby store, curbside, same day),
payment by a card token from the provider, then the confirmation.

Totals, stock, sourcing and payment are the orders module's ``checkout_cart`` — the use
case behind ``POST /api/v1/orders/checkout``, with the same idempotency: the form carries
a key made when it was shown, so a double submit never makes a second order."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import RedirectResponse, Response

from omni.db.database import Database
from omni.http.deps import DbDep
from omni.kernel.actor import SYSTEM
from omni.kernel.errors import DomainError, InvalidInput, NotFound
from omni.locations import api as locations_api
from omni.orders import api as orders_api
from omni.payments import api as payments_api
from omni.web import once
from omni.web.security import csrf_token
from omni.web.storefront.shop import (
    Shop,
    current_cart,
    open_shop,
    page,
    placed_here,
    remember_order,
)

router = APIRouter()
Field = Annotated[str, Form(max_length=200)]
Optional = Annotated[str, Form(max_length=200)]
AddressQuery = Annotated[str, Query(max_length=200)]
DELIVERED = {orders_api.FulfilmentMethod.SHIP, orders_api.FulfilmentMethod.SAME_DAY}
METHOD_LABELS = {
    "ship": "Delivery to your address",
    "same_day": "Same-day delivery",
    "pickup": "Click & collect in store",
    "curbside": "Curbside pickup",
    "ship_to_store": "Ship to a store",
}


@dataclass(frozen=True)
class Destination:
    name: str = ""
    line1: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.line1 and self.city and self.postal_code)

    def address(self) -> orders_api.Address:
        return orders_api.Address(
            line1=self.line1, city=self.city, postal_code=self.postal_code, country="US",
            region=self.region or None, name=self.name or None,
        )  # fmt: skip


@router.get("/checkout", name="store_checkout")
async def checkout_page(
    request: Request,
    db: DbDep,
    name: AddressQuery = "",
    line1: AddressQuery = "",
    city: AddressQuery = "",
    region: AddressQuery = "",
    postal_code: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    destination = Destination(name, line1, city, region, postal_code)
    return await _render(request, db, destination, {})


async def _render(
    request: Request,
    db: Database,
    destination: Destination,
    extra: dict[str, Any],
    status_code: int = 200,
) -> Response:
    async with db.reader() as session:
        shop = await open_shop(request, db, session)
        cart = await current_cart(request, db, session, shop)
        if cart is None or not cart.lines:
            return RedirectResponse(request.url_for("store_cart"), status_code=303)
        options, problem = await _options(session, db, cart, destination)
        context = {
            "cart": cart, "destination": destination, "options": options,
            "address_problem": problem, "labels": METHOD_LABELS,
            "idempotency_key": secrets.token_urlsafe(24), "email": extra.pop("email", ""),
            **extra,
        }  # fmt: skip
        return await page(request, db, session, shop, "storefront/checkout.html", context,
                          status_code)  # fmt: skip


@dataclass(frozen=True)
class OptionRow:
    """A delivery option with its promise in local time: the store's for a pickup, the
    nearest store's (the shopper's metro) for a delivery."""

    option: orders_api.DeliveryOption
    earliest: datetime | None

    @property
    def value(self) -> str:
        return f"{self.option.method.value}:{self.option.location_id or ''}"


async def _options(
    session: AsyncSession, db: Database, cart: Any, destination: Destination
) -> tuple[list[OptionRow], str | None]:
    """Every option of the delivery promise for this cart and address (ORD7)."""
    if not destination.complete:
        return [], None
    try:
        # The ZIP table loads from disk on first use: keep that off the event loop.
        point = await asyncio.to_thread(orders_api.point_of, destination.address())
    except DomainError as error:
        return [], error.detail
    promise = await orders_api.delivery_promise(session, cart, point, db.clock.now())
    stores = [o.location_id for o in promise.options if o.location_id]
    zones = {
        place.id: ZoneInfo(place.time_zone)
        for place in (await locations_api.get_locations(session, stores)).values()
    }
    nearest = min(
        (o for o in promise.options if o.location_id in zones),
        key=lambda o: o.distance_km if o.distance_km is not None else float("inf"),
        default=None,
    )
    local = zones[nearest.location_id] if nearest and nearest.location_id else UTC
    rows = []
    for option in promise.options:
        zone = zones.get(option.location_id or "", local)
        earliest = option.earliest.astimezone(zone) if option.earliest else None
        rows.append(OptionRow(option, earliest))
    return rows, None


@router.post("/checkout", name="store_place_order")
async def place_order(
    request: Request,
    db: DbDep,
    email: Field,
    option: Annotated[str, Form(max_length=80)],
    card_token: Annotated[str, Form(max_length=100)],
    idempotency_key: Annotated[str, Form(min_length=16, max_length=100)],
    line1: Field,
    city: Field,
    postal_code: Annotated[str, Form(max_length=20)],
    name: Optional = "",
    region: Optional = "",
) -> Response:
    destination = Destination(name, line1, city, region, postal_code)

    async def place() -> dict[str, str]:
        async with db.reader() as session:
            shop = await open_shop(request, db, session)
            cart = await current_cart(request, db, session, shop)
        if cart is None:
            raise NotFound("Your cart is empty.")
        command = _command(request, shop, cart.cart.id, destination, option, email, card_token)
        provider = payments_api.app_provider(request.app.state)
        done = await orders_api.checkout_cart(db, provider, shop.actor, command, idempotency_key)
        confirmation = request.url_for("store_confirmation", order_id=done.order_id)
        if done.next_action_url:  # 3-D Secure: the provider's page, then back here
            return {"location": _with_return(done.next_action_url, confirmation.path),
                    "order_id": done.order_id}  # fmt: skip
        return {"location": str(confirmation), "order_id": done.order_id}

    # Keyed per browser session (its CSRF token, hashed), not per cart: a repeat that
    # arrives after the first submit ordered the cart still finds the first answer.
    scope = "web-checkout:" + hashlib.sha256(csrf_token(request).encode()).hexdigest()[:32]
    request_hash = once.fingerprint({k: str(v) for k, v in (await request.form()).items()})
    try:
        placed = await once.redirect_once(db, scope, idempotency_key, request_hash, place)
    except DomainError as error:
        extra = {"error": error.detail, "email": email, "chosen": option}
        return await _render(request, db, destination, extra, status_code=error.status)
    remember_order(request, placed["order_id"])
    return RedirectResponse(placed["location"], status_code=303)


def _with_return(action_url: str, path: str) -> str:
    """The provider's page, told where to send the shopper back (``return_to``)."""
    joiner = "&" if "?" in action_url else "?"
    return f"{action_url}{joiner}{urlencode({'return_to': path})}"


def _command(
    request: Request,
    shop: Shop,
    cart_id: str,
    destination: Destination,
    option: str,
    email: str,
    card_token: str,
) -> orders_api.CartCheckout:
    method_name, _, location_id = option.partition(":")
    try:
        method = orders_api.FulfilmentMethod(method_name)
    except ValueError as error:
        raise InvalidInput("Choose a delivery option.", field="option") from error
    address = destination.address() if method in DELIVERED else None
    guest = None if shop.signed_in else request.session.get("guest")
    return orders_api.CartCheckout(
        cart_id=cart_id,
        fulfilment=orders_api.Fulfilment(method, location_id or None, address),
        contact={
            "email": email.strip(),
            **({"name": destination.name} if destination.name else {}),
        },
        tenders=(orders_api.TenderRequest("card_online", None, card_token.strip()),),
        guest_token=guest if isinstance(guest, str) else None,
    )


@router.get("/orders/{order_id}", name="store_confirmation")
async def confirmation(request: Request, order_id: str, db: DbDep) -> Response:
    """The order as its shopper sees it: theirs when signed in, or placed in this browser
    (a guest's confirmation). Anyone else: not found."""
    async with db.reader() as session:
        shop = await open_shop(request, db, session)
        reader = SYSTEM if placed_here(request, order_id) else shop.actor
        try:
            order = await orders_api.visible_order(session, order_id, reader)
        except NotFound:
            return await page(
                request, db, session, shop, "storefront/not_found.html", {}, status_code=404
            )
        context = {"order": order, "labels": METHOD_LABELS}
        return await page(request, db, session, shop, "storefront/confirmation.html", context)
