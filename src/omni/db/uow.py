"""The unit of work: one transaction per command, rolled back unless committed.

Use cases record events and audit entries on it; ``commit()`` writes them as outbox and
audit rows in the same transaction as the change, then hands the committed event ids to
the after-commit hook (the in-process dispatcher).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omni.db.platform_models import AuditEntry, OutboxEvent
from omni.kernel.actor import SYSTEM, Actor
from omni.kernel.clock import Clock
from omni.kernel.events import Event
from omni.kernel.ids import new_id

AfterCommit = Callable[[list[str]], Awaitable[None] | None]


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
        self.committed_event_ids: list[str] = []

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside 'async with'")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        self._events.clear()
        self._audit.clear()
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

    async def commit(self) -> None:
        now = self.clock.now()
        event_rows = [self._outbox_row(event, now) for event in self._events]
        if event_rows:
            await self.session.execute(insert(OutboxEvent), event_rows)
        if self._audit:
            await self.session.execute(
                insert(AuditEntry), [self._audit_row(a, now) for a in self._audit]
            )
        await self.session.commit()
        self.committed_event_ids = [row["id"] for row in event_rows]
        pending = [row["id"] for row in event_rows if row["dispatched_at"] is None]
        self._events.clear()
        self._audit.clear()
        if pending and self._after_commit is not None:
            result = self._after_commit(pending)
            if result is not None:
                await result

    async def rollback(self) -> None:
        self._events.clear()
        self._audit.clear()
        await self.session.rollback()

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
