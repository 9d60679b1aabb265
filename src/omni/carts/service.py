"""Cart use cases (ORD1): open, change lines, merge a guest cart at sign-in.

Who may touch a cart: its shopper (signed in), the holder of its guest token, or staff
with ``carts.read``/``carts.write`` (an associate opening a customer's cart at the
counter, an agent on the phone). Anyone else gets 404, exactly as for a cart that does
not exist. Every change bumps the cart's version and activity time; a change to the lines
of a cart holding stock gives the holds back (held stock always matches the lines; the
caller holds again — checkout does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from omni.carts.domain import (
    MAX_LINES,
    MAX_QUANTITY,
    CartStatus,
    merged_quantities,
    new_guest_token,
    token_hash,
)
from omni.carts.events import CartCreated, CartLineAdded, CartLineRemoved, CartMerged
from omni.carts.models import Cart, CartLine
from omni.catalog import api as catalog_api
from omni.channels import api as channels_api
from omni.db.uow import UnitOfWork
from omni.inventory import api as inventory_api
from omni.kernel.actor import Actor, ActorKind
from omni.kernel.errors import Conflict, InvalidInput, NotFound
from omni.kernel.ids import new_id
from omni.permissions import has_permission

NOT_FOUND = "No such cart."
READ, WRITE = "carts.read", "carts.write"


class CartClosed(Conflict):
    code = "cart_closed"
    title = "Cart closed"


@dataclass(frozen=True)
class Caller:
    actor: Actor
    guest_token: str | None = None  # X-Cart-Token of a guest cart


def may_see(cart: Cart, caller: Caller, permission: str = READ) -> bool:
    actor = caller.actor
    if actor.kind is ActorKind.CUSTOMER:
        return cart.customer_id == actor.id
    if caller.guest_token and cart.guest_token_hash == token_hash(caller.guest_token):
        return True
    return actor.kind is not ActorKind.ANONYMOUS and has_permission(actor, permission)


async def visible_cart(
    session: AsyncSession, cart_id: str, caller: Caller, permission: str = READ
) -> Cart:
    cart = await session.get(Cart, cart_id)
    if cart is None or not may_see(cart, caller, permission):
        raise NotFound(NOT_FOUND)
    return cart


async def open_for_change(uow: UnitOfWork, cart_id: str, caller: Caller) -> Cart:
    cart = await visible_cart(uow.session, cart_id, caller, WRITE)
    if cart.status != CartStatus.ACTIVE:
        raise CartClosed(f"This cart is {cart.status}; it can no longer change.")
    return cart


@dataclass(frozen=True)
class Opened:
    cart_id: str
    guest_token: str | None  # shown once, to the guest who opened the cart
    created: bool


async def open_cart(
    uow: UnitOfWork, caller: Caller, channel_id: str, customer_id: str | None = None
) -> Opened:
    """The signed-in shopper's active cart (created if none), now used on ``channel_id``;
    for staff, that of ``customer_id``; for a guest, a new guest cart and its token."""
    async with uow:
        channel = await channels_api.get_channel(uow.session, channel_id)
        if channel is None or not channel.active:
            raise InvalidInput("No such active channel.", field="channel_id")
        owner = _owner(caller.actor, customer_id)
        now = uow.clock.now()
        if owner is None:
            token = new_guest_token()
            cart_id, _ = await _insert_cart(uow, channel, None, token_hash(token), now)
            await uow.commit()
            return Opened(cart_id, token, created=True)
        existing = await _active_cart_id(uow.session, owner)
        created = False
        if existing is None:
            _, created = await _insert_cart(uow, channel, owner, None, now)
            existing = await _active_cart_id(uow.session, owner)
        assert existing is not None
        await touch(uow, existing, channel_id=channel.id, currency=channel.currency)
        await uow.commit()
    return Opened(existing, None, created)


def _owner(actor: Actor, customer_id: str | None) -> str | None:
    if actor.kind is ActorKind.CUSTOMER:
        return actor.id
    if customer_id is not None:
        if not has_permission(actor, WRITE):
            raise NotFound(NOT_FOUND)
        return customer_id
    return None


async def _active_cart_id(session: AsyncSession, customer_id: str) -> str | None:
    return await session.scalar(
        select(Cart.id).where(Cart.customer_id == customer_id, Cart.status == CartStatus.ACTIVE)
    )


async def _insert_cart(
    uow: UnitOfWork,
    channel: channels_api.ChannelInfo,
    customer_id: str | None,
    guest_hash: str | None,
    now: datetime,
) -> tuple[str, bool]:
    """Insert a cart (id, whether inserted); for a customer, insert nothing if another
    device just made theirs."""
    cart_id = new_id("cart")
    dialect = uow.session.get_bind().dialect.name
    make_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = make_insert(Cart).values(
        id=cart_id, channel_id=channel.id, currency=channel.currency, customer_id=customer_id,
        guest_token_hash=guest_hash, status=CartStatus.ACTIVE.value, coupon_codes=[],
        created_at=now, updated_at=now, last_activity_at=now, abandoned_at=None,
        held_until=None, merged_into=None, order_id=None, version=1,
    )  # fmt: skip
    if customer_id is not None:
        statement = statement.on_conflict_do_nothing(
            index_elements=["customer_id"], index_where=text("status = 'active'")
        )
    inserted = (await uow.session.execute(statement.returning(Cart.id))).scalar() is not None
    if inserted:
        uow.record(CartCreated(cart_id=cart_id, channel_id=channel.id, customer_id=customer_id))
    return cart_id, inserted


async def touch(uow: UnitOfWork, cart_id: str, **values: object) -> None:
    now = uow.clock.now()
    await uow.session.execute(
        update(Cart)
        .where(Cart.id == cart_id)
        .values(
            updated_at=now,
            last_activity_at=now,
            abandoned_at=None,
            version=Cart.version + 1,
            **values,
        )
        .execution_options(synchronize_session=False)
    )


async def add_line(
    uow: UnitOfWork, caller: Caller, cart_id: str, variant_id: str, quantity: int
) -> None:
    """Add ``quantity`` of a variant (to its line, if the cart has one)."""
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(f"Quantity is from 1 to {MAX_QUANTITY}.", field="quantity")
    async with uow:
        cart = await open_for_change(uow, cart_id, caller)
        await _check_sellable(uow, cart, variant_id)
        lines = await _line_quantities(uow.session, cart_id)
        if variant_id not in lines and len(lines) >= MAX_LINES:
            raise InvalidInput(f"A cart holds at most {MAX_LINES} lines.", field="variant_id")
        new_quantity = min(MAX_QUANTITY, lines.get(variant_id, 0) + quantity)
        await _upsert_lines(uow, cart_id, {variant_id: new_quantity})
        await _lines_changed(uow, cart)
        uow.record(CartLineAdded(cart_id=cart_id, variant_id=variant_id, quantity=new_quantity))
        await uow.commit()


async def set_quantity(
    uow: UnitOfWork, caller: Caller, cart_id: str, line_id: str, quantity: int
) -> None:
    """Set a line's quantity; 0 removes it."""
    if not 0 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(f"Quantity is from 0 to {MAX_QUANTITY}.", field="quantity")
    async with uow:
        cart = await open_for_change(uow, cart_id, caller)
        line = await _line(uow.session, cart_id, line_id)
        if quantity == 0:
            await uow.session.delete(line)
            uow.record(CartLineRemoved(cart_id=cart_id, variant_id=line.variant_id))
        else:
            line.quantity, line.updated_at = quantity, uow.clock.now()
            uow.record(
                CartLineAdded(cart_id=cart_id, variant_id=line.variant_id, quantity=quantity)
            )
        await uow.flush()
        await _lines_changed(uow, cart)
        await uow.commit()


