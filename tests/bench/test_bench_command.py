"""`omni bench` prints one JSON object with real figures (not a timing assertion)."""

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


def test_demo_build_scenario_reports_its_figures_as_json():
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "demo-build",
            "--json",
            "--set",
            "scale=0.02",
            "--database-url",
            "sqlite+aiosqlite:///x.db",
        ],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["scenario"] == "demo-build"
    assert figures["seconds"] > 0
    assert figures["counts"]["catalog_variants"] > 0
    assert figures["machine"]["cpus"] >= 1


def test_unknown_scenarios_are_refused_with_the_list():
    result = CliRunner().invoke(app, ["bench", "no-such-thing"])
    assert result.exit_code != 0
    assert "demo-build" in result.output


def test_forecast_scenario_reports_mase_against_seasonal_naive():
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "forecast",
            "--json",
            "--set",
            "scale=0.02",
            "--database-url",
            "sqlite+aiosqlite:///x.db",
        ],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["scenario"] == "forecast"
    assert figures["rules"] > 0
    assert figures["backtest"]["series"] > 0
    assert figures["backtest"]["model_mase"] > 0
    assert figures["plan_seconds"] > 0
