"""``Database``: the engine, session factories and unit-of-work factory of one process."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from omni.db.engine import create_engine
from omni.db.uow import AfterCommit, UnitOfWork
from omni.kernel.actor import SYSTEM, Actor
from omni.kernel.clock import Clock, SystemClock
from omni.settings import Settings


class Database:
    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.engine: AsyncEngine = create_engine(settings)
        self.dialect = self.engine.dialect.name
        self._writer = async_sessionmaker(self.engine, expire_on_commit=False)
        # On SQLite a reader must not take the write lock: start it DEFERRED.
        reader_bind = self.engine.execution_options(sqlite_begin="DEFERRED")
        self._reader = async_sessionmaker(reader_bind, expire_on_commit=False)
        self.after_commit: AfterCommit | None = None
        # Set by the dispatcher's owner: which event names have in-process handlers.
        self.has_handlers: Callable[[str], bool] | None = None

    def uow(self, actor: Actor = SYSTEM) -> UnitOfWork:
        """A unit of work for a command (takes the write lock up front on SQLite)."""
        return UnitOfWork(
            self._writer,
            clock=self.clock,
            actor=actor,
            after_commit=self.after_commit,
            has_handlers=self.has_handlers,
        )

    def reader(self) -> AsyncSession:
        """A session for queries; never commit through it."""
        return self._reader()

    async def ping(self) -> None:
        async with self.reader() as session:
            await session.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
