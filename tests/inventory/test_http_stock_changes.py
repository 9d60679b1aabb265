"""Stock changes over HTTP: receipts, adjustments, damage, recovery, write-offs, return
restocks, till sales, safety stock — validation, idempotency and who may do what."""

from __future__ import annotations

import pytest

from tests.inventory.helpers import assert_ledger_balanced
from tests.inventory.http_support import (
    STOCK,
    events_about,
    key,
    level,
    make_bundle,
    make_store,
    make_variants,
    receive,
    stock_state,
)


@pytest.fixture
async def planner(staff_headers):  # type: ignore[no-untyped-def]
    return await staff_headers("planner")


def lines(**quantities: int) -> list[dict[str, object]]:
    return [{"variant_id": v, "quantity": q} for v, q in quantities.items()]


async def test_a_receipt_adds_on_hand_and_a_ledger_movement(
    client, database, admin_headers, planner
):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)

    response = await client.post(
        f"{STOCK}/receipts",
        json={"location_id": store, "lines": [{"variant_id": sku, "quantity": 12}]},
        headers=planner | key(),
    )

    assert response.status_code == 201, response.text
    [after] = response.json()["levels"]
    assert (after["on_hand"], after["available"]) == (12, 12)
    assert await level(database, sku, store) == (12, 0, 0, 0, 0)
    assert (await stock_state(database, sku))["movements"] == 1
    await assert_ledger_balanced(database)


async def test_a_receipt_without_an_idempotency_key_is_refused(client, database, admin_headers):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    response = await client.post(
        f"{STOCK}/receipts",
        json={"location_id": store, "lines": [{"variant_id": sku, "quantity": 1}]},
        headers=admin_headers,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_missing"
    assert (await stock_state(database, sku))["movements"] == 0


async def test_a_retried_receipt_is_applied_once(client, database, admin_headers):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    body = {"location_id": store, "lines": [{"variant_id": sku, "quantity": 5}]}
    same_key = admin_headers | key()

    first = await client.post(f"{STOCK}/receipts", json=body, headers=same_key)
    retry = await client.post(f"{STOCK}/receipts", json=body, headers=same_key)

    assert first.status_code == retry.status_code == 201
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json() == first.json()
    assert await level(database, sku, store) == (5, 0, 0, 0, 0)
    assert (await stock_state(database, sku))["movements"] == 1


async def test_adjustments_are_signed_and_need_a_reason(client, database, admin_headers):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 10})
    url = f"{STOCK}/adjustments"
    before = await stock_state(database, sku)

    no_reason = await client.post(
        url, json={"location_id": store, "lines": lines(**{sku: -2})}, headers=admin_headers | key()
    )
    zero = await client.post(
        url,
        json={"location_id": store, "lines": lines(**{sku: 0}), "reason": "count"},
        headers=admin_headers | key(),
    )
    assert no_reason.status_code == zero.status_code == 422
    assert await stock_state(database, sku) == before

    shrink = await client.post(
        url,
        json={"location_id": store, "lines": lines(**{sku: -3}), "reason": "shelf count"},
        headers=admin_headers | key(),
    )
    assert shrink.status_code == 201, shrink.text
    assert await level(database, sku, store) == (7, 0, 0, 0, 0)


async def test_damage_recovery_and_write_off_move_units_through_unsellable(
    client, database, admin_headers
):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 10})
    body = {"location_id": store, "lines": lines(**{sku: 4}), "reason": "water damage"}

    damaged = await client.post(f"{STOCK}/damage", json=body, headers=admin_headers | key())
    assert damaged.json()["levels"][0]["available"] == 6
    recovered = await client.post(
        f"{STOCK}/recoveries",
        json={"location_id": store, "lines": lines(**{sku: 1})},
        headers=admin_headers | key(),
    )
    written_off = await client.post(
        f"{STOCK}/write-offs",
        json={"location_id": store, "lines": lines(**{sku: 3}), "reason": "disposed"},
        headers=admin_headers | key(),
    )

    assert (damaged.status_code, recovered.status_code, written_off.status_code) == (201,) * 3
    assert await level(database, sku, store) == (7, 0, 0, 0, 0)
    await assert_ledger_balanced(database)


async def test_damage_needs_a_reason_and_write_offs_only_what_is_unsellable(
    client, database, admin_headers
):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 3})
    before = await stock_state(database, sku)

    no_reason = await client.post(
        f"{STOCK}/damage",
        json={"location_id": store, "lines": lines(**{sku: 1})},
        headers=admin_headers | key(),
    )
    too_many = await client.post(
        f"{STOCK}/write-offs",
        json={"location_id": store, "lines": lines(**{sku: 1}), "reason": "broken"},
        headers=admin_headers | key(),
    )

    assert no_reason.status_code == 422
    assert too_many.status_code == 409
    assert await stock_state(database, sku) == before


