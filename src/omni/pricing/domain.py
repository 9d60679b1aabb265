"""Price resolution: the one rule every channel uses to price a variant (CH3).

Pure: no SQLAlchemy, no FastAPI. Given the candidate price rows of one variant and the
context of the sale, :func:`resolve` picks the price:

1. **Eligible lists** — active; same currency; the list names no channel or names the
   sale's channel; names no customer segment or one the customer is in; names no
   loyalty tier or the customer's tier; ``valid_from <= at < valid_to`` (either bound
   may be open).
2. **Applicable lists** — eligible lists with a quantity tier at or below the quantity
   (a list whose smallest tier is 10 units does not price a single unit).
3. **The winning list** — highest ``priority``; on a tie, the more specific list (a
   channel-specific list beats an unrestricted one, then segment-specific, then
   tier-specific); then the lower unit price (the customer's benefit); then the smaller
   list id, so the answer never depends on row order.
4. **The tier** — within the winning list, the row with the largest ``min_quantity``
   not above the quantity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class PriceListTerms:
    """The conditions under which a price list applies."""

    id: str
    currency: str
    priority: int = 0
    channel_ids: frozenset[str] = frozenset()
    customer_segment: str | None = None
    loyalty_tier: str | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    active: bool = True
    prices_include_tax: bool = False
    code: str = ""


@dataclass(frozen=True)
class CandidatePrice:
    """One quantity tier of one variant in one price list."""

    terms: PriceListTerms
    variant_id: str
    amount: int
    min_quantity: int = 1
    compare_at_amount: int | None = None


@dataclass(frozen=True)
class PricingContext:
    """Who buys, where, when and how many — everything a price may depend on.

    ``segments`` and ``loyalty_tier`` are the seam for customer-specific prices: staff
    channels (POS, call center) pass them today; for shoppers they stay empty until the
    customer segments (CUS4) and loyalty tiers (LOY2) exist to supply them.
    """

    currency: str
    at: datetime
    channel_id: str | None = None
    quantity: int = 1
    segments: frozenset[str] = field(default_factory=frozenset)
    loyalty_tier: str | None = None

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError("quantity must be at least 1")
        if self.at.tzinfo is None:
            raise ValueError("the pricing time must be timezone-aware")


@dataclass(frozen=True)
class ResolvedPrice:
    variant_id: str
    currency: str
    quantity: int
    unit_amount: int
    line_amount: int
    compare_at_unit_amount: int | None
    compare_at_line_amount: int | None
    price_list_id: str
    price_list_code: str
    min_quantity: int
    prices_include_tax: bool


def is_eligible(terms: PriceListTerms, context: PricingContext) -> bool:
    if not terms.active or terms.currency != context.currency:
        return False
    if terms.channel_ids and context.channel_id not in terms.channel_ids:
        return False
    if terms.customer_segment is not None and terms.customer_segment not in context.segments:
        return False
    if terms.loyalty_tier is not None and terms.loyalty_tier != context.loyalty_tier:
        return False
    if terms.valid_from is not None and context.at < terms.valid_from:
        return False
    return terms.valid_to is None or context.at < terms.valid_to


def specificity(terms: PriceListTerms) -> tuple[bool, bool, bool]:
    """Tie-break on equal priority: channel, then segment, then tier restrictions."""
    return (
        bool(terms.channel_ids),
        terms.customer_segment is not None,
        terms.loyalty_tier is not None,
    )


def tier_for(rows: Iterable[CandidatePrice], quantity: int) -> CandidatePrice | None:
    """The row with the largest ``min_quantity`` not above ``quantity`` (lowest amount if
    a list holds two rows for one tier, which the database forbids)."""
    fitting = [row for row in rows if row.min_quantity <= quantity]
    if not fitting:
        return None
    return max(fitting, key=lambda row: (row.min_quantity, -row.amount))


def _rank(row: CandidatePrice) -> tuple[int, tuple[bool, bool, bool], int, str]:
    # Sorted ascending, so "better" must be smaller: negate what should win when larger.
    channel, segment, tier = specificity(row.terms)
    return (-row.terms.priority, (not channel, not segment, not tier), row.amount, row.terms.id)


def resolve(candidates: Iterable[CandidatePrice], context: PricingContext) -> ResolvedPrice | None:
    """The price of one variant in ``context``, or None when no list prices it."""
    by_list: dict[str, list[CandidatePrice]] = {}
    for row in candidates:
        if is_eligible(row.terms, context):
            by_list.setdefault(row.terms.id, []).append(row)
    tiers = [tier_for(rows, context.quantity) for rows in by_list.values()]
    applicable = [row for row in tiers if row is not None]
    if not applicable:
        return None
    best = min(applicable, key=_rank)
    return ResolvedPrice(
        variant_id=best.variant_id,
        currency=best.terms.currency,
        quantity=context.quantity,
        unit_amount=best.amount,
        line_amount=best.amount * context.quantity,
        compare_at_unit_amount=best.compare_at_amount,
        compare_at_line_amount=(
            None if best.compare_at_amount is None else best.compare_at_amount * context.quantity
        ),
        price_list_id=best.terms.id,
        price_list_code=best.terms.code,
        min_quantity=best.min_quantity,
        prices_include_tax=best.terms.prices_include_tax,
    )


def tier_problems(tiers: Iterable[tuple[int, int]]) -> list[int]:
    """``min_quantity`` values whose amount exceeds a smaller tier's: buying more must
    never cost more per unit within one list. ``tiers`` are (min_quantity, amount)."""
    problems = []
    lowest_so_far: int | None = None
    for min_quantity, amount in sorted(tiers):
        if lowest_so_far is not None and amount > lowest_so_far:
            problems.append(min_quantity)
        lowest_so_far = amount if lowest_so_far is None else min(lowest_so_far, amount)
    return problems
