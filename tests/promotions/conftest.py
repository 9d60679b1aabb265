"""Callers and a channel for the promotions HTTP and facade tests."""

from __future__ import annotations

import pytest

from tests.catalog.channels import make_channel


@pytest.fixture
async def merch(staff_headers):  # type: ignore[no-untyped-def]
    """A merchandiser: writes promotions and coupon codes."""
    return await staff_headers("merchandiser")


@pytest.fixture
async def analyst(staff_headers):  # type: ignore[no-untyped-def]
    """Reads promotions, may not change them."""
    return await staff_headers("analyst")


@pytest.fixture
async def channel_id(client, admin_headers) -> str:  # type: ignore[no-untyped-def]
    return await make_channel(client, admin_headers)
