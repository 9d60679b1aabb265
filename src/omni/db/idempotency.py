"""Storage of Idempotency-Key records (IETF draft-ietf-httpapi-idempotency-key-header)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum, auto
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from omni.db.database import Database
from omni.db.platform_models import IdempotencyRecord


class Claim(Enum):
    NEW = auto()  # this request owns the key: run it
    REPLAY = auto()  # done before with the same request: answer with the stored response
    IN_FLIGHT = auto()  # another request with this key is running
    MISMATCH = auto()  # the key was used with a different request


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    record: IdempotencyRecord | None = None


async def claim_key(db: Database, scope: str, key: str, request_hash: str) -> ClaimResult:
    """Take the key for this request, or say why not. Commits on its own."""
    settings = db.settings
    for _ in range(3):
        now = db.clock.now()
        try:
            async with db.uow() as uow:
                uow.session.add(
                    IdempotencyRecord(
                        scope=scope,
                        key=key,
                        request_hash=request_hash,
                        locked_at=now,
                        expires_at=now + timedelta(hours=settings.idempotency_ttl_hours),
                    )
                )
                await uow.commit()
            return ClaimResult(Claim.NEW)
        except IntegrityError:
            pass
        async with db.reader() as session:
            existing = await session.get(IdempotencyRecord, (scope, key))
        if existing is None:
            continue  # released meanwhile; try again
        if existing.expires_at <= now:
            await release_key(db, scope, key)
            continue
        if existing.request_hash != request_hash:
            return ClaimResult(Claim.MISMATCH, existing)
        if existing.completed_at is not None:
            return ClaimResult(Claim.REPLAY, existing)
        stale = existing.locked_at <= now - timedelta(seconds=settings.idempotency_lock_seconds)
        if stale and await _take_over(db, existing):
            return ClaimResult(Claim.NEW)
        return ClaimResult(Claim.IN_FLIGHT, existing)
    return ClaimResult(Claim.IN_FLIGHT)


async def _take_over(db: Database, record: IdempotencyRecord) -> bool:
    """Claim a key whose request died mid-flight (conditional on nobody else doing so)."""
    async with db.uow() as uow:
        result: Any = await uow.session.execute(
            update(IdempotencyRecord)
            .where(
                IdempotencyRecord.scope == record.scope,
                IdempotencyRecord.key == record.key,
                IdempotencyRecord.locked_at == record.locked_at,
                IdempotencyRecord.completed_at.is_(None),
            )
            .values(locked_at=db.clock.now())
        )
        await uow.commit()
    return bool(result.rowcount == 1)


async def complete_key(
    db: Database, scope: str, key: str, status: int, headers: dict[str, str], body: bytes
) -> None:
    async with db.uow() as uow:
        await uow.session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
            .values(
                completed_at=db.clock.now(),
                response_status=status,
                response_headers=headers,
                response_body=body,
            )
        )
        await uow.commit()


async def release_key(db: Database, scope: str, key: str) -> None:
    async with db.uow() as uow:
        await uow.session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
            )
        )
        await uow.commit()


async def purge_expired(db: Database) -> int:
    async with db.uow() as uow:
        result: Any = await uow.session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= db.clock.now())
        )
        await uow.commit()
    return int(result.rowcount or 0)
