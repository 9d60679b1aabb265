"""The web apps' protections: a synchronizer CSRF token in the session, checked on every
unsafe request, and security headers (a strict Content-Security-Policy) on every page.

The REST API is not covered: it authenticates with bearer tokens, never with the session
cookie, so a forged cross-site request carries no credential there."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# No inline script or style anywhere: JS and CSS come from /static files only, so an
# injected <script> or style attribute does nothing. Forms may post only to us, and no
# site may frame the pages (clickjacking).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}
# The API and its interactive docs keep their own headers (Swagger UI needs inline code).
NOT_WEB_PREFIXES = ("/api/", "/docs", "/healthz", "/readyz", "/metrics")


def csrf_token(request: Request) -> str:
    """This session's token, made on first use (rendered into every form and the page's
    meta tag for htmx)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def rotate_csrf_token(request: Request) -> None:
    """A new token when the session changes hands (sign-in, sign-out)."""
    request.session["csrf"] = secrets.token_urlsafe(32)


async def require_csrf(request: Request) -> None:
    """Router dependency: an unsafe request must echo the session's token, in the form
    field ``csrf_token`` or the ``X-CSRF-Token`` header (htmx); 403 otherwise."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and _is_form(request):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(expected, sent):
        raise HTTPException(status_code=403, detail="The form expired or was not ours: reload.")


def _is_form(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def is_web_request(scope: Scope) -> bool:
    return scope["type"] == "http" and not scope["path"].startswith(NOT_WEB_PREFIXES)


class WebOnly:
    """Runs a middleware for web pages only: API requests (bearer tokens, hot paths
    measured in docs/benchmarks.md) go straight to the app, with no session to decode."""

    def __init__(self, app: ASGIApp, /, middleware: type, **options: Any) -> None:
        self.app = app
        self.wrapped = middleware(app, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_web_request(scope):
            await self.wrapped(scope, receive, send)
        else:
            await self.app(scope, receive, send)


class SecurityHeadersMiddleware:
    """Adds ``SECURITY_HEADERS`` to every web response (pure ASGI: no body buffering)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not is_web_request(scope):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [
                    (name.encode(), value.encode())
                    for name, value in SECURITY_HEADERS.items()
                    if name.encode() not in present
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
