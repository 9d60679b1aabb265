"""Variants through HTTP: add, change with If-Match, look up by SKU and GTIN."""

from __future__ import annotations

import asyncio

from omni.catalog.events import VariantUpdated
from omni.catalog.models import Variant
from tests.catalog.helpers import (
    PRODUCTS,
    VARIANTS,
    count_rows,
    create_product,
    events_named,
    snapshot,
    unique_gtin,
    unique_sku,
)


async def test_a_variant_is_added_with_a_normalized_sku_and_gtin(client, merch, database):
    product = await create_product(client, merch)
    sku, gtin = unique_sku().lower(), unique_gtin()
    response = await client.post(
        f"{PRODUCTS}/{product['id']}/variants",
        json={"sku": sku, "gtin": gtin, "option_values": {"size": "XL", "color": "Navy"}},
        headers=merch,
    )
    assert response.status_code == 201, response.text
    variant = response.json()
    assert variant["sku"] == sku.upper()
    assert variant["gtin"] == "0" + gtin
    assert variant["position"] == 2
    assert response.headers["etag"] == '"v1"'
    # The product is the aggregate: its ETag moves with its variants.
    _, etag = await snapshot(client, merch, product["id"])
    assert etag == '"v2"'


async def test_adding_a_variant_to_an_unknown_product_is_404(client, merch, database):
    sku = unique_sku()
    response = await client.post(
        f"{PRODUCTS}/prd_missing/variants", json={"sku": sku}, headers=merch
    )
    assert response.status_code == 404
    assert await count_rows(database, Variant, Variant.sku == sku) == 0


async def test_a_duplicate_sku_gtin_or_combination_is_refused(client, merch, database):
    gtin = unique_gtin()
    product = await create_product(
        client,
        merch,
        variants=[
            {"sku": unique_sku(), "gtin": gtin, "option_values": {"size": "M", "color": "Red"}}
        ],
    )
    before = await snapshot(client, merch, product["id"])
    taken = product["variants"][0]
    cases = [
        ({"sku": taken["sku"], "option_values": {"size": "S", "color": "Red"}}, "sku"),
        (
            {
                "sku": unique_sku(),
                "gtin": "0" + gtin,
                "option_values": {"size": "S", "color": "Red"},
            },
            "gtin",
        ),
        ({"sku": unique_sku(), "option_values": {"size": "m", "color": "red"}}, "option_values"),
    ]
    for body, field in cases:
        response = await client.post(
            f"{PRODUCTS}/{product['id']}/variants", json=body, headers=merch
        )
        assert response.status_code == 409, body
        assert response.json()["field"] == field
    assert await snapshot(client, merch, product["id"]) == before


