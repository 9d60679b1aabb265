"""Idle carts with lines are announced once as abandoned; activity starts the clock again."""

from datetime import timedelta

from omni.carts.api import mark_abandoned
from tests.carts.support import CARTS, add, guest_cart, open_shop
from tests.catalog.helpers import events_named


async def test_an_idle_cart_is_announced_once_and_activity_clears_the_mark(
    client, admin_headers, database
):
    shop = await open_shop(client, admin_headers)
    cart_id, token = await guest_cart(client, shop)
    empty_id, _ = await guest_cart(client, shop)
    await add(client, cart_id, token, shop.variants[0], 2)
    later = database.clock.now() + timedelta(minutes=61)

    await mark_abandoned(database, 60, now=database.clock.now())
    assert await events_named(database, "cart.abandoned", cart_id=cart_id) == []
    await mark_abandoned(database, 60, now=later)
    await mark_abandoned(database, 60, now=later + timedelta(minutes=5))

    [announced] = await events_named(database, "cart.abandoned", cart_id=cart_id)
    assert announced["lines"] == 1
    assert await events_named(database, "cart.abandoned", cart_id=empty_id) == []
    cart = (await client.get(f"{CARTS}/{cart_id}", headers=token)).json()
    assert cart["abandoned_at"] is not None
    touched = await add(client, cart_id, token, shop.variants[1], 1)
    assert touched.json()["abandoned_at"] is None
