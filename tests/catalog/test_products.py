"""Products through HTTP: create with variants, read, change with If-Match, archive,
delete drafts — and every refusal leaves the catalog as it was."""

from __future__ import annotations

from omni.catalog.events import ProductCreated, ProductDeleted, ProductUpdated, VariantCreated
from omni.catalog.models import Product, Variant
from tests.catalog.helpers import (
    CATEGORIES,
    PRODUCTS,
    audit_actions,
    count_rows,
    create_product,
    events_named,
    product_body,
    products_with_handle,
    snapshot,
    unique,
    unique_gtin,
    unique_sku,
)


async def test_merchandiser_creates_a_product_with_its_variants(client, merch, database):
    gtin = unique_gtin()
    body = product_body(
        media=[{"url": "https://cdn.example.com/tee.jpg", "alt": "Front"}],
        description="Soft and breathable.",
    )
    body["variants"][0]["gtin"] = gtin
    body["variants"][0]["weight_grams"] = 180

    response = await client.post(PRODUCTS, json=body, headers=merch)

    assert response.status_code == 201, response.text
    product = response.json()
    assert product["id"].startswith("prd_")
    assert response.headers["etag"] == '"v1"'
    assert response.headers["location"].endswith(product["id"])
    assert product["status"] == "draft"
    assert product["attributes"] == {"material": "organic cotton", "care": "machine wash 30C"}
    assert product["media"] == [
        {"url": "https://cdn.example.com/tee.jpg", "alt": "Front", "variant_id": None}
    ]
    first, second = product["variants"]
    assert first["id"].startswith("var_")
    assert first["gtin"] == gtin.zfill(14)
    assert first["weight_grams"] == 180
    assert [first["position"], second["position"]] == [0, 1]
    assert await events_named(database, ProductCreated.name, product_id=product["id"])
    assert len(await events_named(database, VariantCreated.name, product_id=product["id"])) == 2
    assert "catalog.product_created" in await audit_actions(database, product["id"])


async def test_the_handle_is_made_from_the_name_when_not_given(client, merch):
    name = f"Crème Brûlée Mug {unique('x')}"
    body = product_body(name=name, handle=None, option_names=[], variants=[])
    response = await client.post(PRODUCTS, json=body, headers=merch)
    assert response.status_code == 201, response.text
    assert response.json()["handle"].startswith("creme-brulee-mug-x-")


async def test_an_active_product_can_be_created_in_one_call(client, merch):
    product = await create_product(client, merch, status="active")
    assert product["status"] == "active"


async def test_a_taken_handle_is_a_conflict_and_creates_nothing(client, merch, database):
    existing = await create_product(client, merch)
    body = product_body(handle=existing["handle"])
    response = await client.post(PRODUCTS, json=body, headers=merch)
    assert response.status_code == 409
    assert response.json()["field"] == "handle"
    assert await products_with_handle(database, existing["handle"]) == 1
    skus = [v["sku"] for v in body["variants"]]
    assert await count_rows(database, Variant, Variant.sku.in_(skus)) == 0


async def test_one_bad_variant_refuses_the_whole_product(client, merch, database):
    body = product_body()
    body["variants"][1]["gtin"] = "4006381333932"  # wrong check digit
    response = await client.post(PRODUCTS, json=body, headers=merch)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "gtin"
    assert await products_with_handle(database, body["handle"]) == 0
    assert (
        await count_rows(database, Variant, Variant.sku == body["variants"][0]["sku"].upper()) == 0
    )


async def test_two_variants_with_the_same_options_are_refused(client, merch, database):
    body = product_body()
    body["variants"][1]["option_values"] = {"size": "m", "color": "NAVY"}
    response = await client.post(PRODUCTS, json=body, headers=merch)
    assert response.status_code == 409
    assert response.json()["field"] == "option_values"
    assert await products_with_handle(database, body["handle"]) == 0


async def test_a_variant_must_give_exactly_the_products_options(client, merch, database):
    body = product_body()
    body["variants"][0]["option_values"] = {"size": "M"}
    response = await client.post(PRODUCTS, json=body, headers=merch)
    assert response.status_code == 422
    assert "missing color" in response.json()["detail"]
    assert await products_with_handle(database, body["handle"]) == 0


async def test_a_sku_used_by_another_product_is_a_conflict(client, merch, database):
    existing = await create_product(client, merch)
    body = product_body()
    body["variants"][0]["sku"] = existing["variants"][0]["sku"].lower()
    response = await client.post(PRODUCTS, json=body, headers=merch)
    assert response.status_code == 409
    assert response.json()["field"] == "sku"
    assert await products_with_handle(database, body["handle"]) == 0


