"""The payment provider interface: what Omni asks of Stripe, Adyen, a terminal vendor…

Every call is async (real providers are HTTP calls, made outside any database
transaction) and takes an idempotency key that the provider receives, so a retried call —
after a timeout, a crash, a double click — returns the first call's result and never
charges twice. Keys are derived from Omni's own ids (e.g. ``f"{payment_id}:capture:1"``),
never random per attempt.

Outcomes the caller acts on are typed results; failures are exceptions with stable codes
(``omni.payments.errors``): ``ProviderTimeout`` means the outcome is unknown (retry with
the same key), ``ProviderUnavailable`` means nothing happened, and
``InvalidProviderReference`` means the authorization or capture is not the provider's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeAlias

from omni.kernel.money import Money
from omni.payments.errors import IdempotencyKeyRequired

MAX_IDEMPOTENCY_KEY_LENGTH = 255


def check_idempotency_key(key: str) -> str:
    """The key, or ``IdempotencyKeyRequired`` if it is empty or too long."""
    if not key or not key.strip() or len(key) > MAX_IDEMPOTENCY_KEY_LENGTH:
        raise IdempotencyKeyRequired(
            f"Provider calls need an idempotency key of 1-{MAX_IDEMPOTENCY_KEY_LENGTH} characters."
        )
    return key


@dataclass(frozen=True)
class Authorization:
    """Money held on the shopper's card: what capture and void refer to."""

    id: str
    amount: Money


@dataclass(frozen=True)
class AuthorizationApproved:
    authorization: Authorization


@dataclass(frozen=True)
class AuthorizationDeclined:
    """Refused by the issuer or the provider; ``code`` is stable (``card_declined``,
    ``insufficient_funds``, ``authentication_failed``…), ``reason`` is for people."""

    code: str
    reason: str


@dataclass(frozen=True)
class AuthorizationRequiresAction:
    """The shopper must authenticate (3-D Secure) at ``next_action_url``. The outcome
    arrives later as a webhook event whose ``action_id`` is this one."""

    action_id: str
    next_action_url: str
    amount: Money


# Errors and timeouts are not results: they raise (see the module docstring).
AuthorizationResult: TypeAlias = (
    AuthorizationApproved | AuthorizationDeclined | AuthorizationRequiresAction
)


@dataclass(frozen=True)
class Capture:
    """Money taken from an authorization: what refunds refer to."""

    id: str
    authorization_id: str
    amount: Money


@dataclass(frozen=True)
class VoidResult:
    id: str
    authorization_id: str


@dataclass(frozen=True)
class Refund:
    id: str
    capture_id: str
    amount: Money


@dataclass(frozen=True)
class PaymentLink:
    """A hosted payment page the shopper opens (sent by chat, SMS, e-mail)."""

    id: str
    url: str
    amount: Money
    description: str
    expires_at: datetime | None = None


class ProviderEventKind(StrEnum):
    AUTHORIZATION_APPROVED = "authorization.approved"  # 3-D Secure passed
    AUTHORIZATION_DECLINED = "authorization.declined"  # 3-D Secure failed or abandoned
    PAYMENT_LINK_PAID = "payment_link.paid"
    OTHER = "other"  # an event Omni does not act on: acknowledge it and move on


@dataclass(frozen=True)
class ProviderEvent:
    """A verified webhook event. ``id`` is the provider's event id (the replay key); the
    other fields are set according to ``kind``."""

    id: str
    kind: ProviderEventKind
    occurred_at: datetime
    action_id: str | None = None  # the AuthorizationRequiresAction this event settles
    authorization: Authorization | None = None  # authorization.approved
    decline: AuthorizationDeclined | None = None  # authorization.declined
    payment_link_id: str | None = None  # payment_link.paid
    capture: Capture | None = None  # payment_link.paid: links are captured at once
    raw_type: str = ""  # the provider's own event name, for logs
    metadata: Mapping[str, str] = field(default_factory=dict)


class PaymentProvider(Protocol):
    """What a payment provider adapter implements. Card data never passes through it:
    ``token`` is the provider's token from its card fields or terminal."""

    name: str

    async def authorize(
        self,
        amount: Money,
        token: str,
        *,
        idempotency_key: str,
        metadata: Mapping[str, str] | None = None,
    ) -> AuthorizationResult:
        """Hold ``amount`` on the tokenized card. Declines and 3-D Secure are results;
        raises ``ProviderTimeout`` / ``ProviderUnavailable`` / ``ProviderError``.
        ``metadata`` (order and payment ids) is shown in the provider's dashboard."""

    async def capture(
        self, authorization: Authorization, amount: Money, *, idempotency_key: str
    ) -> Capture:
        """Take ``amount`` (at most what remains authorized; the domain ``Payment`` tracks
        the running total). Raises ``CaptureFailed`` if the provider refuses."""

    async def void(self, authorization: Authorization, *, idempotency_key: str) -> VoidResult:
        """Release an authorization nothing was captured from."""

    async def refund(self, capture: Capture, amount: Money, *, idempotency_key: str) -> Refund:
        """Give back ``amount`` of a capture. Raises ``RefundFailed`` if refused."""

    async def create_payment_link(
        self, amount: Money, description: str, *, idempotency_key: str
    ) -> PaymentLink:
        """A hosted page where the shopper pays ``amount``; paid links arrive as
        ``payment_link.paid`` events."""

    async def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        """Verify the signature and freshness of a webhook (raising ``WebhookRejected``
        subclasses) and parse it. ``body`` is the raw request body, byte for byte:
        signatures cover the bytes, not a re-serialized JSON."""
