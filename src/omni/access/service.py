"""Use cases: sign-in/out, shopper sign-up, password reset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from omni.access import domain
from omni.access.events import PasswordResetRequested, ShopperSignedUp
from omni.access.models import AuthSession, PasswordResetToken, ShopperAccount, StaffUser
from omni.access.passwords import hash_password, verify_password
from omni.customers import api as customers_api
from omni.db.database import Database
from omni.db.uow import UnitOfWork
from omni.kernel.actor import Actor, ActorKind
from omni.kernel.errors import Conflict, InvalidInput, TooManyRequests, Unauthenticated


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime
    principal_kind: str
    principal_id: str


Account = StaffUser | ShopperAccount


async def sign_in(db: Database, *, email: str, password: str, staff: bool) -> IssuedToken:
    """Check credentials and open a session. Same answer for unknown email and bad password."""
    async with db.reader() as session:
        account = await _find_account(session, email, staff=staff)
    now = db.clock.now()
    if account is not None and domain.is_locked(account.locked_until, now):
        raise TooManyRequests("Too many failed sign-ins; try again later.")
    ok = await verify_password(account.password_hash if account else None, password)
    if account is None or not ok or not account.active:
        if account is not None:
            await _count_failure(db, account)
        raise Unauthenticated("Wrong email or password.")
    async with db.uow() as uow:
        if account.failed_sign_ins:
            await uow.session.execute(
                update(type(account))
                .where(_key(type(account)) == _id_of(account))
                .values(failed_sign_ins=0, locked_until=None)
            )
        kind = ActorKind.STAFF if staff else ActorKind.CUSTOMER
        issued = _open_session(uow, kind, _id_of(account), db.settings.session_ttl_hours)
        await uow.commit()
    return issued


async def _find_account(session: AsyncSession, email: str, *, staff: bool) -> Account | None:
    if staff:
        return await session.scalar(select(StaffUser).where(StaffUser.email == email.lower()))
    return await session.scalar(select(ShopperAccount).where(ShopperAccount.email == email.lower()))


def _key(model: type[Account]) -> InstrumentedAttribute[str]:
    return StaffUser.id if model is StaffUser else ShopperAccount.customer_id


def _id_of(account: Account) -> str:
    return account.id if isinstance(account, StaffUser) else account.customer_id


async def _count_failure(db: Database, account: Account) -> None:
    model = type(account)
    failures = account.failed_sign_ins + 1
    locked = db.clock.now() + domain.LOCKOUT if failures >= domain.MAX_FAILED_SIGN_INS else None
    async with db.uow() as uow:
        await uow.session.execute(
            update(model)
            .where(_key(model) == _id_of(account))
            .values(failed_sign_ins=model.failed_sign_ins + 1, locked_until=locked)
        )
        await uow.commit()


def _open_session(
    uow: UnitOfWork, kind: ActorKind, principal_id: str, ttl_hours: int
) -> IssuedToken:
    token = domain.new_secret(domain.SESSION_TOKEN_PREFIX)
    now = uow.clock.now()
    expires = now + timedelta(hours=ttl_hours)
    uow.session.add(
        AuthSession(
            token_hash=domain.hash_secret(token),
            principal_kind=kind.value,
            principal_id=principal_id,
            created_at=now,
            expires_at=expires,
        )
    )
    return IssuedToken(token, expires, kind.value, principal_id)


async def sign_out(db: Database, token: str) -> None:
    async with db.uow() as uow:
        await uow.session.execute(
            update(AuthSession)
            .where(
                AuthSession.token_hash == domain.hash_secret(token),
                AuthSession.revoked_at.is_(None),
            )
            .values(revoked_at=db.clock.now())
        )
        await uow.commit()


async def sign_up(
    db: Database,
    actor: Actor,
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    phone: str | None,
    marketing_email_opt_in: bool,
) -> IssuedToken:
    email = email.lower()
    problem = domain.password_problem(password, email=email)
    if problem:
        raise InvalidInput(problem, field="password")
    password_hash = await hash_password(password)
    try:
        async with db.uow(actor) as uow:
            issued = await _create_shopper(
                uow, db, email, password_hash, first_name, last_name, phone, marketing_email_opt_in
            )
            await uow.commit()
    except IntegrityError as error:  # lost a race for the same email (at flush or commit)
        raise Conflict(_EMAIL_TAKEN) from error
    return issued


_EMAIL_TAKEN = "An account with this email exists; sign in or reset the password."


async def _create_shopper(
    uow: UnitOfWork,
    db: Database,
    email: str,
    password_hash: str,
    first_name: str,
    last_name: str,
    phone: str | None,
    marketing_email_opt_in: bool,
) -> IssuedToken:
    taken = await uow.session.scalar(
        select(ShopperAccount.customer_id).where(ShopperAccount.email == email)
    )
    if taken:
        raise Conflict(_EMAIL_TAKEN)
    customer_id = await customers_api.register_shopper(
        uow,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        marketing_email_opt_in=marketing_email_opt_in,
        channel_id=uow.actor.channel,
    )
    uow.session.add(
        ShopperAccount(
            customer_id=customer_id,
            email=email,
            password_hash=password_hash,
            active=True,
            failed_sign_ins=0,
            created_at=uow.clock.now(),
        )
    )
    issued = _open_session(uow, ActorKind.CUSTOMER, customer_id, db.settings.session_ttl_hours)
    uow.record(ShopperSignedUp(customer_id=customer_id))
    await uow.flush()
    return issued


async def request_password_reset(db: Database, *, email: str, staff: bool) -> None:
    """Issue a one-time reset token for the notifier to send. Silent for unknown emails."""
    async with db.uow() as uow:
        account = await _find_account(uow.session, email, staff=staff)
        if account is None or not account.active:
            return
        token = domain.new_secret(domain.RESET_TOKEN_PREFIX)
        expires = uow.clock.now() + timedelta(minutes=db.settings.password_reset_ttl_minutes)
        kind = ActorKind.STAFF if staff else ActorKind.CUSTOMER
        uow.session.add(
            PasswordResetToken(
                token_hash=domain.hash_secret(token),
                principal_kind=kind.value,
                principal_id=_id_of(account),
                expires_at=expires,
            )
        )
        uow.record(
            PasswordResetRequested(
                principal_kind=kind.value,
                principal_id=_id_of(account),
                email=account.email,
                token=token,
                expires_at=expires.isoformat(),
            )
        )
        await uow.commit()


async def reset_password(db: Database, *, token: str, new_password: str) -> None:
    """Set a new password with a one-time token; every open session is revoked."""
    password_hash = await hash_password(new_password)
    async with db.uow() as uow:
        now = uow.clock.now()
        reset = await uow.session.get(PasswordResetToken, domain.hash_secret(token))
        if reset is None or reset.used_at is not None or reset.expires_at <= now:
            raise InvalidInput("The reset link is invalid or has expired.", field="token")
        account: Account | None = (
            await uow.session.get(StaffUser, reset.principal_id)
            if reset.principal_kind == ActorKind.STAFF
            else await uow.session.get(ShopperAccount, reset.principal_id)
        )
        assert account is not None
        problem = domain.password_problem(new_password, email=account.email)
        if problem:
            raise InvalidInput(problem, field="new_password")
        # Conditional on still unused: two concurrent resets with one token → one wins.
        used = await uow.session.execute(
            update(PasswordResetToken)
            .where(
                PasswordResetToken.token_hash == reset.token_hash,
                PasswordResetToken.used_at.is_(None),
            )
            .values(used_at=now)
        )
        if used.rowcount != 1:  # type: ignore[attr-defined]
            raise InvalidInput("The reset link is invalid or has expired.", field="token")
        account.password_hash = password_hash
        account.failed_sign_ins = 0
        account.locked_until = None
        await revoke_sessions(uow, reset.principal_id)
        uow.audit("access.password_reset", reset.principal_kind, reset.principal_id)
        await uow.commit()


async def revoke_sessions(uow: UnitOfWork, principal_id: str) -> None:
    """End every open session of a principal (password reset, deactivation)."""
    await uow.session.execute(
        update(AuthSession)
        .where(AuthSession.principal_id == principal_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=uow.clock.now())
    )
