"""Channels for catalog and pricing tests, made through the channels API."""

from __future__ import annotations

import uuid

import httpx

CHANNELS = "/api/v1/channels"


async def make_channel(client: httpx.AsyncClient, admin: dict[str, str]) -> str:
    body = {
        "code": f"web-{uuid.uuid4().hex[:10]}",
        "name": "Web shop",
        "kind": "web",
        "currency": "USD",
        "locale": "en-US",
        "tax_region": "US-NY",
        "fulfillment_methods": ["ship"],
    }
    response = await client.post(CHANNELS, json=body, headers=admin)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])
