"""HTTP endpoints under /payments: provider webhooks (public, authenticated by their
signature), staff reads (``payments.read``) and captures, voids and refunds
(``payments.write``, Idempotency-Key required). Store managers see and act on the
payments taken at their stores only; others answer 404.

Every body is scanned for card data before anything else (``body_guard``), except the
webhooks': those are the provider's own signed bytes (refusing one would only make the
provider retry it), never stored or logged.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from omni.db.database import Database
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.idempotency import HEADER, IDEMPOTENCY_REQUIRED, IDEMPOTENCY_UNSUPPORTED
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound
from omni.kernel.money import Money
from omni.payments import queries, service
from omni.payments.body_guard import guard_router
from omni.payments.domain import PaymentStatus
from omni.payments.errors import WebhookPayloadMalformed
from omni.payments.provider import PaymentProvider
from omni.payments.providers import app_provider
from omni.payments.schemas import CaptureIn, PaymentOut, RefundIn, WebhookOut, payment_out
from omni.payments.stored import NOT_FOUND, may_see
from omni.payments.webhook_handling import handle_webhook
from omni.permissions import is_store_scoped

# Provider events are small; a bigger body is not one of them.
MAX_WEBHOOK_BYTES = 256 * 1024

webhook_router = new_router("/payments/webhooks", ["payments"])
router = guard_router(new_router("/payments", ["payments"]))
PageDep = Annotated[PageParams, Depends(page_params)]


def get_provider(request: Request) -> PaymentProvider:
    return app_provider(request.app.state)


ProviderDep = Annotated[PaymentProvider, Depends(get_provider)]


@webhook_router.post(
    "/{provider_name}",
    name="payment_webhook",
    summary="Receive a payment provider's webhook",
    description="Authenticated by its signature (``Omni-Signature: t=…,v1=…``). A forged, "
    "stale or malformed delivery answers 400 and changes nothing; an event received "
    "before answers 200 with status ``replayed`` and changes nothing.",
    openapi_extra=IDEMPOTENCY_UNSUPPORTED,
)
async def receive_webhook(
    provider_name: str,
    request: Request,
    db: DbDep,
    provider: ProviderDep,
    actor: Actor = Access(public=True),
) -> WebhookOut:
    if provider_name != provider.name:
        raise NotFound("No such payment provider.")
    body = await request.body()
    if len(body) > MAX_WEBHOOK_BYTES:
        raise WebhookPayloadMalformed("The webhook body is too large.")
    result = await handle_webhook(db, provider, dict(request.headers), body)
    return WebhookOut(
        status=result.status.value, event_id=result.event_id, event_type=result.event_type
    )


def _scope(actor: Actor) -> frozenset[str] | None:
    return actor.store_ids if is_store_scoped(actor) else None


@router.get("", summary="Payments, newest first (an order's: ?order_id=)")
async def list_payments(
    session: ReaderDep,
    page: PageDep,
    order_id: Annotated[str | None, Query(max_length=32)] = None,
    location_id: Annotated[str | None, Query(max_length=32)] = None,
    status: PaymentStatus | None = None,
    actor: Actor = Access("payments.read"),
) -> Page[PaymentOut]:
    views = await queries.list_payments(
        session,
        page,
        order_id=order_id,
        location_id=location_id,
        status=status.value if status else None,
        only_locations=_scope(actor),
    )
    return make_page([payment_out(v) for v in views], page, key=lambda p: p.id)


async def _view(db: Database, actor: Actor, payment_id: str) -> PaymentOut:
    async with db.reader() as session:
        view = await queries.get_payment(session, payment_id)
    if view is None or not may_see(actor, view.location_id):
        raise NotFound(NOT_FOUND)
    return payment_out(view)


@router.get("/{payment_id}", summary="A payment with its operations")
async def get_payment(
    payment_id: str, db: DbDep, actor: Actor = Access("payments.read")
) -> PaymentOut:
    return await _view(db, actor, payment_id)


def _request_id(request: Request, actor: Actor) -> str | None:
    """The caller's Idempotency-Key, scoped to the caller: a retry after a timeout
    finishes the same provider operation instead of starting another."""
    key = request.headers.get(HEADER)
    return f"{actor.kind.value}:{actor.id or '-'}:{key}" if key else None


@router.post(
    "/{payment_id}/capture",
    summary="Capture (part of) an authorized payment",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def capture_payment(
    payment_id: str,
    body: CaptureIn,
    request: Request,
    db: DbDep,
    provider: ProviderDep,
    actor: Actor = Access("payments.write"),
) -> PaymentOut:
    current = await _view(db, actor, payment_id)
    await service.capture(
        db,
        provider,
        payment_id,
        Money(body.amount, current.currency),
        final=body.final,
        request_id=_request_id(request, actor),
        actor=actor,
    )
    return await _view(db, actor, payment_id)


@router.post(
    "/{payment_id}/void",
    summary="Release an authorization (or cancel a payment holding no money yet)",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def void_payment(
    payment_id: str,
    request: Request,
    db: DbDep,
    provider: ProviderDep,
    actor: Actor = Access("payments.write"),
) -> PaymentOut:
    await _view(db, actor, payment_id)
    await service.void(
        db, provider, payment_id, request_id=_request_id(request, actor), actor=actor
    )
    return await _view(db, actor, payment_id)


@router.post(
    "/{payment_id}/refund",
    summary="Refund (part of) a captured payment",
    openapi_extra=IDEMPOTENCY_REQUIRED,
)
async def refund_payment(
    payment_id: str,
    body: RefundIn,
    request: Request,
    db: DbDep,
    provider: ProviderDep,
    actor: Actor = Access("payments.write"),
) -> PaymentOut:
    current = await _view(db, actor, payment_id)
    await service.refund(
        db,
        provider,
        payment_id,
        Money(body.amount, current.currency),
        body.reason,
        request_id=_request_id(request, actor),
        register_session_id=body.register_session_id,
        actor=actor,
    )
    return await _view(db, actor, payment_id)
