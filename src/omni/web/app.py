"""Mounts the web apps on the FastAPI application: the signed session cookie, security
headers, static files and the storefront's routes."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from omni.settings import DEV_WEB_SESSION_SECRET, Settings
from omni.web.errors import install_error_pages
from omni.web.security import SecurityHeadersMiddleware, WebOnly
from omni.web.storefront import router as storefront_router
from omni.web.templating import STATIC_DIR

SESSION_COOKIE = "omni_session"
SESSION_DAYS = 14


def mount_web(app: FastAPI, settings: Settings) -> None:
    if settings.environment == "production" and settings.web_session_secret in (
        "",
        DEV_WEB_SESSION_SECRET,
    ):
        raise RuntimeError("Set OMNI_WEB_SESSION_SECRET: the development secret is public.")
    app.add_middleware(SecurityHeadersMiddleware)
    # The cookie is signed (tampering is detected) and HttpOnly (no script reads it);
    # SameSite=Lax keeps it off cross-site posts; Secure whenever the site is served over
    # https — on the local demo's plain http a Secure cookie would not come back.
    app.add_middleware(
        WebOnly,
        middleware=SessionMiddleware,
        secret_key=settings.web_session_secret,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_DAYS * 24 * 3600,
        same_site="lax",
        https_only=settings.public_base_url.startswith("https://"),
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(storefront_router)
    install_error_pages(app)
