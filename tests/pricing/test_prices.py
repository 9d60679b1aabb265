"""A list's prices through HTTP: bulk upsert (all or nothing, per-row report), listing,
removing a row."""

from __future__ import annotations

from omni.pricing.events import PricesChanged
from tests.catalog.helpers import events_named
from tests.pricing.helpers import PRICE_LISTS, create_list, price_rows, put_prices, variants


async def test_bulk_upsert_creates_then_replaces_rows(client, merch, analyst, database):
    price_list = await create_list(client, merch)
    tee, sock = await variants(client, merch, 2)
    result = await put_prices(
        client,
        merch,
        price_list["id"],
        [
            {"variant_id": tee, "amount": 2500, "compare_at_amount": 3000},
            {"variant_id": tee, "min_quantity": 3, "amount": 2200},
            {"variant_id": sock, "amount": 900},
        ],
    )
    assert (result["created"], result["updated"], result["version"]) == (3, 0, 2)
    again = await put_prices(client, merch, price_list["id"], [{"variant_id": sock, "amount": 800}])
    assert (again["created"], again["updated"]) == (0, 1)
    assert sorted(await price_rows(database, price_list["id"])) == sorted(
        [(tee, 1, 2500), (tee, 3, 2200), (sock, 1, 800)]
    )
    events = await events_named(database, PricesChanged.name, price_list_id=price_list["id"])
    assert sorted(events[0]["variant_ids"]) == sorted([tee, sock])
    # The list's ETag moves with its prices.
    read = await client.get(f"{PRICE_LISTS}/{price_list['id']}", headers=analyst)
    assert read.headers["etag"] == '"v3"'


async def test_one_bad_row_rejects_the_whole_upload_with_a_report(client, merch, database):
    price_list = await create_list(client, merch)
    tee, sock = await variants(client, merch, 2)
    await put_prices(client, merch, price_list["id"], [{"variant_id": tee, "amount": 2500}])
    rows = [
        {"variant_id": sock, "amount": 900},  # fine, but must not be written
        {"variant_id": tee, "amount": -1},
        {"variant_id": tee, "min_quantity": 2, "amount": 1000, "compare_at_amount": 999},
        {"variant_id": "var_missing", "amount": 100},
        {"variant_id": sock, "amount": 950},  # same variant and tier as row 0
        {"amount": 100},
        {"variant_id": sock, "min_quantity": 0, "amount": 100},
        {"variant_id": sock, "amount": 100, "currency": "USD"},
    ]
    response = await client.put(
        f"{PRICE_LISTS}/{price_list['id']}/prices", json={"prices": rows}, headers=merch
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert {(e["row"], e["field"]) for e in errors} == {
        (1, "amount"),
        (2, "row"),
        (3, "variant_id"),
        (4, "min_quantity"),
        (5, "variant_id"),
        (6, "min_quantity"),
        (7, "currency"),
    }
    assert all(e["message"] for e in errors)
    assert await price_rows(database, price_list["id"]) == [(tee, 1, 2500)]


async def test_a_larger_tier_may_not_cost_more_per_unit(client, merch, database):
    price_list = await create_list(client, merch)
    [tee] = await variants(client, merch)
    await put_prices(
        client,
        merch,
        price_list["id"],
        [
            {"variant_id": tee, "amount": 1000},
            {"variant_id": tee, "min_quantity": 10, "amount": 800},
        ],
    )
    response = await client.put(
        f"{PRICE_LISTS}/{price_list['id']}/prices",
        json={"prices": [{"variant_id": tee, "amount": 700}]},
        headers=merch,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "row": 0,
            "field": "amount",
            "message": "From 10 units the unit price would be higher than for fewer units.",
        }
    ]
    assert await price_rows(database, price_list["id"]) == [(tee, 1, 1000), (tee, 10, 800)]


async def test_uploads_are_limited_to_1000_rows(client, merch, database):
    price_list = await create_list(client, merch)
    [tee] = await variants(client, merch)
    rows = [{"variant_id": tee, "min_quantity": n + 1, "amount": 10_000 - n} for n in range(1001)]
    response = await client.put(
        f"{PRICE_LISTS}/{price_list['id']}/prices", json={"prices": rows}, headers=merch
    )
    assert response.status_code == 422
    assert await price_rows(database, price_list["id"]) == []
    accepted = await put_prices(client, merch, price_list["id"], rows[:1000])
    assert accepted["created"] == 1000


async def test_an_empty_upload_or_unknown_list_is_refused(client, merch):
    price_list = await create_list(client, merch)
    empty = await client.put(
        f"{PRICE_LISTS}/{price_list['id']}/prices", json={"prices": []}, headers=merch
    )
    assert empty.status_code == 422
    unknown = await client.put(
        f"{PRICE_LISTS}/prl_missing/prices",
        json={"prices": [{"variant_id": "var_x", "amount": 1}]},
        headers=merch,
    )
    assert unknown.status_code == 404


async def test_prices_are_listed_by_list_and_variant(client, merch, analyst):
    price_list = await create_list(client, merch)
    tee, sock = await variants(client, merch, 2)
    await put_prices(
        client,
        merch,
        price_list["id"],
        [
            {"variant_id": tee, "amount": 2500},
            {"variant_id": tee, "min_quantity": 5, "amount": 2000},
            {"variant_id": sock, "amount": 900},
        ],
    )
    url = f"{PRICE_LISTS}/{price_list['id']}/prices"
    of_tee = await client.get(url, params={"variant_id": tee}, headers=analyst)
    assert sorted((p["min_quantity"], p["amount"]) for p in of_tee.json()["items"]) == [
        (1, 2500),
        (5, 2000),
    ]
    first = await client.get(url, params={"limit": 2}, headers=analyst)
    rest = await client.get(url, params={"cursor": first.json()["next_cursor"]}, headers=analyst)
    assert len(first.json()["items"]) + len(rest.json()["items"]) == 3
    assert rest.json()["next_cursor"] is None
    assert (
        await client.get(f"{PRICE_LISTS}/prl_missing/prices", headers=analyst)
    ).status_code == 404


async def test_one_price_row_can_be_removed(client, merch, analyst, database):
    price_list = await create_list(client, merch)
    other_list = await create_list(client, merch)
    [tee] = await variants(client, merch)
    await put_prices(
        client,
        merch,
        price_list["id"],
        [
            {"variant_id": tee, "amount": 2500},
            {"variant_id": tee, "min_quantity": 5, "amount": 2000},
        ],
    )
    url = f"{PRICE_LISTS}/{price_list['id']}/prices"
    listed = (await client.get(url, params={"variant_id": tee}, headers=analyst)).json()["items"]
    tier = next(p for p in listed if p["min_quantity"] == 5)
    wrong_list = await client.delete(
        f"{PRICE_LISTS}/{other_list['id']}/prices/{tier['id']}", headers=merch
    )
    assert wrong_list.status_code == 404
    assert (await client.delete(f"{url}/{tier['id']}", headers=merch)).status_code == 204
    assert await price_rows(database, price_list["id"]) == [(tee, 1, 2500)]
    assert (await client.delete(f"{url}/{tier['id']}", headers=merch)).status_code == 404
