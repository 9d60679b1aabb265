"""Pure payment rules: tender kinds, the payment state machine and its amounts.

A payment is one tender's part of an order. Its life (``ALLOWED_TRANSITIONS``):

    pending            -> requires_action | authorized | captured (collect) | failed | canceled
    requires_action    -> authorized | failed | canceled          (3-D Secure done or not)
    authorized         -> partially_captured | captured | voided
    partially_captured -> partially_captured | captured           (split shipments)
    captured           -> partially_refunded | refunded
    partially_refunded -> partially_refunded | refunded
    refunded, voided, failed, canceled: final

Amounts are integer minor units (``Money``) and always hold
``0 <= refunded <= captured <= authorized <= amount``. Refunds wait until the capture is
closed (fully captured, or the rest released with ``close_capture``) so "what can still be
captured" and "what can still be refunded" never overlap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from omni.kernel.money import Money
from omni.payments.errors import (
    AuthorizationExceedsAmount,
    CaptureExceedsAuthorized,
    InvalidPaymentAmount,
    PaymentCurrencyMismatch,
    PaymentTransitionNotAllowed,
    RefundExceedsCaptured,
    money_fields,
)


class TenderKind(StrEnum):
    CARD_ONLINE = "card_online"  # a provider token from the provider's card fields
    CARD_TERMINAL = "card_terminal"  # the provider's token/reference from a store terminal
    CASH = "cash"
    GIFT_CARD = "gift_card"
    STORE_CREDIT = "store_credit"
    POINTS = "points"  # loyalty points, valued in money by the loyalty module
    PAY_AT_PICKUP = "pay_at_pickup"  # a promise: money is taken in store at pickup
    PAYMENT_LINK = "payment_link"  # the shopper pays later through a provider link
    # Collected by the marketplace, which pays the retailer out later (imports only).
    MARKETPLACE = "marketplace"

    @property
    def uses_provider(self) -> bool:
        """Processed by the payment provider (authorize/capture or a hosted link)."""
        return self in _PROVIDER_TENDERS

    @property
    def needs_reference(self) -> bool:
        """Needs a token or account reference: the card token, gift card, credit account."""
        return self in _REFERENCED_TENDERS

    @property
    def is_deferred(self) -> bool:
        """Collected after the order is placed (at pickup, or when the link is paid)."""
        return self in _DEFERRED_TENDERS

    @property
    def gives_change(self) -> bool:
        return self is TenderKind.CASH


_PROVIDER_TENDERS = frozenset(
    {TenderKind.CARD_ONLINE, TenderKind.CARD_TERMINAL, TenderKind.PAYMENT_LINK}
)
_REFERENCED_TENDERS = frozenset(
    {
        TenderKind.CARD_ONLINE,
        TenderKind.CARD_TERMINAL,
        TenderKind.GIFT_CARD,
        TenderKind.STORE_CREDIT,
        TenderKind.POINTS,
    }
)
_DEFERRED_TENDERS = frozenset({TenderKind.PAY_AT_PICKUP, TenderKind.PAYMENT_LINK})


class PaymentStatus(StrEnum):
    PENDING = "pending"
    REQUIRES_ACTION = "requires_action"  # the shopper must authenticate (3-D Secure)
    AUTHORIZED = "authorized"
    PARTIALLY_CAPTURED = "partially_captured"  # more may be captured (split shipments)
    CAPTURED = "captured"  # capture closed: nothing more will be captured
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    VOIDED = "voided"  # authorization released, nothing captured
    FAILED = "failed"  # declined or authentication failed
    CANCELED = "canceled"  # abandoned before any money was held

    @property
    def is_final(self) -> bool:
        return not ALLOWED_TRANSITIONS[self]


class PaymentAction(StrEnum):
    REQUIRE_ACTION = "require_action"
    AUTHORIZE = "authorize"
    COLLECT = "collect"  # authorize and capture at once: money in hand
    CAPTURE = "capture"
    CLOSE_CAPTURE = "close_capture"
    VOID = "void"
    REFUND = "refund"
    FAIL = "fail"
    CANCEL = "cancel"


@dataclass(frozen=True)
class ActionRule:
    sources: frozenset[PaymentStatus]
    targets: frozenset[PaymentStatus]


def _rule(sources: set[PaymentStatus], targets: set[PaymentStatus]) -> ActionRule:
    return ActionRule(frozenset(sources), frozenset(targets))


_S = PaymentStatus
# The one table of what each action may do; ALLOWED_TRANSITIONS is derived from it.
ACTION_RULES: Mapping[PaymentAction, ActionRule] = {
    PaymentAction.REQUIRE_ACTION: _rule({_S.PENDING}, {_S.REQUIRES_ACTION}),
    PaymentAction.AUTHORIZE: _rule({_S.PENDING, _S.REQUIRES_ACTION}, {_S.AUTHORIZED}),
    PaymentAction.COLLECT: _rule({_S.PENDING}, {_S.CAPTURED}),
    PaymentAction.CAPTURE: _rule(
        {_S.AUTHORIZED, _S.PARTIALLY_CAPTURED}, {_S.PARTIALLY_CAPTURED, _S.CAPTURED}
    ),
    PaymentAction.CLOSE_CAPTURE: _rule({_S.PARTIALLY_CAPTURED}, {_S.CAPTURED}),
    PaymentAction.VOID: _rule({_S.AUTHORIZED}, {_S.VOIDED}),
    PaymentAction.REFUND: _rule(
        {_S.CAPTURED, _S.PARTIALLY_REFUNDED}, {_S.PARTIALLY_REFUNDED, _S.REFUNDED}
    ),
    PaymentAction.FAIL: _rule({_S.PENDING, _S.REQUIRES_ACTION}, {_S.FAILED}),
    PaymentAction.CANCEL: _rule({_S.PENDING, _S.REQUIRES_ACTION}, {_S.CANCELED}),
}


def _allowed_transitions() -> dict[PaymentStatus, frozenset[PaymentStatus]]:
    graph: dict[PaymentStatus, set[PaymentStatus]] = {status: set() for status in PaymentStatus}
    for rule in ACTION_RULES.values():
        for source in rule.sources:
            graph[source] |= rule.targets
    return {status: frozenset(targets) for status, targets in graph.items()}


ALLOWED_TRANSITIONS: Mapping[PaymentStatus, frozenset[PaymentStatus]] = _allowed_transitions()


@dataclass(frozen=True)
class Payment:
    """One tender's payment and its amounts. Immutable: every action returns a new value,
    and a refused action raises without changing anything."""

    tender: TenderKind
    amount: Money
    status: PaymentStatus
    authorized: Money
    captured: Money
    refunded: Money
    failure_code: str | None = None

    @classmethod
    def start(cls, tender: TenderKind, amount: Money) -> Payment:
        """A new pending payment of ``amount`` (which must be positive)."""
        if amount.amount <= 0:
            raise InvalidPaymentAmount(
                "A payment's amount must be positive.", **money_fields("amount", amount)
            )
        zero = Money.zero(amount.currency)
        return cls(tender, amount, PaymentStatus.PENDING, zero, zero, zero)

    @property
    def capturable(self) -> Money:
        """What may still be captured (zero once the capture is closed)."""
        if self.status in ACTION_RULES[PaymentAction.CAPTURE].sources:
            return self.authorized - self.captured
        return Money.zero(self.amount.currency)

    @property
    def refundable(self) -> Money:
        if self.status in ACTION_RULES[PaymentAction.REFUND].sources:
            return self.captured - self.refunded
        return Money.zero(self.amount.currency)

    def can(self, action: PaymentAction) -> bool:
        return self.status in ACTION_RULES[action].sources

    def require_action(self) -> Payment:
        """The provider asks the shopper to authenticate (3-D Secure) first."""
        return self._move(PaymentAction.REQUIRE_ACTION, PaymentStatus.REQUIRES_ACTION)

    def authorize(self, amount: Money) -> Payment:
        """The provider holds ``amount`` (at most the payment's amount; some providers
        approve less, e.g. a partial approval on a prepaid card)."""
        self._check_allowed(PaymentAction.AUTHORIZE)
        self._check_amount(amount)
        if self.amount < amount:
            raise AuthorizationExceedsAmount(
                f"Authorized {amount} exceeds the payment's {self.amount}.",
                **money_fields("authorized", amount),
                **money_fields("payment", self.amount),
            )
        moved = self._move(PaymentAction.AUTHORIZE, PaymentStatus.AUTHORIZED)
        return replace(moved, authorized=amount)

    def collect(self) -> Payment:
        """Money in hand at once (cash, gift card, store credit, points, a paid link)."""
        moved = self._move(PaymentAction.COLLECT, PaymentStatus.CAPTURED)
        return replace(moved, authorized=self.amount, captured=self.amount)

    def capture(self, amount: Money, *, final: bool = False) -> Payment:
        """Capture part or all of what remains authorized. Captures add up; ``final``
        closes the capture and releases the rest (the last shipment of an order)."""
        self._check_allowed(PaymentAction.CAPTURE)
        self._check_amount(amount)
        remaining = self.authorized - self.captured
        if remaining < amount:
            raise CaptureExceedsAuthorized(
                f"Capturing {amount} exceeds the {remaining} still authorized.",
                **money_fields("requested", amount),
                **money_fields("capturable", remaining),
            )
        captured = self.captured + amount
        done = final or captured == self.authorized
        target = PaymentStatus.CAPTURED if done else PaymentStatus.PARTIALLY_CAPTURED
        return replace(self._move(PaymentAction.CAPTURE, target), captured=captured)

    def close_capture(self) -> Payment:
        """Capture nothing more: the uncaptured rest of the authorization is released."""
        return self._move(PaymentAction.CLOSE_CAPTURE, PaymentStatus.CAPTURED)

    def void(self) -> Payment:
        """Release the whole authorization (the order could not be placed, or canceled)."""
        return self._move(PaymentAction.VOID, PaymentStatus.VOIDED)

    def refund(self, amount: Money) -> Payment:
        """Give back part or all of what was captured; refunds add up."""
        self._check_allowed(PaymentAction.REFUND)
        self._check_amount(amount)
        remaining = self.captured - self.refunded
        if remaining < amount:
            raise RefundExceedsCaptured(
                f"Refunding {amount} exceeds the {remaining} still refundable.",
                **money_fields("requested", amount),
                **money_fields("refundable", remaining),
            )
        refunded = self.refunded + amount
        target = (
            PaymentStatus.REFUNDED
            if refunded == self.captured
            else PaymentStatus.PARTIALLY_REFUNDED
        )
        return replace(self._move(PaymentAction.REFUND, target), refunded=refunded)

    def fail(self, code: str) -> Payment:
        """Declined or authentication failed; ``code`` is the provider's decline code."""
        return replace(self._move(PaymentAction.FAIL, PaymentStatus.FAILED), failure_code=code)

    def cancel(self) -> Payment:
        """Abandoned before money was held (an expired link, an order canceled unpaid)."""
        return self._move(PaymentAction.CANCEL, PaymentStatus.CANCELED)

    def _move(self, action: PaymentAction, target: PaymentStatus) -> Payment:
        self._check_allowed(action)
        if target not in ACTION_RULES[action].targets:  # a bug in this module, not the caller
            raise AssertionError(f"{action} cannot lead to {target}")
        return replace(self, status=target)

    def _check_allowed(self, action: PaymentAction) -> None:
        if not self.can(action):
            raise PaymentTransitionNotAllowed(
                f"Cannot {action.value.replace('_', ' ')} a payment that is {self.status.value}.",
                action=action.value,
                status=self.status.value,
            )

    def _check_amount(self, amount: Money) -> None:
        if amount.currency != self.amount.currency:
            raise PaymentCurrencyMismatch(
                f"The payment is in {self.amount.currency}, not {amount.currency}.",
                payment_currency=self.amount.currency,
                currency=amount.currency,
            )
        if amount.amount <= 0:
            raise InvalidPaymentAmount(
                "Amounts must be positive.", **money_fields("amount", amount)
            )
