"""What every build step receives: the connection, the seed, the scale, and what
earlier steps created.

Steps are plain async functions ``step(ctx)``. Each draws its randomness from its own
generator (``ctx.rng("customers")``), seeded from the build seed and the step's name,
so a step's content does not change when another step is added or changed — later
issues can plug in stock, orders or loyalty without reshuffling the customers.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from omni.db.base import Base

# Rows per executemany call: big enough to be fast, small enough to keep memory flat
# and to stay under PostgreSQL's bind-parameter limit when the driver batches VALUES.
INSERT_BATCH = 2_000


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
        for start in range(0, len(rows), INSERT_BATCH * 5):
            batch = rows[start : start + INSERT_BATCH * 5]
            values = [tuple(convert(row[column]) for column in columns) for row in batch]
            await self.conn.exec_driver_sql(sql, values)
        self.counts[table.name] += len(rows)

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
