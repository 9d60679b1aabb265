"""A per-client rate limit kept in the database, so every API process shares it.

Nothing in Omni rate-limited requests before (sign-in locks accounts instead), and an
in-process bucket would multiply the limit by the number of processes — an attacker
guessing gift card codes would simply be spread over them. The bucket is GCRA (the
generic cell rate algorithm: a token bucket stored as the one time ``ready_at`` when it
is full again), changed by one conditional UPDATE like every other counter here:

    next = max(ready_at, now) + interval
    UPDATE … SET ready_at = next WHERE key = :key AND next - now <= burst

``burst`` requests may come at once, then one per ``interval``. The check commits on
its own, before the request's work, so refused and failing requests count too.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import BigInteger, Table, bindparam, case, delete, select, update

from omni.db.database import Database
from omni.kernel.errors import TooManyRequests
from omni.loyalty.ledger import insert_for
from omni.loyalty.models import RateLimitBucket

BUCKETS = cast(Table, RateLimitBucket.__table__)
MS_PER_MINUTE = 60_000

_NOW = bindparam("now", type_=BigInteger)
_INTERVAL = bindparam("interval", type_=BigInteger)
_NEXT = case((BUCKETS.c.ready_at_ms > _NOW, BUCKETS.c.ready_at_ms), else_=_NOW) + _INTERVAL
_TAKE = (
    update(BUCKETS)
    .where(
        BUCKETS.c.key == bindparam("bucket"),
        bindparam("burst_ms", type_=BigInteger) >= _NEXT - _NOW,
    )
    .values(ready_at_ms=_NEXT)
    .returning(BUCKETS.c.ready_at_ms)
)


async def take(db: Database, key: str, per_minute: int) -> None:
    """Count one request of ``key`` against ``per_minute`` (also the burst), or raise
    ``TooManyRequests`` (429) with ``retry_after_seconds``."""
    interval = max(1, MS_PER_MINUTE // max(1, per_minute))
    burst_ms = interval * per_minute
    now = int(db.clock.now().timestamp() * 1000)
    async with db.uow() as uow:
        session = uow.session
        await session.execute(
            insert_for(session, BUCKETS).on_conflict_do_nothing(index_elements=["key"]),
            [{"key": key, "ready_at_ms": 0}],
        )
        taken = await session.execute(
            _TAKE, {"bucket": key, "now": now, "interval": interval, "burst_ms": burst_ms}
        )
        allowed = taken.scalar_one_or_none() is not None
        ready_at = (
            None
            if allowed
            else await session.scalar(select(BUCKETS.c.ready_at_ms).where(BUCKETS.c.key == key))
        )
        await uow.commit()
    if ready_at is not None:
        wait_ms = int(ready_at) + interval - burst_ms - now
        raise TooManyRequests(
            "Too many balance checks; try again later.",
            retry_after_seconds=max(1, -(-wait_ms // 1000)),
        )


async def forget_full_buckets(db: Database) -> int:
    """Delete the buckets that are full again (``ready_at`` passed): the same as no row,
    so clients that stopped asking leave nothing behind. Run by the periodic sweep."""
    now = int(db.clock.now().timestamp() * 1000)
    async with db.uow() as uow:
        deleted = await uow.session.execute(delete(BUCKETS).where(BUCKETS.c.ready_at_ms < now))
        await uow.commit()
    return int(deleted.rowcount or 0)  # type: ignore[attr-defined]
