"""Abandoned cart holds come back: the sweeper returns exactly what they held, once,
and it runs both in the embedded app's loop and in ``omni worker``."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from omni import main, worker
from omni.db.dispatcher import Dispatcher, HandlerRegistry
from omni.inventory import api as inventory_api
from tests.inventory.helpers import assert_ledger_balanced
from tests.inventory.http_support import (
    INVENTORY,
    key,
    level,
    make_channel,
    make_store,
    make_variants,
    receive,
    stock_state,
)

CARTS, SKUS, STOCKED = 100, 10, 150


async def _availability(client, headers, channel: str, skus: list[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    response = await client.get(
        f"{INVENTORY}/availability",
        params={"channel_id": channel, "variant_ids": ",".join(skus)},
        headers=headers,
    )
    return {item["variant_id"]: item["available"] for item in response.json()["items"]}


async def test_1000_abandoned_cart_holds_return_availability_exactly_after_expiry(
    client, database, admin_headers
):
    skus = await make_variants(client, admin_headers, SKUS)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, dict.fromkeys(skus, STOCKED))
    web = await make_channel(client, admin_headers, {store: (0, 0)})
    for cart in range(CARTS):  # each cart holds one of every SKU: 1,000 holds in all
        response = await client.post(
            f"{INVENTORY}/holds",
            json={
                "channel_id": web,
                "reference": f"crt_abandoned_{cart}_{store}",
                "lines": [{"variant_id": sku, "location_id": store, "quantity": 1} for sku in skus],
                "ttl_seconds": 900,
            },
            headers=admin_headers | key(),
        )
        assert response.status_code == 201, response.text
    assert await _availability(client, admin_headers, web, skus) == dict.fromkeys(
        skus, STOCKED - CARTS
    )

    later = database.clock.now() + timedelta(minutes=16)
    returned = await inventory_api.expire_due_holds(database, now=later)

    assert returned >= CARTS * SKUS  # other tests' stale holds may expire too
    assert await _availability(client, admin_headers, web, skus) == dict.fromkeys(skus, STOCKED)
    settled = await stock_state(database, *skus)
    assert {status for _, status, _, _ in settled["reservations"]} == {"expired"}
    assert len(settled["reservations"]) == CARTS * SKUS

    assert await inventory_api.expire_due_holds(database, now=later) == 0
    assert await stock_state(database, *skus) == settled
    await assert_ledger_balanced(database)


async def _hold_due_now(client, database, admin_headers) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A store with 3 units of a SKU, 2 of them held by a cart whose hold just ran out."""
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 3})
    web = await make_channel(client, admin_headers, {store: (0, 0)})
    async with database.uow() as uow:
        await inventory_api.reserve_for_channel(
            uow,
            web,
            [inventory_api.SellLine(sku, store, 2)],
            inventory_api.ReservationKind.HOLD,
            f"crt_due_{sku}",
            expires_at=database.clock.now() - timedelta(seconds=1),
        )
        await uow.commit()
    assert await level(database, sku, store) == (3, 2, 0, 0, 0)
    return sku, store


async def test_the_worker_tick_expires_due_holds(client, database, admin_headers):
    sku, store = await _hold_due_now(client, database, admin_headers)
    await worker._tick(Dispatcher(database, HandlerRegistry()), database.settings, timedelta(0))
    assert await level(database, sku, store) == (3, 0, 0, 0, 0)


async def test_the_embedded_app_sweeps_holds_in_process(client, database, admin_headers):
    sku, store = await _hold_due_now(client, database, admin_headers)
    loop = asyncio.create_task(
        main._sweep_forever(
            Dispatcher(database, HandlerRegistry()),
            database,
            database.settings.model_copy(update={"dispatcher_poll_seconds": 0.01}),
        )
    )
    try:
        for _ in range(500):
            if await level(database, sku, store) == (3, 0, 0, 0, 0):
                break
            await asyncio.sleep(0.01)
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
    assert await level(database, sku, store) == (3, 0, 0, 0, 0)
