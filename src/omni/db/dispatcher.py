"""The in-process event dispatcher.

After a unit of work commits, the dispatcher runs every handler registered for each new
event, each in its own transaction. A handler's work and the ``event_handlings`` row that
marks it done commit together, so a handler runs to completion exactly once per event
even if it is retried, the process restarts, or two processes race for the same event.
Failures are recorded with exponential backoff; after ``max_attempts`` the failure is
dead-lettered for an operator to replay. A periodic sweep picks up anything left behind.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import Update, delete, select, update
from sqlalchemy.exc import IntegrityError

from omni.db.database import Database
from omni.db.platform_models import EventHandling, HandlerFailure, OutboxEvent
from omni.db.uow import UnitOfWork
from omni.kernel.events import Event, rebuild

log = logging.getLogger("omni.dispatcher")

Handler = Callable[[Event, UnitOfWork], Awaitable[None]]


@dataclass
class HandlerRegistry:
    """Explicit wiring of event names to handlers (see each module's ``handlers.py``)."""

    handlers: dict[str, list[tuple[str, Handler]]] = field(default_factory=dict)

    def on(self, event_type: type[Event], handler: Handler, *, key: str | None = None) -> None:
        """Run ``handler`` for each ``event_type``. The key (default: the function's
        dotted name) is stored with each handling, so keep it stable across releases."""
        key = key or f"{handler.__module__}.{getattr(handler, '__qualname__', '')}"
        self.handlers.setdefault(event_type.name, []).append((key, handler))

    def for_event(self, name: str) -> list[tuple[str, Handler]]:
        return self.handlers.get(name, [])

    def has_handlers(self, name: str) -> bool:
        return bool(self.handlers.get(name))


def backoff(attempts: int) -> timedelta:
    """2 s, 4 s, 8 s … capped at one hour."""
    return timedelta(seconds=min(2**attempts, 3600))


class Dispatcher:
    def __init__(self, db: Database, registry: HandlerRegistry, *, max_attempts: int = 8) -> None:
        self.db = db
        self.registry = registry
        self.max_attempts = max_attempts
        self._tasks: set[asyncio.Task[None]] = set()

    def attach(self) -> None:
        """Become the database's after-commit hook (the app and the worker call this)."""
        self.db.after_commit = self.after_commit
        self.db.has_handlers = self.registry.has_handlers

    def after_commit(self, event_ids: list[str]) -> None:
        """Schedule dispatch of freshly committed events without delaying the caller."""
        task = asyncio.get_running_loop().create_task(self.dispatch(event_ids))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait until every scheduled dispatch has finished (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def dispatch(self, event_ids: list[str]) -> None:
        for event_id in event_ids:
            await self._dispatch_one(event_id)

    async def sweep(self, *, older_than: timedelta = timedelta(seconds=5)) -> int:
        """Dispatch events left undispatched (crash, failure awaiting retry). Returns count.

        Events nothing in-process reacts to are settled in one statement (written by a
        process that did not know the registry, e.g. a bulk loader), so a backlog of
        them never slows the sweep down."""
        cutoff = self.db.clock.now() - older_than
        await self._settle_unhandled(cutoff)
        async with self.db.reader() as session:
            ids = list(
                await session.scalars(
                    select(OutboxEvent.id)
                    .where(OutboxEvent.dispatched_at.is_(None), OutboxEvent.occurred_at <= cutoff)
                    .order_by(OutboxEvent.id)
                    .limit(500)
                )
            )
        await self.dispatch(ids)
        return len(ids)

    async def _settle_unhandled(self, cutoff: datetime) -> None:
        handled = [name for name in self.registry.handlers if self.registry.has_handlers(name)]
        pending = (OutboxEvent.dispatched_at.is_(None), OutboxEvent.occurred_at <= cutoff)
        async with self.db.uow() as uow:
            await uow.session.execute(
                update(OutboxEvent)
                .where(*pending, OutboxEvent.name.not_in(handled))
                .values(dispatched_at=self.db.clock.now())
            )
            await uow.commit()

    async def _dispatch_one(self, event_id: str) -> None:
        async with self.db.reader() as session:
            row = await session.get(OutboxEvent, event_id)
            if row is None or row.dispatched_at is not None:
                return
            done = set(
                await session.scalars(
                    select(EventHandling.handler).where(EventHandling.event_id == event_id)
                )
            )
            failures = {
                f.handler: f
                for f in await session.scalars(
                    select(HandlerFailure).where(HandlerFailure.event_id == event_id)
                )
            }
        event = rebuild(row.name, row.payload)
        now = self.db.clock.now()
        settled = True
        due: list[tuple[str, Handler]] = []
        for key, handler in self.registry.for_event(row.name) if event else []:
            if key in done:
                continue
            failure = failures.get(key)
            if failure is not None and (failure.dead_at or _not_due(failure, now)):
                settled = settled and failure.dead_at is not None
                continue
            due.append((key, handler))
        marked = False
        for index, (key, handler) in enumerate(due):
            assert event is not None  # an event of an unknown name has nothing due
            # The last handler of an event otherwise settled marks it dispatched in its
            # own transaction: three round trips saved on every event.
            last = settled and index == len(due) - 1
            outcome = await self._run(
                event_id,
                key,
                handler,
                event,
                had_failed=key in failures,
                finishes=last,
            )
            settled = outcome is not _Outcome.PENDING and settled
            marked = outcome is _Outcome.DONE_AND_MARKED
        if settled and not marked:
            await self._mark_dispatched(event_id)

    async def _run(
        self,
        event_id: str,
        key: str,
        handler: Handler,
        event: Event,
        *,
        had_failed: bool,
        finishes: bool,
    ) -> _Outcome:
        """Run one handler: settled (handled, or dead-lettered) or still pending."""
        try:
            async with self.db.uow() as uow:
                uow.session.add(
                    EventHandling(event_id=event_id, handler=key, handled_at=self.db.clock.now())
                )
                await uow.flush()  # claims the (event, handler) pair before doing the work
                await handler(event, uow)
                if had_failed:
                    await uow.session.execute(
                        delete(HandlerFailure).where(
                            HandlerFailure.event_id == event_id, HandlerFailure.handler == key
                        )
                    )
                if finishes:
                    await uow.session.execute(_dispatched(event_id, self.db.clock.now()))
                await uow.commit()
            return _Outcome.DONE_AND_MARKED if finishes else _Outcome.DONE
        except IntegrityError:
            return _Outcome.DONE  # another process handled it
        except Exception as error:  # a handler bug must not break the dispatcher
            log.exception("handler %s failed on %s", key, event_id)
            dead = await self._record_failure(event_id, key, error)
            return _Outcome.DONE if dead else _Outcome.PENDING

    async def _record_failure(self, event_id: str, key: str, error: Exception) -> bool:
        """Record the failure and schedule a retry; True if attempts ran out (dead)."""
        now = self.db.clock.now()
        async with self.db.uow() as uow:
            failure = await uow.session.get(HandlerFailure, (event_id, key))
            if failure is None:
                failure = HandlerFailure(event_id=event_id, handler=key, attempts=0, failed_at=now)
                uow.session.add(failure)
            failure.attempts += 1
            failure.last_error = f"{type(error).__name__}: {error}"[:2000]
            failure.failed_at = now
            if failure.attempts >= self.max_attempts:
                failure.dead_at, failure.next_attempt_at = now, None
            else:
                failure.next_attempt_at = now + backoff(failure.attempts)
            await uow.commit()
        return failure.dead_at is not None

    async def _mark_dispatched(self, event_id: str) -> None:
        async with self.db.uow() as uow:
            await uow.session.execute(_dispatched(event_id, self.db.clock.now()))
            await uow.commit()

    async def replay_dead(self, event_id: str, handler_key: str) -> None:
        """Give a dead-lettered handler another round of attempts."""
        async with self.db.uow() as uow:
            await uow.session.execute(
                delete(HandlerFailure).where(
                    HandlerFailure.event_id == event_id, HandlerFailure.handler == handler_key
                )
            )
            await uow.session.execute(
                update(OutboxEvent).where(OutboxEvent.id == event_id).values(dispatched_at=None)
            )
            await uow.commit()
        await self._dispatch_one(event_id)


class _Outcome(Enum):
    DONE = "done"  # handled (or dead-lettered, or handled by another process)
    DONE_AND_MARKED = "done and marked"  # ... and the event marked dispatched with it
    PENDING = "pending"  # failed: retried later


def _dispatched(event_id: str, now: datetime) -> Update:
    return (
        update(OutboxEvent)
        .where(OutboxEvent.id == event_id, OutboxEvent.dispatched_at.is_(None))
        .values(dispatched_at=now)
    )


def _not_due(failure: HandlerFailure, now: datetime) -> bool:
    return failure.next_attempt_at is not None and failure.next_attempt_at > now
