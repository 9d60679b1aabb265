"""The ledger over HTTP: movements newest first (paged, filtered), the position at a
past moment with the movements that explain it, and the admin balance check."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.inventory.http_support import (
    INVENTORY,
    STOCK,
    key,
    make_store,
    make_variants,
    receive,
)


async def _story(client, admin_headers):  # type: ignore[no-untyped-def]
    """Receive 5, damage 1, receive 7, adjust -2 — with the moment after the first two."""
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 5})
    damaged = await client.post(
        f"{STOCK}/damage",
        json={
            "location_id": store,
            "lines": [{"variant_id": sku, "quantity": 1}],
            "reason": "torn",
        },
        headers=admin_headers | key(),
    )
    assert damaged.status_code == 201
    middle = datetime.now(UTC)
    await receive(client, admin_headers, store, {sku: 7})
    adjusted = await client.post(
        f"{STOCK}/adjustments",
        json={
            "location_id": store,
            "lines": [{"variant_id": sku, "quantity": -2}],
            "reason": "count",
        },
        headers=admin_headers | key(),
    )
    assert adjusted.status_code == 201
    return sku, store, middle


async def test_movements_come_newest_first_page_by_page(client, admin_headers, staff_headers):
    sku, store, _ = await _story(client, admin_headers)
    analyst = await staff_headers("analyst")
    url = f"{INVENTORY}/variants/{sku}/locations/{store}/movements"

    first = await client.get(url, params={"limit": 3}, headers=analyst)
    rest = await client.get(
        url, params={"limit": 3, "cursor": first.json()["next_cursor"]}, headers=analyst
    )

    assert first.status_code == 200, first.text
    kinds = [m["kind"] for m in first.json()["items"] + rest.json()["items"]]
    assert kinds == ["adjustment", "receipt", "damage", "receipt"]
    assert rest.json()["next_cursor"] is None
    adjustment = first.json()["items"][0]
    assert (adjustment["on_hand_delta"], adjustment["reason"]) == (-2, "count")
    assert adjustment["actor_kind"] == "staff"


async def test_movements_filter_by_kind_and_time(client, admin_headers):
    sku, store, middle = await _story(client, admin_headers)
    url = f"{INVENTORY}/variants/{sku}/locations/{store}/movements"

    receipts = await client.get(url, params={"kind": "receipt"}, headers=admin_headers)
    later = await client.get(url, params={"since": middle.isoformat()}, headers=admin_headers)
    earlier = await client.get(url, params={"until": middle.isoformat()}, headers=admin_headers)
    naive = await client.get(url, params={"since": "2025-01-01T00:00:00"}, headers=admin_headers)
    bad_kind = await client.get(url, params={"kind": "teleport"}, headers=admin_headers)

    assert [m["kind"] for m in receipts.json()["items"]] == ["receipt", "receipt"]
    assert [m["kind"] for m in later.json()["items"]] == ["adjustment", "receipt"]
    assert [m["kind"] for m in earlier.json()["items"]] == ["damage", "receipt"]
    assert (naive.status_code, bad_kind.status_code) == (422, 422)


async def test_the_position_at_a_past_moment_is_explained_by_its_movements(client, admin_headers):
    sku, store, middle = await _story(client, admin_headers)
    url = f"{INVENTORY}/variants/{sku}/locations/{store}/position"

    then = await client.get(url, params={"at": middle.isoformat()}, headers=admin_headers)
    now = await client.get(url, params={"at": datetime.now(UTC).isoformat()}, headers=admin_headers)

    assert then.status_code == 200, then.text
    assert (then.json()["on_hand"], then.json()["unsellable"]) == (5, 1)
    assert [m["kind"] for m in then.json()["movements"]] == ["damage", "receipt"]
    assert now.json()["on_hand"] == 10
    assert sum(m["on_hand_delta"] for m in now.json()["movements"]) == 10


async def test_ledger_reads_need_known_ids_an_aware_time_and_inventory_read(
    client, admin_headers, shopper_headers
):
    sku, store, middle = await _story(client, admin_headers)
    _, shopper = await shopper_headers()
    base = f"{INVENTORY}/variants"
    at = {"at": middle.isoformat()}

    unknown_variant = await client.get(
        f"{base}/var_nope/locations/{store}/position", params=at, headers=admin_headers
    )
    unknown_place = await client.get(
        f"{base}/{sku}/locations/loc_nope/movements", headers=admin_headers
    )
    naive = await client.get(
        f"{base}/{sku}/locations/{store}/position",
        params={"at": "2025-01-01T00:00:00"},
        headers=admin_headers,
    )
    anonymous = await client.get(f"{base}/{sku}/locations/{store}/movements")
    customer = await client.get(
        f"{base}/{sku}/locations/{store}/position", params=at, headers=shopper
    )

    assert (unknown_variant.status_code, unknown_place.status_code) == (404, 404)
    assert naive.status_code == 422
    assert (anonymous.status_code, customer.status_code) == (401, 403)


async def test_the_ledger_check_is_for_admins_and_finds_every_level_balanced(
    client, admin_headers, staff_headers
):
    await _story(client, admin_headers)
    planner = await staff_headers("planner")

    checked = await client.get(f"{INVENTORY}/ledger/check", headers=admin_headers)
    refused = await client.get(f"{INVENTORY}/ledger/check", headers=planner)

    assert checked.status_code == 200, checked.text
    assert checked.json() == {"balanced": True, "mismatches": []}
    assert refused.status_code == 403
