"""`omni replenish` plans from the demo's year of demand (on a copy of the demo)."""

import json
import shutil

from typer.testing import CliRunner

from omni.cli import app
from omni.settings import get_settings
from tests.demo.conftest import sqlite_url


def test_replenish_plans_every_rule_and_backtests_the_forecasts(small_demo, tmp_path, monkeypatch):
    copy = tmp_path / "plan.db"
    shutil.copy(small_demo.path, copy)
    monkeypatch.setenv("OMNI_DATABASE_URL", sqlite_url(copy))
    try:
        result = CliRunner().invoke(app, ["replenish", "--json", "--evaluate"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    rules = small_demo.scalar("SELECT count(*) FROM replenishment_rules")
    assert summary["rules"] == rules
    assert sum(summary["forecast_methods"].values()) == rules
    backtest = summary["backtest"]
    assert backtest["series"] > 0
    # On a year of weekday-shaped demand the model must beat "same day last week".
    assert backtest["model_mase"] < backtest["seasonal_naive_mase"]
    assert sum(summary["by_status"].values()) == sum(summary["suggestions"].values())