async def test_a_return_restock_puts_units_back(client, database, admin_headers):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    response = await client.post(
        f"{STOCK}/return-restocks",
        json={
            "location_id": store,
            "lines": lines(**{sku: 2}),
            "source_type": "return",
            "source_id": "ret_1",
        },
        headers=admin_headers | key(),
    )
    assert response.status_code == 201, response.text
    assert await level(database, sku, store) == (2, 0, 0, 0, 0)


async def test_an_online_till_sale_cannot_sell_what_is_not_there(client, database, admin_headers):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 1})
    before = await stock_state(database, sku)
    response = await client.post(
        f"{STOCK}/sales",
        json={"location_id": store, "lines": lines(**{sku: 2})},
        headers=admin_headers | key(),
    )
    assert response.status_code == 409
    assert await stock_state(database, sku) == before


async def test_an_offline_till_sale_is_a_fact_accepted_below_zero_and_flagged(
    client, database, admin_headers
):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 1})

    response = await client.post(
        f"{STOCK}/sales",
        json={"location_id": store, "lines": lines(**{sku: 3}), "offline": True},
        headers=admin_headers | key(),
    )

    assert response.status_code == 201, response.text
    assert response.json()["oversold"] == [sku]
    assert await level(database, sku, store) == (-2, 0, 0, 0, 0)
    assert await events_about(database, "inventory.oversold", sku)
    await assert_ledger_balanced(database)


async def test_unknown_variants_bundles_and_bad_quantities_are_refused_whole(
    client, database, admin_headers
):
    sku, part = await make_variants(client, admin_headers, 2)
    kit = await make_bundle(client, admin_headers, {part: 2})
    store = await make_store(client, admin_headers)
    before = await stock_state(database, sku, part, kit)

    def receipt(*body_lines: dict[str, object], location: str = store) -> dict[str, object]:
        return {"location_id": location, "lines": list(body_lines)}

    unknown = await client.post(
        f"{STOCK}/receipts",
        json=receipt({"variant_id": sku, "quantity": 1}, {"variant_id": "var_nope", "quantity": 1}),
        headers=admin_headers | key(),
    )
    bundle = await client.post(
        f"{STOCK}/receipts",
        json=receipt({"variant_id": kit, "quantity": 1}),
        headers=admin_headers | key(),
    )
    negative = await client.post(
        f"{STOCK}/receipts",
        json=receipt({"variant_id": sku, "quantity": -1}),
        headers=admin_headers | key(),
    )
    nowhere = await client.post(
        f"{STOCK}/receipts",
        json=receipt({"variant_id": sku, "quantity": 1}, location="loc_nope"),
        headers=admin_headers | key(),
    )

    assert unknown.status_code == 422
    assert [e["value"] for e in unknown.json()["errors"]] == ["var_nope"]
    assert bundle.status_code == 422 and "bundle" in bundle.json()["errors"][0]["message"]
    assert negative.status_code == 422
    assert nowhere.status_code == 404
    assert await stock_state(database, sku, part, kit) == before


async def test_who_may_change_stock(
    client, database, admin_headers, staff_headers, shopper_headers
):
    [sku] = await make_variants(client, admin_headers, 1)
    own, other = await make_store(client, admin_headers), await make_store(client, admin_headers)
    manager = await staff_headers("store_manager", stores=[own])
    associate = await staff_headers("associate", stores=[own])
    _, shopper = await shopper_headers()

    async def receipt(headers: dict[str, str], location: str) -> int:
        body = {"location_id": location, "lines": lines(**{sku: 1})}
        response = await client.post(f"{STOCK}/receipts", json=body, headers=headers | key())
        return response.status_code

    refused = [
        await receipt({}, own),
        await receipt(associate, own),
        await receipt(shopper, own),
        await receipt(manager, other),
    ]
    assert refused == [401, 403, 403, 404]
    assert await stock_state(database, sku) == {"levels": {}, "movements": 0, "reservations": []}
    assert await receipt(manager, own) == 201
    assert await level(database, sku, own) == (1, 0, 0, 0, 0)


async def test_safety_stock_is_planning_and_holds_units_back(
    client, database, admin_headers, planner, staff_headers
):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 10})
    manager = await staff_headers("store_manager", stores=[store])
    body = {"variant_id": sku, "location_id": store, "units": 3}

    refused = await client.post(f"{STOCK}/safety-stock", json=body, headers=manager | key())
    negative = await client.post(
        f"{STOCK}/safety-stock", json=body | {"units": -1}, headers=planner | key()
    )
    assert (refused.status_code, negative.status_code) == (403, 422)
    assert await level(database, sku, store) == (10, 0, 0, 0, 0)

    response = await client.post(f"{STOCK}/safety-stock", json=body, headers=planner | key())
    assert response.status_code == 200, response.text
    assert (response.json()["safety_stock"], response.json()["available"]) == (3, 7)
