"""/payments over HTTP: staff reads, captures, voids and refunds with an Idempotency-Key,
store managers limited to their stores' payments, and who may do what."""

import pytest

from tests.inventory.http_support import make_store
from tests.payments.support import PAYMENTS, card_payment, key, payment, snapshot


@pytest.fixture
async def store(client, admin_headers):
    return await make_store(client, admin_headers)


async def test_staff_read_an_orders_payments_with_their_operations(
    client, database, provider, admin_headers, staff_headers
):
    order_id, payment_id = await card_payment(database, provider, 4_200)
    agent = await staff_headers("agent")

    listed = await client.get(PAYMENTS, params={"order_id": order_id}, headers=agent)
    assert listed.status_code == 200, listed.text
    [item] = listed.json()["items"]
    assert (item["id"], item["status"], item["authorized"], item["capturable"]) == (
        payment_id,
        "authorized",
        4_200,
        4_200,
    )
    one = await client.get(f"{PAYMENTS}/{payment_id}", headers=admin_headers)
    assert [op["kind"] for op in one.json()["operations"]] == ["authorize"]
    assert (await client.get(f"{PAYMENTS}/pay_nope", headers=admin_headers)).status_code == 404


async def test_capture_then_refund_over_http(client, database, provider, admin_headers):
    _, payment_id = await card_payment(database, provider, 4_200)

    captured = await client.post(
        f"{PAYMENTS}/{payment_id}/capture", json={"amount": 4_200}, headers=admin_headers | key()
    )
    assert captured.status_code == 200, captured.text
    assert (captured.json()["status"], captured.json()["refundable"]) == ("captured", 4_200)

    refunded = await client.post(
        f"{PAYMENTS}/{payment_id}/refund",
        json={"amount": 1_200, "reason": "scratched"},
        headers=admin_headers | key(),
    )
    assert refunded.status_code == 200, refunded.text
    body = refunded.json()
    assert (body["status"], body["refunded"], body["refundable"]) == (
        "partially_refunded",
        1_200,
        3_000,
    )
    assert [(op["kind"], op["reason"]) for op in body["operations"]][-1] == ("refund", "scratched")


async def test_a_retried_capture_with_the_same_key_moves_money_once(
    client, database, provider, admin_headers
):
    _, payment_id = await card_payment(database, provider, 4_200)
    headers = admin_headers | key()
    first = await client.post(
        f"{PAYMENTS}/{payment_id}/capture", json={"amount": 1_000}, headers=headers
    )
    again = await client.post(
        f"{PAYMENTS}/{payment_id}/capture", json={"amount": 1_000}, headers=headers
    )
    assert again.status_code == 200 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert (await payment(database, payment_id))["captured"] == 1_000


async def test_money_moves_only_with_an_idempotency_key(client, database, provider, admin_headers):
    _, payment_id = await card_payment(database, provider, 4_200)
    before = await snapshot(database, payment_id)
    for action, body in (("capture", {"amount": 100}), ("void", None), ("refund", {"amount": 1})):
        response = await client.post(
            f"{PAYMENTS}/{payment_id}/{action}", json=body, headers=admin_headers
        )
        assert response.status_code == 400, action
        assert response.json()["code"] == "idempotency_key_missing"
    assert await snapshot(database, payment_id) == before


async def test_refusals_answer_problems_and_change_nothing(
    client, database, provider, admin_headers
):
    _, payment_id = await card_payment(database, provider, 4_200, "tok_fail_capture")
    before = await snapshot(database, payment_id)
    too_much = await client.post(
        f"{PAYMENTS}/{payment_id}/capture", json={"amount": 4_201}, headers=admin_headers | key()
    )
    assert (too_much.status_code, too_much.json()["code"]) == (409, "capture_exceeds_authorized")
    too_early = await client.post(
        f"{PAYMENTS}/{payment_id}/refund", json={"amount": 1}, headers=admin_headers | key()
    )
    assert too_early.status_code == 409
    negative = await client.post(
        f"{PAYMENTS}/{payment_id}/capture", json={"amount": -5}, headers=admin_headers | key()
    )
    assert negative.status_code == 422
    assert await snapshot(database, payment_id) == before

    declined = await client.post(
        f"{PAYMENTS}/{payment_id}/capture", json={"amount": 4_200}, headers=admin_headers | key()
    )
    assert (declined.status_code, declined.json()["code"]) == (402, "capture_failed")


async def test_void_over_http_releases_the_authorization(client, database, provider, admin_headers):
    _, payment_id = await card_payment(database, provider, 4_200)
    response = await client.post(f"{PAYMENTS}/{payment_id}/void", headers=admin_headers | key())
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "voided"


async def test_store_managers_see_and_act_on_their_stores_payments_only(
    client, database, provider, admin_headers, staff_headers, store
):
    other_store = await make_store(client, admin_headers)
    _, mine = await card_payment(database, provider, 1_000, location_id=store)
    _, theirs = await card_payment(database, provider, 1_000, location_id=other_store)
    _, web = await card_payment(database, provider, 1_000)
    manager = await staff_headers("store_manager", stores=[store])

    listed = await client.get(PAYMENTS, headers=manager)
    assert {p["id"] for p in listed.json()["items"]} >= {mine}
    assert {p["location_id"] for p in listed.json()["items"]} == {store}
    for hidden in (theirs, web):
        assert (await client.get(f"{PAYMENTS}/{hidden}", headers=manager)).status_code == 404
        before = await snapshot(database, hidden)
        response = await client.post(
            f"{PAYMENTS}/{hidden}/capture", json={"amount": 1_000}, headers=manager | key()
        )
        assert response.status_code == 404
        assert await snapshot(database, hidden) == before
    response = await client.post(
        f"{PAYMENTS}/{mine}/capture", json={"amount": 1_000}, headers=manager | key()
    )
    assert response.status_code == 200, response.text


async def test_who_may_read_and_move_money(client, database, provider, staff_headers):
    _, payment_id = await card_payment(database, provider, 1_000)
    agent = await staff_headers("agent")
    associate = await staff_headers("associate", stores=["loc_x"])
    merchandiser = await staff_headers("merchandiser")

    assert (await client.get(f"{PAYMENTS}/{payment_id}", headers=agent)).status_code == 200
    for headers in (agent, associate, merchandiser):
        response = await client.post(
            f"{PAYMENTS}/{payment_id}/capture", json={"amount": 1_000}, headers=headers | key()
        )
        assert response.status_code == 403
    for headers in (associate, merchandiser):
        assert (await client.get(PAYMENTS, headers=headers)).status_code == 403
    assert (await payment(database, payment_id))["captured"] == 0
