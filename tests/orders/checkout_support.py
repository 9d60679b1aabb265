"""A shop ready for checkout: the carts test shop plus the New York tax region (its
store and the test addresses are in New York)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.carts.support import add, guest_cart

CHECKOUT = "/api/v1/orders/checkout"
REGIONS = "/api/v1/tax/regions"
NY_RATE = "8.875"
SOHO = {
    "line1": "120 Prince St",
    "city": "New York",
    "region": "NY",
    "postal_code": "10012",
    "country": "US",
}


async def ensure_new_york_taxes(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    body = {
        "code": "US-NY",
        "name": "New York",
        "rates": [{"tax_class": "standard", "percent": NY_RATE, "name": "NY sales tax"}],
    }
    response = await client.post(REGIONS, json=body, headers=admin)
    assert response.status_code in (201, 409), response.text


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


def checkout_body(cart_id: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "cart_id": cart_id,
        "method": "ship",
        "shipping_address": SOHO,
        "contact": {"email": "shopper@example.com"},
        "payment": [{"kind": "card_online", "reference": "tok_visa"}],
    }
    body.update(fields)
    return body


async def filled_guest_cart(
    client: httpx.AsyncClient, shop: Any, quantities: list[int]
) -> tuple[str, dict[str, str]]:
    cart_id, token = await guest_cart(client, shop)
    for index, quantity in enumerate(quantities):
        if quantity:
            response = await add(client, cart_id, token, shop.variants[index], quantity)
            assert response.status_code == 200, response.text
    return cart_id, token
