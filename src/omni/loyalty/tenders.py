"""Gift cards, store credit and points as payment tenders: the loyalty side of the
payments module's stored-value seam (``payments_api.StoredValueLedger``).

Payments calls ``redeem`` inside the order's unit of work when it records the payment,
and ``give_back`` inside the refund's. Neither commits; a refusal raises and the whole
order (or refund) rolls back. The references a shopper sends at checkout:

- ``gift_card``: the card's code (the payment keeps only ``•••• 1234``);
- ``store_credit`` and ``points``: the customer id whose balance pays. It must be the
  order's own customer (read through ``orders_api``, in the same transaction, so the
  order written just before is seen), and a signed-in shopper must be that customer:
  nobody spends someone else's credit, whatever id they send.

``give_back`` never trusts the reference (payments keeps it masked): it finds the
account through the redemption entry of the same ``payment_id``.
"""

from __future__ import annotations

from sqlalchemy import func, select

from omni.db.uow import UnitOfWork
from omni.kernel.money import Money
from omni.loyalty import gift_cards, ledger
from omni.loyalty.domain import (
    POINTS_UNIT,
    AccountKind,
    Entry,
    EntryKind,
    Posting,
    SystemPurpose,
    owned_account_id,
    points_to_pay,
)
from omni.loyalty.errors import NotYourBalance, PointsNotWhole, RefundExceedsRedemption
from omni.loyalty.models import JournalEntry, LedgerPosting
from omni.orders import api as orders_api
from omni.payments import api as payments_api
from omni.settings import DEV_LOYALTY_CODE_SECRET, Settings


async def redeem_from(
    uow: UnitOfWork,
    account_id: str,
    purpose: SystemPurpose,
    taken: int,
    unit: str,
    *,
    payment_id: str,
    order_id: str,
) -> ledger.Posted:
    """Take ``taken`` off an account for a payment, against the redemptions account."""
    spent = await ledger.ensure_system_account(uow, purpose, unit)
    return await ledger.post(
        uow,
        Entry(
            kind=EntryKind.REDEEM,
            source_type="payment",
            source_id=payment_id,
            reason=f"paid order {order_id}",
            unit=unit,
            postings=(Posting(account_id, -taken), Posting(spent, taken)),
            order_id=order_id,
            payment_id=payment_id,
        ),
    )


async def give_back_to(
    uow: UnitOfWork, given: int, *, payment_id: str, order_id: str
) -> ledger.Posted:
    """Put ``given`` back on the account the payment was redeemed from (refunds of one
    payment add up to at most what it took)."""
    account_id, system_id, taken, unit = await _redemption(uow, payment_id)
    count, returned = await _refunds_so_far(uow, payment_id, account_id)
    if returned + given > taken:
        raise RefundExceedsRedemption(
            "The refund exceeds what this payment took.",
            taken=taken,
            refunded=returned,
            unit=unit,
        )
    return await ledger.post(
        uow,
        Entry(
            kind=EntryKind.REFUND,
            source_type="refund",
            # The payment's n-th refund: payments serialises refunds of one payment on
            # its row, and the unique key catches anything that would not be.
            source_id=f"{payment_id}:refund:{count + 1}",
            reason=f"refund of order {order_id}",
            unit=unit,
            postings=(Posting(account_id, given), Posting(system_id, -given)),
            order_id=order_id,
            payment_id=payment_id,
        ),
    )


async def _redemption(uow: UnitOfWork, payment_id: str) -> tuple[str, str, int, str]:
    """(account, system account, amount taken, unit) of the payment's redemption."""
    rows = (
        await uow.session.execute(
            select(LedgerPosting.account_id, LedgerPosting.amount, JournalEntry.unit)
            .join(JournalEntry, JournalEntry.id == LedgerPosting.entry_id)
            .where(
                JournalEntry.kind == EntryKind.REDEEM.value,
                JournalEntry.source_id == payment_id,
            )
        )
    ).all()
    held = [r for r in rows if r.amount < 0]
    spent = [r for r in rows if r.amount > 0]
    if len(held) != 1 or len(spent) != 1:
        # Payments gives back only what it recorded as redeemed: a missing entry is a
        # broken invariant, not a client error.
        raise LookupError(f"no redemption entry for payment {payment_id}")
    return held[0].account_id, spent[0].account_id, -held[0].amount, held[0].unit


