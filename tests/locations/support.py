"""Helpers for location tests: valid bodies, created locations, isolated map areas.

Tests share one database, so each creates uniquely coded locations, and "near"
tests work around a random point of their own where no other test puts anything.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

import httpx

WEEKDAY_HOURS = {
    day: [["09:00", "21:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat")
} | {"sun": [["11:00", "18:00"]]}


def unique_code(prefix: str = "T") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12].upper()}"


def random_area() -> tuple[float, float]:
    """A random point far from the poles and the antimeridian."""
    return round(random.uniform(-60, 60), 6), round(random.uniform(-170, 170), 6)


def location_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": unique_code(),
        "name": "Omni SoHo",
        "kind": "store",
        "status": "active",
        "address": {
            "line1": "120 Prince St",
            "city": "New York",
            "region": "NY",
            "postal_code": "10012",
            "country": "US",
        },
        "phone": "(212) 226-3126",
        "latitude": 40.7247,
        "longitude": -73.9981,
        "time_zone": "America/New_York",
        "metro": "New York",
        "opening_hours": WEEKDAY_HOURS,
        "capabilities": ["sell_in_store", "pickup", "curbside", "ship_from_store"],
        "capacity": {"orders_per_day": 200, "orders_per_hour": 30, "pickup_hold_days": 7},
    }
    body.update(overrides)
    return body


async def create_location(
    client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/locations", json=location_body(**overrides), headers=headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
