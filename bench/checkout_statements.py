"""Which SQL statements one checkout sends, counted in-process on the benchmark's shop.

A few orders go through the real application over ASGI (the same routes, sessions and
dispatcher as the server) with a listener on the engine; the timed run is not touched.
Every round trip counts: statements, and the BEGIN / COMMIT / ROLLBACK that asyncpg
sends as round trips of their own (counted when the driver really sends them). The
dispatcher's after-commit handlers run in their own transactions after the answer has
left: they are counted apart.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import greenlet
import httpx
from sqlalchemy import event

from bench.checkout_load import CARTS, CHECKOUT, LINES_PER_ORDER, checkout_body
from omni.db.database import Database
from omni.main import create_app
from omni.settings import Settings

T = TypeVar("T")
_TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE|JOIN)\s+\"?(\w+)", re.IGNORECASE)
_OWN_FRAMES = ("/omni/db/", "/sqlalchemy/", "/asyncio/", "/bench/", "/starlette/", "/fastapi/")


@dataclass
class StatementLog:
    """Round trips to the database, by shape ("SELECT carts") and by caller."""

    shapes: Counter[str] = field(default_factory=Counter)
    callers: Counter[str] = field(default_factory=Counter)

    def total(self) -> int:
        return sum(self.shapes.values())

    def add(self, other: StatementLog) -> None:
        self.shapes.update(other.shapes)
        self.callers.update(other.callers)


@dataclass
class Listener:
    """Sorts every round trip into the request's log or the dispatcher's: handlers run
    in the dispatcher's own asyncio tasks, possibly while the answer is still leaving."""

    request: StatementLog = field(default_factory=StatementLog)
    dispatcher: StatementLog = field(default_factory=StatementLog)
    # A transaction's COMMIT or ROLLBACK goes to the log its BEGIN went to: a session
    # may be closed from another task than the one that used it.
    _open: dict[int, StatementLog] = field(default_factory=dict)

    def attach(self, db: Database) -> None:
        engine = db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._ending("COMMIT"))
        event.listen(engine, "rollback", self._ending("ROLLBACK"))

    def take(self) -> tuple[StatementLog, StatementLog]:
        """(request, dispatcher) since the last take; start afresh."""
        seen = self.request, self.dispatcher
        self.request, self.dispatcher = StatementLog(), StatementLog()
        return seen

    def _log(self) -> StatementLog:
        task = asyncio.current_task()
        coroutine = getattr(task.get_coro(), "__qualname__", "") if task else ""
        return self.dispatcher if coroutine.startswith("Dispatcher.") else self.request

    def _statement(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        log = self._log()
        if not _in_transaction(conn):
            log.shapes["BEGIN"] += 1  # the driver sends it just before this statement
            self._open[id(conn.connection.dbapi_connection)] = log
        log.shapes[shape_of(statement)] += 1
        log.callers[_caller()] += 1

    def _ending(self, word: str) -> Any:
        def seen(conn: Any) -> None:
            # Only a transaction that sent a statement sends its COMMIT or ROLLBACK.
            if _in_transaction(conn):
                began = self._open.pop(id(conn.connection.dbapi_connection), None)
                (began or self._log()).shapes[word] += 1

        return seen


def _in_transaction(conn: Any) -> bool:
    """Whether the driver has sent BEGIN on this connection. SQLAlchemy's asyncpg adapter
    sends BEGIN with the first statement of a transaction, and COMMIT or ROLLBACK only
    if it did (its ``_transaction``); SQLAlchemy's own begin/commit/rollback events also
    fire for transactions that never reach the server."""
    adapted = conn.connection.dbapi_connection
    return getattr(adapted, "_transaction", None) is not None


def shape_of(statement: str) -> str:
    """First word and the tables it names: "SELECT carts, cart_lines"."""
    words = statement.split(None, 1)
    verb = words[0].upper() if words else "?"
    tables = list(dict.fromkeys(match.lower() for match in _TABLE.findall(statement)))
    return f"{verb} {', '.join(tables)}".strip()


def _caller() -> str:
    """The innermost frame of Omni's own modules outside the db plumbing."""
    # SQLAlchemy runs the statement in a child greenlet; the awaiting coroutines are
    # suspended in its parent, so the walk continues from there.
    here = greenlet.getcurrent()
    frame = here.parent.gr_frame if here.parent is not None else sys._getframe(2)
    while frame is not None:
        path = frame.f_code.co_filename
        if "/omni/" in path and not any(part in path for part in _OWN_FRAMES):
            module = path.rsplit("/omni/", 1)[1].removesuffix(".py").replace("/", ".")
            return f"{module}.{frame.f_code.co_name}"
        frame = frame.f_back
    return "?"


@dataclass
class Stopwatch:
    """Wall and CPU milliseconds per request kind, one request at a time in-process: the
    server's own cost of each request without queueing (the CPU includes the ASGI
    client's small share)."""

    samples: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    on: bool = False

    async def time(self, kind: str, work: Awaitable[T]) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        result = await work
        if self.on:
            elapsed = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
            self.samples.setdefault(kind, []).append(elapsed)
        return result

    def medians(self) -> dict[str, dict[str, float]]:
        return {
            kind: {
                "wall_ms": round(statistics.median(w for w, _ in pairs), 2),
                "cpu_ms": round(statistics.median(c for _, c in pairs), 2),
            }
            for kind, pairs in self.samples.items()
        }


@dataclass(frozen=True)
class StatementCounts:
    orders: int
    checkout: StatementLog
    after_commit: StatementLog
    cart_requests: StatementLog
    solo: Stopwatch

    def as_dict(self) -> dict[str, Any]:
        per = self.orders
        return {
            "orders_counted": per,
            "per_checkout": round(self.checkout.total() / per, 2),
            "per_checkout_after_commit": round(self.after_commit.total() / per, 2),
            "per_cart_request": round(
                self.cart_requests.total() / (per * (1 + LINES_PER_ORDER)), 2
            ),
            "checkout": _breakdown(self.checkout.shapes, per),
            "checkout_by_caller": _breakdown(self.checkout.callers, per),
            "after_commit": _breakdown(self.after_commit.shapes, per),
            "cart_requests": _breakdown(self.cart_requests.shapes, per),
            "solo_request_ms": self.solo.medians(),
        }


def _breakdown(counts: Counter[str], orders: int) -> dict[str, float]:
    return {name: round(count / orders, 2) for name, count in counts.most_common()}


async def count_checkout_statements(
    settings: Settings, channel_id: str, skus: list[str], *, orders: int, warmup: int = 2
) -> StatementCounts:
    """Place ``warmup`` + ``orders`` guest orders in-process; count the last ``orders``."""
    db = Database(settings)
    app = create_app(settings, db=db)
    listener = Listener()
    listener.attach(db)
    checkout, after, cart = StatementLog(), StatementLog(), StatementLog()
    watch = Stopwatch()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for number in range(warmup + orders):
                lines = skus[number * LINES_PER_ORDER :][:LINES_PER_ORDER]
                watch.on = number >= warmup
                seen = await _one_order(client, app, listener, watch, channel_id, lines)
                if number >= warmup:
                    for total, part in zip((cart, checkout, after), seen, strict=True):
                        total.add(part)
    finally:
        await app.state.dispatcher.drain()
        await db.dispose()
    return StatementCounts(orders, checkout, after, cart, watch)


async def _one_order(
    client: httpx.AsyncClient,
    app: Any,
    listener: Listener,
    watch: Stopwatch,
    channel_id: str,
    skus: list[str],
) -> tuple[StatementLog, StatementLog, StatementLog]:
    """(cart requests, checkout request, after-commit handlers of the checkout)."""
    dispatcher = app.state.dispatcher
    await dispatcher.drain()
    listener.take()
    opened = await watch.time("open_cart", client.post(CARTS, json={"channel_id": channel_id}))
    cart = _expect(opened, 201).json()
    token = {"X-Cart-Token": cart["guest_token"]}
    for variant in skus:
        line = {"variant_id": variant, "quantity": 1}
        added = client.post(f"{CARTS}/{cart['id']}/lines", json=line, headers=token)
        _expect(await watch.time("add_line", added), 200)
    await watch.time("cart_after_commit", dispatcher.drain())
    cart_log, _ = listener.take()
    headers = token | {"Idempotency-Key": uuid.uuid4().hex}
    placed = client.post(CHECKOUT, json=checkout_body(cart["id"]), headers=headers)
    _expect(await watch.time("checkout", placed), 201)
    await watch.time("checkout_after_commit", dispatcher.drain())
    checkout_log, after_log = listener.take()
    return cart_log, checkout_log, after_log


def _expect(response: httpx.Response, status: int) -> httpx.Response:
    if response.status_code != status:
        raise RuntimeError(f"{response.request.url.path}: {response.status_code} {response.text}")
    return response
