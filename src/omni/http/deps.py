"""Dependency aliases for routers: the database, the caller, units of work, readers.

Every endpoint must declare who may call it with :func:`access` — ``create_app`` refuses
to start if a route forgets (see ``omni.http.access_check``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.database import Database
from omni.db.uow import UnitOfWork
from omni.http.auth import authenticate
from omni.kernel.actor import Actor, ActorKind
from omni.kernel.errors import Forbidden, Unauthenticated
from omni.permissions import has_permission

ACCESS_MARK = "__omni_access__"


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


DbDep = Annotated[Database, Depends(get_db)]


async def current_actor(request: Request) -> Actor:
    return await authenticate(request)


def access(
    *permissions: str,
    any_of: tuple[str, ...] = (),
    customers: bool = False,
    public: bool = False,
    signed_in: bool = False,
) -> Callable[..., Coroutine[Any, Any, Actor]]:
    """Declare who may call an endpoint; the dependency returns the calling ``Actor``.

    - ``public``: anyone, signed in or not.
    - ``signed_in``: anyone signed in (staff, shopper or API client), e.g. "who am I".
    - ``customers``: signed-in shoppers may call it (object checks are the route's job).
    - ``permissions``: staff whose roles grant all of them, and API clients whose scopes
      include all of them. No permissions and not ``customers``/``public`` means deny.
    - ``any_of``: alternatively, staff or API clients holding at least one of these (for
      "locations.write, or locations.write_own for one's own store"; the use case then
      checks the object).
    """

    async def dependency(request: Request) -> Actor:
        actor = await authenticate(request)
        if public:
            return actor
        if actor.kind is ActorKind.ANONYMOUS:
            raise Unauthenticated("Sign in or send an API key to call this endpoint.")
        if signed_in:
            return actor
        if actor.kind is ActorKind.CUSTOMER:
            if customers:
                return actor
        elif _granted(actor, permissions, any_of):
            return actor
        raise Forbidden("Your role does not allow this action.", required=[*permissions, *any_of])

    mark = {
        "permissions": permissions,
        "any_of": any_of,
        "customers": customers,
        "public": public,
        "signed_in": signed_in,
    }
    setattr(dependency, ACCESS_MARK, mark)
    return dependency


def _granted(actor: Actor, permissions: tuple[str, ...], any_of: tuple[str, ...]) -> bool:
    if permissions and all(has_permission(actor, p) for p in permissions):
        return True
    return any(has_permission(actor, p) for p in any_of)


def Access(
    *permissions: str,
    any_of: tuple[str, ...] = (),
    customers: bool = False,
    public: bool = False,
    signed_in: bool = False,
) -> Any:
    return Depends(
        access(*permissions, any_of=any_of, customers=customers, public=public, signed_in=signed_in)
    )


async def reader_session(db: DbDep) -> AsyncIterator[AsyncSession]:
    async with db.reader() as session:
        yield session


ReaderDep = Annotated[AsyncSession, Depends(reader_session)]


def new_uow(db: Database, actor: Actor) -> UnitOfWork:
    return db.uow(actor)
