"""Use cases: staff users and API clients (administered by admins)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from omni.access import domain
from omni.access.models import ApiClient, StaffUser
from omni.access.passwords import hash_password
from omni.access.schemas import ApiClientIn, StaffIn, StaffPatch
from omni.access.service import revoke_sessions
from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from omni.kernel.ids import new_id
from omni.permissions import ALL_PERMISSIONS, STORE_SCOPED_ROLES


def _check_store_scope(roles: list[str], store_ids: list[str]) -> None:
    if set(roles) & STORE_SCOPED_ROLES and not store_ids:
        raise InvalidInput(
            "Store managers and associates need at least one store.", field="store_ids"
        )


async def create_staff(uow: UnitOfWork, data: StaffIn, *, store_exists: Any) -> StaffUser:
    problem = domain.password_problem(data.password, email=data.email)
    if problem:
        raise InvalidInput(problem, field="password")
    _check_store_scope(list(data.roles), data.store_ids)
    password_hash = await hash_password(data.password)
    async with uow:
        await _check_stores(uow, data.store_ids, store_exists)
        email = data.email.lower()
        if await uow.session.scalar(select(StaffUser.id).where(StaffUser.email == email)):
            raise Conflict("A staff user with this email exists.", field="email")
        user = StaffUser(
            id=new_id("stf"),
            email=email,
            name=data.name,
            password_hash=password_hash,
            roles=sorted(set(data.roles)),
            store_ids=sorted(set(data.store_ids)),
            active=True,
            failed_sign_ins=0,
            created_at=uow.clock.now(),
            version=1,
        )
        uow.session.add(user)
        uow.audit(
            "staff.created",
            "staff_user",
            user.id,
            {"roles": user.roles, "store_ids": user.store_ids},
        )
        await uow.commit()
    return user


async def _check_stores(uow: UnitOfWork, store_ids: list[str], store_exists: Any) -> None:
    for store_id in store_ids:
        if not await store_exists(uow.session, store_id):
            raise InvalidInput(f"Unknown store {store_id}.", field="store_ids")


async def update_staff(
    uow: UnitOfWork, staff_id: str, patch: StaffPatch, *, if_match: int | None, store_exists: Any
) -> StaffUser:
    async with uow:
        user = await uow.session.get(StaffUser, staff_id)
        if user is None:
            raise NotFound("No such staff user.")
        if if_match is not None and if_match != user.version:
            raise PreconditionFailed(
                "The staff user changed since you read it.", version=user.version
            )
        changes = patch.model_dump(exclude_unset=True)
        roles = list(changes.get("roles", user.roles))
        store_ids = list(changes.get("store_ids", user.store_ids))
        _check_store_scope(roles, store_ids)
        await _check_stores(uow, store_ids, store_exists)
        for name, value in changes.items():
            setattr(user, name, sorted(set(value)) if isinstance(value, list) else value)
        user.version += 1
        if changes.get("active") is False:
            await revoke_sessions(uow, user.id)
        uow.audit("staff.updated", "staff_user", user.id, changes)
        await uow.commit()
    return user


@dataclass(frozen=True)
class CreatedClient:
    client: ApiClient
    api_key: str


async def create_api_client(uow: UnitOfWork, data: ApiClientIn) -> CreatedClient:
    unknown = sorted(set(data.scopes) - ALL_PERMISSIONS)
    if unknown:
        raise InvalidInput(f"Unknown scopes: {', '.join(unknown)}.", field="scopes")
    key = domain.new_secret(domain.API_KEY_PREFIX)
    async with uow:
        client = ApiClient(
            id=new_id("cli"),
            name=data.name,
            key_hash=domain.hash_secret(key),
            key_hint=key[:12],
            scopes=sorted(set(data.scopes)),
            channel_id=data.channel_id,
            active=True,
            created_at=uow.clock.now(),
            created_by=uow.actor.id,
        )
        uow.session.add(client)
        uow.audit("api_client.created", "api_client", client.id, {"scopes": client.scopes})
        await uow.commit()
    return CreatedClient(client, key)


async def revoke_api_client(uow: UnitOfWork, client_id: str) -> ApiClient:
    async with uow:
        client = await uow.session.get(ApiClient, client_id)
        if client is None:
            raise NotFound("No such API client.")
        client.active = False
        uow.audit("api_client.revoked", "api_client", client.id)
        await uow.commit()
    return client
