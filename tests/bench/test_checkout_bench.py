"""`omni bench checkout` for two seconds with a few shoppers: a real server on
PostgreSQL takes orders, and every figure of the JSON is there and sane (no timing
assertion: the figures themselves belong in docs/benchmarks.md)."""

import json
import os

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from omni.cli import app
from omni.settings import get_settings

pytestmark = pytest.mark.postgres
TINY = {
    "clients": 4,
    "seconds": 2,
    "warmup": 1,
    "workers": 1,
    "pool": 2,
    "products": 4,
    "sizes": 4,
    "l_order_seconds": 1,
    "seed_orders": 1000,
    "count_orders": 2,
    "profile": 0,
}


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """`omni` points the process at its --database-url; undo that after each test."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OMNI_DATABASE_URL", "sqlite+aiosqlite:///unused.db")
    yield
    get_settings.cache_clear()


def postgres_server() -> str:
    url = make_url(os.environ["OMNI_TEST_POSTGRES_URL"]).set(drivername="postgresql+asyncpg")
    return url.render_as_string(hide_password=False)


def test_checkout_scenario_places_orders_through_a_running_server():
    options = [arg for key, value in TINY.items() for arg in ("--set", f"{key}={value}")]
    result = CliRunner().invoke(
        app, ["bench", "checkout", "--json", *options, "--database-url", postgres_server()]
    )

    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["scenario"] == "checkout"
    assert figures["errors"] == 0, figures["error_kinds"]
    assert figures["orders"] > 0 and figures["orders_per_s"] > 0
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    assert figures["cart_requests"]["count"] > 0  # open cart and add lines, timed apart
    assert figures["cart_requests"]["p50_ms"] > 0
    statements = figures["statements"]
    assert figures["sql_statements_per_order"] == statements["per_checkout"] > 0
    writes = [shape for shape in statements["checkout"] if shape.startswith(("INSERT", "WITH"))]
    assert any("orders" in shape.split(" ", 1)[1].split(", ") for shape in writes)
    assert sum(statements["checkout"].values()) == statements["per_checkout"]
    split = figures["cpu_split"]
    assert split["server"] > 0 and split["postgres_backends"] > 0
    assert split["load_generator"] > 0
    assert split["ms_per_order"]["server"] > 0
    assert figures["l_order_tps"] > 0
    assert figures["ratio_to_l_order"] == pytest.approx(
        figures["orders_per_s"] / figures["l_order_tps"], rel=0.05
    )
    assert set(figures["targets_met"]) == {
        "ratio_to_l_order",
        "p99_ms",
        "sql_statements_per_order",
        "errors",
    }
    assert figures["profile"] is None  # profile=0
