"""Callers and data used across the customer tests."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture
async def agent(staff_headers):  # type: ignore[no-untyped-def]
    """A service agent: customers.read and customers.write, not scoped to stores."""
    return await staff_headers("agent")


@pytest.fixture
async def store_id(client, admin_headers) -> str:  # type: ignore[no-untyped-def]
    """A store a customer may prefer, created through the locations API."""
    response = await client.post(
        "/api/v1/locations",
        json={
            "code": f"T-{uuid.uuid4().hex[:8].upper()}",
            "name": "Test store",
            "kind": "store",
            "address": {"line1": "1 Main St", "city": "New York", "country": "US"},
            "latitude": 40.72,
            "longitude": -74.0,
            "time_zone": "America/New_York",
        },
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])
