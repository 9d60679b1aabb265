"""``omni import`` and ``omni export`` against a fresh, migrated SQLite file."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from omni.cli import app
from omni.customers.api import IMPORT_COLUMNS
from omni.db.database import Database
from omni.db.migrations import upgrade_to_head
from omni.locations.api import CSV_COLUMNS
from omni.pricing.price_lists import create_price_list
from omni.pricing.schemas import PriceListIn
from omni.settings import get_settings
from tests import support
from tests.integrations.helpers import csv_text
from tests.integrations.test_locations_csv import location_row

runner = CliRunner()


class CliDatabase:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite+aiosqlite:///{path}"

    def scalar(self, sql: str, *params: object) -> object:
        with sqlite3.connect(self.path) as connection:
            return connection.execute(sql, params).fetchone()[0]

    def omni(self, *args: str) -> object:
        return runner.invoke(app, [*args, "--database-url", self.url])


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliDatabase]:
    database = CliDatabase(tmp_path / "cli.db")
    upgrade_to_head(database.url)
    # The CLI points the process at its --database-url; put it back afterwards.
    monkeypatch.setenv("OMNI_DATABASE_URL", database.url)
    get_settings.cache_clear()
    yield database
    get_settings.cache_clear()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_applies_a_valid_file_and_says_what_it_did(cli_db, tmp_path):
    rows = [location_row(), location_row()]
    file = write(tmp_path, "locations.csv", csv_text(list(CSV_COLUMNS), rows))
    result = cli_db.omni("import", "locations", str(file))
    assert result.exit_code == 0, result.output
    assert "Imported 2 locations rows" in result.stderr
    assert "Validating" in result.stderr and "Applying" in result.stderr
    assert cli_db.scalar("SELECT count(*) FROM locations") == 2
    assert (
        cli_db.scalar(
            "SELECT actor_kind || ':' || actor_id FROM audit_log WHERE action = 'import.locations'"
        )
        == "system:system"
    )


def test_import_refuses_a_file_with_a_bad_row_and_lists_it(cli_db, tmp_path):
    rows = [location_row(), location_row(time_zone="Mars/Base")]
    file = write(tmp_path, "locations.csv", csv_text(list(CSV_COLUMNS), rows))
    result = cli_db.omni("import", "locations", str(file))
    assert result.exit_code == 1
    assert "1 problems in 2 rows; nothing was imported" in result.stderr
    assert "time_zone" in result.stderr
    assert cli_db.scalar("SELECT count(*) FROM locations") == 0


def test_a_dry_run_changes_nothing(cli_db, tmp_path):
    file = write(tmp_path, "l.csv", csv_text(list(CSV_COLUMNS), [location_row()]))
    result = cli_db.omni("import", "locations", str(file), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run passed" in result.stderr
    assert cli_db.scalar("SELECT count(*) FROM locations") == 0


def test_products_then_prices_then_an_export_of_one_list(cli_db, tmp_path):
    products = (
        "handle,name,sku,status,option:size\nmug,Mug,MUG-S,active,S\nmug,Mug,MUG-L,active,L\n"
    )
    result = cli_db.omni("import", "products", str(write(tmp_path, "p.csv", products)))
    assert result.exit_code == 0, result.output
    asyncio.run(_price_list(cli_db.url, "retail-usd"))
    prices = "price_list_code,sku,amount\nretail-usd,mug-s,12.50\nretail-usd,MUG-L,14\n"
    result = cli_db.omni("import", "prices", str(write(tmp_path, "pr.csv", prices)))
    assert result.exit_code == 0, result.output
    assert cli_db.scalar("SELECT sum(amount) FROM prices") == 1250 + 1400

    out = tmp_path / "export.csv"
    result = cli_db.omni("export", "prices", str(out), "--price-list", "retail-usd")
    assert result.exit_code == 0, result.output
    assert "Exported 2 prices rows" in result.stderr
    exported = sorted(csv.reader(io.StringIO(out.read_text())))
    assert exported == sorted(
        [
            ["price_list_code", "sku", "min_quantity", "amount", "compare_at_amount"],
            ["retail-usd", "MUG-S", "1", "12.50", ""],
            ["retail-usd", "MUG-L", "1", "14.00", ""],
        ]
    )
    missing = cli_db.omni("export", "prices", str(tmp_path / "x.csv"), "--price-list", "nope")
    assert missing.exit_code == 1
    assert not (tmp_path / "x.csv").exists()
    assert not (tmp_path / "x.csv.partial").exists()


def test_customers_export_to_standard_output_is_escaped(cli_db, tmp_path):
    rows = [{"first_name": "=HYPERLINK(1)", "last_name": "Hopper"}]
    file = write(tmp_path, "c.csv", csv_text(list(IMPORT_COLUMNS), rows))
    assert cli_db.omni("import", "customers", str(file)).exit_code == 0
    result = cli_db.omni("export", "customers", "-")
    assert result.exit_code == 0, result.output
    lines = list(csv.reader(io.StringIO(result.stdout)))
    assert lines[1][1:3] == ["'=HYPERLINK(1)", "Hopper"]


def test_an_unknown_entity_is_a_usage_error(cli_db, tmp_path):
    file = write(tmp_path, "x.csv", "a\n")
    assert cli_db.omni("import", "orders", str(file)).exit_code == 2


async def _price_list(url: str, code: str) -> None:
    db = Database(support.test_settings(url))
    try:
        await create_price_list(db.uow(), PriceListIn(code=code, name="Retail", currency="USD"))
    finally:
        await db.dispose()
