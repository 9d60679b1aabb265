"""Gift cards (LOY4): issue, top up, block, look up by code.

A card is an account of the ledger. Its code is shown once, in the answer that issued
it; afterwards only its keyed hash (lookups) and last four characters (display) are
kept. Nothing here logs, audits or raises a code.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict, InvalidInput, NotFound
from omni.kernel.ids import new_id
from omni.kernel.money import Money
from omni.loyalty import ledger
from omni.loyalty.domain import (
    AccountKind,
    CodeForm,
    Entry,
    EntryKind,
    Posting,
    SystemPurpose,
    code_form,
    hash_code,
    new_code,
    normalize_code,
    shown_part,
)
from omni.loyalty.errors import GiftCardBlocked, GiftCardUnknown
from omni.loyalty.events import GiftCardIssued, GiftCardStatusChanged
from omni.loyalty.models import JournalEntry, LedgerAccount, LedgerPosting

ACCOUNTS = ledger.ACCOUNTS


@dataclass(frozen=True)
class IssuedCard:
    card: LedgerAccount
    code: str | None  # the full code: only in the answer that issued the card


async def issue(
    uow: UnitOfWork,
    secret: str,
    value: Money,
    *,
    form: CodeForm,
    request_id: str,
    number: str | None = None,
    customer_id: str | None = None,
) -> IssuedCard:
    """Issue a card worth ``value``, inside ``uow``. ``number``: a pre-printed physical
    card being activated (its check digit must be right); otherwise a code is drawn.
    ``request_id`` names the request: issuing again under it answers the first card,
    without its code (it was shown once)."""
    first = await _issued_under(uow.session, request_id)
    if first is not None:
        return IssuedCard(first, None)
    code = _chosen_number(number, form) if number is not None else new_code(form)
    code_hash = hash_code(secret, code)
    if await uow.session.scalar(select(ACCOUNTS.c.id).where(ACCOUNTS.c.code_hash == code_hash)):
        raise Conflict("This card number is issued already.", shown=shown_part(code))
    now, card_id = uow.clock.now(), new_id("gc")
    card = LedgerAccount(
        id=card_id,
        kind=AccountKind.GIFT_CARD.value,
        unit=value.currency,
        customer_id=customer_id,
        balance=0,
        status="active",
        code_hash=code_hash,
        code_last=shown_part(code),
        form=form.value,
        created_at=now,
        updated_at=now,
        version=1,
    )
    uow.session.add(card)
    await uow.flush()
    await credit(uow, card_id, value, EntryKind.ISSUE, request_id, "gift card issued")
    await uow.session.refresh(card)
    uow.record(
        GiftCardIssued(
            card_id=card_id,
            shown=card.code_last or "",
            form=form.value,
            unit=value.currency,
            amount=value.amount,
            customer_id=customer_id,
        )
    )
    uow.audit("loyalty.gift_card_issued", "gift_card", card_id, {"amount": value.amount})
    return IssuedCard(card, code)


def _chosen_number(number: str, form: CodeForm) -> str:
    code = normalize_code(number)
    if form is not CodeForm.PHYSICAL or code_form(code) is not CodeForm.PHYSICAL:
        raise InvalidInput(
            "Only a physical card's printed number (20 digits, check digit last) may be "
            "given; digital codes are drawn by Omni.",
            field="number",
        )
    return code


async def _issued_under(session: AsyncSession, request_id: str) -> LedgerAccount | None:
    return await session.scalar(
        select(LedgerAccount)
        .join(LedgerPosting, LedgerPosting.account_id == LedgerAccount.id)
        .join(JournalEntry, JournalEntry.id == LedgerPosting.entry_id)
        .where(
            JournalEntry.kind == EntryKind.ISSUE.value,
            JournalEntry.source_id == request_id,
            LedgerAccount.kind == AccountKind.GIFT_CARD.value,
        )
    )


async def credit(
    uow: UnitOfWork, card_id: str, value: Money, kind: EntryKind, request_id: str, reason: str
) -> ledger.Posted:
    """Add ``value`` to a card (issue or top-up) against the issued-cards account."""
    issued = await ledger.ensure_system_account(
        uow, SystemPurpose.GIFT_CARDS_ISSUED, value.currency
    )
    return await ledger.post(
        uow,
        Entry(
            kind=kind,
            source_type="request",
            source_id=request_id,
            reason=reason,
            unit=value.currency,
            postings=(Posting(card_id, value.amount), Posting(issued, -value.amount)),
        ),
    )


async def top_up(uow: UnitOfWork, card_id: str, amount: int, *, request_id: str) -> LedgerAccount:
    """Add ``amount`` (minor units of the card's currency) to an active card, once per
    ``request_id``."""
    card = await card_by_id(uow.session, card_id)
    value = Money(amount, card.unit)
    await credit(uow, card.id, value, EntryKind.TOP_UP, request_id, "gift card topped up")
    uow.audit("loyalty.gift_card_topped_up", "gift_card", card.id, {"amount": amount})
    await uow.session.refresh(card)
    return card


async def set_status(uow: UnitOfWork, card_id: str, status: str) -> LedgerAccount:
    """Block a card (lost, stolen, fraud) or unblock it; a blocked card cannot be spent,
    topped up or looked up by its code, but money refunded to it still lands there."""
    card = await card_by_id(uow.session, card_id)
    if card.status != status:
        await uow.session.execute(
            update(LedgerAccount)
            .where(LedgerAccount.id == card.id)
            .values(status=status, updated_at=uow.clock.now(), version=LedgerAccount.version + 1)
        )
        uow.record(GiftCardStatusChanged(card_id=card.id, status=status))
        uow.audit("loyalty.gift_card_status_changed", "gift_card", card.id, {"status": status})
        await uow.session.refresh(card)
    return card


async def card_by_id(session: AsyncSession, card_id: str) -> LedgerAccount:
    card = await session.get(LedgerAccount, card_id)
    if card is None or card.kind != AccountKind.GIFT_CARD.value:
        raise NotFound("No such gift card.")
    return card


async def card_by_code(session: AsyncSession, secret: str, raw_code: str) -> LedgerAccount:
    """The active card a typed code names. Mistyped (bad check character), unknown and
    foreign codes get the same 422; a blocked card its own 422."""
    code = normalize_code(raw_code)
    if code_form(code) is None:
        raise GiftCardUnknown("This is not a valid gift card code.")
    card = await session.scalar(
        select(LedgerAccount).where(
            LedgerAccount.code_hash == hash_code(secret, code),
            LedgerAccount.kind == AccountKind.GIFT_CARD.value,
        )
    )
    if card is None:
        raise GiftCardUnknown("This is not a valid gift card code.")
    if card.status != "active":
        raise GiftCardBlocked("This card is blocked.", shown=card.code_last)
    return card
