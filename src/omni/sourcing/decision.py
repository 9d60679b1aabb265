"""What sourcing answers: the allocations, what could not be fulfilled, and for every
candidate the rules it failed, its score and why it won or lost ("why this store?").

Everything is frozen and turns into plain JSON types with ``as_dict()``, so a decision
can be stored with the order and shown later exactly as it was made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from omni.sourcing.inputs import Destination, Rejection, SourcingProfile

if TYPE_CHECKING:
    from omni.sourcing.inputs import SourcingRequest

STATUSES = ("sourced", "partial", "unsourceable")


def _cost(value: float) -> float:
    # Scores are sums of floats: round for people and stable JSON, never for decisions.
    return round(value, 4)


@dataclass(frozen=True, slots=True)
class RuleFailure:
    """A hard rule a candidate failed: a stable machine ``code`` and a sentence for people."""

    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class CostBreakdown:
    distance: float = 0.0
    handling: float = 0.0
    capacity: float = 0.0
    depth: float = 0.0
    transfer: float = 0.0
    split: float = 0.0

    @property
    def total(self) -> float:
        return (
            self.distance + self.handling + self.capacity + self.depth + self.transfer + self.split
        )

    def as_dict(self) -> dict[str, float]:
        return {
            "total": _cost(self.total),
            "distance": _cost(self.distance),
            "handling": _cost(self.handling),
            "capacity": _cost(self.capacity),
            "depth": _cost(self.depth),
            "transfer": _cost(self.transfer),
            "split": _cost(self.split),
        }


@dataclass(frozen=True, slots=True)
class AllocatedLine:
    line_id: str
    variant_id: str
    quantity: int

    def as_dict(self) -> dict[str, Any]:
        return {"line_id": self.line_id, "variant_id": self.variant_id, "quantity": self.quantity}


@dataclass(frozen=True, slots=True)
class Allocation:
    """What one location ships. ``transfer_to`` names the store the goods travel to first
    (pickup sourced elsewhere, ship-to-store); ``ready_delay_hours`` is the transfer delay.
    To describe what an order holds for ``resource_holdings``, id, kind and lines do."""

    location_id: str
    kind: str
    lines: tuple[AllocatedLine, ...]
    distance_km: float = 0.0
    cost: CostBreakdown = CostBreakdown()
    transfer_to: str | None = None
    ready_delay_hours: int = 0

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "location_id": self.location_id,
            "kind": self.kind,
            "distance_km": round(self.distance_km, 1),
            "transfer_to": self.transfer_to,
            "ready_delay_hours": self.ready_delay_hours,
            "lines": [line.as_dict() for line in self.lines],
            "cost": self.cost.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class Shortfall:
    """Units of a line that no plan within the rules can supply, and why."""

    line_id: str
    variant_id: str
    quantity: int
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "line_id": self.line_id,
            "variant_id": self.variant_id,
            "quantity": self.quantity,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class CandidateReport:
    """One candidate's whole story. ``score`` is what it would cost to use it on its own
    for what it can supply (plus a split penalty if it cannot supply everything); ``rank``
    orders eligible candidates by units they can supply, then score, then location id."""

    location_id: str
    kind: str
    distance_km: float
    eligible: bool
    failures: tuple[RuleFailure, ...]
    score: float | None
    breakdown: CostBreakdown | None
    lines_covered: int
    units_available: int
    rank: int | None
    shortlisted: bool
    outcome: str  # chosen | not_chosen | ineligible
    reason_code: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "location_id": self.location_id,
            "kind": self.kind,
            "distance_km": round(self.distance_km, 1),
            "eligible": self.eligible,
            "failed_rules": [failure.as_dict() for failure in self.failures],
            "score": None if self.score is None else _cost(self.score),
            "breakdown": None if self.breakdown is None else self.breakdown.as_dict(),
            "lines_covered": self.lines_covered,
            "units_available": self.units_available,
            "rank": self.rank,
            "shortlisted": self.shortlisted,
            "outcome": self.outcome,
            "reason_code": self.reason_code,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class SearchStats:
    """How hard the engine looked: a bounded search says so when the bound was reached."""

    candidates: int
    eligible: int
    shortlisted: int
    plans_evaluated: int
    budget_exhausted: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "candidates": self.candidates,
            "eligible": self.eligible,
            "shortlisted": self.shortlisted,
            "plans_evaluated": self.plans_evaluated,
            "budget_exhausted": self.budget_exhausted,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """The engine's answer. ``allocations`` is the work to reserve now; ``held`` (only
    after re-sourcing) is what locations of an earlier decision keep. ``status``:
    ``sourced`` (everything allocated), ``partial`` (the profile allows it; see
    ``unfulfilled``) or ``unsourceable`` (nothing allocated; ``unfulfilled`` says what
    is missing)."""

    status: str
    method: str
    destination: Destination
    profile: SourcingProfile
    allocations: tuple[Allocation, ...]
    unfulfilled: tuple[Shortfall, ...]
    cost: CostBreakdown
    search: SearchStats
    held: tuple[Allocation, ...] = ()
    resourced_after: Rejection | None = None
    # Kept so that re-sourcing can start from this decision; never serialised.
    request: SourcingRequest | None = field(default=None, repr=False, compare=False)
    # Writes the candidate reports from facts fixed at decision time, on first read.
    explainer: Callable[[], tuple[CandidateReport, ...]] = field(
        default=tuple, repr=False, compare=False
    )
    _reports: tuple[CandidateReport, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def candidates(self) -> tuple[CandidateReport, ...]:
        """Every candidate considered: eligible ones by rank, then the refused ones."""
        if self._reports is None:
            # Frozen, but a cache of a pure function of frozen facts: safe to fill once.
            object.__setattr__(self, "_reports", self.explainer())
        assert self._reports is not None
        return self._reports

    @property
    def sourced(self) -> bool:
        return self.status != "unsourceable"

    @property
    def location_ids(self) -> tuple[str, ...]:
        return tuple(allocation.location_id for allocation in self.allocations)

    def report(self, location_id: str) -> CandidateReport:
        """The explanation for one candidate ("why this store?"); KeyError if not considered."""
        for report in self.candidates:
            if report.location_id == location_id:
                return report
        raise KeyError(location_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "method": self.method,
            "destination": self.destination.as_dict(),
            "allocations": [allocation.as_dict() for allocation in self.allocations],
            "held": [allocation.as_dict() for allocation in self.held],
            "unfulfilled": [shortfall.as_dict() for shortfall in self.unfulfilled],
            "cost": self.cost.as_dict(),
            "candidates": [report.as_dict() for report in self.candidates],
            "search": self.search.as_dict(),
            "resourced_after": None
            if self.resourced_after is None
            else self.resourced_after.as_dict(),
            "profile": self.profile.as_dict(),
        }
