"""Idempotency-Key for unsafe requests, as one shared route class.

Routes opt in with ``openapi_extra=IDEMPOTENCY_REQUIRED`` (money- and stock-changing
POSTs) and every other POST/PATCH/PUT/DELETE honours a key when the client sends one.
Keys are scoped to the caller; the first response (2xx-4xx) is stored and replayed for
retries of the same request; 400 when required and missing, 409 while the first
request is in flight, 422 when the key comes back with a different request. Errors
raised before a response exists release the key so the client can retry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from omni.db import idempotency as store
from omni.db.database import Database
from omni.http.auth import authenticate
from omni.http.problems import problem

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REPLAYED_HEADERS = ("content-type", "location", "etag")
IDEMPOTENCY_REQUIRED: dict[str, Any] = {
    "x-idempotency": "required",
    "parameters": [
        {
            "name": HEADER,
            "in": "header",
            "required": True,
            "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
            "description": "A unique key per intended operation; retries reuse it.",
        }
    ],
}

# For responses that carry a secret (session tokens, API keys): never stored, so a key
# sent with them is ignored and a retry simply runs again.
IDEMPOTENCY_UNSUPPORTED: dict[str, Any] = {"x-idempotency": "unsupported"}

Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]


class IdempotentRoute(APIRoute):
    def get_route_handler(self) -> Endpoint:
        original = super().get_route_handler()
        if not ((self.methods or set()) & UNSAFE_METHODS):
            return original
        policy = (self.openapi_extra or {}).get("x-idempotency")
        if policy == "unsupported":
            return original
        required = policy == "required"

        async def handler(request: Request) -> Response:
            key = request.headers.get(HEADER)
            if key is None:
                if required:
                    return problem(
                        400,
                        "idempotency_key_missing",
                        "Idempotency-Key required",
                        f"Send an {HEADER} header with this request.",
                    )
                return await original(request)
            if not key or len(key) > MAX_KEY_LENGTH:
                return problem(
                    400,
                    "idempotency_key_invalid",
                    "Bad Idempotency-Key",
                    f"The key must be 1 to {MAX_KEY_LENGTH} characters.",
                )
            return await _run_once(request, key, original)

        return handler


async def _run_once(request: Request, key: str, original: Endpoint) -> Response:
    db: Database = request.app.state.db
    actor = await authenticate(request)
    scope = f"{actor.kind.value}:{actor.id or '-'}"
    body = await request.body()
    fingerprint = hashlib.sha256(
        b"\n".join(
            [request.method.encode(), request.url.path.encode(), request.url.query.encode(), body]
        )
    ).hexdigest()
    result = await store.claim_key(db, scope, key, fingerprint)
    if result.claim is store.Claim.MISMATCH:
        return problem(
            422,
            "idempotency_key_reused",
            "Idempotency-Key reused",
            "This key was already used with a different request.",
        )
    if result.claim is store.Claim.IN_FLIGHT:
        return problem(
            409,
            "idempotency_key_in_flight",
            "Request in progress",
            "A request with this key is still being processed; retry later.",
        )
    if result.claim is store.Claim.REPLAY and result.record is not None:
        record = result.record
        headers = dict(record.response_headers or {})
        headers["Idempotent-Replayed"] = "true"
        return Response(
            record.response_body or b"", status_code=record.response_status or 200, headers=headers
        )
    try:
        response = await original(request)
    except BaseException:
        await store.release_key(db, scope, key)
        raise
    if response.status_code >= 500:
        await store.release_key(db, scope, key)
        return response
    kept = {h: response.headers[h] for h in REPLAYED_HEADERS if h in response.headers}
    await store.complete_key(db, scope, key, response.status_code, kept, bytes(response.body))
    return response
