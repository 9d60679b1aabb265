"""Payment refusals and provider failures, each with a stable ``code``.

Rendered as problem+json by ``omni.http.problems``; ``extra`` holds only JSON-ready values
(amounts as integer minor units plus currency), never card data.
"""

from __future__ import annotations

from typing import Any

from omni.kernel.errors import Conflict, DomainError, InvalidInput
from omni.kernel.money import Money


def money_fields(prefix: str, money: Money) -> dict[str, Any]:
    """``{prefix}_amount`` / ``{prefix}_currency`` for problem+json extras."""
    return {f"{prefix}_amount": money.amount, f"{prefix}_currency": money.currency}


# --- tenders (split payment at checkout or at the till) ---------------------------------


class NoTenders(InvalidInput):
    code = "no_tenders"
    title = "No tender given"


class InvalidTenderAmount(InvalidInput):
    code = "invalid_tender_amount"
    title = "Invalid tender amount"


class TenderCurrencyMismatch(InvalidInput):
    code = "tender_currency_mismatch"
    title = "Tender in another currency"


class TenderReferenceMissing(InvalidInput):
    code = "tender_reference_missing"
    title = "Tender reference missing"


class DuplicateTender(InvalidInput):
    code = "duplicate_tender"
    title = "Tender given twice"


class TooManyProviderTenders(InvalidInput):
    code = "too_many_card_tenders"
    title = "Only one card or payment-link tender per payment"


class TenderTotalMismatch(InvalidInput):
    code = "tender_total_mismatch"
    title = "Tenders do not add up to the total"


class TenderedAmountCashOnly(InvalidInput):
    code = "tendered_amount_cash_only"
    title = "Only cash is tendered with change"


class InsufficientCashTendered(InvalidInput):
    code = "insufficient_cash_tendered"
    title = "Not enough cash tendered"


# --- the payment state machine ----------------------------------------------------------


class PaymentTransitionNotAllowed(Conflict):
    code = "payment_transition_not_allowed"
    title = "Not allowed in the payment's current state"


class InvalidPaymentAmount(InvalidInput):
    code = "invalid_payment_amount"
    title = "Invalid payment amount"


class PaymentCurrencyMismatch(InvalidInput):
    code = "payment_currency_mismatch"
    title = "Amount in another currency than the payment"


class AuthorizationExceedsAmount(Conflict):
    code = "authorization_exceeds_amount"
    title = "Authorized more than the payment's amount"


class CaptureExceedsAuthorized(Conflict):
    code = "capture_exceeds_authorized"
    title = "Capture exceeds what remains authorized"


class RefundExceedsCaptured(Conflict):
    code = "refund_exceeds_captured"
    title = "Refund exceeds what remains captured"


class PaymentOperationInProgress(Conflict):
    """Another capture, void or refund of this payment is being processed (or its outcome
    is being confirmed with the provider): retry in a moment."""

    code = "payment_operation_in_progress"
    title = "Another operation on this payment is in progress"


class RefundSpansCaptures(Conflict):
    """Providers refund a capture, not a payment: a refund larger than what any single
    capture has left is made as several refunds, one per capture."""

    code = "refund_spans_captures"
    title = "Refund larger than any single capture"


# --- provider calls ---------------------------------------------------------------------


class IdempotencyKeyRequired(DomainError):
    code = "idempotency_key_required"
    title = "Idempotency key required"


class ProviderError(DomainError):
    """The provider failed; whether money moved is known (see subclasses)."""

    status = 502
    code = "provider_error"
    title = "Payment provider error"


class ProviderUnavailable(ProviderError):
    """The provider refused to process the call (5xx, maintenance): no money moved."""

    status = 503
    code = "provider_unavailable"
    title = "Payment provider unavailable"


class ProviderTimeout(ProviderError):
    """No answer in time: the outcome is UNKNOWN. Retry with the same idempotency key
    (never a new one) to learn it, or void/cancel as a compensation."""

    status = 504
    code = "provider_timeout"
    title = "Payment provider timed out"


class InvalidProviderReference(ProviderError):
    """An authorization/capture reference the provider does not recognise (or tampered)."""

    status = 409
    code = "invalid_provider_reference"
    title = "Unknown payment reference"


class CaptureFailed(ProviderError):
    status = 402
    code = "capture_failed"
    title = "Capture failed"


class RefundFailed(ProviderError):
    status = 402
    code = "refund_failed"
    title = "Refund failed"


# --- webhooks ---------------------------------------------------------------------------


class WebhookRejected(DomainError):
    """Base of webhook refusals: answer 400 and let the provider retry a genuine event."""

    code = "webhook_rejected"
    title = "Webhook rejected"


class WebhookUnsigned(WebhookRejected):
    code = "webhook_unsigned"
    title = "Webhook signature missing"


class WebhookSignatureMalformed(WebhookRejected):
    code = "webhook_signature_malformed"
    title = "Webhook signature header malformed"


class WebhookSignatureMismatch(WebhookRejected):
    code = "webhook_signature_mismatch"
    title = "Webhook signature does not match"


class WebhookTimestampStale(WebhookRejected):
    code = "webhook_timestamp_stale"
    title = "Webhook signed too long ago"


class WebhookTimestampInFuture(WebhookRejected):
    code = "webhook_timestamp_in_future"
    title = "Webhook signed in the future"


class WebhookPayloadMalformed(WebhookRejected):
    code = "webhook_payload_malformed"
    title = "Webhook payload malformed"


class WebhookReplayed(Conflict):
    """An event id seen before: a provider retry or a replay. Routes should acknowledge it
    with 200 (so the provider stops retrying) without processing it again."""

    code = "webhook_replayed"
    title = "Webhook event already received"


# --- card data --------------------------------------------------------------------------


class CardDataNotAccepted(InvalidInput):
    """Card numbers or security codes in a request: refused, never echoed or logged."""

    code = "card_data_not_accepted"
    title = "Card data is not accepted"
