"""Callers for the taxes HTTP tests."""

from __future__ import annotations

import pytest


@pytest.fixture
async def merch(staff_headers):  # type: ignore[no-untyped-def]
    """A merchandiser: writes tax regions and rates."""
    return await staff_headers("merchandiser")


@pytest.fixture
async def analyst(staff_headers):  # type: ignore[no-untyped-def]
    """Reads tax regions, may not change them."""
    return await staff_headers("analyst")
