"""The card-data guard of every payments and registers endpoint: the raw request body is
scanned before anything else reads it (validation, handlers, logs), and a card number or
security code is refused with 422 ``card_data_not_accepted`` naming the JSON paths only.

Installed on a router with ``guard_router``: its dependencies run before the endpoint's
own (authentication, body parsing), so the number is never parsed, stored or echoed.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request

from omni.payments.card_data import refuse_card_data


async def refuse_card_data_in_body(request: Request) -> None:
    body = await request.body()
    if not body:
        return
    payload: Any
    try:
        payload = json.loads(body)
    except ValueError:  # not JSON (a form, text): scan it as one string
        payload = body.decode("utf-8", errors="replace")
    refuse_card_data(payload)


def guard_router(router: APIRouter) -> APIRouter:
    """Scan the body of every route declared on ``router`` from now on."""
    router.dependencies.append(Depends(refuse_card_data_in_body))
    return router
