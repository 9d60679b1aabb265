"""``GET /catalog/products?in_stock=true``: the catalog listing keeps products with a
variant available on the channel, as the inventory module counts it (reservations,
holds, buffers, bundles from components)."""

from __future__ import annotations

import uuid

import pytest

from omni.catalog import queries as catalog_queries
from tests.catalog.helpers import CATEGORIES, PRODUCTS, create_product, unique_sku
from tests.inventory.http_support import (
    INVENTORY,
    key,
    make_channel,
    make_store,
    receive,
)


async def _product(client, admin, category: str, channel: str, variants: int = 1) -> dict:  # type: ignore[no-untyped-def,type-arg]
    product = await create_product(
        client,
        admin,
        status="active",
        category_ids=[category],
        option_names=["size"],
        variants=[
            {"sku": unique_sku(), "option_values": {"size": str(n)}} for n in range(variants)
        ],
    )
    published = await client.put(
        f"{PRODUCTS}/{product['id']}/publications/{channel}", headers=admin
    )
    assert published.status_code == 200, published.text
    return product


@pytest.fixture
async def aisle(client, admin_headers):  # type: ignore[no-untyped-def]
    """A category on a web channel: one product in stock, one fully held by a cart, one
    never stocked, and a kit whose components are in stock."""
    category = await client.post(
        CATEGORIES, json={"name": f"Aisle {uuid.uuid4().hex[:8]}"}, headers=admin_headers
    )
    category_id = category.json()["id"]
    store = await make_store(client, admin_headers)
    web = await make_channel(client, admin_headers, {store: (0, 0)})
    held = await _product(client, admin_headers, category_id, web)
    never = await _product(client, admin_headers, category_id, web)
    stocked = await _product(client, admin_headers, category_id, web, variants=2)
    kit_product = await _product(client, admin_headers, category_id, web)
    part = stocked["variants"][1]["id"]
    await receive(client, admin_headers, store, {held["variants"][0]["id"]: 1, part: 4})
    hold = await client.post(
        f"{INVENTORY}/holds",
        json={
            "channel_id": web,
            "reference": f"crt_{held['id']}",
            "lines": [
                {"variant_id": held["variants"][0]["id"], "location_id": store, "quantity": 1}
            ],
        },
        headers=admin_headers | key(),
    )
    assert hold.status_code == 201, hold.text
    kit_variant = kit_product["variants"][0]["id"]
    await make_bundle_of(client, admin_headers, kit_variant, part)
    return {
        "category": category_id,
        "channel": web,
        "in_stock": [stocked["id"], kit_product["id"]],
        "all": [held["id"], never["id"], stocked["id"], kit_product["id"]],
    }


async def make_bundle_of(client, admin, kit: str, part: str) -> None:  # type: ignore[no-untyped-def]
    response = await client.put(
        f"/api/v1/catalog/variants/{kit}/components",
        json={"components": [{"variant_id": part, "quantity": 2}]},
        headers=admin,
    )
    assert response.status_code == 200, response.text


async def _ids(client, params: dict[str, object], headers=None) -> tuple[list[str], str | None]:  # type: ignore[no-untyped-def]
    response = await client.get(PRODUCTS, params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    return [p["id"] for p in response.json()["items"]], response.json()["next_cursor"]


async def test_shoppers_can_list_only_what_is_in_stock_on_their_channel(client, aisle):
    params = {"channel_id": aisle["channel"], "category_id": aisle["category"]}

    everything, _ = await _ids(client, params)
    in_stock, cursor = await _ids(client, params | {"in_stock": "true"})

    assert everything == aisle["all"]
    assert in_stock == aisle["in_stock"]
    assert cursor is None


async def test_in_stock_pages_follow_the_cursor(client, aisle):
    params = {"channel_id": aisle["channel"], "category_id": aisle["category"], "in_stock": "true"}
    first, cursor = await _ids(client, params | {"limit": 1})
    second, last = await _ids(client, params | {"limit": 1, "cursor": cursor})
    assert first + second == aisle["in_stock"]
    assert last is None


async def test_a_sparse_listing_answers_short_pages_with_a_cursor(client, aisle, monkeypatch):
    monkeypatch.setattr(catalog_queries, "IN_STOCK_SCAN_ROUNDS", 1)
    monkeypatch.setattr(catalog_queries, "IN_STOCK_MIN_BATCH", 1)
    params = {"channel_id": aisle["channel"], "category_id": aisle["category"], "in_stock": "true"}
    found: list[str] = []
    cursor, pages = None, 0
    while True:
        page, cursor = await _ids(
            client, params | {"limit": 1, **({"cursor": cursor} if cursor else {})}
        )
        found += page
        pages += 1
        if cursor is None:
            break
    assert found == aisle["in_stock"]
    assert pages > len(found)  # some pages came back empty, each with a cursor to go on


async def test_staff_name_the_channel_and_in_stock_needs_one(client, aisle, staff_headers):
    merchandiser = await staff_headers("merchandiser")
    params = {"category_id": aisle["category"], "in_stock": "true"}
    with_channel, _ = await _ids(client, params | {"channel_id": aisle["channel"]}, merchandiser)
    without = await client.get(PRODUCTS, params=params, headers=merchandiser)
    unknown = await client.get(
        PRODUCTS, params=params | {"channel_id": "chn_nope"}, headers=merchandiser
    )
    assert with_channel == aisle["in_stock"]
    assert without.status_code == 422
    assert unknown.status_code == 200 and unknown.json()["items"] == []  # nothing sold there


async def test_a_listing_counts_its_total_on_request(client, aisle):
    params = {"channel_id": aisle["channel"], "category_id": aisle["category"], "limit": 1}
    plain = (await client.get(PRODUCTS, params=params)).json()
    assert plain["total"] is None
    everything = (await client.get(PRODUCTS, params=params | {"total": "true"})).json()
    assert everything["total"] == len(aisle["all"])
    in_stock = await client.get(PRODUCTS, params=params | {"total": "true", "in_stock": "true"})
    assert in_stock.json()["total"] == len(aisle["in_stock"])
    assert len(in_stock.json()["items"]) == 1