async def test_patching_a_variant_honours_if_match(client, merch, database):
    product = await create_product(client, merch)
    variant = product["variants"][0]
    url = f"{VARIANTS}/{variant['id']}"
    gtin = unique_gtin()
    changed = await client.patch(
        url, json={"gtin": gtin, "weight_grams": 210}, headers={**merch, "If-Match": '"v1"'}
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"v2"'
    assert changed.json()["gtin"] == "0" + gtin
    events = await events_named(database, VariantUpdated.name, variant_id=variant["id"])
    assert events[0]["fields"] == ["gtin", "weight_grams"]

    stale = await client.patch(url, json={"weight_grams": 1}, headers={**merch, "If-Match": '"v1"'})
    assert stale.status_code == 412
    assert (await client.get(url, headers=merch)).json()["weight_grams"] == 210


async def test_a_gtin_can_be_removed(client, merch):
    product = await create_product(client, merch)
    url = f"{VARIANTS}/{product['variants'][0]['id']}"
    await client.patch(url, json={"gtin": unique_gtin()}, headers=merch)
    response = await client.patch(url, json={"gtin": None}, headers=merch)
    assert response.status_code == 200
    assert response.json()["gtin"] is None


async def test_bad_variant_patches_are_refused_and_change_nothing(client, merch):
    product = await create_product(client, merch)
    first, second = product["variants"]
    url = f"{VARIANTS}/{first['id']}"
    before = (await client.get(url, headers=merch)).json()
    cases = [
        ({"sku": second["sku"]}, 409),
        ({"option_values": second["option_values"]}, 409),
        ({"option_values": {"size": "M"}}, 422),
        ({"gtin": "12345"}, 422),
        ({"sku": "has space"}, 422),
        ({"status": None}, 422),
        ({"weight_grams": -1}, 422),
    ]
    for patch, status in cases:
        response = await client.patch(url, json=patch, headers=merch)
        assert response.status_code == status, (patch, response.text)
    assert (await client.get(url, headers=merch)).json() == before


async def test_the_last_active_variant_of_an_active_product_cannot_be_archived(client, merch):
    product = await create_product(
        client,
        merch,
        status="active",
        variants=[{"sku": unique_sku(), "option_values": {"size": "M", "color": "Red"}}],
    )
    url = f"{VARIANTS}/{product['variants'][0]['id']}"
    response = await client.patch(url, json={"status": "archived"}, headers=merch)
    assert response.status_code == 409
    assert (await client.get(url, headers=merch)).json()["status"] == "active"


async def test_variants_are_found_by_sku_and_by_gtin(client, merch, analyst):
    gtin = unique_gtin()
    sku = unique_sku()
    product = await create_product(
        client,
        merch,
        variants=[{"sku": sku, "gtin": gtin, "option_values": {"size": "M", "color": "Red"}}],
    )
    variant_id = product["variants"][0]["id"]
    by_sku = await client.get(f"{VARIANTS}/by-sku/{sku.lower()}", headers=analyst)
    assert by_sku.status_code == 200
    assert by_sku.json()["id"] == variant_id
    assert by_sku.headers["etag"] == '"v1"'
    by_gtin = await client.get(f"{VARIANTS}/by-gtin/{gtin}", headers=analyst)
    assert by_gtin.json()["id"] == variant_id
    listed = await client.get(VARIANTS, params={"sku": sku}, headers=analyst)
    assert [v["id"] for v in listed.json()["items"]] == [variant_id]
    listed = await client.get(VARIANTS, params={"gtin": "0" + gtin}, headers=analyst)
    assert [v["id"] for v in listed.json()["items"]] == [variant_id]
    of_product = await client.get(VARIANTS, params={"product_id": product["id"]}, headers=analyst)
    assert [v["id"] for v in of_product.json()["items"]] == [variant_id]


async def test_lookups_that_find_nothing_are_404_and_bad_gtins_422(client, analyst):
    assert (
        await client.get(f"{VARIANTS}/by-sku/NOPE-{unique_sku()}", headers=analyst)
    ).status_code == 404
    assert (
        await client.get(f"{VARIANTS}/by-gtin/{unique_gtin()}", headers=analyst)
    ).status_code == 404
    assert (await client.get(f"{VARIANTS}/by-gtin/12345", headers=analyst)).status_code == 422
    assert (await client.get(f"{VARIANTS}/var_missing", headers=analyst)).status_code == 404


async def test_variant_lists_are_paged_with_a_cursor(client, merch, analyst):
    product = await create_product(
        client,
        merch,
        variants=[
            {"sku": unique_sku(), "option_values": {"size": size, "color": "Red"}}
            for size in ("XS", "S", "M", "L", "XL")
        ],
    )
    seen: list[str] = []
    cursor = None
    while True:
        params = {"product_id": product["id"], "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(VARIANTS, params=params, headers=analyst)).json()
        seen += [v["id"] for v in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(v["id"] for v in product["variants"])


async def test_two_concurrent_adds_of_one_sku_give_one_variant_and_one_409(client, merch, database):
    first = await create_product(client, merch, option_names=["size"], variants=[])
    second = await create_product(client, merch, option_names=["size"], variants=[])
    sku = unique_sku()
    responses = await asyncio.gather(
        *(
            client.post(
                f"{PRODUCTS}/{product['id']}/variants",
                json={"sku": sku, "option_values": {"size": "M"}},
                headers=merch,
            )
            for product in (first, second)
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    assert await count_rows(database, Variant, Variant.sku == sku) == 1
