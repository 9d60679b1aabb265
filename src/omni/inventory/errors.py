"""Inventory refusals, rendered as problem+json by the HTTP layer."""

from __future__ import annotations

from typing import Any

from omni.kernel.errors import Conflict


class InsufficientStock(Conflict):
    """Not enough available to sell: 409 with what is available and where else."""

    code = "insufficient_stock"
    title = "Insufficient stock"

    def __init__(
        self, *, variant_id: str, location_id: str, requested: int, available: int, **extra: Any
    ) -> None:
        super().__init__(
            f"Only {max(available, 0)} available at this location; {requested} requested.",
            variant_id=variant_id,
            location_id=location_id,
            requested=requested,
            available=max(available, 0),
            **extra,
        )
        self.variant_id = variant_id
        self.location_id = location_id
