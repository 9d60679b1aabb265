"""What happens after checkout, through the API: 3-D Secure completed places the order,
failed cancels it (stock back); a cancelled order's payment is voided and its coupon
use released — each reaction once, however often the events are seen."""

import pytest
from sqlalchemy import select

from omni.db.platform_models import OutboxEvent
from omni.kernel.events import rebuild
from tests.carts.support import open_shop
from tests.inventory.http_support import stock_state
from tests.orders.checkout_support import (
    CHECKOUT,
    checkout_body,
    ensure_new_york_taxes,
    filled_guest_cart,
    key,
)
from tests.orders.support import ORDERS
from tests.payments.support import the_provider
from tests.promotions.helpers import add_coupon, coupon_promotion, redemptions

WEBHOOK = "/api/v1/payments/webhooks/test"
THREE_DS = [{"kind": "card_online", "reference": "tok_3ds"}]


@pytest.fixture
async def shop(client, admin_headers):
    await ensure_new_york_taxes(client, admin_headers)
    return await open_shop(client, admin_headers)


async def checkout(client, shop, **fields):
    cart_id, token = await filled_guest_cart(client, shop, [2])
    response = await client.post(
        CHECKOUT, json=checkout_body(cart_id, **fields), headers=token | key()
    )
    assert response.status_code == 201, response.text
    return response.json()


async def finish_3ds(client, app, placed, *, succeed):
    action_id = placed["next_action_url"].rstrip("/").rsplit("/", 1)[-1]
    delivery = the_provider(app).complete_action(action_id, succeed=succeed)
    response = await client.post(WEBHOOK, content=delivery.body, headers=delivery.headers)
    assert response.status_code == 200, response.text
    await app.state.dispatcher.drain()


async def order_of(client, headers, order_id):
    response = await client.get(f"{ORDERS}/{order_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def payments_of(client, headers, order_id):
    response = await client.get("/api/v1/payments", params={"order_id": order_id}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_3d_secure_completed_places_the_waiting_order(client, app, shop, admin_headers):
    placed = await checkout(client, shop, payment=THREE_DS)
    assert placed["status"] == "pending_payment"

    await finish_3ds(client, app, placed, succeed=True)

    order = await order_of(client, admin_headers, placed["order_id"])
    assert order["status"] == "placed"
    [payment] = await payments_of(client, admin_headers, placed["order_id"])
    assert payment["status"] == "authorized"


async def test_3d_secure_failed_cancels_the_order_and_gives_its_stock_back(
    client, app, shop, database, admin_headers
):
    before = await stock_state(database, shop.variants[0])
    placed = await checkout(client, shop, payment=THREE_DS)
    assert await stock_state(database, shop.variants[0]) != before

    await finish_3ds(client, app, placed, succeed=False)

    order = await order_of(client, admin_headers, placed["order_id"])
    assert order["status"] == "cancelled"
    after = await stock_state(database, shop.variants[0])
    assert after["levels"] == before["levels"]


async def test_a_cancelled_order_voids_its_payment_and_releases_its_coupon_once(
    client, app, shop, database, admin_headers
):
    promotion = await coupon_promotion(client, admin_headers)
    code = (await add_coupon(client, admin_headers, promotion["id"]))["code"]
    placed = await checkout(client, shop, coupon_codes=[code])
    assert placed["status"] == "placed"
    await app.state.dispatcher.drain()
    assert await redemptions(database, code) == [(placed["order_id"], None, False)]

    url = f"{ORDERS}/{placed['order_id']}/cancel"
    response = await client.post(url, json={"reason": "changed my mind"}, headers=admin_headers)
    assert response.status_code == 200, response.text
    await app.state.dispatcher.drain()

    [payment] = await payments_of(client, admin_headers, placed["order_id"])
    assert payment["status"] == "voided"
    assert await redemptions(database, code) == [(placed["order_id"], None, True)]

    # The same event handled again (a replay, a second process) changes nothing more.
    cancelled = await cancelled_event(database, placed["order_id"])
    for _, handler in app.state.dispatcher.registry.for_event("order.cancelled"):
        async with database.uow() as uow:
            await handler(cancelled, uow)
            await uow.commit()
    [again] = await payments_of(client, admin_headers, placed["order_id"])
    assert again == payment
    assert await redemptions(database, code) == [(placed["order_id"], None, True)]


async def cancelled_event(database, order_id):
    async with database.reader() as session:
        [payload] = await session.scalars(
            select(OutboxEvent.payload).where(
                OutboxEvent.name == "order.cancelled",
                OutboxEvent.payload["order_id"].as_string() == order_id,
            )
        )
    return rebuild("order.cancelled", payload)
