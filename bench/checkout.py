"""``omni bench checkout``: guest checkouts over HTTP against a running server —
production-like: ``omni serve --workers N`` on PostgreSQL — compared with pgbench's
order-shaped transaction (``pg-limits``' ``l_order_tps``) measured in the same run.

A fresh database, migrated to head and seeded through the admin API
(``checkout_data``); the server as a subprocess; then ``clients`` shoppers, each on its
own connection and its own SKUs, loop for ``seconds``: open a guest cart, add 3 lines,
check out (ship to New York, card approved by the test provider). After the run, a few
orders go through the application in-process to count and list the statements a
checkout sends (``checkout_statements``).

Options: ``clients`` (64), ``seconds`` (30), ``warmup`` (3), ``workers`` (2), ``pool``
(connections per worker, 8), ``products`` (64) x ``sizes`` (15) SKUs, ``l_order_seconds``
(15; 0 skips pgbench), ``seed_orders`` (100000, pgbench's past orders), ``profile``
(1: py-spy samples one worker through the window, when installed — on PATH or
``OMNI_BENCH_PY_SPY``), ``profile_out`` (a path: keep py-spy's collapsed stacks),
``count_orders`` (5).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg

from bench import checkout_cpu as cpu
from bench.checkout_data import BenchShop, seed_shop
from bench.checkout_load import Tally, Window, shop, shoppers
from bench.checkout_statements import count_checkout_statements
from bench.machine import machine_facts, percentile
from bench.pg_limits import ORDER, pgbench_tps, prepare
from bench.pgdb import fresh_database
from omni.db.all_models import metadata
from omni.db.database import Database
from omni.db.migrations import upgrade_to_head
from omni.settings import Settings

HOST = "127.0.0.1"
LOCAL_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
TARGETS = {"ratio_to_l_order": 0.12, "p99_ms": 100, "sql_statements_per_order": 12, "errors": 0}


def run(database_url: str, options: dict[str, Any]) -> dict[str, Any]:
    server_url = postgres_server(database_url)
    config = {
        "clients": int(options.get("clients", 64)),
        "seconds": float(options.get("seconds", 30)),
        "warmup": float(options.get("warmup", 3)),
        "workers": int(options.get("workers", 2)),
        "pool": int(options.get("pool", 8)),
    }
    with (
        fresh_database(server_url, "omni_checkout") as (dsn, url),
        tempfile.TemporaryDirectory(prefix="omni-checkout-") as folder,
    ):
        asyncio.run(_migrate(url))
        settings = _settings(url, folder)
        bench_shop = asyncio.run(
            seed_shop(
                settings,
                products=int(options.get("products", 64)),
                sizes=int(options.get("sizes", 15)),
            )
        )
        profile = Path(folder) / "profile.txt" if options.get("profile", "1") != "0" else None
        with _server(url, folder, config) as (server, port):
            load = asyncio.run(_drive(dsn, server, port, bench_shop, config, profile))
        statements = asyncio.run(
            _count_statements(settings, bench_shop, int(options.get("count_orders", 5)))
        )
        profiled = _profile_result(profile, options.get("profile_out"))
    l_order = _l_order_tps(server_url, options)
    return _result(config, load, statements, profiled, l_order)


async def _migrate(url: str) -> None:
    """Migrations to head, then any table the models have that no migration creates
    yet (work in progress in the tree: the benchmark still runs)."""
    await asyncio.to_thread(upgrade_to_head, url)
    db = Database(Settings(database_url=url))
    async with db.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await db.dispose()


async def _count_statements(settings: Settings, shop: BenchShop, orders: int) -> dict[str, Any]:
    try:
        counts = await count_checkout_statements(
            settings, shop.channel_id, shop.variant_ids, orders=orders
        )
    except RuntimeError as error:  # a refused checkout: the run's errors say more
        return {"error": str(error)[:500], "per_checkout": None}
    return counts.as_dict()


def postgres_server(database_url: str) -> str:
    """The scenario needs PostgreSQL: without a PostgreSQL --database-url (the default
    is SQLite) it uses OMNI_TEST_POSTGRES_URL, else the local server, so
    ``omni bench checkout --json`` runs as it is."""
    if database_url.startswith("postgresql"):
        return database_url
    return os.environ.get("OMNI_TEST_POSTGRES_URL") or LOCAL_POSTGRES


def _settings(url: str, folder: str) -> Settings:
    return Settings(
        database_url=url,
        log_json=False,
        log_level="WARNING",
        notify_file_path=str(Path(folder) / "notifications.jsonl"),
    )


@contextlib.contextmanager
def _server(url: str, folder: str, config: dict[str, Any]) -> Iterator[tuple[int, int]]:
    """``omni serve`` as production runs it, in its own folder (its notifications file,
    no stray ``.env``); yields (pid, port) once it answers."""
    port = _free_port()
    env = os.environ | {
        "OMNI_DATABASE_URL": url,
        "OMNI_DB_POOL_SIZE": str(config["pool"]),
        "OMNI_DB_MAX_OVERFLOW": "0",
        "OMNI_LOG_LEVEL": "WARNING",
        "OMNI_NOTIFY_FILE_PATH": str(Path(folder) / "server-notifications.jsonl"),
    }
    omni = Path(sys.executable).with_name("omni")
    command = [str(omni), "serve", "--host", HOST, "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", str(config["workers"])],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(folder) / "server.log", "wb"),  # noqa: SIM115 - closed with the process
    )
    try:
        _wait_until_up(port, server, config["workers"])
        yield server.pid, port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _wait_until_up(port: int, server: subprocess.Popen[bytes], workers: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"omni serve exited with {server.returncode}")
        # With one worker uvicorn serves from its own process, else from its children.
        started = workers == 1 or len(cpu.process_tree(server.pid)) > workers
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            if started:
                _wait_until_idle(server.pid)
                return
        time.sleep(0.3)
    raise RuntimeError("omni serve did not answer within 120 s")


def _wait_until_idle(server: int) -> None:
    """Every worker imports the application itself, the last ones long after the first
    answers on a loaded machine: wait until the processes stop using CPU."""
    used = sum(cpu.cpu_seconds(cpu.process_tree(server)).values())
    for _ in range(60):
        time.sleep(0.5)
        now = sum(cpu.cpu_seconds(cpu.process_tree(server)).values())
        if now - used < 0.05:
            return
        used = now


async def _drive(
    dsn: str,
    server: int,
    port: int,
    bench_shop: BenchShop,
    config: dict[str, Any],
    profile: Path | None,
) -> dict[str, Any]:
    clients = shoppers(HOST, port, bench_shop.channel_id, bench_shop.variant_ids, config["clients"])
    window, tally = Window(), Tally()
    tasks = [asyncio.create_task(shop(shopper, window, tally)) for shopper in clients]
    await asyncio.sleep(config["warmup"])  # pools filled, statements prepared, caches warm
    backends = await _backend_pids(dsn)
    sampler = _start_profile(server, config["seconds"], profile)
    before = cpu.snapshot(server, backends)
    window.started = time.perf_counter()
    await asyncio.sleep(config["seconds"])
    window.ended = time.perf_counter()
    # A pool may open connections during the window: those backends count from zero.
    backends = sorted({*backends, *await _backend_pids(dsn)})
    after = cpu.snapshot(server, backends)
    window.stop = True
    await asyncio.gather(*tasks)
    for shopper in clients:
        shopper.connection.close()
    if sampler is not None:
        await asyncio.to_thread(sampler.wait)
    elapsed = window.ended - window.started
    return {
        "elapsed": elapsed,
        "tally": tally,
        "connections": len(backends),
        "cpu_split": cpu.cpu_split(before, after, tally.orders),
    }


async def _backend_pids(dsn: str) -> list[int]:
    """PostgreSQL backends serving the server's connections to the benchmark database."""
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
    finally:
        await connection.close()
    return [row["pid"] for row in rows]