async def test_malformed_input_is_refused_with_a_problem(client, merch, database):
    cases = [
        {"media": [{"url": "javascript:alert(1)"}]},
        {"media": [{"url": "ftp://example.com/a.jpg"}]},
        {"status": "live"},
        {"unknown_field": 1},
        {"name": ""},
        {"option_names": ["size", "size"]},
        {"tax_class": "Standard Rate"},
        {"handle": "Not A Handle"},
        {"category_ids": ["cat_missing"]},
        {"media": [{"url": "https://cdn.example.com/a.jpg", "variant_id": "var_other"}]},
    ]
    for fields in cases:
        body = product_body(**fields)
        response = await client.post(PRODUCTS, json=body, headers=merch)
        assert response.status_code == 422, (fields, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        if "handle" not in fields:
            assert await products_with_handle(database, body["handle"]) == 0


async def test_a_product_cannot_be_active_without_an_active_variant(client, merch, database):
    body = product_body(status="active", variants=[])
    response = await client.post(PRODUCTS, json=body, headers=merch)
    assert response.status_code == 422
    assert response.json()["field"] == "status"
    assert await products_with_handle(database, body["handle"]) == 0


async def test_reading_a_product_gives_its_variants_and_etag(client, merch, analyst):
    created = await create_product(client, merch)
    response = await client.get(f"{PRODUCTS}/{created['id']}", headers=analyst)
    assert response.status_code == 200
    assert response.headers["etag"] == '"v1"'
    assert [v["sku"] for v in response.json()["variants"]] == [
        v["sku"] for v in created["variants"]
    ]
    by_handle = await client.get(f"{PRODUCTS}/by-handle/{created['handle']}", headers=analyst)
    assert by_handle.json()["id"] == created["id"]


async def test_an_unknown_product_is_404(client, analyst):
    response = await client.get(f"{PRODUCTS}/prd_missing", headers=analyst)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_patch_with_the_current_etag_changes_the_product(client, merch, database):
    created = await create_product(client, merch)
    category = await client.post(CATEGORIES, json={"name": unique("Tops")}, headers=merch)
    response = await client.patch(
        f"{PRODUCTS}/{created['id']}",
        json={
            "name": "Organic Tee 2.0",
            "brand": None,
            "category_ids": [category.json()["id"]],
            "media": [
                {"url": "https://cdn.example.com/m.jpg", "variant_id": created["variants"][0]["id"]}
            ],
        },
        headers={**merch, "If-Match": '"v1"'},
    )
    assert response.status_code == 200, response.text
    product = response.json()
    assert response.headers["etag"] == '"v2"'
    assert (product["name"], product["brand"]) == ("Organic Tee 2.0", None)
    assert product["category_ids"] == [category.json()["id"]]
    assert product["media"][0]["variant_id"] == created["variants"][0]["id"]
    events = await events_named(database, ProductUpdated.name, product_id=created["id"])
    assert events[0]["fields"] == ["brand", "category_ids", "media", "name"]


async def test_patch_with_a_stale_etag_is_412_and_changes_nothing(client, merch):
    created = await create_product(client, merch)
    await client.patch(f"{PRODUCTS}/{created['id']}", json={"name": "First"}, headers=merch)
    before = await snapshot(client, merch, created["id"])
    response = await client.patch(
        f"{PRODUCTS}/{created['id']}",
        json={"name": "Second"},
        headers={**merch, "If-Match": '"v1"'},
    )
    assert response.status_code == 412
    assert await snapshot(client, merch, created["id"]) == before


async def test_archiving_is_a_status_change(client, merch):
    created = await create_product(client, merch, status="active")
    response = await client.patch(
        f"{PRODUCTS}/{created['id']}", json={"status": "archived"}, headers=merch
    )
    assert response.status_code == 200
    assert response.json()["status"] == "archived"


async def test_bad_patches_are_refused_and_change_nothing(client, merch):
    created = await create_product(client, merch)
    other = await create_product(client, merch)
    before = await snapshot(client, merch, created["id"])
    cases = [
        ({"name": None}, 422),
        ({"handle": other["handle"]}, 409),
        ({"option_names": ["size"]}, 409),
        ({"category_ids": ["cat_missing"]}, 422),
        (
            {
                "media": [
                    {"url": "https://x.example/a.jpg", "variant_id": other["variants"][0]["id"]}
                ]
            },
            422,
        ),
        ({"tax_class": "NOPE!"}, 422),
        ({"variants": []}, 422),
    ]
    for patch, status in cases:
        response = await client.patch(f"{PRODUCTS}/{created['id']}", json=patch, headers=merch)
        assert response.status_code == status, (patch, response.text)
    assert await snapshot(client, merch, created["id"]) == before


async def test_a_draft_product_can_be_deleted_with_its_variants(client, merch, database):
    created = await create_product(client, merch)
    response = await client.delete(f"{PRODUCTS}/{created['id']}", headers=merch)
    assert response.status_code == 204
    assert (await client.get(f"{PRODUCTS}/{created['id']}", headers=merch)).status_code == 404
    assert await count_rows(database, Variant, Variant.product_id == created["id"]) == 0
    deleted = await events_named(database, ProductDeleted.name, product_id=created["id"])
    assert sorted(deleted[0]["variant_ids"]) == sorted(v["id"] for v in created["variants"])


async def test_an_active_product_cannot_be_deleted(client, merch, database):
    created = await create_product(client, merch, status="active")
    before = await snapshot(client, merch, created["id"])
    response = await client.delete(f"{PRODUCTS}/{created['id']}", headers=merch)
    assert response.status_code == 409
    assert await snapshot(client, merch, created["id"]) == before
    assert await count_rows(database, Product, Product.id == created["id"]) == 1


async def test_new_skus_are_unique_across_products(client, merch):
    sku = unique_sku()
    await create_product(
        client, merch, variants=[{"sku": sku, "option_values": {"size": "S", "color": "Red"}}]
    )
    body = product_body(variants=[{"sku": sku, "option_values": {"size": "S", "color": "Red"}}])
    response = await client.post(PRODUCTS, json=body, headers=merch)
    assert response.status_code == 409
