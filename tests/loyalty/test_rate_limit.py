"""The balance-check limit (GCRA in the database) over time: a burst, then one request
per interval; a full bucket again is forgotten by the sweep."""

from datetime import UTC, datetime, timedelta

import pytest

from omni.db.database import Database
from omni.kernel.clock import FixedClock
from omni.kernel.errors import TooManyRequests
from omni.kernel.ids import new_id
from omni.loyalty import rate_limit
from omni.loyalty.models import RateLimitBucket


@pytest.fixture
async def timed(settings, database):
    clock = FixedClock(datetime(2030, 1, 1, tzinfo=UTC))
    db = Database(settings, clock=clock)
    yield db, clock
    await db.dispose()


async def test_a_burst_then_one_request_per_interval(timed):
    db, clock = timed
    key = new_id("cli")
    for _ in range(6):
        await rate_limit.take(db, key, per_minute=6)
    with pytest.raises(TooManyRequests) as refused:
        await rate_limit.take(db, key, per_minute=6)
    assert refused.value.extra["retry_after_seconds"] == 10
    clock.advance(timedelta(seconds=10))
    await rate_limit.take(db, key, per_minute=6)
    with pytest.raises(TooManyRequests):
        await rate_limit.take(db, key, per_minute=6)


async def test_buckets_full_again_are_forgotten(timed):
    db, clock = timed
    idle, busy = new_id("cli"), new_id("cli")
    await rate_limit.take(db, idle, per_minute=6)
    clock.advance(timedelta(seconds=11))
    await rate_limit.take(db, busy, per_minute=6)
    await rate_limit.forget_full_buckets(db)
    async with db.reader() as session:
        assert await session.get(RateLimitBucket, idle) is None
        assert await session.get(RateLimitBucket, busy) is not None
