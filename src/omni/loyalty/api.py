"""What other modules may call in the loyalty module.

Start-up wiring registers the tenders and the points handler::

    loyalty_api.register_tenders(settings)          # gift_card, store_credit, points
    registry.on(OrderPlaced, loyalty_api.award_points_for_order(settings.loyalty_points_per_unit))

Support tools (an agent's console) grant store credit and read balances; every
function taking a ``UnitOfWork`` runs inside the caller's open unit of work and never
commits.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omni.loyalty.credit import award_points, award_points_for_order, issue_store_credit
from omni.loyalty.domain import AccountKind
from omni.loyalty.errors import (
    GiftCardBlocked,
    GiftCardUnknown,
    InsufficientBalance,
    NotYourBalance,
    PointsNotWhole,
)
from omni.loyalty.ledger import LedgerCheck, Posted
from omni.loyalty.ledger import verify as _verify
from omni.loyalty.queries import accounts_of_customer
from omni.loyalty.rate_limit import forget_full_buckets
from omni.loyalty.tenders import register_tenders

__all__ = [
    "GiftCardBlocked",
    "GiftCardUnknown",
    "InsufficientBalance",
    "LedgerCheck",
    "NotYourBalance",
    "PointsNotWhole",
    "Posted",
    "award_points",
    "award_points_for_order",
    "balances_of_customer",
    "forget_full_buckets",
    "issue_store_credit",
    "register_tenders",
    "verify_ledger",
]


async def balances_of_customer(session: AsyncSession, customer_id: str) -> dict[str, int]:
    """A customer's store credit per currency and points (``PTS``): {unit: balance}."""
    kinds = (AccountKind.STORE_CREDIT, AccountKind.POINTS)
    return {a.unit: a.balance for a in await accounts_of_customer(session, customer_id, kinds)}


async def verify_ledger(session: AsyncSession) -> LedgerCheck:
    """Prove every kept balance equals the sum of its postings, none is negative, and
    every entry sums to zero (an operator's check; three grouped queries)."""
    return await _verify(session)
