"""Provider webhooks, applied: 3-D Secure finished, a payment link paid.

One unit of work per delivery holds both the replay guard's row and the changes the
event makes: if applying fails, the rollback forgets the event id too, so the provider's
retry is processed; a replay (same event id) changes nothing and is acknowledged. The
signature is checked before anything is written (``WebhookRejected`` → 400).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from omni.db.database import Database
from omni.db.uow import UnitOfWork
from omni.kernel.actor import Actor, ActorKind
from omni.kernel.ids import new_id
from omni.payments.domain import PaymentStatus, TenderKind
from omni.payments.errors import WebhookReplayed
from omni.payments.events import (
    PaymentAuthorized,
    PaymentCaptured,
    PaymentFailed,
    PaymentLinkPaid,
)
from omni.payments.models import PaymentOperation, PaymentRow, PaymentWebhookEvent
from omni.payments.provider import PaymentProvider, ProviderEvent, ProviderEventKind
from omni.payments.webhooks import receive_webhook

log = logging.getLogger("omni.payments")
WEBHOOK_EVENTS = cast(Table, PaymentWebhookEvent.__table__)
_S = PaymentStatus


class WebhookStatus(StrEnum):
    APPLIED = "applied"  # the event changed a payment
    IGNORED = "ignored"  # genuine, but nothing to do (unknown payment, already settled)
    REPLAYED = "replayed"  # this event id was received before: nothing done


@dataclass(frozen=True)
class WebhookResult:
    status: WebhookStatus
    event_id: str | None = None
    event_type: str | None = None
    payment_id: str | None = None


class DatabaseReplayGuard:
    """``ReplayGuard`` over ``payment_webhook_events``, inside the caller's unit of work.

    ``INSERT … ON CONFLICT DO NOTHING``: of two concurrent deliveries of one event, the
    second waits for the first's transaction (the primary key) and then finds the row —
    or inserts it, if the first rolled back."""

    def __init__(self, uow: UnitOfWork, provider_name: str) -> None:
        self._uow = uow
        self._provider = provider_name
        self.event_type = ""

    async def first_time(self, event_id: str) -> bool:
        event_id = event_id.removeprefix(f"{self._provider}:")
        dialect = self._uow.session.get_bind().dialect.name
        values = {
            "provider": self._provider,
            "event_id": event_id,
            "event_type": self.event_type[:64],
            "received_at": self._uow.clock.now(),
        }
        statement: Any
        if dialect == "postgresql":
            statement = postgresql.insert(WEBHOOK_EVENTS).values(values).on_conflict_do_nothing()
        elif dialect == "sqlite":
            statement = sqlite.insert(WEBHOOK_EVENTS).values(values).on_conflict_do_nothing()
        else:  # pragma: no cover - the two supported databases are above
            statement = insert(WEBHOOK_EVENTS).values(values)
        inserted = await self._uow.session.execute(statement.returning(WEBHOOK_EVENTS.c.event_id))
        return inserted.first() is not None


WEBHOOK_ACTOR = Actor(kind=ActorKind.SYSTEM, id="payments-webhook")


async def handle_webhook(
    db: Database, provider: PaymentProvider, headers: Mapping[str, str], body: bytes
) -> WebhookResult:
    """Verify, deduplicate and apply one webhook delivery (raw body bytes).

    Raises ``WebhookRejected`` subclasses (400) for unsigned, forged, stale or malformed
    deliveries, before anything is written."""
    # Verified before the unit of work opens: a flood of forgeries takes no write lock.
    event = await provider.parse_webhook(headers, body)
    async with db.uow(WEBHOOK_ACTOR) as uow:
        guard = DatabaseReplayGuard(uow, provider.name)
        guard.event_type = event.raw_type or event.kind.value
        try:
            event = await receive_webhook(provider, headers, body, guard)
        except WebhookReplayed:
            return WebhookResult(WebhookStatus.REPLAYED, event.id, event.raw_type)
        payment_id = await _apply(uow, provider.name, event)
        await uow.commit()
    status = WebhookStatus.APPLIED if payment_id else WebhookStatus.IGNORED
    return WebhookResult(status, event.id, event.raw_type, payment_id)


async def _apply(uow: UnitOfWork, provider_name: str, event: ProviderEvent) -> str | None:
    if event.kind is ProviderEventKind.AUTHORIZATION_APPROVED:
        return await _authentication_passed(uow, provider_name, event)
    if event.kind is ProviderEventKind.AUTHORIZATION_DECLINED:
        return await _authentication_failed(uow, provider_name, event)
    if event.kind is ProviderEventKind.PAYMENT_LINK_PAID:
        return await _link_paid(uow, provider_name, event)
    return None


async def _find(uow: UnitOfWork, provider_name: str, *condition: object) -> PaymentRow | None:
    row = await uow.session.scalar(
        select(PaymentRow).where(PaymentRow.provider == provider_name, *condition)  # type: ignore[arg-type]
    )
    if row is None:
        log.warning("payment webhook for an unknown payment (%s)", provider_name)
    return row


async def _settle_authorize_operation(
    uow: UnitOfWork, payment_id: str, status: str, **values: object
) -> None:
    await uow.session.execute(
        update(PaymentOperation)
        .where(
            PaymentOperation.payment_id == payment_id,
            PaymentOperation.kind == "authorize",
            PaymentOperation.status == "pending",
        )
        .values(status=status, completed_at=uow.clock.now(), **values)
    )


async def _authentication_passed(
    uow: UnitOfWork, provider_name: str, event: ProviderEvent
) -> str | None:
    """3-D Secure passed: ``requires_action → authorized``; orders may place the order."""
    authorization = event.authorization
    if event.action_id is None or authorization is None:
        return None
    row = await _find(uow, provider_name, PaymentRow.provider_action_id == event.action_id)
    if row is None or authorization.amount.currency != row.currency:
        return None
    changed = await uow.session.execute(
        update(PaymentRow)
        .where(
            PaymentRow.id == row.id,
            PaymentRow.status == _S.REQUIRES_ACTION.value,
            PaymentRow.amount >= authorization.amount.amount,
        )
        .values(
            status=_S.AUTHORIZED.value,
            authorized=authorization.amount.amount,
            provider_authorization_id=authorization.id,
            updated_at=uow.clock.now(),
            version=PaymentRow.version + 1,
        )
        .returning(PaymentRow.id)
    )
    if changed.first() is None:
        return None  # already settled (or cancelled meanwhile): nothing to do
    await _settle_authorize_operation(uow, row.id, "succeeded", provider_reference=authorization.id)
    uow.record(
        PaymentAuthorized(
            payment_id=row.id,
            order_id=row.order_id,
            tender=row.tender,
            amount=authorization.amount.amount,
            currency=row.currency,
        )
    )
    uow.audit("payments.authorized", "payment", row.id, {"event_id": event.id})
    return row.id


async def _authentication_failed(
    uow: UnitOfWork, provider_name: str, event: ProviderEvent
) -> str | None:
    """3-D Secure failed: ``requires_action → failed``; orders may cancel the order."""
    if event.action_id is None:
        return None
    row = await _find(uow, provider_name, PaymentRow.provider_action_id == event.action_id)
    if row is None:
        return None
    code = event.decline.code if event.decline else "authentication_failed"
    changed = await uow.session.execute(
        update(PaymentRow)
        .where(PaymentRow.id == row.id, PaymentRow.status == _S.REQUIRES_ACTION.value)
        .values(
            status=_S.FAILED.value,
            failure_code=code[:64],
            updated_at=uow.clock.now(),
            version=PaymentRow.version + 1,
        )
        .returning(PaymentRow.id)
    )
    if changed.first() is None:
        return None
    await _settle_authorize_operation(uow, row.id, "failed", error_code=code[:64])
    uow.record(
        PaymentFailed(payment_id=row.id, order_id=row.order_id, operation="authorize", code=code)
    )
    uow.audit("payments.authorization_failed", "payment", row.id, {"code": code})
    return row.id


async def _link_paid(uow: UnitOfWork, provider_name: str, event: ProviderEvent) -> str | None:
    """The shopper paid the link: ``pending → captured`` at once (links capture)."""
    capture, authorization = event.capture, event.authorization
    if event.payment_link_id is None or capture is None or authorization is None:
        return None
    row = await _find(uow, provider_name, PaymentRow.payment_link_id == event.payment_link_id)
    if row is None or capture.amount.currency != row.currency:
        return None
    paid = capture.amount.amount
    changed = await uow.session.execute(
        update(PaymentRow)
        .where(
            PaymentRow.id == row.id,
            PaymentRow.status == _S.PENDING.value,
            PaymentRow.tender == TenderKind.PAYMENT_LINK.value,
            PaymentRow.amount >= paid,
        )
        .values(
            status=_S.CAPTURED.value,
            authorized=paid,
            captured=paid,
            provider_authorization_id=authorization.id,
            updated_at=uow.clock.now(),
            version=PaymentRow.version + 1,
        )
        .returning(PaymentRow.id)
    )
    if changed.first() is None:
        return None
    now = uow.clock.now()
    for kind, reference in (("authorize", authorization.id), ("capture", capture.id)):
        uow.session.add(
            PaymentOperation(
                id=new_id("payop"),
                payment_id=row.id,
                kind=kind,
                amount=paid,
                status="succeeded",
                idempotency_key=f"{row.id}:{kind}:link",
                provider_reference=reference,
                final=False,
                attempts=1,
                at=now,
                completed_at=now,
            )
        )
    common = {"payment_id": row.id, "order_id": row.order_id, "currency": row.currency}
    uow.record(
        PaymentCaptured(
            **common, tender=row.tender, amount=paid, captured=paid, status=_S.CAPTURED.value
        )
    )
    uow.record(PaymentLinkPaid(**common, amount=paid))
    uow.audit("payments.link_paid", "payment", row.id, {"event_id": event.id})
    return row.id
