"""Resolve the caller of a request once, from its bearer credential.

Two kinds of credential travel as ``Authorization: Bearer …``: session tokens
(``omni_at_…``, issued at sign-in to staff and shoppers) and API keys (``omni_sk_…``,
for integrations). Both are stored hashed; see ``omni.access.api.resolve_credential``.
"""

from __future__ import annotations

from fastapi import Request

from omni.access import api as access_api
from omni.kernel.actor import ANONYMOUS, Actor
from omni.kernel.errors import Unauthenticated

CHANNEL_HEADER = "Omni-Channel"


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Use 'Authorization: Bearer <token>'.")
    return token.strip()


async def authenticate(request: Request) -> Actor:
    cached: Actor | None = getattr(request.state, "actor", None)
    if cached is not None:
        return cached
    token = bearer_token(request)
    request_id = getattr(request.state, "request_id", None)
    channel = request.headers.get(CHANNEL_HEADER)
    if token is None:
        actor = Actor(kind=ANONYMOUS.kind, request_id=request_id, channel=channel)
    else:
        resolved = await access_api.resolve_credential(request.app.state.db, token)
        if resolved is None:
            raise Unauthenticated("The token is invalid, expired or revoked.")
        actor = access_api.with_context(resolved, request_id=request_id, channel=channel)
    request.state.actor = actor
    return actor