async def _refunds_so_far(uow: UnitOfWork, payment_id: str, account_id: str) -> tuple[int, int]:
    """(how many refunds, how much) the payment gave back to the account already."""
    row = (
        await uow.session.execute(
            select(func.count(), func.coalesce(func.sum(LedgerPosting.amount), 0))
            .select_from(LedgerPosting)
            .join(JournalEntry, JournalEntry.id == LedgerPosting.entry_id)
            .where(
                JournalEntry.payment_id == payment_id,
                JournalEntry.kind == EntryKind.REFUND.value,
                LedgerPosting.account_id == account_id,
            )
        )
    ).one()
    return int(row[0]), int(row[1])


async def check_spender(uow: UnitOfWork, reference: str, order_id: str) -> str:
    """The customer whose balance pays: the order's own, and the shopper's own."""
    customer_id = reference.strip()
    owner = await orders_api.customer_of_order(uow.session, order_id)
    mine = not uow.actor.is_customer or uow.actor.id == customer_id
    if not customer_id or owner != customer_id or not mine:
        raise NotYourBalance("Only the order's customer can pay with their own balance.")
    return customer_id


class _MoneyBalance:
    """A balance in money (not points): a refund gives back the amount itself, to the
    account the payment's redemption drew on."""

    async def give_back(
        self, uow: UnitOfWork, reference: str, amount: Money, *, payment_id: str, order_id: str
    ) -> None:
        await give_back_to(uow, amount.amount, payment_id=payment_id, order_id=order_id)


class GiftCardTender(_MoneyBalance):
    """``gift_card``: the reference is the card's code."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    async def redeem(
        self, uow: UnitOfWork, reference: str, amount: Money, *, payment_id: str, order_id: str
    ) -> None:
        card = await gift_cards.card_by_code(uow.session, self._secret, reference)
        await redeem_from(
            uow,
            card.id,
            SystemPurpose.GIFT_CARDS_REDEEMED,
            amount.amount,
            amount.currency,
            payment_id=payment_id,
            order_id=order_id,
        )


class StoreCreditTender(_MoneyBalance):
    """``store_credit``: the reference is the customer id (the order's customer)."""

    async def redeem(
        self, uow: UnitOfWork, reference: str, amount: Money, *, payment_id: str, order_id: str
    ) -> None:
        customer_id = await check_spender(uow, reference, order_id)
        await redeem_from(
            uow,
            owned_account_id(AccountKind.STORE_CREDIT, customer_id, amount.currency),
            SystemPurpose.STORE_CREDIT_REDEEMED,
            amount.amount,
            amount.currency,
            payment_id=payment_id,
            order_id=order_id,
        )


class PointsTender:
    """``points``: the reference is the customer id; each point pays ``point_value``
    minor units of the order's currency."""

    def __init__(self, point_value: int) -> None:
        self._point_value = point_value

    def _points(self, amount: Money) -> int:
        points = points_to_pay(amount.amount, self._point_value)
        if points is None:
            raise PointsNotWhole(
                f"Points pay in steps of {self._point_value} minor units.",
                point_value=self._point_value,
            )
        return points

    async def redeem(
        self, uow: UnitOfWork, reference: str, amount: Money, *, payment_id: str, order_id: str
    ) -> None:
        customer_id = await check_spender(uow, reference, order_id)
        await redeem_from(
            uow,
            owned_account_id(AccountKind.POINTS, customer_id, POINTS_UNIT),
            SystemPurpose.POINTS_REDEEMED,
            self._points(amount),
            POINTS_UNIT,
            payment_id=payment_id,
            order_id=order_id,
        )

    async def give_back(
        self, uow: UnitOfWork, reference: str, amount: Money, *, payment_id: str, order_id: str
    ) -> None:
        await give_back_to(uow, self._points(amount), payment_id=payment_id, order_id=order_id)


def register_tenders(settings: Settings) -> None:
    """At start-up: gift cards, store credit and points become accepted tenders."""
    if settings.environment == "production" and (
        settings.loyalty_code_secret == DEV_LOYALTY_CODE_SECRET
    ):
        raise RuntimeError("OMNI_LOYALTY_CODE_SECRET still has its development default.")
    kinds = payments_api.TenderKind
    payments_api.register_stored_value(
        kinds.GIFT_CARD, GiftCardTender(settings.loyalty_code_secret)
    )
    payments_api.register_stored_value(kinds.STORE_CREDIT, StoreCreditTender())
    payments_api.register_stored_value(kinds.POINTS, PointsTender(settings.loyalty_point_value))
