"""Callers used across the import/export tests."""

from __future__ import annotations

import pytest


@pytest.fixture
async def merch(staff_headers):  # type: ignore[no-untyped-def]
    """A merchandiser: writes and exports the catalog and prices."""
    return await staff_headers("merchandiser")


@pytest.fixture
async def planner(staff_headers):  # type: ignore[no-untyped-def]
    """A planner: writes and exports locations."""
    return await staff_headers("planner")


@pytest.fixture
async def store_id(client, admin_headers) -> str:  # type: ignore[no-untyped-def]
    """A store a customer may prefer."""
    from tests.locations.support import create_location

    return str((await create_location(client, admin_headers))["id"])
