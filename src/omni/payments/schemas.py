"""Request and response bodies of /payments. Amounts are integer minor units of the
payment's currency."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from omni.http.schemas import StrictModel
from omni.kernel.errors import InvalidInput
from omni.kernel.money import Money, is_currency
from omni.payments.queries import OperationView, PaymentView


def money(amount: int, currency: str, field: str = "currency") -> Money:
    """``Money``, or 422 for a currency that is not ISO 4217."""
    if not is_currency(currency):
        raise InvalidInput(f"{currency!r} is not an ISO 4217 currency code.", field=field)
    return Money(amount, currency)


class CaptureIn(StrictModel):
    amount: int = Field(gt=0, description="Minor units of the payment's currency")
    final: bool = Field(False, description="Release the rest of the authorization")


class RefundIn(StrictModel):
    amount: int = Field(gt=0, description="Minor units of the payment's currency")
    reason: str | None = Field(None, max_length=200)
    register_session_id: str | None = Field(
        None, max_length=32, description="Cash: the till session paying it out"
    )


class OperationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    amount: int | None
    status: str
    idempotency_key: str
    provider_reference: str | None
    error_code: str | None
    reason: str | None
    attempts: int
    at: datetime
    completed_at: datetime | None


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    order_id: str
    location_id: str | None
    tender: str
    status: str
    currency: str
    amount: int
    authorized: int
    captured: int
    refunded: int
    capturable: int
    refundable: int
    failure_code: str | None
    provider: str | None
    next_action_url: str | None
    payment_link_url: str | None
    operation_in_progress: bool
    created_at: datetime
    updated_at: datetime
    operations: list[OperationOut] = Field(default_factory=list)


def payment_out(view: PaymentView) -> PaymentOut:
    return PaymentOut.model_validate(
        {**view.__dict__, "operations": [_op(op) for op in view.operations]}
    )


def _op(view: OperationView) -> OperationOut:
    return OperationOut.model_validate(view)


class WebhookOut(BaseModel):
    status: str  # applied | ignored | replayed
    event_id: str | None = None
    event_type: str | None = None
