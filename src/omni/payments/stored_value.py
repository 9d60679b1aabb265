"""The stored-value seam: gift cards, store credit and loyalty points as tenders.

Their balances live in another module's ledger (loyalty, LOY1-LOY4), which payments
must not import; that module registers a ``StoredValueLedger`` per tender kind at start-
up (``register_stored_value``). Payments then:

- refuses a tender of a kind no ledger serves (422 ``tender_not_accepted``) — money
  nobody can take off a balance is never accepted as collected;
- takes the amount off the balance INSIDE the order's unit of work, when the payment is
  recorded (``record_payments``): the ledger is our own database, no network call, so
  the balance and the order commit or roll back together — an order that cannot be
  placed gives nothing back because nothing was taken;
- gives it back, in the refund's unit of work, when such a payment is refunded.

A ledger refuses with its own problem (insufficient balance 409, unknown card 422…) and
the whole order rolls back with it.
"""

from __future__ import annotations

from typing import Protocol

from omni.db.uow import UnitOfWork
from omni.kernel.errors import InvalidInput
from omni.kernel.money import Money
from omni.payments.domain import TenderKind

STORED_VALUE_KINDS = frozenset({TenderKind.GIFT_CARD, TenderKind.STORE_CREDIT, TenderKind.POINTS})


class TenderNotAccepted(InvalidInput):
    code = "tender_not_accepted"
    title = "Tender not accepted"


class StoredValueLedger(Protocol):
    async def redeem(
        self, uow: UnitOfWork, reference: str, amount: Money, *, payment_id: str, order_id: str
    ) -> None:
        """Take ``amount`` off the balance ``reference`` names, inside ``uow`` — or
        raise the reason it cannot be (the caller's whole unit of work rolls back)."""

    async def give_back(
        self, uow: UnitOfWork, reference: str, amount: Money, *, payment_id: str, order_id: str
    ) -> None:
        """Put ``amount`` back on the balance (a refund), inside ``uow``."""


_LEDGERS: dict[TenderKind, StoredValueLedger] = {}


def register_stored_value(kind: TenderKind, ledger: StoredValueLedger) -> None:
    """At start-up: ``ledger`` keeps the balances of ``kind`` tenders."""
    if kind not in STORED_VALUE_KINDS:
        raise ValueError(f"{kind} is not a stored-value tender")
    _LEDGERS[kind] = ledger


def ledger_for(kind: TenderKind) -> StoredValueLedger | None:
    """The ledger of a stored-value kind; None for every other kind."""
    if kind not in STORED_VALUE_KINDS:
        return None
    found = _LEDGERS.get(kind)
    if found is None:
        raise TenderNotAccepted(f"{kind} is not accepted here yet.", kind=kind.value)
    return found


def check_accepted(kind: TenderKind) -> None:
    """Refuse a stored-value kind no ledger serves (before anything is authorized)."""
    ledger_for(kind)