def _start_profile(
    server: int, seconds: float, output: Path | None
) -> subprocess.Popen[bytes] | None:
    if output is None:
        return None
    workers = [pid for pid in cpu.process_tree(server) if pid != server]
    # The busiest worker is the one to sample: uvicorn's workers share one socket and the
    # kernel does not split connections evenly.
    used = cpu.cpu_seconds(workers)
    busiest = max(used, key=lambda pid: used[pid], default=server)
    return cpu.start_profile(busiest, seconds, output)


def _profile_result(output: Path | None, keep: str | None) -> dict[str, Any] | None:
    if output is None:
        return None
    if not output.exists():
        return {"error": "py-spy not installed or could not attach"}
    if keep:  # the collapsed stacks, for a flame graph (e.g. speedscope, inferno)
        Path(keep).write_text(output.read_text())
    return cpu.profile_top(output.read_text())


def _l_order_tps(server_url: str, options: dict[str, Any]) -> float | None:
    seconds = int(options.get("l_order_seconds", 15))
    if seconds <= 0:
        return None
    with fresh_database(server_url, "omni_pglimits") as (dsn, _url):
        prepare(dsn, int(options.get("seed_orders", 100_000)))
        clients = int(options.get("l_order_clients", 64))
        return round(pgbench_tps(dsn, ORDER, clients=clients, seconds=seconds), 1)


def _code_version() -> dict[str, Any]:
    """Which code ran: others edit the same tree, so a figure names its commit and how
    many files differed from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "changed_files": len(git("status", "--porcelain").splitlines()),
    }


def _result(
    config: dict[str, Any],
    load: dict[str, Any],
    statements: dict[str, Any],
    profile: dict[str, Any] | None,
    l_order: float | None,
) -> dict[str, Any]:
    tally: Tally = load["tally"]
    per_second = tally.orders / load["elapsed"]
    latencies = tally.checkout_ms
    figures: dict[str, Any] = {
        "scenario": "checkout",
        **config,
        "server_connections": load["connections"],
        "orders": tally.orders,
        "orders_per_s": round(per_second, 1),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(max(latencies, default=0.0), 1),
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors.most_common()),
        "cart_requests": {
            "count": len(tally.cart_ms),
            "p50_ms": round(percentile(tally.cart_ms, 50), 1),
            "p95_ms": round(percentile(tally.cart_ms, 95), 1),
            "p99_ms": round(percentile(tally.cart_ms, 99), 1),
        },
        "sql_statements_per_order": statements["per_checkout"],
        "statements": statements,
        "cpu_split": load["cpu_split"],
        "l_order_tps": l_order,
        # Three significant figures: the ratio is small today (0.008), and three
        # decimals would round away a tenth of it.
        "ratio_to_l_order": float(f"{per_second / l_order:.3g}") if l_order else None,
        "profile": profile,
        "code": _code_version(),
        "machine": machine_facts(),
    }
    figures["targets_met"] = {
        "ratio_to_l_order": (figures["ratio_to_l_order"] or 0) >= TARGETS["ratio_to_l_order"],
        "p99_ms": figures["p99_ms"] <= TARGETS["p99_ms"],
        "sql_statements_per_order": (figures["sql_statements_per_order"] or 99)
        <= TARGETS["sql_statements_per_order"],
        "errors": figures["errors"] == TARGETS["errors"],
    }
    return figures