async def _line(session: AsyncSession, cart_id: str, line_id: str) -> CartLine:
    line = await session.get(CartLine, line_id)
    if line is None or line.cart_id != cart_id:
        raise NotFound("No such line in this cart.")
    return line


async def _check_sellable(uow: UnitOfWork, cart: Cart, variant_id: str) -> None:
    sellable = await catalog_api.sellable_variant_ids(
        uow.session, [variant_id], channel_id=cart.channel_id, at=uow.clock.now()
    )
    if variant_id not in sellable:
        raise InvalidInput("This item is not sold on this channel.", field="variant_id")


async def _line_quantities(session: AsyncSession, cart_id: str) -> dict[str, int]:
    rows = await session.execute(
        select(CartLine.variant_id, CartLine.quantity).where(CartLine.cart_id == cart_id)
    )
    return {variant_id: quantity for variant_id, quantity in rows}


async def _upsert_lines(uow: UnitOfWork, cart_id: str, quantities: dict[str, int]) -> None:
    """Set these lines' quantities (creating lines as needed), in one statement."""
    dialect = uow.session.get_bind().dialect.name
    make_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = uow.clock.now()
    statement = make_insert(CartLine)
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=["cart_id", "variant_id"],
            set_={
                "quantity": case(
                    (statement.excluded.quantity > MAX_QUANTITY, MAX_QUANTITY),
                    else_=statement.excluded.quantity,
                ),
                "updated_at": now,
            },
        ),
        [
            {"id": new_id("cli"), "cart_id": cart_id, "variant_id": variant_id,
             "quantity": quantity, "added_at": now, "updated_at": now}
            for variant_id, quantity in sorted(quantities.items())
        ],
    )  # fmt: skip


