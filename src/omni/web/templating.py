"""The Jinja2 environment shared by every web app: autoescaping on, a money filter, and
the CSRF token and static URLs available to every template."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from omni.kernel.money import Money
from omni.web.security import csrf_token

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"

templates = Jinja2Templates(directory=WEB_DIR / "templates")


def _money(amount: int | None, currency: str) -> str:
    return "—" if amount is None else Money(amount, currency).format()


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%a %b %-d, %-I:%M %p %Z")


templates.env.filters["money"] = _money
templates.env.filters["when"] = _when


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """A page (or an htmx fragment): the template gets the request and the CSRF token."""
    context = {"csrf_token": csrf_token(request), **context}
    return templates.TemplateResponse(request, name, context, status_code=status_code)
