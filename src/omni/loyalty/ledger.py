"""Posting to the ledger: the only code that changes a balance.

``post`` writes one balanced entry inside the caller's unit of work (never commits):

1. the entry row, ``INSERT … ON CONFLICT (kind, source_id) DO NOTHING`` — if it was
   there already, this is a retry: nothing more is posted (on PostgreSQL a concurrent
   twin waits on the unique index until the first commits, then finds it);
2. per account, in account-id order (concurrent entries cannot deadlock), one
   conditional ``UPDATE … SET balance = balance + :amount`` — a debit only ``WHERE
   balance >= :taken AND status = 'active'`` — never read-modify-write in Python; no row
   changed → the precise refusal, and the caller's whole unit of work rolls back;
3. the postings, with the balance each left.

So a balance always equals the sum of its postings, which ``verify`` proves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict
from omni.kernel.ids import new_id
from omni.loyalty.domain import (
    AccountKind,
    Entry,
    EntryKind,
    SystemPurpose,
    check_balanced,
    owned_account_id,
    system_account_id,
)
from omni.loyalty.errors import GiftCardBlocked, InsufficientBalance, WrongUnit
from omni.loyalty.events import LedgerEntryPosted
from omni.loyalty.models import JournalEntry, LedgerAccount, LedgerPosting

ACCOUNTS = cast(Table, LedgerAccount.__table__)
ENTRIES = cast(Table, JournalEntry.__table__)
POSTINGS = cast(Table, LedgerPosting.__table__)
SYSTEM_PREFIX = "sys_"


@dataclass(frozen=True)
class Posted:
    entry_id: str
    replayed: bool  # the entry was posted before: nothing moved this time
    # Balances right after the entry, of the accounts that keep one.
    balances: dict[str, int] = field(default_factory=dict)


def insert_for(session: AsyncSession, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that understands ``ON CONFLICT`` on this session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


async def ensure_system_account(uow: UnitOfWork, purpose: SystemPurpose, unit: str) -> str:
    account_id = system_account_id(purpose, unit)
    await _ensure(uow, account_id, AccountKind.SYSTEM, unit, name=purpose.value)
    return account_id


async def ensure_owned_account(
    uow: UnitOfWork, kind: AccountKind, customer_id: str, unit: str
) -> str:
    """A customer's store-credit or points account in ``unit``, made on first use."""
    account_id = owned_account_id(kind, customer_id, unit)
    await _ensure(uow, account_id, kind, unit, customer_id=customer_id)
    return account_id


