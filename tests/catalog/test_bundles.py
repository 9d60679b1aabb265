"""Bundles (kits): a variant made of other variants, one level deep."""

from __future__ import annotations

from omni.catalog import api as catalog_api
from omni.catalog.events import BundleComponentsSet
from omni.catalog.models import BundleComponent
from tests.catalog.helpers import VARIANTS, count_rows, create_product, events_named, unique_sku


async def _variants(client, merch, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    product = await create_product(
        client,
        merch,
        option_names=["size"],
        variants=[{"sku": unique_sku(), "option_values": {"size": str(n)}} for n in range(count)],
    )
    return [v["id"] for v in product["variants"]]


async def test_a_bundle_is_defined_by_its_components(client, merch, analyst, database):
    kit, sock, tee = await _variants(client, merch, 3)
    response = await client.put(
        f"{VARIANTS}/{kit}/components",
        json={
            "components": [{"variant_id": sock, "quantity": 3}, {"variant_id": tee, "quantity": 1}]
        },
        headers=merch,
    )
    assert response.status_code == 200, response.text
    assert {(c["variant_id"], c["quantity"]) for c in response.json()["components"]} == {
        (sock, 3),
        (tee, 1),
    }
    read = await client.get(f"{VARIANTS}/{kit}/components", headers=analyst)
    assert read.json() == response.json()
    assert (await client.get(f"{VARIANTS}/{kit}", headers=analyst)).json()["is_bundle"] is True
    assert await events_named(database, BundleComponentsSet.name, bundle_variant_id=kit)
    async with database.reader() as session:
        parts = await catalog_api.bundle_components(session, kit)
        infos = await catalog_api.get_variants(session, [kit])
    assert {(p.variant_id, p.quantity) for p in parts} == {(sock, 3), (tee, 1)}
    assert infos[kit].is_bundle


async def test_an_empty_list_makes_it_a_plain_variant_again(client, merch, database):
    kit, sock = await _variants(client, merch, 2)
    url = f"{VARIANTS}/{kit}/components"
    await client.put(url, json={"components": [{"variant_id": sock, "quantity": 2}]}, headers=merch)
    response = await client.put(url, json={"components": []}, headers=merch)
    assert response.status_code == 200
    assert response.json()["components"] == []
    assert (await client.get(f"{VARIANTS}/{kit}", headers=merch)).json()["is_bundle"] is False


async def test_bundles_do_not_nest_or_contain_themselves(client, merch, database):
    kit, sock, tee, other_kit = await _variants(client, merch, 4)
    await client.put(
        f"{VARIANTS}/{kit}/components",
        json={"components": [{"variant_id": sock, "quantity": 1}]},
        headers=merch,
    )
    before = await count_rows(database, BundleComponent)
    cases = [
        (kit, [{"variant_id": kit, "quantity": 1}]),  # itself
        (other_kit, [{"variant_id": kit, "quantity": 1}]),  # a bundle inside a bundle
        (sock, [{"variant_id": tee, "quantity": 1}]),  # a component becoming a bundle
        (other_kit, [{"variant_id": tee, "quantity": 1}, {"variant_id": tee, "quantity": 2}]),
        (other_kit, [{"variant_id": "var_missing", "quantity": 1}]),
    ]
    for bundle, components in cases:
        response = await client.put(
            f"{VARIANTS}/{bundle}/components", json={"components": components}, headers=merch
        )
        assert response.status_code == 422, (bundle, components, response.text)
        assert response.json()["field"] == "components"
    zero = await client.put(
        f"{VARIANTS}/{other_kit}/components",
        json={"components": [{"variant_id": tee, "quantity": 0}]},
        headers=merch,
    )
    assert zero.status_code == 422
    assert await count_rows(database, BundleComponent) == before


async def test_an_unknown_bundle_is_404(client, merch):
    response = await client.put(
        f"{VARIANTS}/var_missing/components", json={"components": []}, headers=merch
    )
    assert response.status_code == 404
    assert (
        await client.get(f"{VARIANTS}/var_missing/components", headers=merch)
    ).status_code == 404


async def test_a_draft_whose_variant_is_in_another_bundle_cannot_be_deleted(
    client, merch, database
):
    (kit,) = await _variants(client, merch, 1)
    part_product = await create_product(client, merch)
    part = part_product["variants"][0]["id"]
    await client.put(
        f"{VARIANTS}/{kit}/components",
        json={"components": [{"variant_id": part, "quantity": 1}]},
        headers=merch,
    )
    response = await client.delete(f"/api/v1/catalog/products/{part_product['id']}", headers=merch)
    assert response.status_code == 409
    assert (
        await count_rows(database, BundleComponent, BundleComponent.bundle_variant_id == kit) == 1
    )


async def test_defining_bundles_needs_catalog_write(
    client, merch, analyst, shopper_headers, database
):
    kit, sock = await _variants(client, merch, 2)
    url = f"{VARIANTS}/{kit}/components"
    body = {"components": [{"variant_id": sock, "quantity": 1}]}
    _, shopper = await shopper_headers()
    assert (await client.put(url, json=body)).status_code == 401
    assert (await client.put(url, json=body, headers=shopper)).status_code == 403
    assert (await client.put(url, json=body, headers=analyst)).status_code == 403
    assert (
        await count_rows(database, BundleComponent, BundleComponent.bundle_variant_id == kit) == 0
    )
