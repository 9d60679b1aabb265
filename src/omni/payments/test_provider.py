"""The built-in TEST payment provider: a fake at the external edge, for the test suite,
the demo and the checkout benchmark. It moves no money.

The token chooses the outcome (see ``TOKEN_BEHAVIOURS``): ``tok_visa`` approves,
``tok_decline`` declines, ``tok_3ds`` asks for 3-D Secure (finished by the webhook from
``complete_action``), ``tok_timeout`` times out, ``tok_fail_capture`` authorizes but
refuses the capture…

It is stateless, so any number of server processes can share it: every id it hands out
carries its own facts (amount, currency, token) and an HMAC made with the configured
secret, so ``capture``/``void``/``refund`` in another process validate the id without a
store. Ids are derived from the idempotency key and the request, so the same key and the
same request give the same result. Being stateless, it cannot see what earlier calls did:
the running totals (captured so far, refunded so far) are the domain ``Payment``'s job.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from omni.kernel.clock import Clock
from omni.kernel.money import Money
from omni.payments.errors import (
    CaptureFailed,
    InvalidPaymentAmount,
    InvalidProviderReference,
    ProviderTimeout,
    ProviderUnavailable,
    RefundFailed,
    money_fields,
)
from omni.payments.provider import (
    Authorization,
    AuthorizationApproved,
    AuthorizationDeclined,
    AuthorizationRequiresAction,
    AuthorizationResult,
    Capture,
    PaymentLink,
    PaymentProvider,
    ProviderEvent,
    Refund,
    VoidResult,
    check_idempotency_key,
)
from omni.payments.test_provider_events import EventCodec
from omni.payments.webhooks import DEFAULT_TOLERANCE, WebhookVerifier

MIN_SECRET_LENGTH = 16
DEFAULT_BASE_URL = "https://pay.test.invalid"
LINK_PAYMENT_TOKEN = "tok_visa"


class Behaviour(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    REQUIRE_3DS = "require_3ds"
    TIME_OUT = "time_out"
    UNAVAILABLE = "unavailable"
    FAIL_CAPTURE = "fail_capture"  # authorizes; every capture is refused
    FAIL_REFUND = "fail_refund"  # authorizes and captures; every refund is refused


TOKEN_BEHAVIOURS: Mapping[str, Behaviour] = {
    "tok_approve": Behaviour.APPROVE,
    "tok_visa": Behaviour.APPROVE,
    "tok_mastercard": Behaviour.APPROVE,
    "tok_amex": Behaviour.APPROVE,
    "tok_terminal": Behaviour.APPROVE,  # what the demo's store terminals hand over
    "tok_decline": Behaviour.DECLINE,
    "tok_insufficient_funds": Behaviour.DECLINE,
    "tok_expired_card": Behaviour.DECLINE,
    "tok_3ds": Behaviour.REQUIRE_3DS,
    "tok_timeout": Behaviour.TIME_OUT,
    "tok_unavailable": Behaviour.UNAVAILABLE,
    "tok_fail_capture": Behaviour.FAIL_CAPTURE,
    "tok_fail_refund": Behaviour.FAIL_REFUND,
}

DECLINES: Mapping[str, AuthorizationDeclined] = {
    "tok_decline": AuthorizationDeclined("card_declined", "The card was declined."),
    "tok_insufficient_funds": AuthorizationDeclined(
        "insufficient_funds", "The card has insufficient funds."
    ),
    "tok_expired_card": AuthorizationDeclined("expired_card", "The card has expired."),
}
UNKNOWN_TOKEN = AuthorizationDeclined("invalid_token", "The test provider does not know it.")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SignedReferences:
    """Ids as ``<kind>_<base64url JSON facts>.<HMAC>``: self-describing and unforgeable."""

    def __init__(self, secret: str) -> None:
        self._key = secret.encode()

    def _mac(self, message: str) -> str:
        return hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()[:32]

    def nonce(self, *parts: object) -> str:
        """A deterministic tag of ``parts``: same call, same tag (idempotency)."""
        return self._mac("nonce" + json.dumps([str(p) for p in parts]))[:16]

    def derive_secret(self, purpose: str) -> str:
        """A secret for ``purpose`` derived from the main one (128 bits, hex)."""
        return self._mac(f"secret|{purpose}")

    def encode(self, kind: str, facts: Mapping[str, str | int]) -> str:
        body = _b64(json.dumps(facts, sort_keys=True, separators=(",", ":")).encode())
        return f"{kind}_{body}.{self._mac(f'{kind}.{body}')}"

    def decode(self, kind: str, reference: str) -> dict[str, Any]:
        """The facts inside ``reference``; ``InvalidProviderReference`` if it is not one
        of ours of that kind (forged, tampered, another secret, another kind)."""
        prefix = f"{kind}_"
        body, _, mac = reference.removeprefix(prefix).rpartition(".")
        if not reference.startswith(prefix) or not body:
            raise InvalidProviderReference(f"Not a test-provider {kind} reference.")
        if not hmac.compare_digest(mac.encode(), self._mac(f"{kind}.{body}").encode()):
            raise InvalidProviderReference(f"The {kind} reference is not signed by this provider.")
        try:
            facts = json.loads(_unb64(body))
        except (binascii.Error, ValueError) as error:
            raise InvalidProviderReference(f"Unreadable {kind} reference.") from error
        if not isinstance(facts, dict):
            raise InvalidProviderReference(f"Unreadable {kind} reference.")
        return facts

    def money(self, kind: str, reference: str) -> tuple[Money, dict[str, Any]]:
        facts = self.decode(kind, reference)
        return Money(int(facts["a"]), str(facts["c"])), facts


@dataclass(frozen=True)
class SignedWebhook:
    """A webhook delivery as the provider would send it: POST these headers and body."""

    headers: dict[str, str]
    body: bytes


class TestProvider:
    """The TEST provider. Configure every process with the same ``secret`` (and webhook
    secrets) and any process can continue what another began."""

    __test__ = False  # a provider, not a pytest test class
    name = "test"

    def __init__(
        self,
        secret: str,
        *,
        clock: Clock,
        webhook_secrets: Sequence[str] = (),
        base_url: str = DEFAULT_BASE_URL,
        webhook_tolerance: timedelta = DEFAULT_TOLERANCE,
    ) -> None:
        if len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(f"the test provider secret needs {MIN_SECRET_LENGTH}+ characters")
        self.refs = SignedReferences(secret)
        # Without configured webhook secrets, derive one: still unguessable, and the same
        # in every process sharing the secret.
        secrets = tuple(webhook_secrets) or (self.refs.derive_secret("webhooks"),)
        self.webhooks = WebhookVerifier(secrets, clock=clock, tolerance=webhook_tolerance)
        self._events = EventCodec(self.refs, self.webhooks, clock)
        self._base_url = base_url.rstrip("/")

    async def authorize(
        self,
        amount: Money,
        token: str,
        *,
        idempotency_key: str,
        metadata: Mapping[str, str] | None = None,
    ) -> AuthorizationResult:
        check_idempotency_key(idempotency_key)
        _check_positive(amount)
        behaviour = TOKEN_BEHAVIOURS.get(token)
        if behaviour is None:
            return UNKNOWN_TOKEN
        if behaviour is Behaviour.DECLINE:
            return DECLINES[token]
        if behaviour is Behaviour.TIME_OUT:
            raise ProviderTimeout("The test provider did not answer (tok_timeout).")
        if behaviour is Behaviour.UNAVAILABLE:
            raise ProviderUnavailable("The test provider is unavailable (tok_unavailable).")
        facts: dict[str, str | int] = {
            "a": amount.amount,
            "c": amount.currency,
            "t": token,
            "n": self.refs.nonce(
                "authorize", idempotency_key, amount.amount, amount.currency, token
            ),
        }
        if behaviour is Behaviour.REQUIRE_3DS:
            action_id = self.refs.encode("act", facts)
            url = f"{self._base_url}/3ds/{action_id}"
            return AuthorizationRequiresAction(action_id, url, amount)
        return AuthorizationApproved(Authorization(self.refs.encode("auth", facts), amount))

    async def capture(
        self, authorization: Authorization, amount: Money, *, idempotency_key: str
    ) -> Capture:
        check_idempotency_key(idempotency_key)
        held, facts = self._held(authorization)
        _check_within(amount, held, CaptureFailed, "authorized")
        if TOKEN_BEHAVIOURS.get(facts["t"]) is Behaviour.FAIL_CAPTURE:
            raise CaptureFailed("The test card refuses captures (tok_fail_capture).")
        nonce = self.refs.nonce("capture", idempotency_key, authorization.id, amount.amount)
        capture_facts: dict[str, str | int] = {
            "a": amount.amount,
            "c": amount.currency,
            "t": facts["t"],
            "n": nonce,
        }
        return Capture(self.refs.encode("cap", capture_facts), authorization.id, amount)

    async def void(self, authorization: Authorization, *, idempotency_key: str) -> VoidResult:
        check_idempotency_key(idempotency_key)
        self._held(authorization)
        nonce = self.refs.nonce("void", idempotency_key, authorization.id)
        return VoidResult(self.refs.encode("void", {"n": nonce}), authorization.id)

    async def refund(self, capture: Capture, amount: Money, *, idempotency_key: str) -> Refund:
        check_idempotency_key(idempotency_key)
        captured, facts = self.refs.money("cap", capture.id)
        if captured != capture.amount:
            raise InvalidProviderReference("The capture's amount does not match its reference.")
        _check_within(amount, captured, RefundFailed, "captured")
        if TOKEN_BEHAVIOURS.get(facts["t"]) is Behaviour.FAIL_REFUND:
            raise RefundFailed("The test card refuses refunds (tok_fail_refund).")
        nonce = self.refs.nonce("refund", idempotency_key, capture.id, amount.amount)
        refund_facts: dict[str, str | int] = {"a": amount.amount, "c": amount.currency, "n": nonce}
        return Refund(self.refs.encode("refund", refund_facts), capture.id, amount)

    async def create_payment_link(
        self, amount: Money, description: str, *, idempotency_key: str
    ) -> PaymentLink:
        check_idempotency_key(idempotency_key)
        _check_positive(amount)
        nonce = self.refs.nonce("link", idempotency_key, amount.amount, amount.currency)
        link_id = self.refs.encode("plink", {"a": amount.amount, "c": amount.currency, "n": nonce})
        return PaymentLink(link_id, f"{self._base_url}/links/{link_id}", amount, description)

    async def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        self.webhooks.verify(headers, body)
        return self._events.parse(body)

    def complete_action(self, action_id: str, *, succeed: bool = True) -> SignedWebhook:
        """The shopper finished 3-D Secure (or failed it): the webhook the provider sends."""
        headers, body = self._events.action_completed(action_id, succeed=succeed)
        return SignedWebhook(headers, body)

    def pay_link(self, link_id: str) -> SignedWebhook:
        """The shopper paid the link (with ``tok_visa``): the webhook the provider sends."""
        headers, body = self._events.link_paid(link_id, LINK_PAYMENT_TOKEN)
        return SignedWebhook(headers, body)

    def _held(self, authorization: Authorization) -> tuple[Money, dict[str, Any]]:
        held, facts = self.refs.money("auth", authorization.id)
        if held != authorization.amount:
            raise InvalidProviderReference(
                "The authorization's amount does not match its reference."
            )
        return held, facts


def _check_positive(amount: Money) -> None:
    if amount.amount <= 0:
        raise InvalidPaymentAmount("Amounts must be positive.", **money_fields("amount", amount))


def _check_within(
    amount: Money, limit: Money, error: type[CaptureFailed | RefundFailed], what: str
) -> None:
    _check_positive(amount)
    if amount.currency != limit.currency or limit < amount:
        raise error(
            f"{amount} is more than the {limit} {what}.",
            **money_fields("requested", amount),
            **money_fields(what, limit),
        )


if TYPE_CHECKING:  # mypy proves the fake keeps to the interface real providers implement
    _: type[PaymentProvider] = TestProvider
