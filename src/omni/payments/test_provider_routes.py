"""Development pages of the TEST provider: where its ``next_action_url`` (3-D Secure) and
payment-link urls lead, so the demo and manual tests work end to end without a real
provider. Each button makes the provider's signed webhook and posts it to our own
webhook route, in-process — the same verification, replay guard and handling as a real
delivery.

They answer 404 unless the configured provider is the test one, and are left out of the
OpenAPI document. Public: the shopper's browser opens them without signing in.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from omni.http.deps import Access
from omni.http.idempotency import IDEMPOTENCY_UNSUPPORTED
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound
from omni.kernel.money import Money
from omni.payments.body_guard import guard_router
from omni.payments.errors import InvalidProviderReference
from omni.payments.providers import app_provider
from omni.payments.test_provider import SignedWebhook, TestProvider

router = guard_router(new_router("/payments/test-provider", ["payments (test provider)"]))


def _test_provider(request: Request) -> TestProvider:
    provider = app_provider(request.app.state)
    if not isinstance(provider, TestProvider):
        raise NotFound("The test provider is not configured.")
    return provider


def _amount(provider: TestProvider, kind: str, reference: str) -> Money:
    try:
        amount, _ = provider.refs.money(kind, reference)
    except (InvalidProviderReference, KeyError, ValueError) as error:
        raise NotFound("No such test-provider page.") from error
    return amount


def _page(title: str, amount: Money, buttons: list[tuple[str, str]]) -> HTMLResponse:
    forms = "".join(
        f'<form method="post" action="{html.escape(action)}">'
        f'<button type="submit">{html.escape(label)}</button></form>'
        for label, action in buttons
    )
    return HTMLResponse(
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(amount.format())}</p>"
        "<p>Test provider: no money moves.</p>"
        f"{forms}</body></html>"
    )


def _local_path(value: str | None) -> str | None:
    """A path on this site to send the shopper back to (a storefront's confirmation),
    or None: never another site (no open redirect)."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return None


async def _deliver(
    request: Request, provider: TestProvider, delivery: SignedWebhook, return_to: str | None = None
) -> Response:
    """POST the signed webhook to our own webhook route, in-process; then send a browser
    back to ``return_to`` when one was given."""
    path = request.url_for("payment_webhook", provider_name=provider.name).path
    transport = httpx.ASGITransport(app=request.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://omni.internal") as client:
        response = await client.post(
            path,
            content=delivery.body,
            headers={**delivery.headers, "Content-Type": "application/json"},
        )
    outcome: dict[str, Any] = {"webhook_status": response.status_code, "webhook": response.json()}
    back = _local_path(return_to)
    if back is not None and response.is_success:
        return RedirectResponse(back, status_code=303)
    if "text/html" in request.headers.get("accept", ""):
        done = "Done" if response.is_success else "The webhook was refused"
        return HTMLResponse(
            f"<!doctype html><html><body><h1>{done}</h1>"
            "<p>You can close this page.</p></body></html>",
            status_code=200 if response.is_success else 502,
        )
    return JSONResponse(outcome, status_code=200 if response.is_success else 502)


@router.get("/3ds/{action_id}", include_in_schema=False)
async def three_d_secure_page(
    action_id: str,
    request: Request,
    return_to: str | None = None,
    actor: Actor = Access(public=True),
) -> HTMLResponse:
    provider = _test_provider(request)
    amount = _amount(provider, "act", action_id)
    back = _local_path(return_to)
    base = request.url.path + (f"?{urlencode({'return_to': back})}&" if back else "?")
    return _page(
        "3-D Secure (test)",
        amount,
        [("Authenticate", f"{base}outcome=pass"), ("Fail", f"{base}outcome=fail")],
    )


@router.post("/3ds/{action_id}", include_in_schema=False, openapi_extra=IDEMPOTENCY_UNSUPPORTED)
async def complete_three_d_secure(
    action_id: str,
    request: Request,
    outcome: str = "pass",
    return_to: str | None = None,
    actor: Actor = Access(public=True),
) -> Response:
    provider = _test_provider(request)
    _amount(provider, "act", action_id)
    delivery = provider.complete_action(action_id, succeed=outcome != "fail")
    return await _deliver(request, provider, delivery, return_to)


@router.get("/links/{link_id}", include_in_schema=False)
async def payment_link_page(
    link_id: str, request: Request, actor: Actor = Access(public=True)
) -> HTMLResponse:
    provider = _test_provider(request)
    amount = _amount(provider, "plink", link_id)
    return _page("Pay (test)", amount, [("Pay with tok_visa", request.url.path)])


@router.post("/links/{link_id}", include_in_schema=False, openapi_extra=IDEMPOTENCY_UNSUPPORTED)
async def pay_payment_link(
    link_id: str, request: Request, actor: Actor = Access(public=True)
) -> Response:
    provider = _test_provider(request)
    _amount(provider, "plink", link_id)
    return await _deliver(request, provider, provider.pay_link(link_id))
