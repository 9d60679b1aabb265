"""Reservations through the service: all or nothing, buffers, release once, expiry."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from omni.db.platform_models import OutboxEvent
from omni.inventory import queries, reservations
from omni.inventory.domain import Buffer, ReservationKind
from omni.inventory.errors import InsufficientStock
from omni.inventory.reservations import ReserveLine, ReserveRequest
from omni.kernel.ids import new_id
from tests.inventory.helpers import assert_ledger_balanced, fresh, receive, snapshot


def order(*lines: ReserveLine, **kwargs) -> ReserveRequest:
    return ReserveRequest(
        lines=list(lines), kind=ReservationKind.ORDER, reference=new_id("ord"), **kwargs
    )


async def test_reserving_within_stock_moves_units_to_reserved_and_writes_the_ledger(database):
    variant, location = fresh()
    await receive(database, variant, location, 10)
    async with database.uow() as uow:
        [made] = await reservations.reserve(uow, order(ReserveLine(variant, location, 3)))
        await uow.commit()
    assert made.remaining.available() == 7
    state = await snapshot(database, variant)
    assert state["levels"][location][:2] == (10, 3)
    assert state["movements"] == 2  # receipt + reservation
    await assert_ledger_balanced(database)


async def test_asking_for_more_than_available_is_refused_with_the_figures_and_changes_nothing(
    database,
):
    variant, location = fresh()
    await receive(database, variant, location, 4)
    before = await snapshot(database, variant)
    with pytest.raises(InsufficientStock) as refused:
        async with database.uow() as uow:
            await reservations.reserve(uow, order(ReserveLine(variant, location, 5)))
            await uow.commit()
    assert refused.value.extra["available"] == 4 and refused.value.extra["requested"] == 5
    assert await snapshot(database, variant) == before


async def test_a_basket_is_reserved_whole_or_not_at_all(database):
    plenty, scarce = new_id("var"), new_id("var")
    location = new_id("loc")
    await receive(database, plenty, location, 10)
    await receive(database, scarce, location, 1)
    before = (await snapshot(database, plenty), await snapshot(database, scarce))
    with pytest.raises(InsufficientStock) as refused:
        async with database.uow() as uow:
            await reservations.reserve(
                uow, order(ReserveLine(plenty, location, 2), ReserveLine(scarce, location, 2))
            )
            await uow.commit()
    assert refused.value.variant_id == scarce
    assert (await snapshot(database, plenty), await snapshot(database, scarce)) == before


async def test_a_channel_buffer_keeps_units_back_for_walk_ins(database):
    variant, store = fresh()
    await receive(database, variant, store, 10)
    web = {"buffers": {store: Buffer(units=2, percent=10)}}
    with pytest.raises(InsufficientStock) as refused:
        async with database.uow() as uow:
            await reservations.reserve(uow, order(ReserveLine(variant, store, 9), **web))
    assert refused.value.extra["available"] == 8
    async with database.uow() as uow:
        await reservations.reserve(uow, order(ReserveLine(variant, store, 8), **web))
        await uow.commit()


async def test_release_returns_units_exactly_once(database):
    variant, location = fresh()
    await receive(database, variant, location, 5)
    request = order(ReserveLine(variant, location, 4))
    async with database.uow() as uow:
        await reservations.reserve(uow, request)
        await uow.commit()
    for expected in (4, 0):
        async with database.uow() as uow:
            assert await reservations.release(uow, request.reference) == expected
            await uow.commit()
    assert (await snapshot(database, variant))["levels"][location][:2] == (5, 0)
    await assert_ledger_balanced(database)


async def test_consuming_a_reservation_takes_the_units_out_of_the_building(database):
    variant, location = fresh()
    await receive(database, variant, location, 5)
    request = order(ReserveLine(variant, location, 2))
    async with database.uow() as uow:
        await reservations.reserve(uow, request)
        await uow.commit()
    async with database.uow() as uow:
        assert await reservations.consume(uow, request.reference) == 2
        await uow.commit()
    assert (await snapshot(database, variant))["levels"][location][:2] == (3, 0)
    await assert_ledger_balanced(database)


async def test_expired_cart_holds_return_exactly_once_and_extended_ones_stay(database):
    variant, location = fresh()
    await receive(database, variant, location, 6)
    now = database.clock.now()
    expiring = ReserveRequest(
        [ReserveLine(variant, location, 2)],
        ReservationKind.HOLD,
        new_id("crt"),
        expires_at=now + timedelta(minutes=15),
    )
    extended = ReserveRequest(
        [ReserveLine(variant, location, 3)],
        ReservationKind.HOLD,
        new_id("crt"),
        expires_at=now + timedelta(minutes=15),
    )
    async with database.uow() as uow:
        await reservations.reserve(uow, expiring)
        await reservations.reserve(uow, extended)
        await reservations.extend_holds(uow, extended.reference, now + timedelta(hours=2))
        await uow.commit()
    later = now + timedelta(minutes=30)
    returned = []
    for _ in range(2):  # the sweeper runs twice: the second finds nothing
        async with database.uow() as uow:
            returned.append(await reservations.expire_holds(uow, now=later))
            await uow.commit()
    assert returned[0] >= 2 and returned[1] == 0
    assert (await snapshot(database, variant))["levels"][location][:2] == (6, 3)
    await assert_ledger_balanced(database)


async def test_checkout_keeps_the_units_its_cart_held(database):
    variant, location = fresh()
    await receive(database, variant, location, 2)
    cart = ReserveRequest(
        [ReserveLine(variant, location, 2)],
        ReservationKind.HOLD,
        new_id("crt"),
        expires_at=database.clock.now() + timedelta(minutes=1),
    )
    order_id = new_id("ord")
    async with database.uow() as uow:
        await reservations.reserve(uow, cart)
        assert await reservations.convert_holds_to_order(uow, cart.reference, order_id) == 1
        await uow.commit()
    async with database.uow() as uow:  # long after the cart would have expired
        await reservations.expire_holds(uow, now=database.clock.now() + timedelta(days=1))
        await uow.commit()
    assert (await snapshot(database, variant))["levels"][location][:2] == (2, 2)


async def test_backorders_may_promise_beyond_stock_up_to_their_allowance(database):
    variant, location = fresh()
    await receive(database, variant, location, 1)
    async with database.uow() as uow:
        await reservations.reserve(
            uow, order(ReserveLine(variant, location, 3), allowances={variant: 2})
        )
        await uow.commit()
    with pytest.raises(InsufficientStock):
        async with database.uow() as uow:
            await reservations.reserve(
                uow, order(ReserveLine(variant, location, 1), allowances={variant: 2})
            )


async def test_reserving_the_last_unit_announces_the_stock_out(database):
    variant, location = fresh()
    await receive(database, variant, location, 1)
    async with database.uow() as uow:
        await reservations.reserve(uow, order(ReserveLine(variant, location, 1)))
        await uow.commit()
    async with database.reader() as session:
        names = set(
            await session.scalars(
                select(OutboxEvent.name).where(
                    OutboxEvent.payload["variant_id"].as_string() == variant
                )
            )
        )
    assert "inventory.stock_depleted" in names


async def test_position_at_a_past_time_is_explained_by_its_movements(database):
    variant, location = fresh()
    await receive(database, variant, location, 5)
    middle = database.clock.now()
    await receive(database, variant, location, 7)
    async with database.reader() as session:
        then, movements = await queries.position_at(session, variant, location, middle)
        now, _ = await queries.position_at(session, variant, location, database.clock.now())
    assert then.on_hand == 5 and [m.kind for m in movements] == ["receipt"]
    assert now.on_hand == 12


async def test_a_backorder_of_a_never_stocked_sku_is_really_reserved(database):
    variant, location = fresh()  # no receipt ever: no stock level yet
    async with database.uow() as uow:
        [made] = await reservations.reserve(
            uow, order(ReserveLine(variant, location, 2), allowances={variant: 5})
        )
        await uow.commit()
    assert made.quantity == 2
    assert (await snapshot(database, variant))["levels"][location][:2] == (0, 2)
    await assert_ledger_balanced(database)
