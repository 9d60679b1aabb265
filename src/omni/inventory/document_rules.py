"""Pure rules of the stock documents (INV7, INV8): which transitions each status allows,
how much may be received against an order, what is still in transit, how accurate a
count was. No SQLAlchemy, no FastAPI: the use cases and the tests share these."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TransferStatus(StrEnum):
    DRAFT = "draft"
    SHIPPED = "shipped"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class PurchaseOrderStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class CountStatus(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    POSTED = "posted"
    CANCELLED = "cancelled"


# action → statuses it may start from. Anything else is refused with 409 and changes
# nothing. A shipped transfer cannot be cancelled: the goods are on a truck; receive
# what arrives and close it (the rest is written off as lost in transit).
TRANSFER_ACTIONS: dict[str, frozenset[str]] = {
    "ship": frozenset({TransferStatus.DRAFT}),
    "cancel": frozenset({TransferStatus.DRAFT}),
    "receive": frozenset({TransferStatus.SHIPPED, TransferStatus.PARTIALLY_RECEIVED}),
}
# Once goods have arrived the order cannot be cancelled, only closed short.
PURCHASE_ORDER_ACTIONS: dict[str, frozenset[str]] = {
    "open": frozenset({PurchaseOrderStatus.DRAFT}),
    "cancel": frozenset({PurchaseOrderStatus.DRAFT, PurchaseOrderStatus.OPEN}),
    "advise": frozenset({PurchaseOrderStatus.OPEN, PurchaseOrderStatus.PARTIALLY_RECEIVED}),
    "receive": frozenset({PurchaseOrderStatus.OPEN, PurchaseOrderStatus.PARTIALLY_RECEIVED}),
    "close": frozenset({PurchaseOrderStatus.OPEN, PurchaseOrderStatus.PARTIALLY_RECEIVED}),
}
COUNT_ACTIONS: dict[str, frozenset[str]] = {
    "count": frozenset({CountStatus.OPEN}),
    "submit": frozenset({CountStatus.OPEN}),
    "reopen": frozenset({CountStatus.SUBMITTED}),
    "post": frozenset({CountStatus.SUBMITTED}),
    "cancel": frozenset({CountStatus.OPEN, CountStatus.SUBMITTED}),
}


def receipt_limit(ordered: int, tolerance_percent: int) -> int:
    """The most units that may arrive against an ordered quantity: suppliers round to
    full cases, so a little over is accepted; beyond the tolerance it is refused
    (someone else's goods, or a keying error). Rounds down: 5 % of 10 is no unit."""
    return ordered * (100 + tolerance_percent) // 100


@dataclass(frozen=True)
class LineProgress:
    """Where one document line stands: expected, arrived (good + damaged), written off."""

    expected: int
    arrived: int = 0
    short: int = 0

    @property
    def outstanding(self) -> int:
        """Still expected (in transit, or on order): what the destination counts as incoming."""
        return max(self.expected - self.arrived - self.short, 0)

    @property
    def over(self) -> int:
        return max(self.arrived - self.expected, 0)

    def from_incoming(self, units: int) -> int:
        """How many of ``units`` arriving now were expected (leave ``incoming``); any
        more are an over-delivery that only adds to on hand."""
        return min(units, self.outstanding)


@dataclass(frozen=True)
class Accuracy:
    """How right the books were, over one count or many.

    ``accuracy``: share of lines whose system quantity was exactly right.
    ``units_accuracy``: 1 - Σ|difference| / Σ system quantity, floored at 0 (a count
    that finds 30 units where the books said 10 is 0 % accurate, not -200 %).
    Both are None when nothing was counted.
    """

    counts: int
    lines_counted: int
    lines_with_difference: int
    units_difference: int  # Σ |counted - system|
    system_units: int  # Σ system quantity

    @property
    def accuracy(self) -> float | None:
        if self.lines_counted == 0:
            return None
        return round((self.lines_counted - self.lines_with_difference) / self.lines_counted, 4)

    @property
    def units_accuracy(self) -> float | None:
        if self.lines_counted == 0:
            return None
        if self.system_units <= 0:
            return 1.0 if self.units_difference == 0 else 0.0
        return round(max(0.0, 1 - self.units_difference / self.system_units), 4)


def accuracy_of(lines: list[tuple[int, int]]) -> Accuracy:
    """Accuracy of one count from its (system, counted) pairs."""
    differences = [abs(counted - system) for system, counted in lines]
    return Accuracy(
        counts=1,
        lines_counted=len(lines),
        lines_with_difference=sum(1 for d in differences if d),
        units_difference=sum(differences),
        system_units=sum(max(system, 0) for system, _ in lines),
    )
