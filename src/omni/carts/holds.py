"""Holding a cart's stock (ORD1 + INV5): every line reserved through the cart's channel
for a configurable time, at the pool location with the most available, all or nothing.

Holding again replaces the cart's holds (a changed cart is held as it now is). If a line
cannot be held, inventory answers 409 with where else it is available, and the cart's
previous holds are untouched (the whole unit of work rolls back).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from omni.carts.models import CartLine
from omni.carts.service import Caller, open_for_change, touch
from omni.channels import api as channels_api
from omni.db.uow import UnitOfWork
from omni.inventory import api as inventory_api
from omni.kernel.errors import InvalidInput

MAX_HOLD_MINUTES = 24 * 60


async def hold_stock(uow: UnitOfWork, caller: Caller, cart_id: str, minutes: int) -> None:
    if not 1 <= minutes <= MAX_HOLD_MINUTES:
        raise InvalidInput(f"Holds last 1 to {MAX_HOLD_MINUTES} minutes.", field="minutes")
    async with uow:
        cart = await open_for_change(uow, cart_id, caller)
        rows = await uow.session.execute(
            select(CartLine.variant_id, CartLine.quantity).where(CartLine.cart_id == cart_id)
        )
        lines = {variant_id: quantity for variant_id, quantity in rows}
        if not lines:
            raise InvalidInput("The cart is empty.", field="cart_id")
        available = await inventory_api.availability_for_channel(
            uow.session, cart.channel_id, lines, at=uow.clock.now()
        )
        channel = await channels_api.get_channel(uow.session, cart.channel_id)
        fallback = channel.pool[0].location_id if channel and channel.pool else ""
        sell = [
            inventory_api.SellLine(
                variant_id, _best_location(available[variant_id], fallback), quantity
            )
            for variant_id, quantity in sorted(lines.items())
        ]
        until = uow.clock.now() + timedelta(minutes=minutes)
        await inventory_api.release(uow, cart_id)
        await inventory_api.reserve_for_channel(
            uow, cart.channel_id, sell, inventory_api.ReservationKind.HOLD, cart_id, until
        )
        await touch(uow, cart_id, held_until=until)
        await uow.commit()


def _best_location(available: inventory_api.ChannelAvailability, fallback: str) -> str:
    if available.by_location:
        return max(sorted(available.by_location), key=lambda loc: available.by_location[loc])
    # Nothing anywhere: ask the first pool location, so inventory answers 409 with the
    # alternatives (or takes it as a backorder where the variant's policy allows).
    return fallback


async def release_stock(uow: UnitOfWork, caller: Caller, cart_id: str) -> int:
    async with uow:
        await open_for_change(uow, cart_id, caller)
        released = await inventory_api.release(uow, cart_id)
        await touch(uow, cart_id, held_until=None)
        await uow.commit()
    return released
