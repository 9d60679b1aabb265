"""Split tender: several tenders paying one total exactly, and cash change.

Pure rules (no database): the checkout and the till call ``plan_split_tender`` before any
money moves, then start one ``Payment`` per tender.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from omni.kernel.money import Money
from omni.payments.card_data import looks_like_pan
from omni.payments.domain import TenderKind
from omni.payments.errors import (
    CardDataNotAccepted,
    DuplicateTender,
    InsufficientCashTendered,
    InvalidTenderAmount,
    NoTenders,
    TenderCurrencyMismatch,
    TenderedAmountCashOnly,
    TenderReferenceMissing,
    TenderTotalMismatch,
    TooManyProviderTenders,
    money_fields,
)


@dataclass(frozen=True)
class Tender:
    """One way the shopper pays part of a total.

    ``amount`` is what this tender pays of the total. For cash, ``tendered`` is what the
    shopper handed over (``None``: the exact amount); the difference is given back as change.
    """

    kind: TenderKind
    amount: Money
    reference: str | None = None  # card token, gift card code, credit or points account
    tendered: Money | None = None


@dataclass(frozen=True)
class TenderPlan:
    """Tenders checked against a total: they add up exactly, with the change to give."""

    total: Money
    tenders: tuple[Tender, ...]
    change: Money

    @property
    def provider_tender(self) -> Tender | None:
        """The card or payment-link tender, if any (at most one)."""
        return next((t for t in self.tenders if t.kind.uses_provider), None)

    @property
    def due_later(self) -> Money:
        """What is collected after the order is placed (at pickup, through a link)."""
        deferred = [t.amount for t in self.tenders if t.kind.is_deferred]
        return sum(deferred, Money.zero(self.total.currency))


def cash_change(due: Money, tendered: Money) -> Money:
    """Change to give back for cash: ``tendered - due``; refused if too little was given."""
    if tendered.currency != due.currency:
        raise TenderCurrencyMismatch(
            f"Cash tendered in {tendered.currency} for an amount due in {due.currency}.",
            currency=tendered.currency,
            expected_currency=due.currency,
        )
    if tendered < due:
        raise InsufficientCashTendered(
            f"{tendered} tendered for {due} due.",
            **money_fields("tendered", tendered),
            **money_fields("due", due),
        )
    return tendered - due


def plan_split_tender(total: Money, tenders: Sequence[Tender]) -> TenderPlan:
    """Check that ``tenders`` pay exactly ``total``; return them with the cash change.

    Rules: every tender is positive and in the total's currency; card, gift card, store
    credit and points tenders carry a reference (never a card number); only cash has a
    tendered amount (and at least its amount); gift cards may be several, each once, every
    other kind at most once; at most one card or payment-link tender, because a second
    card's decline would force voiding the first (not supported: take the second card
    after the first one's outcome is known, in another payment).
    """
    if total.amount < 0:
        raise InvalidTenderAmount("The total cannot be negative.", **money_fields("total", total))
    if not tenders and total.amount > 0:
        raise NoTenders("Nothing pays this total.", **money_fields("total", total))
    for tender in tenders:
        _check_tender(tender, total.currency)
    _check_no_duplicates(tenders)
    paid = sum((t.amount for t in tenders), Money.zero(total.currency))
    if paid != total:
        raise TenderTotalMismatch(
            f"Tenders add up to {paid}; the total is {total}.",
            **money_fields("tenders", paid),
            **money_fields("total", total),
        )
    change = sum(
        (cash_change(t.amount, t.tendered) for t in tenders if t.tendered is not None),
        Money.zero(total.currency),
    )
    return TenderPlan(total, tuple(tenders), change)


def _check_tender(tender: Tender, currency: str) -> None:
    if tender.amount.currency != currency:
        raise TenderCurrencyMismatch(
            f"A {tender.kind} tender in {tender.amount.currency}; the total is in {currency}.",
            kind=tender.kind.value,
            currency=tender.amount.currency,
            expected_currency=currency,
        )
    if tender.amount.amount <= 0:
        raise InvalidTenderAmount(
            f"The {tender.kind} tender must be positive.",
            kind=tender.kind.value,
            **money_fields("amount", tender.amount),
        )
    _check_reference(tender)
    if tender.tendered is not None:
        if not tender.kind.gives_change:
            raise TenderedAmountCashOnly(
                f"A {tender.kind} tender has no tendered amount.", kind=tender.kind.value
            )
        cash_change(tender.amount, tender.tendered)


def _check_reference(tender: Tender) -> None:
    reference = (tender.reference or "").strip()
    if tender.kind.needs_reference and not reference:
        raise TenderReferenceMissing(
            f"A {tender.kind} tender needs its token or account reference.",
            kind=tender.kind.value,
        )
    # Only provider tenders: gift card codes are often 16-19 Luhn-valid digits themselves.
    if tender.kind.uses_provider and looks_like_pan(reference):
        # Name where, never echo what: the number must not reach a response or a log.
        raise CardDataNotAccepted(
            "A tender reference looks like a card number; send the provider's token.",
            paths=["reference"],
        )


def _check_no_duplicates(tenders: Sequence[Tender]) -> None:
    seen: set[tuple[TenderKind, str | None]] = set()
    for tender in tenders:
        # Several gift cards may pay one order; any other kind pays at most once.
        several_allowed = tender.kind is TenderKind.GIFT_CARD
        identity = (tender.kind, (tender.reference or "").strip() if several_allowed else None)
        if identity in seen:
            raise DuplicateTender(f"The same {tender.kind} tender twice.", kind=tender.kind.value)
        seen.add(identity)
    if sum(t.kind.uses_provider for t in tenders) > 1:
        raise TooManyProviderTenders(
            "At most one card or payment-link tender per payment.",
            kinds=[t.kind.value for t in tenders if t.kind.uses_provider],
        )
