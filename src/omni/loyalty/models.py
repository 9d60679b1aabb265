"""Tables owned by the loyalty module: one double-entry ledger for gift cards, store
credit and points.

An account's ``balance`` is kept in its row, changed only by conditional SQL updates in
the same transaction as the postings (``ledger.py``), and always equals the sum of its
postings (``ledger.verify``). System accounts (the other side of every entry) keep no
balance in their row: every redemption would otherwise lock the same row until its
order commits, serialising all checkouts paying by gift card. Their balance is the sum
of their postings, which equals minus everyone else's because every entry sums to zero.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base


class LedgerAccount(Base):
    __tablename__ = "loyalty_accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # domain.AccountKind
    unit: Mapped[str] = mapped_column(String(3))  # currency code, or PTS
    customer_id: Mapped[str | None] = mapped_column(String(32))  # the owner, if any
    name: Mapped[str | None] = mapped_column(String(64))  # system accounts: their purpose
    balance: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="active")  # active | blocked
    # Gift cards: the keyed hash of the code (lookups) and its last characters (display).
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_last: Mapped[str | None] = mapped_column(String(4))
    form: Mapped[str | None] = mapped_column(String(10))  # digital | physical
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        CheckConstraint("kind = 'system' OR balance >= 0", name="balance_not_negative"),
        Index("ix_loyalty_accounts_customer", "customer_id", "kind"),
    )


class JournalEntry(Base):
    """What happened, once: ``(kind, source_id)`` is unique, so a retried redemption or
    a repeated accrual finds its first entry instead of posting again."""

    __tablename__ = "loyalty_entries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # domain.EntryKind
    source_type: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(3))
    order_id: Mapped[str | None] = mapped_column(String(32))
    payment_id: Mapped[str | None] = mapped_column(String(32))
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("kind", "source_id", name="uq_loyalty_entries_kind_source"),
        Index("ix_loyalty_entries_payment", "payment_id", "kind"),
    )


class LedgerPosting(Base):
    """One line of an entry. One posting per (account, kind, source): the ledger's
    idempotency guarantee, kept by the database whatever the code above does."""

    __tablename__ = "loyalty_postings"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("loyalty_entries.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("loyalty_accounts.id"))
    amount: Mapped[int] = mapped_column(Integer)  # + adds to the balance, - takes from it
    kind: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[str] = mapped_column(String(80))
    # The account's balance right after this posting (None on system accounts).
    balance_after: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint(
            "account_id", "kind", "source_id", name="uq_loyalty_postings_account_kind_source"
        ),
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        Index("ix_loyalty_postings_account", "account_id", "id"),
    )


class RateLimitBucket(Base):
    """A per-client limit as GCRA (the token bucket kept as one time): ``ready_at_ms`` is
    when the bucket will be full again; a request is let through if that stays within
    the burst window after adding one request's worth of time (``rate_limit.py``)."""

    __tablename__ = "loyalty_rate_limits"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    ready_at_ms: Mapped[int] = mapped_column(BigInteger)
