"""HTTP endpoints: /carts (ORD1).

A cart answers to its shopper (signed in), to whoever holds its guest token (header
``X-Cart-Token``), and to staff with ``carts.read``/``carts.write`` — an associate
opening a customer's cart at the counter, an agent on the phone. Anyone else: 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Query, Response

from omni.carts import holds, service
from omni.carts.queries import active_cart_of, cart_view
from omni.carts.schemas import AddLineIn, CartOut, HoldIn, MergeIn, OpenCartIn, SetQuantityIn
from omni.carts.service import Caller
from omni.db.database import Database
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound
from omni.settings import get_settings

router = new_router("/carts", ["carts"])
TokenHeader = Annotated[str | None, Header(alias="X-Cart-Token", max_length=100)]


async def _out(db: Database, cart_id: str, caller: Caller, token: str | None = None) -> CartOut:
    async with db.reader() as session:
        cart = await service.visible_cart(session, cart_id, caller)
        view = await cart_view(session, cart, db.clock.now())
    return CartOut.of(view, token)


@router.post("", summary="Open a cart: the shopper's own, a customer's (staff), or a guest's")
async def open_cart(
    body: OpenCartIn, db: DbDep, response: Response, actor: Actor = Access(public=True)
) -> CartOut:
    opened = await service.open_cart(
        db.uow(actor), Caller(actor), body.channel_id, body.customer_id
    )
    response.status_code = 201 if opened.created else 200
    response.headers["Location"] = f"{router.prefix}/{opened.cart_id}"
    caller = Caller(actor, opened.guest_token)
    return await _out(db, opened.cart_id, caller, opened.guest_token)


@router.get("", summary="Staff: a customer's active cart")
async def find_cart(
    session: ReaderDep,
    db: DbDep,
    customer_id: Annotated[str, Query(min_length=1, max_length=32)],
    actor: Actor = Access("carts.read"),
) -> CartOut:
    cart = await active_cart_of(session, customer_id)
    if cart is None:
        raise NotFound(service.NOT_FOUND)
    return CartOut.of(await cart_view(session, cart, db.clock.now()))


@router.get("/{cart_id}", summary="A cart, priced for its channel")
async def get_cart(
    cart_id: str, db: DbDep, token: TokenHeader = None, actor: Actor = Access(public=True)
) -> CartOut:
    return await _out(db, cart_id, Caller(actor, token))


@router.post("/{cart_id}/lines", summary="Add an item (to its line if already there)")
async def add_line(
    cart_id: str,
    body: AddLineIn,
    db: DbDep,
    token: TokenHeader = None,
    actor: Actor = Access(public=True),
) -> CartOut:
    caller = Caller(actor, token)
    await service.add_line(db.uow(actor), caller, cart_id, body.variant_id, body.quantity)
    return await _out(db, cart_id, caller)


@router.patch("/{cart_id}/lines/{line_id}", summary="Change a line's quantity (0 removes it)")
async def set_quantity(
    cart_id: str,
    line_id: str,
    body: SetQuantityIn,
    db: DbDep,
    token: TokenHeader = None,
    actor: Actor = Access(public=True),
) -> CartOut:
    caller = Caller(actor, token)
    await service.set_quantity(db.uow(actor), caller, cart_id, line_id, body.quantity)
    return await _out(db, cart_id, caller)


@router.delete("/{cart_id}/lines/{line_id}", summary="Remove a line")
async def remove_line(
    cart_id: str,
    line_id: str,
    db: DbDep,
    token: TokenHeader = None,
    actor: Actor = Access(public=True),
) -> CartOut:
    caller = Caller(actor, token)
    await service.set_quantity(db.uow(actor), caller, cart_id, line_id, 0)
    return await _out(db, cart_id, caller)


@router.post("/merge", summary="At sign-in: fold a guest cart into the shopper's cart")
async def merge(body: MergeIn, db: DbDep, actor: Actor = Access(customers=True)) -> CartOut:
    caller = Caller(actor)
    cart_id = await service.merge_guest_cart(db.uow(actor), caller, body.guest_token)
    return await _out(db, cart_id, caller)


@router.post("/{cart_id}/hold", summary="Hold the cart's stock for a while (all lines or none)")
async def hold(
    cart_id: str,
    db: DbDep,
    body: HoldIn | None = None,
    token: TokenHeader = None,
    actor: Actor = Access(public=True),
) -> CartOut:
    caller = Caller(actor, token)
    minutes = (body.minutes if body else None) or get_settings().cart_hold_minutes
    await holds.hold_stock(db.uow(actor), caller, cart_id, minutes)
    return await _out(db, cart_id, caller)


@router.delete("/{cart_id}/hold", summary="Give the cart's held stock back")
async def release_hold(
    cart_id: str, db: DbDep, token: TokenHeader = None, actor: Actor = Access(public=True)
) -> CartOut:
    caller = Caller(actor, token)
    await holds.release_stock(db.uow(actor), caller, cart_id)
    return await _out(db, cart_id, caller)
