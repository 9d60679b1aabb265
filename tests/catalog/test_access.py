"""Who may do what in the catalog (INT4): writers by catalog.write, staff readers by
catalog.read, storefront reads public but channel-bound — and refusals change nothing."""

from __future__ import annotations

from omni.catalog.routes import routers
from omni.http.access_check import access_declaration, api_routes
from tests.catalog.helpers import (
    CATEGORIES,
    PRODUCTS,
    VARIANTS,
    create_product,
    product_body,
    products_with_handle,
    snapshot,
    unique,
    unique_sku,
)

WRITE = (("catalog.write",), False)
READ = (("catalog.read",), False)
PUBLIC = ((), True)


async def test_every_route_declares_who_may_call_it():
    rules = {}
    for route in api_routes(routers):
        declared = access_declaration(route)
        assert declared is not None, route.path
        key = (sorted(route.methods)[0], route.path)
        rules[key] = (declared["permissions"], declared["public"])
    assert rules == {
        ("GET", "/catalog/products"): PUBLIC,
        ("POST", "/catalog/products"): WRITE,
        ("GET", "/catalog/products/by-handle/{handle}"): PUBLIC,
        ("GET", "/catalog/products/{product_id}"): PUBLIC,
        ("PATCH", "/catalog/products/{product_id}"): WRITE,
        ("DELETE", "/catalog/products/{product_id}"): WRITE,
        ("POST", "/catalog/products/{product_id}/variants"): WRITE,
        ("GET", "/catalog/products/{product_id}/publications"): READ,
        ("PUT", "/catalog/products/{product_id}/publications/{channel_id}"): WRITE,
        ("DELETE", "/catalog/products/{product_id}/publications/{channel_id}"): WRITE,
        ("GET", "/catalog/variants"): READ,
        ("GET", "/catalog/variants/by-sku/{sku}"): READ,
        ("GET", "/catalog/variants/by-gtin/{gtin}"): READ,
        ("GET", "/catalog/variants/{variant_id}"): READ,
        ("PATCH", "/catalog/variants/{variant_id}"): WRITE,
        ("GET", "/catalog/variants/{variant_id}/components"): READ,
        ("PUT", "/catalog/variants/{variant_id}/components"): WRITE,
        ("GET", "/catalog/categories"): PUBLIC,
        ("GET", "/catalog/categories/tree"): PUBLIC,
        ("POST", "/catalog/categories"): WRITE,
        ("GET", "/catalog/categories/{category_id}"): PUBLIC,
        ("PATCH", "/catalog/categories/{category_id}"): WRITE,
        ("DELETE", "/catalog/categories/{category_id}"): WRITE,
    }


def _writes(product: dict, handle: str) -> list[tuple[str, str, dict | None]]:
    url = f"{PRODUCTS}/{product['id']}"
    variant = f"{VARIANTS}/{product['variants'][0]['id']}"
    return [
        ("POST", PRODUCTS, product_body(handle=handle)),
        ("PATCH", url, {"name": "Hacked"}),
        ("DELETE", url, None),
        (
            "POST",
            f"{url}/variants",
            {"sku": unique_sku(), "option_values": {"size": "Z", "color": "Z"}},
        ),
        ("PATCH", variant, {"weight_grams": 1}),
        ("PUT", f"{variant}/components", {"components": []}),
        ("PUT", f"{url}/publications/chn_any", None),
        ("DELETE", f"{url}/publications/chn_any", None),
        ("POST", CATEGORIES, {"name": "Hacked"}),
    ]


def _staff_reads(product: dict) -> list[str]:
    variant = f"{VARIANTS}/{product['variants'][0]['id']}"
    return [
        f"{PRODUCTS}/{product['id']}/publications",
        VARIANTS,
        f"{VARIANTS}/by-sku/{product['variants'][0]['sku']}",
        variant,
        f"{variant}/components",
    ]


async def test_anonymous_callers_get_401_and_change_nothing(client, merch, database):
    product = await create_product(client, merch)
    before = await snapshot(client, merch, product["id"])
    handle = unique("anon")
    for method, url, body in _writes(product, handle):
        response = await client.request(method, url, json=body)
        assert response.status_code == 401, (method, url)
        assert response.headers["content-type"] == "application/problem+json"
    for url in _staff_reads(product):
        assert (await client.get(url)).status_code == 401, url
    assert await snapshot(client, merch, product["id"]) == before
    assert await products_with_handle(database, handle) == 0


async def test_staff_without_catalog_write_get_403_and_change_nothing(
    client, merch, staff_headers, database
):
    product = await create_product(client, merch)
    before = await snapshot(client, merch, product["id"])
    handle = unique("ro")
    for role in ("analyst", "planner", "agent"):
        outsider = await staff_headers(role)
        for method, url, body in _writes(product, handle):
            response = await client.request(method, url, json=body, headers=outsider)
            assert response.status_code == 403, (role, method, url)
        for url in _staff_reads(product):
            assert (await client.get(url, headers=outsider)).status_code == 200, (role, url)
    assert await snapshot(client, merch, product["id"]) == before
    assert await products_with_handle(database, handle) == 0


async def test_shoppers_cannot_write_or_use_staff_lookups(client, merch, shopper_headers, database):
    product = await create_product(client, merch)
    before = await snapshot(client, merch, product["id"])
    _, shopper = await shopper_headers()
    handle = unique("shop")
    for method, url, body in _writes(product, handle):
        response = await client.request(method, url, json=body, headers=shopper)
        assert response.status_code == 403, (method, url)
    for url in _staff_reads(product):
        assert (await client.get(url, headers=shopper)).status_code == 403, url
    assert await snapshot(client, merch, product["id"]) == before
    assert await products_with_handle(database, handle) == 0
