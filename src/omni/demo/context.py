"""What every build step receives: the connection, the seed, the scale, and what
earlier steps created.

Steps are plain async functions ``step(ctx)``. Each draws its randomness from its own
generator (``ctx.rng("customers")``), seeded from the build seed and the step's name,
so a step's content does not change when another step is added or changed — later
issues can plug in stock, orders or loyalty without reshuffling the customers.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from typing import Any

import numpy as np
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from omni.db.base import Base

# Rows per executemany call: big enough to be fast, small enough to keep memory flat
# and to stay under PostgreSQL's bind-parameter limit when the driver batches VALUES.
INSERT_BATCH = 2_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A table's rows for ``insert_pipelined``: model, a function making its columns, and
# whether they already come in id order.
ColumnWrite = tuple[type[Base], Callable[[], dict[str, Sequence[Any]]], bool]
# PostgreSQL catalog queries for ``indexes_built_after`` (tables by name, current schema).
_SECONDARY_INDEXES = """
    SELECT i.indexname, i.indexdef FROM pg_indexes i
    WHERE i.schemaname = current_schema() AND i.tablename = ANY(:tables)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
"""
_FOREIGN_KEYS = """
    SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = ANY(:tables)
"""


@dataclass
class Registry:
    """What the steps created, for the steps after them (ids, and facts about them)."""

    locations: list[dict[str, Any]] = field(default_factory=list)
    channels: list[dict[str, Any]] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    variants: list[dict[str, Any]] = field(default_factory=list)
    customers: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, Any]] = field(default_factory=list)
    # The demo logins printed at the end: role, email, what they can do.
    logins: list[dict[str, str]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def stores(self) -> list[dict[str, Any]]:
        return [row for row in self.locations if row["kind"] == "store"]

    def channel(self, code: str) -> dict[str, Any]:
        return next(row for row in self.channels if row["code"] == code)


@dataclass
class BuildContext:
    conn: AsyncConnection
    seed: int
    scale: float
    # Real time of the build: timestamps are "now"-relative, content is seed-determined.
    now: datetime
    password_hash: str
    registry: Registry = field(default_factory=Registry)
    counts: Counter[str] = field(default_factory=Counter)

    def rng(self, step: str) -> random.Random:
        # A str seed is hashed with SHA-512 by random.Random: stable across processes
        # (unlike hash(), which PYTHONHASHSEED randomizes).
        return random.Random(f"omni-demo:{self.seed}:{step}")

    def scaled(self, amount: float, minimum: int = 1) -> int:
        return max(minimum, round(amount * self.scale))

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    async def insert_plain(self, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
        """``insert`` for big tables of plain columns (text, numbers, datetimes): the rows go
        to the driver as tuples, skipping SQLAlchemy's per-row parameter processing —
        several seconds on the demo's 700k ledger rows."""
        table = Base.metadata.tables[str(model.__tablename__)]
        if not rows:
            return
        columns = list(rows[0])
        dialect = self.conn.dialect.name
        marks = (
            [f"${i}" for i in range(1, len(columns) + 1)]
            if dialect == "postgresql"
            else ["?"] * len(columns)
        )
        sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join(marks)})"
        convert = _sqlite_value if dialect == "sqlite" else _same
        if dialect == "postgresql":
            values = [tuple(row[column] for column in columns) for row in rows]
            await self._copy(table.name, columns, values)
            self.counts[table.name] += len(rows)
            return
        for start in range(0, len(rows), INSERT_BATCH * 5):
            batch = rows[start : start + INSERT_BATCH * 5]
            values = [tuple(convert(row[column]) for column in columns) for row in batch]
            await self.conn.exec_driver_sql(sql, values)
        self.counts[table.name] += len(rows)

    async def insert_columns(
        self, model: type[Base], columns: dict[str, Sequence[Any]], *, in_id_order: bool = False
    ) -> None:
        """``insert_plain`` for rows given as columns of values already in the driver's
        form (times from ``db_times``, JSON as text): the biggest tables (orders, their
        lines, payments, ledger rows) are made column-wise with numpy. ``in_id_order``:
        the caller already put the rows in the order of their ids."""
        names = list(columns)
        values = [col.tolist() if isinstance(col, np.ndarray) else col for col in columns.values()]
        rows = list(zip(*values, strict=True))
        if not rows:
            return
        if names[0] == "id" and not in_id_order:
            # In id (= time) order: the primary key's B-tree is appended to, not split
            # all over (rows are made per location and day, not in time order).
            rows.sort(key=itemgetter(0))
        table = Base.metadata.tables[str(model.__tablename__)]
        if self.conn.dialect.name == "postgresql":
            await self._copy(table.name, names, rows)
        else:
            # One call, handed whole to aiosqlite's thread (``insert_pipelined``).
            marks = ", ".join("?" * len(names))
            driver = await self._driver()
            await driver.executemany(
                f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", rows
            )
        self.counts[table.name] += len(rows)

    async def insert_pipelined(self, writes: Sequence[ColumnWrite]) -> None:
        """``insert_columns`` for several tables in turn (parents first), each table's
        columns made in a worker thread while the previous one is being written: SQLite
        works in aiosqlite's thread and PostgreSQL in its own process, while the event
        loop keeps feeding them, so making and writing overlap."""
        pending: asyncio.Future[None] | None = None
        for model, make, in_id_order in writes:
            columns = await asyncio.to_thread(make)
            if pending is not None:
                await pending
            pending = asyncio.ensure_future(
                self.insert_columns(model, columns, in_id_order=in_id_order)
            )
        if pending is not None:
            await pending

    async def _driver(self) -> Any:
        raw = await self.conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        return driver

    async def _copy(self, table: str, names: list[str], rows: list[tuple[Any, ...]]) -> None:
        """PostgreSQL's COPY, on the build's own connection (so inside its transaction):
        several times faster than batched INSERTs for hundreds of thousands of rows."""
        driver = await self._driver()
        await driver.copy_records_to_table(table, records=rows, columns=names)

    @asynccontextmanager
    async def indexes_built_after(self, tables: Sequence[str]) -> AsyncIterator[None]:
        """On PostgreSQL, load ``tables`` without their secondary indexes and foreign keys
        and add them again at the end, as a restore does: one sort per index and one join
        per foreign key, instead of a million scattered B-tree inserts and a trigger per
        row. Keys and unique constraints stay. The DDL is part of the build's
        transaction, so a failed build leaves the schema as it was."""
        if self.conn.dialect.name != "postgresql":
            yield
            return
        named = {"tables": list(tables)}
        indexes = (await self.conn.execute(text(_SECONDARY_INDEXES), named)).all()
        foreign_keys = (await self.conn.execute(text(_FOREIGN_KEYS), named)).all()
        for table, name, _definition in sorted(foreign_keys):
            await self.conn.exec_driver_sql(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _definition in sorted(indexes):
            await self.conn.exec_driver_sql(f'DROP INDEX "{name}"')
        yield
        await self.conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in sorted(indexes):
            await self.conn.exec_driver_sql(definition)
        for table, name, definition in sorted(foreign_keys):
            await self.conn.exec_driver_sql(
                f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'
            )

    def db_times(self, micros: np.ndarray) -> list[Any]:
        """UTC instants (microseconds since the epoch) as the driver takes them for an
        ``UtcDateTime`` column: naive UTC text on SQLite, aware datetimes on PostgreSQL."""
        instants = micros.astype("datetime64[us]")
        if self.conn.dialect.name == "sqlite":
            return [text.replace("T", " ") for text in np.datetime_as_string(instants).tolist()]
        return [moment.replace(tzinfo=UTC) for moment in instants.astype(object).tolist()]

    def micros(self, moment: datetime) -> int:
        """``moment`` in microseconds since the epoch (the unit of ``db_times``)."""
        return (moment - EPOCH) // timedelta(microseconds=1)

    async def insert(self, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
        """Bulk-insert ``rows`` (all with the same keys) into ``model``'s table."""
        table = Base.metadata.tables[str(model.__tablename__)]
        for start in range(0, len(rows), INSERT_BATCH):
            await self.conn.execute(insert(table), list(rows[start : start + INSERT_BATCH]))
        self.counts[table.name] += len(rows)


def _same(value: Any) -> Any:
    return value


def _sqlite_value(value: Any) -> Any:
    # As UtcDateTime stores it on SQLite: naive UTC text with microseconds.
    if isinstance(value, datetime):
        return (
            value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        )
    return value
