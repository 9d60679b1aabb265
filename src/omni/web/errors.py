"""Error pages for the web apps: a shopper who follows a stale link, posts an expired
form or types a bad value gets a page, not the API's problem+json. API paths keep the
handlers ``install_problem_handlers`` registered (they are called for those)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from omni.web.security import is_web_request
from omni.web.templating import render

Handler = Callable[[Request, Any], Response | Awaitable[Response]]
MESSAGES = {
    403: ("This form has expired", "Go back, reload the page and try again."),
    404: ("We could not find that page", "It may have moved, or it is not sold online."),
    422: ("That did not look right", "Go back and check what you entered."),
}


def install_error_pages(app: FastAPI) -> None:
    for kind, status in ((StarletteHTTPException, None), (RequestValidationError, 422)):
        api_handler = app.exception_handlers[kind]
        app.add_exception_handler(kind, _page_or(api_handler, status))


def _page_or(api_handler: Handler, fixed_status: int | None) -> Handler:
    async def handle(request: Request, error: Any) -> Response:
        if not is_web_request(request.scope):
            answer = api_handler(request, error)
            return await answer if inspect.isawaitable(answer) else answer
        status = (
            fixed_status if fixed_status is not None else int(getattr(error, "status_code", 500))
        )
        title, hint = MESSAGES.get(status, ("Something went wrong", "Please try again."))
        context = {"title": title, "hint": hint, "status": status}
        return render(request, "error.html", context, status_code=status)

    return handle
