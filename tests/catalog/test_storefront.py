"""Publication per channel and what shoppers see: only active products published on the
channel they name; everything else is 404 to them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from omni.catalog.events import ProductPublished, ProductUnpublished
from omni.catalog.models import Publication
from tests.catalog.helpers import PRODUCTS, count_rows, create_product, events_named, unique_sku


async def _publish(client, headers, product_id, channel_id, **body):  # type: ignore[no-untyped-def]
    response = await client.put(
        f"{PRODUCTS}/{product_id}/publications/{channel_id}", json=body or None, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_publishing_records_the_channel_and_an_event(client, merch, channel_id, database):
    product = await create_product(client, merch)
    publication = await _publish(client, merch, product["id"], channel_id)
    assert publication["published"] is True
    assert publication["published_at"] is not None
    listed = await client.get(f"{PRODUCTS}/{product['id']}/publications", headers=merch)
    assert [p["channel_id"] for p in listed.json()] == [channel_id]
    assert await events_named(database, ProductPublished.name, product_id=product["id"])


async def test_publishing_on_an_unknown_channel_is_404_and_records_nothing(client, merch, database):
    product = await create_product(client, merch)
    response = await client.put(
        f"{PRODUCTS}/{product['id']}/publications/chn_missing", headers=merch
    )
    assert response.status_code == 404
    assert await count_rows(database, Publication, Publication.product_id == product["id"]) == 0


async def test_shoppers_see_only_active_products_published_on_their_channel(
    client, merch, channel_id, shopper_headers
):
    live = await create_product(client, merch, status="active")
    draft = await create_product(client, merch)
    unpublished = await create_product(client, merch, status="active")
    for product in (live, draft):
        await _publish(client, merch, product["id"], channel_id)
    _, shopper = await shopper_headers()

    for headers in ({}, shopper):
        listed = await client.get(PRODUCTS, params={"channel_id": channel_id}, headers=headers)
        assert listed.status_code == 200
        assert [p["id"] for p in listed.json()["items"]] == [live["id"]]
        seen = await client.get(
            f"{PRODUCTS}/{live['id']}", params={"channel_id": channel_id}, headers=headers
        )
        assert seen.status_code == 200
        for hidden in (draft, unpublished):
            response = await client.get(
                f"{PRODUCTS}/{hidden['id']}", params={"channel_id": channel_id}, headers=headers
            )
            assert response.status_code == 404
        by_handle = await client.get(
            f"{PRODUCTS}/by-handle/{draft['handle']}", params={"channel_id": channel_id}
        )
        assert by_handle.status_code == 404


async def test_the_channel_header_names_the_storefront_channel(client, merch, channel_id):
    live = await create_product(client, merch, status="active")
    await _publish(client, merch, live["id"], channel_id)
    response = await client.get(f"{PRODUCTS}/{live['id']}", headers={"Omni-Channel": channel_id})
    assert response.status_code == 200


async def test_without_a_channel_anonymous_get_401_and_shoppers_403(client, shopper_headers):
    _, shopper = await shopper_headers()
    assert (await client.get(PRODUCTS)).status_code == 401
    assert (await client.get(PRODUCTS, headers=shopper)).status_code == 403
    assert (await client.get(f"{PRODUCTS}/prd_any", headers=shopper)).status_code == 403


async def test_storefront_variants_hide_archived_ones(client, merch, channel_id):
    product = await create_product(client, merch, status="active")
    await client.patch(
        f"/api/v1/catalog/variants/{product['variants'][1]['id']}",
        json={"status": "archived"},
        headers=merch,
    )
    await _publish(client, merch, product["id"], channel_id)
    seen = await client.get(f"{PRODUCTS}/{product['id']}", params={"channel_id": channel_id})
    assert [v["id"] for v in seen.json()["variants"]] == [product["variants"][0]["id"]]


async def test_a_product_scheduled_for_later_is_not_yet_visible(client, merch, channel_id):
    product = await create_product(client, merch, status="active")
    later = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    await _publish(client, merch, product["id"], channel_id, published_at=later)
    response = await client.get(f"{PRODUCTS}/{product['id']}", params={"channel_id": channel_id})
    assert response.status_code == 404
    staff_view = await client.get(
        PRODUCTS,
        params={"channel_id": channel_id, "q": product["variants"][0]["sku"]},
        headers=merch,
    )
    assert [p["id"] for p in staff_view.json()["items"]] == [product["id"]]


async def test_unpublishing_hides_the_product_and_can_be_repeated(
    client, merch, channel_id, database
):
    product = await create_product(client, merch, status="active")
    await _publish(client, merch, product["id"], channel_id)
    url = f"{PRODUCTS}/{product['id']}/publications/{channel_id}"
    assert (await client.delete(url, headers=merch)).status_code == 204
    assert (await client.delete(url, headers=merch)).status_code == 204
    hidden = await client.get(f"{PRODUCTS}/{product['id']}", params={"channel_id": channel_id})
    assert hidden.status_code == 404
    assert len(await events_named(database, ProductUnpublished.name, product_id=product["id"])) == 1


async def test_publishing_needs_catalog_write(
    client, merch, analyst, channel_id, shopper_headers, database
):
    product = await create_product(client, merch, status="active")
    url = f"{PRODUCTS}/{product['id']}/publications/{channel_id}"
    _, shopper = await shopper_headers()
    assert (await client.put(url)).status_code == 401
    assert (await client.put(url, headers=shopper)).status_code == 403
    assert (await client.put(url, headers=analyst)).status_code == 403
    assert await count_rows(database, Publication, Publication.product_id == product["id"]) == 0


async def test_staff_filter_lists_by_status_brand_search_channel_and_time(
    client, merch, analyst, channel_id
):
    brand = f"Brand-{unique_sku()}"
    sku = unique_sku("FIND")
    first = await create_product(
        client,
        merch,
        brand=brand,
        name="Linen Shirt",
        variants=[{"sku": sku, "option_values": {"size": "M", "color": "Sand"}}],
    )
    second = await create_product(client, merch, brand=brand, status="active", name="Wool Scarf")
    await _publish(client, merch, second["id"], channel_id)

    async def ids(**params):  # type: ignore[no-untyped-def]
        response = await client.get(PRODUCTS, params={"brand": brand, **params}, headers=analyst)
        assert response.status_code == 200, response.text
        return [p["id"] for p in response.json()["items"]]

    assert await ids() == [first["id"], second["id"]]
    assert await ids(status="active") == [second["id"]]
    assert await ids(q="linen") == [first["id"]]
    assert await ids(q=sku[:8].lower()) == [first["id"]]
    assert await ids(channel_id=channel_id) == [second["id"]]
    assert await ids(updated_since=second["updated_at"]) == [second["id"]]
    page = await client.get(PRODUCTS, params={"brand": brand, "limit": 1}, headers=analyst)
    assert page.json()["next_cursor"] is not None
    rest = await client.get(
        PRODUCTS, params={"brand": brand, "cursor": page.json()["next_cursor"]}, headers=analyst
    )
    assert [p["id"] for p in rest.json()["items"]] == [second["id"]]


async def test_search_finds_a_product_by_gtin(client, merch, analyst):
    from tests.catalog.helpers import unique_gtin

    gtin = unique_gtin()
    product = await create_product(
        client,
        merch,
        variants=[
            {"sku": unique_sku(), "gtin": gtin, "option_values": {"size": "M", "color": "Red"}}
        ],
    )
    response = await client.get(PRODUCTS, params={"q": gtin}, headers=analyst)
    assert [p["id"] for p in response.json()["items"]] == [product["id"]]


async def test_updated_since_needs_a_time_zone(client, analyst):
    response = await client.get(
        PRODUCTS, params={"updated_since": "2025-01-01T00:00:00"}, headers=analyst
    )
    assert response.status_code == 422
