"""Read side: a customer's balances, an account's history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.http.pagination import PageParams
from omni.loyalty.domain import AccountKind
from omni.loyalty.models import JournalEntry, LedgerAccount, LedgerPosting


async def accounts_of_customer(
    session: AsyncSession, customer_id: str, kinds: Sequence[AccountKind]
) -> list[LedgerAccount]:
    """The customer's accounts of these kinds (store credit per currency, points,
    gift cards issued to them), oldest first."""
    return list(
        await session.scalars(
            select(LedgerAccount)
            .where(
                LedgerAccount.customer_id == customer_id,
                LedgerAccount.kind.in_([kind.value for kind in kinds]),
            )
            .order_by(LedgerAccount.created_at, LedgerAccount.id)
        )
    )


async def history(session: AsyncSession, account_id: str, page: PageParams) -> list[dict[str, Any]]:
    """The postings of an account, newest first, with what caused each (``limit + 1``
    rows, for ``make_page``; the cursor is the posting id)."""
    statement = (
        select(
            LedgerPosting.id,
            LedgerPosting.entry_id,
            LedgerPosting.amount,
            LedgerPosting.balance_after,
            LedgerPosting.created_at,
            JournalEntry.kind,
            JournalEntry.source_type,
            JournalEntry.source_id,
            JournalEntry.reason,
            JournalEntry.order_id,
            JournalEntry.payment_id,
        )
        .join(JournalEntry, JournalEntry.id == LedgerPosting.entry_id)
        .where(LedgerPosting.account_id == account_id)
        .order_by(LedgerPosting.id.desc())
        .limit(page.limit + 1)
    )
    if page.after is not None:
        statement = statement.where(LedgerPosting.id < str(page.after))
    return [dict(row._mapping) for row in await session.execute(statement)]
