"""HTTP endpoints: /auth (sign-in/up/out, reset, me), /staff, /api-clients, /audit."""

from __future__ import annotations

from fastapi import Request, Response

from omni.access import service
from omni.access.models import StaffUser
from omni.access.schemas import (
    MeOut,
    PasswordResetIn,
    PasswordResetRequestIn,
    SignInIn,
    SignUpIn,
    TokenOut,
)
from omni.http.auth import bearer_token
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.idempotency import IDEMPOTENCY_UNSUPPORTED
from omni.http.router import new_router
from omni.kernel.actor import Actor, ActorKind

router = new_router("", ["access"])


def _token_out(issued: service.IssuedToken) -> TokenOut:
    return TokenOut(
        access_token=issued.token,
        expires_at=issued.expires_at,
        principal_kind=issued.principal_kind,
        principal_id=issued.principal_id,
    )


@router.post(
    "/auth/sign-in",
    summary="Shopper sign-in",
    response_model=TokenOut,
    openapi_extra=IDEMPOTENCY_UNSUPPORTED,
)
async def shopper_sign_in(
    body: SignInIn, db: DbDep, actor: Actor = Access(public=True)
) -> TokenOut:
    return _token_out(
        await service.sign_in(db, email=body.email, password=body.password, staff=False)
    )


@router.post(
    "/auth/staff/sign-in",
    summary="Staff sign-in",
    response_model=TokenOut,
    openapi_extra=IDEMPOTENCY_UNSUPPORTED,
)
async def staff_sign_in(body: SignInIn, db: DbDep, actor: Actor = Access(public=True)) -> TokenOut:
    return _token_out(
        await service.sign_in(db, email=body.email, password=body.password, staff=True)
    )


@router.post(
    "/auth/sign-up",
    summary="Create a shopper account",
    status_code=201,
    response_model=TokenOut,
    openapi_extra=IDEMPOTENCY_UNSUPPORTED,
)
async def sign_up(body: SignUpIn, db: DbDep, actor: Actor = Access(public=True)) -> TokenOut:
    issued = await service.sign_up(
        db,
        actor,
        email=body.email,
        password=body.password,
        first_name=body.first_name,
        last_name=body.last_name,
        phone=body.phone,
        marketing_email_opt_in=body.marketing_email_opt_in,
    )
    return _token_out(issued)


@router.post("/auth/sign-out", summary="End this session", status_code=204)
async def sign_out(request: Request, db: DbDep, actor: Actor = Access(signed_in=True)) -> Response:
    token = bearer_token(request)
    if token:
        await service.sign_out(db, token)
    return Response(status_code=204)


@router.post("/auth/password-reset/request", summary="Email a password reset link", status_code=202)
async def request_reset(
    body: PasswordResetRequestIn,
    db: DbDep,
    staff_account: bool = False,
    actor: Actor = Access(public=True),
) -> dict[str, str]:
    await service.request_password_reset(db, email=body.email, staff=staff_account)
    return {"status": "If an account exists for this email, a reset link is on its way."}


@router.post(
    "/auth/password-reset", summary="Set a new password with a reset token", status_code=204
)
async def reset(body: PasswordResetIn, db: DbDep, actor: Actor = Access(public=True)) -> Response:
    await service.reset_password(db, token=body.token, new_password=body.new_password)
    return Response(status_code=204)


@router.get("/auth/me", summary="Who am I", response_model=MeOut)
async def me(session: ReaderDep, actor: Actor = Access(signed_in=True)) -> MeOut:
    out = MeOut(
        kind=actor.kind.value,
        id=actor.id,
        roles=sorted(actor.roles),
        store_ids=sorted(actor.store_ids),
        scopes=sorted(actor.scopes),
    )
    if actor.kind is ActorKind.STAFF and actor.id:
        user = await session.get(StaffUser, actor.id)
        if user:
            out.name, out.email = user.name, user.email
    return out
