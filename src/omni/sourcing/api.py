"""What other modules may call in the sourcing module: the pure engine's entry points
and values (no I/O here; the caller gathers the candidates — see docs/sourcing.md)."""

from __future__ import annotations

from omni.sourcing.domain import (
    Allocation,
    Candidate,
    Decision,
    Destination,
    OrderLine,
    Rejection,
    SourcingProfile,
    SourcingRequest,
    decide,
    resource,
    resource_holdings,
)

__all__ = [
    "Allocation",
    "Candidate",
    "Decision",
    "Destination",
    "OrderLine",
    "Rejection",
    "SourcingProfile",
    "SourcingRequest",
    "decide",
    "resource",
    "resource_holdings",
]
