"""Facts the payments module publishes (wire names ``payment.*`` and ``register.*``).

Amounts are integer minor units of ``currency``. Every payment event names its order, so
the orders module can react (an order waiting for 3-D Secure or a paid link is placed on
``payment.authorized`` / ``payment.link_paid``; a failed one is cancelled).
"""

from __future__ import annotations

from dataclasses import dataclass

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class PaymentAuthorized(Event):
    """Money is held (at checkout, or when 3-D Secure completed later by webhook)."""

    name = "payment.authorized"
    payment_id: str
    order_id: str
    tender: str
    amount: int  # authorized
    currency: str


@dataclass(frozen=True, kw_only=True)
class PaymentCaptured(Event):
    """Money taken: a capture, cash or another tender collected, a paid link."""

    name = "payment.captured"
    payment_id: str
    order_id: str
    tender: str
    amount: int  # this capture
    captured: int  # the payment's running total
    currency: str
    status: str


@dataclass(frozen=True, kw_only=True)
class PaymentVoided(Event):
    """The authorization was released: nothing was captured."""

    name = "payment.voided"
    payment_id: str
    order_id: str
    amount: int  # what had been authorized
    currency: str


@dataclass(frozen=True, kw_only=True)
class PaymentCanceled(Event):
    """Abandoned before money was held (pay at pickup replaced, link not paid, order
    cancelled while waiting for 3-D Secure)."""

    name = "payment.canceled"
    payment_id: str
    order_id: str


@dataclass(frozen=True, kw_only=True)
class PaymentRefunded(Event):
    """Money given back. For tenders Omni keeps (gift card, store credit, points) the
    owning module re-credits the account; for cash the till paid it out."""

    name = "payment.refunded"
    payment_id: str
    order_id: str
    tender: str
    amount: int  # this refund
    refunded: int  # the payment's running total
    currency: str
    reason: str | None
    register_session_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class PaymentFailed(Event):
    """A payment step was refused. ``operation`` ``authorize``: 3-D Secure failed and the
    payment is failed. ``capture`` / ``refund``: the provider refused it; the payment keeps
    its status and amounts (someone must act: another tender, a manual refund)."""

    name = "payment.failed"
    payment_id: str
    order_id: str
    operation: str
    code: str


@dataclass(frozen=True, kw_only=True)
class PaymentLinkPaid(Event):
    """The shopper paid a payment link (PAY3): the payment is captured."""

    name = "payment.link_paid"
    payment_id: str
    order_id: str
    amount: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class RegisterSessionOpened(Event):
    name = "register.session_opened"
    session_id: str
    location_id: str
    register_id: str
    opening_float: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class RegisterSessionClosed(Event):
    name = "register.session_closed"
    session_id: str
    location_id: str
    register_id: str
    expected: int
    counted: int
    over_short: int  # counted - expected: positive over, negative short
    currency: str
