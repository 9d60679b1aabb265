"""The facade other modules call: reads with a fixed number of statements, and a
channel reservation that rolls back before it explains a refusal."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from sqlalchemy import event

from omni.channels.api import forget_channels
from omni.db.database import Database
from omni.inventory import api as inventory_api
from omni.inventory.api import MovementKind, ReservationKind, SellLine, StockChange
from omni.kernel.errors import InvalidInput
from omni.kernel.ids import new_id
from tests.inventory.http_support import (
    level,
    make_bundle,
    make_channel,
    make_store,
    make_variants,
    receive,
    stock_state,
)


@contextlib.contextmanager
def counted_statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)


async def test_reads_take_the_same_few_statements_for_one_sku_or_fifty(
    client, database, admin_headers
):
    skus = await make_variants(client, admin_headers, 50)
    kit = await make_bundle(client, admin_headers, {skus[0]: 2})
    stores = [await make_store(client, admin_headers) for _ in range(3)]
    for store in stores:
        await receive(client, admin_headers, store, dict.fromkeys(skus, 3))
    web = await make_channel(client, admin_headers, dict.fromkeys(stores, (1, 0)))

    costs = []
    for wanted in ([skus[0]], [*skus, kit]):
        forget_channels()  # the worst case: the channel not yet read by this process
        async with database.reader() as session:
            with counted_statements(database) as availability_cost:
                found = await inventory_api.availability_for_channel(session, web, wanted)
            forget_channels()
            with counted_statements(database) as in_stock_cost:
                stocked = await inventory_api.in_stock_variant_ids(session, web, wanted)
        costs.append((len(availability_cost), len(in_stock_cost)))
        assert found[skus[0]].available == 6  # 3 stores x (3 - 1 kept back)
        assert stocked == set(wanted)
    assert costs[0] == costs[1]
    assert costs[0][0] <= 6 and costs[0][1] <= 5
    assert found[kit].available == 3 and found[kit].is_bundle


async def test_a_refused_reservation_rolls_the_unit_of_work_back_before_explaining(
    client, database, admin_headers
):
    [sku] = await make_variants(client, admin_headers, 1)
    here, there = await make_store(client, admin_headers), await make_store(client, admin_headers)
    await receive(client, admin_headers, here, {sku: 1})
    await receive(client, admin_headers, there, {sku: 5})
    web = await make_channel(client, admin_headers, {here: (0, 0), there: (0, 0)})

    with pytest.raises(inventory_api.InsufficientStock) as refused:
        async with database.uow() as uow:
            # Written in the same unit of work just before: undone with the refusal.
            await inventory_api.record_changes(
                uow, [StockChange(sku, here, MovementKind.RECEIPT, 10)]
            )
            await inventory_api.reserve_for_channel(
                uow,
                web,
                [SellLine(sku, here, 12)],
                ReservationKind.ORDER,
                new_id("ord"),
            )

    assert refused.value.extra["available"] == 1
    assert [a["location_id"] for a in refused.value.extra["alternatives"]] == [there]
    assert await level(database, sku, here) == (1, 0, 0, 0, 0)


async def test_an_inactive_channel_reserves_nothing(client, database, admin_headers):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 5})
    closed = await make_channel(client, admin_headers, {store: (0, 0)}, active=False)
    before = await stock_state(database, sku)

    with pytest.raises(InvalidInput):
        async with database.uow() as uow:
            await inventory_api.reserve_for_channel(
                uow, closed, [SellLine(sku, store, 1)], ReservationKind.ORDER, new_id("ord")
            )

    assert await stock_state(database, sku) == before


async def test_holds_are_extended_converted_consumed_and_released_through_the_facade(
    client, database, admin_headers
):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 5})
    web = await make_channel(client, admin_headers, {store: (0, 0)})
    cart, order, other = new_id("crt"), new_id("ord"), new_id("ord")
    soon = database.clock.now()

    async with database.uow() as uow:
        await inventory_api.reserve_for_channel(
            uow, web, [SellLine(sku, store, 2)], ReservationKind.HOLD, cart, expires_at=soon
        )
        await inventory_api.reserve_for_channel(
            uow, web, [SellLine(sku, store, 1)], ReservationKind.ORDER, other
        )
        assert await inventory_api.extend_holds(uow, cart, soon.replace(year=soon.year + 1)) == 1
        assert await inventory_api.convert_holds_to_order(uow, cart, order) == 1
        assert await inventory_api.consume(uow, order) == 2
        assert await inventory_api.release(uow, other) == 1
        await uow.commit()

    assert await level(database, sku, store) == (3, 0, 0, 0, 0)
