"""Giving back some units of an order's reservation (``inventory.api.release_units``):
the reservation shrinks, the level's reserved follows with a RELEASE movement each, and
asking for more than is reserved changes nothing."""

from __future__ import annotations

import pytest

from omni.db.database import Database
from omni.inventory import api as inventory_api
from omni.inventory.api import ReservationKind, SellLine, UnitRelease
from omni.kernel.errors import Conflict
from omni.kernel.ids import new_id
from tests.inventory.http_support import (
    make_channel,
    make_store,
    make_variants,
    receive,
    stock_state,
)


async def reserve(
    database: Database, channel: str, sku: str, store: str, units: int, ref: str
) -> str:
    async with database.uow() as uow:
        [taken] = await inventory_api.reserve_for_channel(
            uow, channel, [SellLine(sku, store, units)], ReservationKind.ORDER, ref
        )
        await uow.commit()
    return taken.reservation_id


async def release(database: Database, ref: str, *requests: UnitRelease) -> int:
    async with database.uow() as uow:
        released = await inventory_api.release_units(uow, ref, list(requests))
        await uow.commit()
    return released


@pytest.fixture
async def stocked(client, admin_headers):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 10})
    channel = await make_channel(client, admin_headers, {store: (0, 0)})
    return sku, store, channel


@pytest.mark.parametrize(
    ("why", "first", "second", "give_back", "left"),
    [
        ("a few units off one reservation", 4, 0, 1, [3]),
        ("the newest reservation goes first", 3, 2, 2, [3]),
        ("across both, the newest emptied", 3, 2, 4, [1]),
        ("everything", 3, 2, 5, []),
    ],
)
async def test_units_come_off_the_reservations_and_the_ledger_follows(
    database, stocked, why, first, second, give_back, left
):
    sku, store, channel = stocked
    ref = new_id("ord")
    ids = [await reserve(database, channel, sku, store, first, ref)]
    if second:
        ids.append(await reserve(database, channel, sku, store, second, ref))
    before = await stock_state(database, sku)

    assert await release(database, ref, UnitRelease(tuple(ids), give_back)) == give_back

    after = await stock_state(database, sku)
    assert after["levels"][(sku, store)][1] == first + second - give_back, why
    active = [quantity for _, status, quantity, _ in after["reservations"] if status == "active"]
    assert active == left, why
    assert after["movements"] > before["movements"]


async def test_releasing_more_than_is_reserved_changes_nothing(database, stocked):
    sku, store, channel = stocked
    ref = new_id("ord")
    reservation_id = await reserve(database, channel, sku, store, 2, ref)
    before = await stock_state(database, sku)
    with pytest.raises(Conflict):
        await release(database, ref, UnitRelease((reservation_id,), 3))
    assert await stock_state(database, sku) == before
    with pytest.raises(Conflict):  # another order's reference cannot take them either
        await release(database, new_id("ord"), UnitRelease((reservation_id,), 1))
    assert await stock_state(database, sku) == before
