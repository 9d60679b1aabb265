"""The ``checkout`` benchmark's load: shoppers building a cart and checking out, over
HTTP, as fast as the server answers.

It shares the two cores with the server and PostgreSQL, so it is kept lean: one process,
one asyncio loop, and a minimal HTTP/1.1 keep-alive client (one connection per shopper)
instead of a general-purpose client library: ≈ 0.25 ms of CPU per request, reported as
``cpu_split.load_generator`` (about 1 % of the server's CPU per order).
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import orjson

CARTS, CHECKOUT = "/api/v1/carts", "/api/v1/orders/checkout"
LINES_PER_ORDER = 3
NEW_YORK = {
    "line1": "120 Prince St",
    "city": "New York",
    "region": "NY",
    "postal_code": "10012",
    "country": "US",
}
APPROVING_TOKEN = "tok_visa"  # the test provider approves it (payments/test_provider.py)


class ConnectionLost(Exception):
    """The server closed the connection or sent something that is not HTTP/1.1."""


class HttpConnection:
    """One keep-alive HTTP/1.1 connection: a request, then its whole response."""

    def __init__(self, host: str, port: int) -> None:
        self._host, self._port = host, port
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(
        self, method: str, path: str, body: Any, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self._host, self._port)
        reader, writer = self._streams
        payload = orjson.dumps(body)
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self._host}",
            f"Content-Length: {len(payload)}",
        ]
        head += ["Content-Type: application/json", *(f"{k}: {v}" for k, v in headers.items())]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        try:
            return await self._response(reader)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError) as error:
            self.close()
            raise ConnectionLost(str(error)) from error

    async def _response(self, reader: asyncio.StreamReader) -> tuple[int, bytes]:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        fields = dict(line.lower().split(": ", 1) for line in head[1:] if ": " in line)
        if "content-length" in fields:
            body = await reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding") == "chunked":
            body = await _chunked(reader)
        else:
            body = await reader.read()
        if fields.get("connection") == "close":
            self.close()
        return status, body

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while size := int((await reader.readline()).split(b";")[0], 16):
        parts.append(await reader.readexactly(size))
        await reader.readline()
    await reader.readline()
    return b"".join(parts)


@dataclass
class Window:
    """The measured interval: requests that start in it are timed, orders counted."""

    started: float = 0.0
    ended: float = 0.0
    stop: bool = False

    def measuring(self, at: float) -> bool:
        return self.started > 0 and (self.ended == 0 or at < self.ended)


@dataclass
class Tally:
    checkout_ms: list[float] = field(default_factory=list)
    cart_ms: list[float] = field(default_factory=list)
    orders: int = 0
    errors: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Shopper:
    """One client: its own connection and its own SKUs (no two shoppers share a stock
    row, so the run measures checkout, not a hot SKU)."""

    number: int
    channel_id: str
    skus: list[str]
    connection: HttpConnection


async def shop(shopper: Shopper, window: Window, tally: Tally) -> None:
    while not window.stop:
        try:
            await _one_order(shopper, window, tally)
        except ConnectionLost as error:
            if window.measuring(time.perf_counter()):
                tally.errors[f"connection: {error}"[:80]] += 1


async def _one_order(shopper: Shopper, window: Window, tally: Tally) -> None:
    opened = await _timed(
        shopper, window, tally.cart_ms, CARTS, {"channel_id": shopper.channel_id}, {}
    )
    if not _ok(opened, 201, "open_cart", window, tally):
        return
    cart = orjson.loads(opened[1])
    token = {"X-Cart-Token": cart["guest_token"]}
    for variant in random.sample(shopper.skus, LINES_PER_ORDER):
        line = {"variant_id": variant, "quantity": 1}
        added = await _timed(
            shopper, window, tally.cart_ms, f"{CARTS}/{cart['id']}/lines", line, token
        )
        if not _ok(added, 200, "add_line", window, tally):
            return
    headers = token | {"Idempotency-Key": uuid.uuid4().hex}
    started = time.perf_counter()
    placed = await shopper.connection.request("POST", CHECKOUT, checkout_body(cart["id"]), headers)
    if window.measuring(started) and _ok((*placed, started), 201, "checkout", window, tally):
        tally.checkout_ms.append((time.perf_counter() - started) * 1000)
        tally.orders += 1


async def _timed(
    shopper: Shopper,
    window: Window,
    samples: list[float],
    path: str,
    body: Any,
    headers: dict[str, str],
) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    status, answer = await shopper.connection.request("POST", path, body, headers)
    if window.measuring(started):
        samples.append((time.perf_counter() - started) * 1000)
    return status, answer, started


def _ok(
    answer: tuple[int, bytes, float], expected: int, step: str, window: Window, tally: Tally
) -> bool:
    status, body, started = answer
    if status == expected:
        return True
    if window.measuring(started):
        tally.errors[f"{step} {status} {_problem_code(body)}"] += 1
    return False


def _problem_code(body: bytes) -> str:
    try:
        return str(orjson.loads(body).get("code", ""))
    except (orjson.JSONDecodeError, AttributeError):
        return ""


def checkout_body(cart_id: str) -> dict[str, Any]:
    return {
        "cart_id": cart_id,
        "method": "ship",
        "shipping_address": NEW_YORK,
        "contact": {"email": "shopper@example.com"},
        "payment": [{"kind": "card_online", "reference": APPROVING_TOKEN}],
    }


def shoppers(
    host: str, port: int, channel_id: str, variant_ids: list[str], clients: int
) -> list[Shopper]:
    """``clients`` shoppers, each with its own slice of the SKUs."""
    share = len(variant_ids) // clients
    if share < LINES_PER_ORDER:
        raise ValueError(f"{len(variant_ids)} SKUs are too few for {clients} clients")
    return [
        Shopper(n, channel_id, variant_ids[n * share : (n + 1) * share], HttpConnection(host, port))
        for n in range(clients)
    ]
