"""A checkout retried — one after another, or 32 at once with the same key — makes one
order and one payment (PostgreSQL, real connections)."""

import asyncio

import pytest
from sqlalchemy import func, select

from omni.orders.models import Order
from omni.payments.models import PaymentRow
from tests.carts.support import open_shop
from tests.orders.checkout_support import (
    CHECKOUT,
    checkout_body,
    ensure_new_york_taxes,
    filled_guest_cart,
    key,
)

pytestmark = pytest.mark.postgres


async def orders_and_payments(database, cart_id: str) -> tuple[int, int]:
    async with database.reader() as session:
        order_ids = list(await session.scalars(select(Order.id).where(Order.cart_id == cart_id)))
        payments = await session.scalar(
            select(func.count()).select_from(PaymentRow).where(PaymentRow.order_id.in_(order_ids))
        )
    return len(order_ids), int(payments or 0)


@pytest.fixture
async def shop(client, admin_headers):
    await ensure_new_york_taxes(client, admin_headers)
    return await open_shop(client, admin_headers)


async def test_twenty_sequential_retries_answer_the_same_order(client, shop, database):
    cart_id, token = await filled_guest_cart(client, shop, [1, 1])
    headers = token | key()
    answers = [
        await client.post(CHECKOUT, json=checkout_body(cart_id), headers=headers) for _ in range(20)
    ]
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["order_id"] for a in answers}) == 1
    assert await orders_and_payments(database, cart_id) == (1, 1)


async def test_thirty_two_concurrent_retries_make_one_order_and_one_payment(client, shop, database):
    cart_id, token = await filled_guest_cart(client, shop, [2])
    headers = token | key()
    answers = await asyncio.gather(
        *(client.post(CHECKOUT, json=checkout_body(cart_id), headers=headers) for _ in range(32))
    )
    codes = [a.status_code for a in answers]
    # One placed it; the others got its answer or were told it is still in flight.
    assert set(codes) <= {201, 409} and codes.count(201) >= 1
    assert all(
        a.json()["code"] == "idempotency_key_in_flight" for a in answers if a.status_code == 409
    )
    assert len({a.json()["order_id"] for a in answers if a.status_code == 201}) == 1
    assert await orders_and_payments(database, cart_id) == (1, 1)
