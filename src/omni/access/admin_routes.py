"""HTTP endpoints for admins: staff users, API clients, the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Response
from sqlalchemy import String, cast, select

from omni.access import staff
from omni.access.models import ApiClient, StaffUser
from omni.access.schemas import (
    ApiClientCreatedOut,
    ApiClientIn,
    ApiClientOut,
    AuditEntryOut,
    StaffIn,
    StaffOut,
    StaffPatch,
)
from omni.db.platform_models import AuditEntry
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.etag import parse_if_match, set_etag
from omni.http.idempotency import IDEMPOTENCY_UNSUPPORTED
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound
from omni.locations import api as locations_api

router = new_router("", ["access"])
PageDep = Annotated[PageParams, Depends(page_params)]


def _literal(value: str) -> str:
    return "".join(ch for ch in value if ch.isalnum() or ch == "_")


@router.get("/staff", summary="List staff users", response_model=Page[StaffOut])
async def list_staff(
    session: ReaderDep,
    page: PageDep,
    role: str | None = None,
    store_id: str | None = None,
    active: bool | None = None,
    actor: Actor = Access("staff.manage"),
) -> Page[StaffOut]:
    query = select(StaffUser).order_by(StaffUser.id).limit(page.limit + 1)
    if page.after:
        query = query.where(StaffUser.id > page.after)
    if active is not None:
        query = query.where(StaffUser.active == active)
    # Roles and stores are short JSON lists; matching their text is portable and exact
    # because every element is quoted.
    if role:
        query = query.where(cast(StaffUser.roles, String).like(f'%"{_literal(role)}"%'))
    if store_id:
        query = query.where(cast(StaffUser.store_ids, String).like(f'%"{_literal(store_id)}"%'))
    users = list(await session.scalars(query))
    return make_page([StaffOut.model_validate(u) for u in users], page, key=lambda s: s.id)


@router.post("/staff", summary="Create a staff user", status_code=201, response_model=StaffOut)
async def create_staff(
    body: StaffIn, db: DbDep, response: Response, actor: Actor = Access("staff.manage")
) -> StaffOut:
    user = await staff.create_staff(db.uow(actor), body, store_exists=locations_api.location_exists)
    set_etag(response, user.version)
    return StaffOut.model_validate(user)


@router.get("/staff/{staff_id}", summary="A staff user", response_model=StaffOut)
async def get_staff(
    staff_id: str, session: ReaderDep, response: Response, actor: Actor = Access("staff.manage")
) -> StaffOut:
    user = await session.get(StaffUser, staff_id)
    if user is None:
        raise NotFound("No such staff user.")
    set_etag(response, user.version)
    return StaffOut.model_validate(user)


@router.patch(
    "/staff/{staff_id}", summary="Change roles, stores or status", response_model=StaffOut
)
async def update_staff(
    staff_id: str,
    body: StaffPatch,
    db: DbDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
    actor: Actor = Access("staff.manage"),
) -> StaffOut:
    user = await staff.update_staff(
        db.uow(actor),
        staff_id,
        body,
        if_match=parse_if_match(if_match),
        store_exists=locations_api.location_exists,
    )
    set_etag(response, user.version)
    return StaffOut.model_validate(user)


@router.get("/api-clients", summary="List API clients", response_model=Page[ApiClientOut])
async def list_clients(
    session: ReaderDep, page: PageDep, actor: Actor = Access("clients.manage")
) -> Page[ApiClientOut]:
    query = select(ApiClient).order_by(ApiClient.id).limit(page.limit + 1)
    if page.after:
        query = query.where(ApiClient.id > page.after)
    clients = [ApiClientOut.model_validate(c) for c in await session.scalars(query)]
    return make_page(clients, page, key=lambda c: c.id)


@router.post(
    "/api-clients",
    summary="Create an API client and its key",
    status_code=201,
    response_model=ApiClientCreatedOut,
    openapi_extra=IDEMPOTENCY_UNSUPPORTED,
)
async def create_client(
    body: ApiClientIn, db: DbDep, actor: Actor = Access("clients.manage")
) -> ApiClientCreatedOut:
    created = await staff.create_api_client(db.uow(actor), body)
    return ApiClientCreatedOut(
        **ApiClientOut.model_validate(created.client).model_dump(), api_key=created.api_key
    )


@router.post(
    "/api-clients/{client_id}/revoke",
    summary="Revoke an API client's key",
    response_model=ApiClientOut,
)
async def revoke_client(
    client_id: str, db: DbDep, actor: Actor = Access("clients.manage")
) -> ApiClientOut:
    return ApiClientOut.model_validate(await staff.revoke_api_client(db.uow(actor), client_id))


@router.get("/audit", summary="The audit log, newest first", response_model=Page[AuditEntryOut])
async def audit_log(
    session: ReaderDep,
    page: PageDep,
    object_type: Annotated[str | None, Query(max_length=40)] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    actor_id: Annotated[str | None, Query(max_length=32)] = None,
    actor: Actor = Access("audit.read"),
) -> Page[AuditEntryOut]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(page.limit + 1)
    if page.after:
        query = query.where(AuditEntry.id < page.after)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    entries = [AuditEntryOut.model_validate(e) for e in await session.scalars(query)]
    return make_page(entries, page, key=lambda e: e.id)
