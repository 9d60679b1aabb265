"""The unit of work: one transaction per command, rolled back unless committed.

Use cases record events and audit entries on it; ``commit()`` writes them as outbox and
audit rows in the same transaction as the change, then hands the committed event ids to
the after-commit hook (the in-process dispatcher). A use case may write what it has
recorded earlier (``write_recorded``), e.g. before a contended update, so that update is
the last statement before the commit; dispatch still waits for the commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from functools import lru_cache
from types import TracebackType
from typing import Any, cast

from sqlalchemy import Insert, Table, bindparam, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omni.db.platform_models import AuditEntry, OutboxEvent
from omni.kernel.actor import SYSTEM, Actor
from omni.kernel.clock import Clock
from omni.kernel.events import Event
from omni.kernel.ids import new_id

AfterCommit = Callable[[list[str]], Awaitable[None] | None]
# Rows for one table, each with the same keys.
Rows = tuple[Table, list[dict[str, Any]]]

OUTBOX = cast(Table, OutboxEvent.__table__)
AUDIT = cast(Table, AuditEntry.__table__)
# Up to this many rows, inserts into several tables go as one statement on PostgreSQL.
_COMBINED_MAX_ROWS = 16


class UnitOfWork:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Clock,
        actor: Actor = SYSTEM,
        after_commit: AfterCommit | None = None,
        has_handlers: Callable[[str], bool] | None = None,
    ) -> None:
        self._sessions = sessions
        self._after_commit = after_commit
        self._has_handlers = has_handlers or (lambda _name: True)
        self.clock = clock
        self.actor = actor
        self._session: AsyncSession | None = None
        self._events: list[Event] = []
        self._audit: list[dict[str, Any]] = []
        # Outbox rows already written in this transaction: (id, needs dispatch).
        self._written: list[tuple[str, bool]] = []
        self.committed_event_ids: list[str] = []

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside 'async with'")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        self._forget()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            await session.rollback()  # a no-op after commit()
        finally:
            await session.close()
            self._session = None

    def record(self, event: Event) -> None:
        """Remember an event; it is written to the outbox on commit."""
        self._events.append(event)

    def audit(
        self, action: str, object_type: str, object_id: str, changes: dict[str, Any] | None = None
    ) -> None:
        """Remember an audit entry (who did what to which object); written on commit."""
        self._audit.append(
            {
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "changes": changes or {},
            }
        )

    async def flush(self) -> None:
        await self.session.flush()

    async def write_recorded(self, *rows: Rows) -> None:
        """Write the events and audit entries recorded so far, with ``rows`` of the
        caller's own tables, now, in this transaction (one statement on PostgreSQL).

        For a use case that ends with a contended update: written first, they no longer
        add round trips while its row is locked. A rollback discards them as usual, and
        events are still dispatched only after the commit."""
        now = self.clock.now()
        outbox = [self._outbox_row(event, now) for event in self._events]
        audit = [self._audit_row(entry, now) for entry in self._audit]
        await insert_rows(self.session, [*rows, (OUTBOX, outbox), (AUDIT, audit)])
        self._written.extend((row["id"], row["dispatched_at"] is None) for row in outbox)
        self._events.clear()
        self._audit.clear()

    async def commit(self) -> None:
        await self.write_recorded()
        await self.session.commit()
        self.committed_event_ids = [event_id for event_id, _ in self._written]
        pending = [event_id for event_id, dispatch in self._written if dispatch]
        self._written.clear()
        if pending and self._after_commit is not None:
            result = self._after_commit(pending)
            if result is not None:
                await result

    async def rollback(self) -> None:
        self._forget()
        await self.session.rollback()

    def _forget(self) -> None:
        self._events.clear()
        self._audit.clear()
        self._written.clear()

    def _outbox_row(self, event: Event, now: Any) -> dict[str, Any]:
        return {
            "id": new_id("evt"),
            "name": event.name,
            "payload": event.payload(),
            "occurred_at": now,
            "actor_kind": self.actor.kind.value,
            "actor_id": self.actor.id,
            "request_id": self.actor.request_id,
            # Nothing in-process reacts to it: settled at once, so no dispatch work.
            "dispatched_at": None if self._has_handlers(event.name) else now,
        }

    def _audit_row(self, entry: dict[str, Any], now: Any) -> dict[str, Any]:
        return {
            "id": new_id("aud"),
            "at": now,
            "actor_kind": self.actor.kind.value,
            "actor_id": self.actor.id,
            "channel": self.actor.channel,
            "request_id": self.actor.request_id,
            **entry,
        }


async def insert_rows(session: AsyncSession, batches: Sequence[Rows]) -> None:
    """Insert rows into several tables. A few rows on PostgreSQL go as one statement
    (each row's INSERT a data-modifying CTE): a round trip saved per table on hot paths."""
    batches = [(table, rows) for table, rows in batches if rows]
    flat = [(table, row) for table, rows in batches for row in rows]
    combine = len(batches) > 1 and len(flat) <= _COMBINED_MAX_ROWS
    if combine and session.get_bind().dialect.name == "postgresql":
        shape = tuple((table, tuple(row)) for table, row in flat)
        params = {
            f"r{r}_{column}": value
            for r, (_, row) in enumerate(flat)
            for column, value in row.items()
        }
        await session.execute(_combined_insert(shape), params)
        return
    for table, rows in batches:
        await session.execute(insert(table), rows)


@lru_cache(maxsize=64)
def _combined_insert(shape: tuple[tuple[Table, tuple[str, ...]], ...]) -> Insert:
    """One statement per shape (the tables and columns of the rows), built once and
    cached by SQLAlchemy: single-row INSERTs, as multi-row VALUES are never cached."""
    inserts = [
        insert(table).values({c: bindparam(f"r{r}_{c}", type_=table.c[c].type) for c in columns})
        for r, (table, columns) in enumerate(shape)
    ]
    *first, last = inserts
    return last.add_cte(*(statement.cte(f"row_{r}") for r, statement in enumerate(first)))