async def _ensure(
    uow: UnitOfWork,
    account_id: str,
    kind: AccountKind,
    unit: str,
    *,
    customer_id: str | None = None,
    name: str | None = None,
) -> None:
    now = uow.clock.now()
    row = {
        "id": account_id,
        "kind": kind.value,
        "unit": unit,
        "customer_id": customer_id,
        "name": name,
        "balance": 0,
        "status": "active",
        "code_hash": None,
        "code_last": None,
        "form": None,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    statement = insert_for(uow.session, ACCOUNTS).on_conflict_do_nothing(index_elements=["id"])
    await uow.session.execute(statement, [row])


async def post(uow: UnitOfWork, entry: Entry) -> Posted:
    """Post a balanced entry inside ``uow`` (see the module docstring). Raises
    ``InsufficientBalance`` (409), ``GiftCardBlocked``/``WrongUnit`` (422)."""
    check_balanced(entry)
    now, entry_id = uow.clock.now(), new_id("lje")
    claimed = await uow.session.execute(
        insert_for(uow.session, ENTRIES)
        .values(
            id=entry_id,
            kind=entry.kind.value,
            source_type=entry.source_type,
            source_id=entry.source_id,
            reason=entry.reason,
            unit=entry.unit,
            order_id=entry.order_id,
            payment_id=entry.payment_id,
            actor_kind=uow.actor.kind.value,
            actor_id=uow.actor.id,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["kind", "source_id"])
        .returning(ENTRIES.c.id)
    )
    if claimed.scalar_one_or_none() is None:
        return await _replayed(uow.session, entry)
    balances: dict[str, int] = {}
    for posting in sorted(entry.postings, key=lambda p: p.account_id):
        if not posting.account_id.startswith(SYSTEM_PREFIX):
            balances[posting.account_id] = await _move(
                uow, entry, posting.account_id, posting.amount
            )
    rows = [
        {
            "id": new_id("lpo"),
            "entry_id": entry_id,
            "account_id": posting.account_id,
            "amount": posting.amount,
            "kind": entry.kind.value,
            "source_id": entry.source_id,
            "balance_after": balances.get(posting.account_id),
            "created_at": now,
        }
        for posting in entry.postings
    ]
    await uow.session.execute(POSTINGS.insert(), rows)
    uow.record(_event(entry_id, entry))
    return Posted(entry_id, False, balances)


async def _move(uow: UnitOfWork, entry: Entry, account_id: str, amount: int) -> int:
    """Change one balance by SQL expression; the balance after, or the refusal."""
    conditions = [ACCOUNTS.c.id == account_id, ACCOUNTS.c.unit == entry.unit]
    if amount < 0:
        conditions.append(ACCOUNTS.c.balance >= -amount)
    if amount < 0 or entry.kind is not EntryKind.REFUND:
        # Money already spent goes back even to a blocked card; nothing else moves on one.
        conditions.append(ACCOUNTS.c.status == "active")
    changed = await uow.session.execute(
        update(ACCOUNTS)
        .where(*conditions)
        .values(
            balance=ACCOUNTS.c.balance + amount,
            updated_at=uow.clock.now(),
            version=ACCOUNTS.c.version + 1,
        )
        .returning(ACCOUNTS.c.balance)
    )
    balance = changed.scalar_one_or_none()
    if balance is None:
        await _explain_refusal(uow.session, account_id, entry.unit, -amount)
    return int(balance)


async def _explain_refusal(session: AsyncSession, account_id: str, unit: str, taken: int) -> None:
    # Fresh from the database: the session may hold the row as it was read before.
    account = await session.get(LedgerAccount, account_id, populate_existing=True)
    if account is None:  # a customer's account is made on first credit: nothing yet
        raise InsufficientBalance(
            "There is no balance yet.", available=0, unit=unit, requested=taken
        )
    if account.unit != unit:
        raise WrongUnit(
            f"The balance is in {account.unit}, not {unit}.", unit=account.unit, asked=unit
        )
    if account.status != "active":
        raise GiftCardBlocked("This card is blocked.", shown=account.code_last)
    raise InsufficientBalance(
        f"The balance holds {account.balance}, less than {taken}.",
        available=account.balance,
        unit=account.unit,
        requested=taken,
    )


async def _replayed(session: AsyncSession, entry: Entry) -> Posted:
    """The entry was posted before: the same postings answer as the first time; other
    amounts under the same source are a conflict, never a second posting."""
    first = await session.scalar(
        select(JournalEntry).where(
            JournalEntry.kind == entry.kind.value, JournalEntry.source_id == entry.source_id
        )
    )
    assert first is not None  # the unique index said it exists
    rows = (
        await session.execute(
            select(LedgerPosting.account_id, LedgerPosting.amount).where(
                LedgerPosting.entry_id == first.id
            )
        )
    ).all()
    if sorted((r.account_id, r.amount) for r in rows) != sorted(
        (p.account_id, p.amount) for p in entry.postings
    ):
        raise Conflict(
            "This source was posted already with other amounts.",
            entry_id=first.id,
            kind=entry.kind.value,
        )
    return Posted(first.id, True)


def _event(entry_id: str, entry: Entry) -> LedgerEntryPosted:
    return LedgerEntryPosted(
        entry_id=entry_id,
        kind=entry.kind.value,
        unit=entry.unit,
        source_type=entry.source_type,
        source_id=entry.source_id,
        order_id=entry.order_id,
        payment_id=entry.payment_id,
        postings=[{"account_id": p.account_id, "amount": p.amount} for p in entry.postings],
    )


@dataclass(frozen=True)
class LedgerCheck:
    """What ``verify`` found; empty lists mean the ledger is sound."""

    # (account id, balance kept in the row, sum of its postings)
    mismatched: list[tuple[str, int, int]]
    negative: list[str]
    unbalanced_entries: list[str]

    @property
    def sound(self) -> bool:
        return not (self.mismatched or self.negative or self.unbalanced_entries)


async def verify(session: AsyncSession, account_ids: Sequence[str] | None = None) -> LedgerCheck:
    """Prove the ledger: every kept balance equals the sum of its postings and is not
    negative, and every entry sums to zero. Limit it to ``account_ids`` if given (the
    entry check is always over the whole journal). Three grouped queries."""
    total = func.coalesce(func.sum(POSTINGS.c.amount), 0)
    kept = select(ACCOUNTS.c.id, ACCOUNTS.c.balance, total.label("posted")).select_from(
        ACCOUNTS.outerjoin(POSTINGS, POSTINGS.c.account_id == ACCOUNTS.c.id)
    )
    kept = kept.where(ACCOUNTS.c.kind != AccountKind.SYSTEM.value)
    if account_ids is not None:
        kept = kept.where(ACCOUNTS.c.id.in_(list(account_ids)))
    rows = (await session.execute(kept.group_by(ACCOUNTS.c.id, ACCOUNTS.c.balance))).all()
    unbalanced = await session.scalars(
        select(POSTINGS.c.entry_id)
        .group_by(POSTINGS.c.entry_id)
        .having(func.sum(POSTINGS.c.amount) != 0)
    )
    return LedgerCheck(
        mismatched=[(r.id, r.balance, int(r.posted)) for r in rows if r.balance != r.posted],
        negative=[r.id for r in rows if r.balance < 0],
        unbalanced_entries=list(unbalanced),
    )
