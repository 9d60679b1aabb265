"""The outbox and the in-process dispatcher: events are written with the change, and
each handler's effect happens exactly once, with retries and dead-lettering."""

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from omni.db.database import Database
from omni.db.dispatcher import Dispatcher, HandlerRegistry
from omni.db.platform_models import AuditEntry, HandlerFailure, OutboxEvent
from omni.kernel.clock import FixedClock
from omni.kernel.events import Event
from omni.kernel.ids import new_id


@dataclass(frozen=True, kw_only=True)
class ParcelWeighed(Event):
    name = "test.parcel_weighed"
    parcel_id: str
    grams: int


async def record_weight(event: Event, uow) -> None:
    assert isinstance(event, ParcelWeighed)
    uow.audit("test.weight_recorded", "parcel", event.parcel_id, {"grams": event.grams})


class Flaky:
    """Fails the first ``failures`` times it is called."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    async def __call__(self, event: Event, uow) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError("scale offline")
        await record_weight(event, uow)


@pytest.fixture
async def clocked_db(settings, database):
    db = Database(settings, clock=FixedClock(datetime.now(UTC)))
    yield db
    await db.dispose()


async def publish(db: Database, parcel_id: str) -> str:
    async with db.uow() as uow:
        uow.record(ParcelWeighed(parcel_id=parcel_id, grams=1200))
        await uow.commit()
    return uow.committed_event_ids[0]


async def effects(db: Database, parcel_id: str) -> int:
    async with db.reader() as session:
        return await session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.object_id == parcel_id)
        )


async def test_a_committed_event_is_handled_once_however_often_it_is_dispatched(clocked_db):
    registry = HandlerRegistry()
    registry.on(ParcelWeighed, record_weight)
    dispatcher = Dispatcher(clocked_db, registry)
    parcel = new_id("par")
    event_id = await publish(clocked_db, parcel)

    await dispatcher.dispatch([event_id])
    await dispatcher.dispatch([event_id])
    await asyncio.gather(*(dispatcher.dispatch([event_id]) for _ in range(5)))

    assert await effects(clocked_db, parcel) == 1
    async with clocked_db.reader() as session:
        row = await session.get(OutboxEvent, event_id)
    assert row.dispatched_at is not None
    assert row.payload == {"parcel_id": parcel, "grams": 1200}


async def test_racing_dispatchers_on_separate_connections_handle_it_once(settings, database):
    dbs = [Database(settings) for _ in range(4)]
    registry = HandlerRegistry()
    registry.on(ParcelWeighed, record_weight)
    parcel = new_id("par")
    event_id = await publish(dbs[0], parcel)
    await asyncio.gather(*(Dispatcher(db, registry).dispatch([event_id]) for db in dbs))
    assert await effects(dbs[0], parcel) == 1
    for db in dbs:
        await db.dispose()


async def test_a_rolled_back_unit_of_work_publishes_nothing(clocked_db):
    parcel = new_id("par")
    async with clocked_db.uow() as uow:
        uow.record(ParcelWeighed(parcel_id=parcel, grams=1))
        # no commit
    async with clocked_db.reader() as session:
        rows = await session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.payload["parcel_id"].as_string() == parcel)
        )
    assert rows == 0


async def test_a_failing_handler_is_retried_with_backoff_then_succeeds(clocked_db):
    flaky = Flaky(failures=2)
    registry = HandlerRegistry()
    registry.on(ParcelWeighed, flaky, key="tests.flaky_scale")
    dispatcher = Dispatcher(clocked_db, registry)
    parcel = new_id("par")
    event_id = await publish(clocked_db, parcel)

    await dispatcher.dispatch([event_id])
    await dispatcher.dispatch([event_id])  # not due yet: no second call
    assert flaky.calls == 1
    async with clocked_db.reader() as session:
        failure = (
            await session.scalars(select(HandlerFailure).where(HandlerFailure.event_id == event_id))
        ).one()
    assert failure.attempts == 1 and "scale offline" in failure.last_error

    clocked_db.clock.advance(timedelta(seconds=3))
    await dispatcher.dispatch([event_id])
    clocked_db.clock.advance(timedelta(seconds=5))
    await dispatcher.dispatch([event_id])
    assert flaky.calls == 3
    assert await effects(clocked_db, parcel) == 1
    async with clocked_db.reader() as session:
        assert await session.get(HandlerFailure, (event_id, failure.handler)) is None
        assert (await session.get(OutboxEvent, event_id)).dispatched_at is not None


async def test_a_handler_that_keeps_failing_is_dead_lettered_and_can_be_replayed(clocked_db):
    flaky = Flaky(failures=3)
    registry = HandlerRegistry()
    registry.on(ParcelWeighed, flaky, key="tests.flaky_scale")
    dispatcher = Dispatcher(clocked_db, registry, max_attempts=3)
    parcel = new_id("par")
    event_id = await publish(clocked_db, parcel)

    for _ in range(3):
        await dispatcher.dispatch([event_id])
        clocked_db.clock.advance(timedelta(hours=1))
    async with clocked_db.reader() as session:
        failure = (
            await session.scalars(select(HandlerFailure).where(HandlerFailure.event_id == event_id))
        ).one()
        assert failure.dead_at is not None and failure.attempts == 3
        assert (await session.get(OutboxEvent, event_id)).dispatched_at is not None
    assert await effects(clocked_db, parcel) == 0

    await dispatcher.replay_dead(event_id, failure.handler)
    assert await effects(clocked_db, parcel) == 1


async def test_the_sweep_picks_up_events_left_behind(clocked_db):
    registry = HandlerRegistry()
    registry.on(ParcelWeighed, record_weight)
    dispatcher = Dispatcher(clocked_db, registry)
    parcel = new_id("par")
    await publish(clocked_db, parcel)  # nobody dispatches it (as after a crash)
    clocked_db.clock.advance(timedelta(seconds=10))
    assert await dispatcher.sweep() >= 1
    assert await effects(clocked_db, parcel) == 1


async def test_events_nobody_handles_are_settled_at_commit_without_dispatch_work(clocked_db):
    registry = HandlerRegistry()  # no handler for ParcelWeighed
    Dispatcher(clocked_db, registry).attach()
    event_id = await publish(clocked_db, new_id("par"))
    async with clocked_db.reader() as session:
        assert (await session.get(OutboxEvent, event_id)).dispatched_at is not None


async def test_the_sweep_settles_a_backlog_nobody_handles_in_one_go(clocked_db):
    # given events written by a process that did not know the registry (all pending)
    ids = [await publish(clocked_db, new_id("par")) for _ in range(3)]
    clocked_db.clock.advance(timedelta(seconds=10))
    # when a dispatcher with no handler for them sweeps
    await Dispatcher(clocked_db, HandlerRegistry()).sweep()
    # then they are settled without any handler running
    async with clocked_db.reader() as session:
        rows = [await session.get(OutboxEvent, event_id) for event_id in ids]
    assert all(row.dispatched_at is not None for row in rows)
