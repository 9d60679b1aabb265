"""What other modules may call: checkout, orders, fulfilment, returns and the POS.

The rule of every function here: the provider is never called inside a database
transaction. Functions taking a ``UnitOfWork`` run INSIDE the caller's open unit of work
(and never commit); functions taking a ``Database`` run their own short transactions
around the provider call.

Checkout, step by step::

    plan = plan_split_tender(total, tenders)                  # pure: refusals are 422
    outcomes = await authorize_plan(provider, plan, idempotency_key=f"{key}:pay")
    if any(o.declined for o in outcomes) → 402, nothing to undo
    try:
        async with uow:                                       # the order transaction
            ... reserve stock, add the order ...
            payment_ids = await record_payments(uow, order_id, outcomes, location_id=store)
            (POS cash: await record_cash_tender(uow, session_id, amount, tendered, change,
                                                payment_id=…, order_id=order_id))
            await uow.commit()
    except BaseException:
        await void_outcomes(provider, outcomes)               # the compensation
        raise
    3-D Secure: answer with outcome.next_action_url; ``payment.authorized`` (webhook)
    tells when the order may be placed, ``payment.failed`` when it may be cancelled.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omni.payments.adjustments import PaymentLinkIssued, limit_capture, set_pending_amount
from omni.payments.body_guard import guard_router
from omni.payments.checkout import (
    AuthorizationOutcome,
    OutcomeStatus,
    authorize,
    authorize_plan,
    cancel_payment,
    record_payments,
    void_authorization,
    void_outcomes,
)
from omni.payments.domain import PaymentStatus, TenderKind
from omni.payments.links import PaymentLinkCreated, create_payment_link
from omni.payments.operations import OperationResult
from omni.payments.provider import PaymentProvider
from omni.payments.providers import app_provider, provider_from_settings, register_provider
from omni.payments.queries import OrderPayments, PaymentView, orders_waiting_for_link, summarize
from omni.payments.queries import get_payment as _get_payment
from omni.payments.queries import payments_of_order as _payments_of_order
from omni.payments.registers import (
    TillSession,
    record_cash_refund,
    record_cash_tender,
    till_session,
)
from omni.payments.service import capture, refund, resume_stale_operations, void
from omni.payments.stored_value import (
    STORED_VALUE_KINDS,
    StoredValueLedger,
    TenderNotAccepted,
    register_stored_value,
)
from omni.payments.tenders import Tender, TenderPlan, cash_change, plan_split_tender
from omni.payments.webhook_handling import WebhookResult, handle_webhook

__all__ = [
    "STORED_VALUE_KINDS",
    "AuthorizationOutcome",
    "OperationResult",
    "OrderPayments",
    "OutcomeStatus",
    "PaymentLinkCreated",
    "PaymentLinkIssued",
    "PaymentProvider",
    "PaymentStatus",
    "PaymentView",
    "StoredValueLedger",
    "Tender",
    "TenderKind",
    "TenderNotAccepted",
    "TenderPlan",
    "TillSession",
    "WebhookResult",
    "app_provider",
    "authorize",
    "authorize_plan",
    "cancel_payment",
    "capture",
    "cash_change",
    "create_payment_link",
    "get_payment",
    "guard_router",
    "handle_webhook",
    "limit_capture",
    "order_payments",
    "orders_waiting_for_link",
    "payments_of_order",
    "plan_split_tender",
    "provider_from_settings",
    "record_cash_refund",
    "record_cash_tender",
    "record_payments",
    "refund",
    "register_provider",
    "register_stored_value",
    "resume_stale_operations",
    "set_pending_amount",
    "till_session",
    "void",
    "void_authorization",
    "void_outcomes",
]


async def payments_of_order(session: AsyncSession, order_id: str) -> list[PaymentView]:
    """Every payment of an order, oldest first (any status)."""
    return await _payments_of_order(session, order_id)


async def order_payments(session: AsyncSession, order_id: str) -> OrderPayments:
    """An order's money at a glance: authorized, captured, refunded, still due later
    (pay at pickup, unpaid links), and whether 3-D Secure is awaited."""
    return summarize(await _payments_of_order(session, order_id))


async def get_payment(session: AsyncSession, payment_id: str) -> PaymentView | None:
    """One payment with its operations (captures, refunds…), or ``None``."""
    return await _get_payment(session, payment_id)
