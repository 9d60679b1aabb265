"""``omni bench pg-limits``: the raw PostgreSQL ceilings on this machine, with pgbench.

- ``l_row_tps``: one hot row, ``UPDATE … WHERE id = 1 AND qty > 0`` per transaction.
- ``l_order_tps``: an order-shaped transaction — order + 3 lines + 3 conditional
  decrements in id order + 1 outbox row, one statement per round trip — on tables seeded
  with ~100k past orders and ANALYZEd (statistics from empty tables make foreign-key
  checks scan, and throughput decays during the run).
Options: ``clients`` (64), ``seconds`` (15), ``seed_orders`` (100000).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from bench.machine import machine_facts
from bench.pgdb import fresh_database

SCHEMA = """
CREATE TABLE hot (id int PRIMARY KEY, qty bigint NOT NULL);
INSERT INTO hot VALUES (1, 1000000000000);
CREATE TABLE stock (id int PRIMARY KEY, qty bigint NOT NULL);
INSERT INTO stock SELECT g, 1000000000 FROM generate_series(1, 10000) g;
CREATE TABLE orders (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL, total int NOT NULL);
CREATE TABLE order_lines (id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders(id),
                          sku int NOT NULL, quantity int NOT NULL);
CREATE INDEX ON order_lines (order_id);
CREATE TABLE outbox (id bigserial PRIMARY KEY, payload jsonb NOT NULL);
INSERT INTO orders (created_at, total) SELECT now() - g * interval '1 minute', 3000
  FROM generate_series(1, {seed_orders}) g;
INSERT INTO order_lines (order_id, sku, quantity) SELECT o.id, (o.id * 7 + k) % 10000 + 1, 1
  FROM orders o, generate_series(1, 3) k;
INSERT INTO outbox (payload)
  SELECT '{{"type": "order.placed"}}'::jsonb FROM generate_series(1, {seed_orders});
ANALYZE;
"""

HOT_ROW = "UPDATE hot SET qty = qty - 1 WHERE id = 1 AND qty > 0;\n"

ORDER = """\\set a random(1, 3333)
\\set b random(3334, 6666)
\\set c random(6667, 10000)
BEGIN;
INSERT INTO orders (created_at, total) VALUES (now(), 3000) RETURNING id \\gset
INSERT INTO order_lines (order_id, sku, quantity) VALUES (:id, :a, 1);
INSERT INTO order_lines (order_id, sku, quantity) VALUES (:id, :b, 1);
INSERT INTO order_lines (order_id, sku, quantity) VALUES (:id, :c, 1);
UPDATE stock SET qty = qty - 1 WHERE id = :a AND qty > 0;
UPDATE stock SET qty = qty - 1 WHERE id = :b AND qty > 0;
UPDATE stock SET qty = qty - 1 WHERE id = :c AND qty > 0;
INSERT INTO outbox (payload) VALUES ('{"type": "order.placed"}');
END;
"""


def pgbench_tps(dsn: str, script: str, *, clients: int, seconds: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "script.sql"
        path.write_text(script)
        out = subprocess.run(
            [
                "pgbench",
                "-n",
                "-c",
                str(clients),
                "-j",
                "2",
                "-T",
                str(seconds),
                "-f",
                str(path),
                dsn,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out)
    if match is None:
        raise RuntimeError(f"unexpected pgbench output:\n{out}")
    return float(match.group(1))


def prepare(dsn: str, seed_orders: int) -> None:
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", dsn],
        input=SCHEMA.format(seed_orders=seed_orders),
        text=True,
        check=True,
        capture_output=True,
    )


def hot_row_tps(server_url: str, *, clients: int, seconds: int) -> float:
    """Only the hot-row ceiling (for scenarios that compare themselves to it)."""
    with fresh_database(server_url, "omni_pglimits") as (dsn, _url):
        prepare(dsn, seed_orders=1000)
        return round(pgbench_tps(dsn, HOT_ROW, clients=clients, seconds=seconds), 1)


def measure(server_url: str, *, clients: int, seconds: int, seed_orders: int) -> dict[str, Any]:
    with fresh_database(server_url, "omni_pglimits") as (dsn, _url):
        prepare(dsn, seed_orders)
        return {
            "l_row_tps": round(pgbench_tps(dsn, HOT_ROW, clients=clients, seconds=seconds), 1),
            "l_order_tps": round(pgbench_tps(dsn, ORDER, clients=clients, seconds=seconds), 1),
        }


def run(database_url: str, options: dict[str, Any]) -> dict[str, Any]:
    clients = int(options.get("clients", 64))
    seconds = int(options.get("seconds", 15))
    seed_orders = int(options.get("seed_orders", 100_000))
    figures = measure(database_url, clients=clients, seconds=seconds, seed_orders=seed_orders)
    return {
        "scenario": "pg-limits",
        "clients": clients,
        "seconds": seconds,
        **figures,
        "machine": machine_facts(),
    }
