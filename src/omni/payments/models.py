"""Tables owned by the payments module.

Orders and locations are referenced by id only, never by foreign key. Amounts are
integer minor units of the row's currency (64-bit: IDR and VND overflow 32 bits).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base

PAYMENT_STATUSES = (
    "pending",
    "requires_action",
    "authorized",
    "partially_captured",
    "captured",
    "partially_refunded",
    "refunded",
    "voided",
    "failed",
    "canceled",
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class PaymentRow(Base):
    """One tender's payment of an order (``omni.payments.domain.Payment`` as stored).

    ``pending_operation_id`` names the provider operation in flight (capture, void,
    refund): one at a time per payment, claimed by a conditional update, so concurrent
    captures and refunds can neither overshoot nor race a void."""

    __tablename__ = "payments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(32))
    # The store where the money was taken (till, pickup), for store staff and registers.
    location_id: Mapped[str | None] = mapped_column(String(32))
    tender: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    authorized: Mapped[int] = mapped_column(BigInteger, default=0)
    captured: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded: Mapped[int] = mapped_column(BigInteger, default=0)
    # At most this much may ever be captured: set when the order was changed down after
    # authorizing (nothing is sent to the provider then; the final capture releases the
    # rest). None: up to what is authorized.
    capture_limit: Mapped[int | None] = mapped_column(BigInteger)
    failure_code: Mapped[str | None] = mapped_column(String(64))
    provider: Mapped[str | None] = mapped_column(String(32))
    provider_authorization_id: Mapped[str | None] = mapped_column(String(255))
    # 3-D Secure: the completion arrives by webhook, naming this action.
    provider_action_id: Mapped[str | None] = mapped_column(String(255))
    next_action_url: Mapped[str | None] = mapped_column(String(1024))
    payment_link_id: Mapped[str | None] = mapped_column(String(255))
    payment_link_url: Mapped[str | None] = mapped_column(String(1024))
    # Terminal reference, gift card, credit or points account (never a card number).
    reference: Mapped[str | None] = mapped_column(String(255))
    pending_operation_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index("ix_payments_order", "order_id"),
        Index("ix_payments_location", "location_id", "created_at"),
        Index("ix_payments_provider_action", "provider_action_id"),
        Index("ix_payments_payment_link", "payment_link_id"),
        CheckConstraint(_one_of("status", PAYMENT_STATUSES), name="status_known"),
        CheckConstraint(
            "amount > 0 AND 0 <= refunded AND refunded <= captured "
            "AND captured <= authorized AND authorized <= amount",
            name="amounts_in_order",
        ),
    )


class PaymentOperation(Base):
    """One provider call (or money step without provider) on a payment, recorded before
    the call with a deterministic idempotency key, so a retry after a timeout or crash
    repeats the same call and gets the same result."""

    __tablename__ = "payment_operations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"))
    kind: Mapped[str] = mapped_column(String(12))  # authorize | capture | void | refund
    amount: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12))  # pending | succeeded | failed
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    provider_reference: Mapped[str | None] = mapped_column(String(255))
    # A refund's capture (the provider refunds a capture, not a payment).
    target_reference: Mapped[str | None] = mapped_column(String(255))
    error_code: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(200))
    # A capture that closes the capture: the rest of the authorization is released.
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # While set and in the future, a process is calling the provider for it.
    lease_until: Mapped[datetime | None]
    at: Mapped[datetime]
    completed_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_payment_operations_payment", "payment_id", "kind"),
        Index("ix_payment_operations_open", "status", "lease_until"),
        CheckConstraint(
            _one_of("kind", ("authorize", "capture", "void", "refund")), name="kind_known"
        ),
        CheckConstraint(_one_of("status", ("pending", "succeeded", "failed")), name="status_known"),
    )


class PaymentWebhookEvent(Base):
    """Provider events already received: the database-backed replay guard. Inserted in the
    transaction that applies the event, so a rollback forgets it and a retry is handled."""

    __tablename__ = "payment_webhook_events"

    provider: Mapped[str] = mapped_column(String(32), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime]


# What the drawer should hold, as SQL: conditional updates keep it from going negative.
DRAWER_CASH = "opening_float + cash_sales - cash_refunds + pay_ins - pay_outs - drops"


class RegisterSession(Base):
    """A till's session (PAY4): opened with a float, closed with the counted cash.
    Running totals are changed by SQL expressions, never read-modify-write."""

    __tablename__ = "register_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    location_id: Mapped[str] = mapped_column(String(32))
    register_id: Mapped[str] = mapped_column(String(64))  # the till's name at the store
    # The store's local date when the session opened: end-of-day reports group by it.
    business_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(8))  # open | closed
    opening_float: Mapped[int] = mapped_column(BigInteger)
    cash_sales: Mapped[int] = mapped_column(BigInteger, default=0)
    cash_refunds: Mapped[int] = mapped_column(BigInteger, default=0)
    pay_ins: Mapped[int] = mapped_column(BigInteger, default=0)
    pay_outs: Mapped[int] = mapped_column(BigInteger, default=0)
    drops: Mapped[int] = mapped_column(BigInteger, default=0)
    sales_count: Mapped[int] = mapped_column(Integer, default=0)
    refunds_count: Mapped[int] = mapped_column(Integer, default=0)
    expected: Mapped[int | None] = mapped_column(BigInteger)  # set at close
    counted: Mapped[int | None] = mapped_column(BigInteger)
    over_short: Mapped[int | None] = mapped_column(BigInteger)  # counted - expected
    opened_by: Mapped[str | None] = mapped_column(String(32))
    opened_at: Mapped[datetime]
    closed_by: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        # One open session per till: two associates opening it at once meet here.
        Index(
            "uq_register_sessions_open",
            "location_id",
            "register_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
        Index("ix_register_sessions_day", "location_id", "business_date"),
        CheckConstraint(_one_of("status", ("open", "closed")), name="status_known"),
        CheckConstraint(f"{DRAWER_CASH} >= 0", name="drawer_not_negative"),
        CheckConstraint("opening_float >= 0", name="float_not_negative"),
    )


class CashMovement(Base):
    """Cash into or out of a till: sales and refunds (from checkout and returns), pay-ins,
    pay-outs and drops to the safe (with a reason)."""

    __tablename__ = "cash_movements"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("register_sessions.id"))
    kind: Mapped[str] = mapped_column(String(12))  # sale | refund | pay_in | pay_out | drop
    amount: Mapped[int] = mapped_column(BigInteger)
    tendered: Mapped[int | None] = mapped_column(BigInteger)  # sales: handed over
    change: Mapped[int | None] = mapped_column(BigInteger)  # sales: given back
    reason: Mapped[str | None] = mapped_column(String(200))
    payment_id: Mapped[str | None] = mapped_column(String(32))
    order_id: Mapped[str | None] = mapped_column(String(32))
    actor_id: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime]

    __table_args__ = (
        Index("ix_cash_movements_session", "session_id", "at"),
        CheckConstraint(
            _one_of("kind", ("sale", "refund", "pay_in", "pay_out", "drop")), name="kind_known"
        ),
        CheckConstraint("amount > 0", name="amount_positive"),
    )
