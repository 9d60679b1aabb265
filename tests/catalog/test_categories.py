"""The category tree through HTTP: create, read (public), move, delete."""

from __future__ import annotations

from omni.catalog.models import Category
from tests.catalog.helpers import CATEGORIES, PRODUCTS, count_rows, create_product, unique


async def _category(client, headers, **fields) -> dict:  # type: ignore[no-untyped-def]
    response = await client.post(
        CATEGORIES, json={"name": unique("Cat"), **fields}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_categories_form_a_tree_that_anyone_can_read(client, merch):
    root = await _category(client, merch, name=f"Women {unique('w')}")
    tops = await _category(client, merch, parent_id=root["id"], position=1)
    dresses = await _category(client, merch, parent_id=root["id"], position=0)
    assert root["slug"].startswith("women-w-")

    tree = await client.get(f"{CATEGORIES}/tree")
    assert tree.status_code == 200
    node = next(n for n in tree.json() if n["id"] == root["id"])
    assert [c["id"] for c in node["children"]] == [dresses["id"], tops["id"]]

    one = await client.get(f"{CATEGORIES}/{tops['id']}")
    assert one.json()["parent_id"] == root["id"]
    assert one.headers["etag"] == '"v1"'
    children = await client.get(CATEGORIES, params={"parent_id": root["id"]})
    assert {c["id"] for c in children.json()["items"]} == {tops["id"], dresses["id"]}


async def test_a_taken_slug_or_unknown_parent_is_refused(client, merch, database):
    existing = await _category(client, merch)
    name = unique("Dup")
    taken = await client.post(
        CATEGORIES, json={"name": name, "slug": existing["slug"]}, headers=merch
    )
    assert taken.status_code == 409
    orphan = await client.post(
        CATEGORIES, json={"name": name, "parent_id": "cat_missing"}, headers=merch
    )
    assert orphan.status_code == 422
    bad_slug = await client.post(CATEGORIES, json={"name": name, "slug": "Bad Slug"}, headers=merch)
    assert bad_slug.status_code == 422
    assert bad_slug.json()["field"] == "slug"
    assert await count_rows(database, Category, Category.name == name) == 0


async def test_a_category_moves_and_is_renamed_with_if_match(client, merch):
    women, men = await _category(client, merch), await _category(client, merch)
    tops = await _category(client, merch, parent_id=women["id"])
    response = await client.patch(
        f"{CATEGORIES}/{tops['id']}",
        json={"parent_id": men["id"], "name": "Tops"},
        headers={**merch, "If-Match": '"v1"'},
    )
    assert response.status_code == 200, response.text
    assert (response.json()["parent_id"], response.json()["name"]) == (men["id"], "Tops")
    stale = await client.patch(
        f"{CATEGORIES}/{tops['id']}", json={"name": "X"}, headers={**merch, "If-Match": '"v1"'}
    )
    assert stale.status_code == 412
    to_root = await client.patch(
        f"{CATEGORIES}/{tops['id']}", json={"parent_id": None}, headers=merch
    )
    assert to_root.json()["parent_id"] is None


async def test_a_category_cannot_move_under_its_descendant(client, merch):
    root = await _category(client, merch)
    child = await _category(client, merch, parent_id=root["id"])
    grandchild = await _category(client, merch, parent_id=child["id"])
    before = (await client.get(f"{CATEGORIES}/{root['id']}")).json()
    for new_parent in (grandchild["id"], root["id"]):
        response = await client.patch(
            f"{CATEGORIES}/{root['id']}", json={"parent_id": new_parent}, headers=merch
        )
        assert response.status_code == 422
        assert response.json()["field"] == "parent_id"
    assert (await client.get(f"{CATEGORIES}/{root['id']}")).json() == before


async def test_only_empty_categories_can_be_deleted(client, merch, database):
    parent = await _category(client, merch)
    child = await _category(client, merch, parent_id=parent["id"])
    with_product = await _category(client, merch)
    await create_product(client, merch, category_ids=[with_product["id"]])

    assert (await client.delete(f"{CATEGORIES}/{parent['id']}", headers=merch)).status_code == 409
    assert (
        await client.delete(f"{CATEGORIES}/{with_product['id']}", headers=merch)
    ).status_code == 409
    assert (
        await count_rows(database, Category, Category.id.in_([parent["id"], with_product["id"]]))
        == 2
    )

    assert (await client.delete(f"{CATEGORIES}/{child['id']}", headers=merch)).status_code == 204
    assert (await client.get(f"{CATEGORIES}/{child['id']}")).status_code == 404
    assert (await client.delete(f"{CATEGORIES}/{parent['id']}", headers=merch)).status_code == 204


async def test_filtering_products_by_category_includes_subcategories(client, merch, analyst):
    women = await _category(client, merch)
    tops = await _category(client, merch, parent_id=women["id"])
    men = await _category(client, merch)
    in_women = await create_product(client, merch, category_ids=[women["id"]])
    in_tops = await create_product(client, merch, category_ids=[tops["id"], men["id"]])
    in_men = await create_product(client, merch, category_ids=[men["id"]])

    listed = await client.get(PRODUCTS, params={"category_id": women["id"]}, headers=analyst)
    assert {p["id"] for p in listed.json()["items"]} == {in_women["id"], in_tops["id"]}
    listed = await client.get(PRODUCTS, params={"category_id": men["id"]}, headers=analyst)
    assert {p["id"] for p in listed.json()["items"]} == {in_tops["id"], in_men["id"]}
    assert sorted(in_tops["category_ids"]) == sorted([tops["id"], men["id"]])


async def test_writing_categories_needs_catalog_write(client, analyst, shopper_headers, database):
    _, shopper = await shopper_headers()
    name = unique("Nope")
    assert (await client.post(CATEGORIES, json={"name": name})).status_code == 401
    assert (await client.post(CATEGORIES, json={"name": name}, headers=shopper)).status_code == 403
    assert (await client.post(CATEGORIES, json={"name": name}, headers=analyst)).status_code == 403
    assert await count_rows(database, Category, Category.name == name) == 0
