"""Builders for payment tests: the app's test provider, payments recorded the way checkout
records them, snapshots proving a refusal changed nothing, and a provider wrapper that
counts calls and can fail them (a fake at the external edge)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from omni.db.database import Database
from omni.db.platform_models import OutboxEvent
from omni.kernel.ids import new_id
from omni.kernel.money import Money
from omni.payments import api
from omni.payments.models import PaymentOperation, PaymentRow, PaymentWebhookEvent
from omni.payments.provider import (
    Authorization,
    AuthorizationResult,
    Capture,
    PaymentLink,
    ProviderEvent,
    Refund,
    VoidResult,
)
from omni.payments.providers import app_provider
from omni.payments.tenders import Tender
from omni.payments.test_provider import TestProvider

API = "/api/v1"
PAYMENTS = f"{API}/payments"
REGISTERS = f"{API}/registers"
EUR = "EUR"


def eur(cents: int) -> Money:
    return Money(cents, EUR)


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


def the_provider(app: Any) -> TestProvider:
    provider = app_provider(app.state)
    assert isinstance(provider, TestProvider)
    return provider


async def place(
    database: Database,
    provider: Any,
    *tenders: Tender,
    location_id: str | None = None,
    order_id: str | None = None,
) -> tuple[str, list[str], list[api.AuthorizationOutcome]]:
    """What checkout does: authorize outside, record inside the order's unit of work."""
    order_id = order_id or new_id("ord")
    outcomes = [
        await api.authorize(provider, tender, idempotency_key=f"{order_id}:pay:{i}")
        for i, tender in enumerate(tenders)
    ]
    async with database.uow() as uow:
        payment_ids = await api.record_payments(uow, order_id, outcomes, location_id=location_id)
        await uow.commit()
    return order_id, payment_ids, outcomes


async def card_payment(
    database: Database,
    provider: Any,
    cents: int = 10_000,
    token: str = "tok_visa",
    *,
    location_id: str | None = None,
) -> tuple[str, str]:
    """An order paid by card: (order id, payment id)."""
    order_id, [payment_id], _ = await place(
        database,
        provider,
        Tender(api.TenderKind.CARD_ONLINE, eur(cents), reference=token),
        location_id=location_id,
    )
    return order_id, payment_id


async def snapshot(database: Database, payment_id: str) -> dict[str, Any]:
    """The payment row and its operations: equal before and after a refused command."""
    async with database.reader() as session:
        row = await session.get(PaymentRow, payment_id, populate_existing=True)
        assert row is not None
        operations = await session.scalars(
            select(PaymentOperation)
            .where(PaymentOperation.payment_id == payment_id)
            .order_by(PaymentOperation.at, PaymentOperation.id)
        )
        return {
            "payment": {c.key: getattr(row, c.key) for c in PaymentRow.__table__.columns},
            "operations": [
                (op.kind, op.status, op.amount, op.idempotency_key, op.error_code)
                for op in operations
            ],
        }


async def payment(database: Database, payment_id: str) -> dict[str, Any]:
    return (await snapshot(database, payment_id))["payment"]


async def operations(database: Database, payment_id: str) -> list[tuple[Any, ...]]:
    return (await snapshot(database, payment_id))["operations"]


async def events(database: Database, payment_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(name, payload) of every event about this payment, in order."""
    async with database.reader() as session:
        rows = await session.execute(
            select(OutboxEvent.name, OutboxEvent.payload)
            .where(OutboxEvent.payload["payment_id"].as_string() == payment_id)
            .order_by(OutboxEvent.occurred_at, OutboxEvent.id)
        )
        return [(name, payload) for name, payload in rows.all()]


async def webhook_events(database: Database, event_id: str) -> int:
    async with database.reader() as session:
        rows = await session.scalars(
            select(PaymentWebhookEvent.event_id).where(PaymentWebhookEvent.event_id == event_id)
        )
        return len(list(rows))


class RecordingProvider:
    """Wraps a provider: counts calls, and raises the queued errors first."""

    def __init__(self, inner: TestProvider, name: str | None = None) -> None:
        self.inner = inner
        self.name = name or inner.name
        self.calls: Counter[str] = Counter()
        self.keys: list[tuple[str, str]] = []
        self.failures: dict[str, list[BaseException]] = {}

    def fail_next(self, method: str, *errors: BaseException) -> None:
        self.failures.setdefault(method, []).extend(errors)

    def _enter(self, method: str, key: str) -> None:
        self.calls[method] += 1
        self.keys.append((method, key))
        queued = self.failures.get(method)
        if queued:
            raise queued.pop(0)

    async def authorize(
        self,
        amount: Money,
        token: str,
        *,
        idempotency_key: str,
        metadata: Mapping[str, str] | None = None,
    ) -> AuthorizationResult:
        self._enter("authorize", idempotency_key)
        return await self.inner.authorize(
            amount, token, idempotency_key=idempotency_key, metadata=metadata
        )

    async def capture(
        self, authorization: Authorization, amount: Money, *, idempotency_key: str
    ) -> Capture:
        self._enter("capture", idempotency_key)
        return await self.inner.capture(authorization, amount, idempotency_key=idempotency_key)

    async def void(self, authorization: Authorization, *, idempotency_key: str) -> VoidResult:
        self._enter("void", idempotency_key)
        return await self.inner.void(authorization, idempotency_key=idempotency_key)

    async def refund(self, capture: Capture, amount: Money, *, idempotency_key: str) -> Refund:
        self._enter("refund", idempotency_key)
        return await self.inner.refund(capture, amount, idempotency_key=idempotency_key)

    async def create_payment_link(
        self, amount: Money, description: str, *, idempotency_key: str
    ) -> PaymentLink:
        self._enter("create_payment_link", idempotency_key)
        return await self.inner.create_payment_link(
            amount, description, idempotency_key=idempotency_key
        )

    async def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        return await self.inner.parse_webhook(headers, body)
