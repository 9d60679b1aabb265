"""`omni bench availability` on a tiny SQLite catalog: the figures are there and sane."""

import json

import pytest
from typer.testing import CliRunner

from omni.cli import app
from omni.settings import get_settings


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """`omni` points the process at its --database-url; undo that after each test."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OMNI_DATABASE_URL", "sqlite+aiosqlite:///unused.db")
    yield
    get_settings.cache_clear()


def test_availability_scenario_times_the_three_reads_without_locking():
    tiny = ["variants=200", "locations=30", "stocked=20", "iterations=20", "warmup=2"]
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "availability",
            "--json",
            *[arg for option in tiny for arg in ("--set", option)],
            "--database-url",
            "sqlite+aiosqlite:///x.db",
        ],
    )

    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["scenario"] == "availability"
    assert figures["stock_rows"] == 200 * 20
    assert figures["generate_s"] >= 0
    queries = figures["queries"]
    for name in ("nearby", "bulk", "listing"):
        read = queries[name]
        assert read["iterations"] == 20
        assert 0 < read["p50_ms"] <= read["p95_ms"] <= read["p99_ms"] <= read["max_ms"]
        assert read["mean_result"] > 0  # each read found something: the data is there
        assert isinstance(read["target_met"], bool)
    assert queries["listing"]["mean_result"] <= 50  # one page
    assert 0 < queries["listing_count"]["mean_result"] <= 200 / 5  # of 40 products
    assert queries["locking_statements"] == 0
    assert figures["machine"]["cpus"] >= 1
