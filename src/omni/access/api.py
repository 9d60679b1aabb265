"""What other modules (and the HTTP layer) may call in the access module."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from omni.access.domain import API_KEY_PREFIX, SESSION_TOKEN_PREFIX, hash_secret
from omni.access.models import ApiClient, AuthSession, ShopperAccount, StaffUser
from omni.access.service import IssuedToken, sign_in, sign_out, sign_up
from omni.db.database import Database
from omni.kernel.actor import Actor, ActorKind

# Sign-in, sign-up and sign-out of shoppers and staff: the web apps open the same
# opaque, revocable sessions as the REST API (``/auth/...``).
__all__ = [
    "IssuedToken",
    "resolve_credential",
    "sign_in",
    "sign_out",
    "sign_up",
    "with_context",
]


async def resolve_credential(db: Database, token: str) -> Actor | None:
    """The actor behind a bearer token or API key, or None if invalid/expired/revoked.

    One indexed lookup per request: the session row joined to its principal, so a
    deactivated user or a role change takes effect on the very next request.
    """
    if token.startswith(API_KEY_PREFIX):
        return await _resolve_api_key(db, token)
    if not token.startswith(SESSION_TOKEN_PREFIX):
        return None
    now = db.clock.now()
    query = (
        select(
            AuthSession,
            StaffUser.roles,
            StaffUser.store_ids,
            StaffUser.active,
            ShopperAccount.active,
        )
        .outerjoin(StaffUser, StaffUser.id == AuthSession.principal_id)
        .outerjoin(ShopperAccount, ShopperAccount.customer_id == AuthSession.principal_id)
        .where(AuthSession.token_hash == hash_secret(token))
    )
    async with db.reader() as session:
        row = (await session.execute(query)).first()
    if row is None:
        return None
    auth, roles, store_ids, staff_active, shopper_active = row
    if auth.revoked_at is not None or auth.expires_at <= now:
        return None
    if auth.principal_kind == ActorKind.STAFF and staff_active:
        return Actor(
            kind=ActorKind.STAFF,
            id=auth.principal_id,
            roles=frozenset(roles or ()),
            store_ids=frozenset(store_ids or ()),
        )
    if auth.principal_kind == ActorKind.CUSTOMER and shopper_active:
        return Actor(kind=ActorKind.CUSTOMER, id=auth.principal_id)
    return None


async def _resolve_api_key(db: Database, key: str) -> Actor | None:
    async with db.reader() as session:
        client = await session.scalar(
            select(ApiClient).where(ApiClient.key_hash == hash_secret(key))
        )
    if client is None or not client.active:
        return None
    return Actor(
        kind=ActorKind.API_CLIENT,
        id=client.id,
        scopes=frozenset(client.scopes),
        channel=client.channel_id,
    )


def with_context(actor: Actor, *, request_id: str | None, channel: str | None) -> Actor:
    """The actor, stamped with the request id and (if not fixed by its key) the channel."""
    return dataclasses.replace(actor, request_id=request_id, channel=actor.channel or channel)