async def _lines_changed(uow: UnitOfWork, cart: Cart) -> None:
    if cart.held_until is not None:
        await inventory_api.release(uow, cart.id)
    await touch(uow, cart.id, held_until=None)


async def merge_guest_cart(uow: UnitOfWork, caller: Caller, guest_token: str) -> str:
    """At sign-in: fold the guest cart into the shopper's active cart (or adopt it when
    the shopper has none); the shopper's cart id."""
    actor = caller.actor
    if actor.kind is not ActorKind.CUSTOMER or actor.id is None:
        raise InvalidInput("Only a signed-in shopper merges a guest cart.", field="guest_token")
    async with uow:
        guest = await uow.session.scalar(
            select(Cart).where(Cart.guest_token_hash == token_hash(guest_token))
        )
        if guest is None or guest.status != CartStatus.ACTIVE:
            raise NotFound(NOT_FOUND)
        mine = await _active_cart_id(uow.session, actor.id)
        if guest.held_until is not None:
            await inventory_api.release(uow, guest.id)
        if mine is None:
            await touch(uow, guest.id, customer_id=actor.id, guest_token_hash=None,
                         held_until=None)  # fmt: skip
            await uow.commit()
            return guest.id
        ours = await _line_quantities(uow.session, mine)
        theirs = await _line_quantities(uow.session, guest.id)
        combined = merged_quantities(ours, theirs)
        if len(combined) > MAX_LINES:
            raise InvalidInput(f"Together the carts pass {MAX_LINES} lines.", field="guest_token")
        await _upsert_lines(uow, mine, {v: q for v, q in combined.items() if v in theirs})
        await uow.session.execute(delete(CartLine).where(CartLine.cart_id == guest.id))
        await touch(uow, guest.id, status=CartStatus.MERGED.value, merged_into=mine,
                     guest_token_hash=None, held_until=None)  # fmt: skip
        cart = await uow.session.get(Cart, mine)
        assert cart is not None
        await _lines_changed(uow, cart)
        uow.record(CartMerged(cart_id=mine, guest_cart_id=guest.id, customer_id=actor.id))
        await uow.commit()
    return mine


async def line_count(session: AsyncSession, cart_id: str) -> int:
    return int(await session.scalar(select(func.count()).where(CartLine.cart_id == cart_id)) or 0)
