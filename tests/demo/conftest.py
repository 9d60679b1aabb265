"""A small demo (scale 0.05) built once per run into a real SQLite file, read back with
the standard library's sqlite3 so the assertions see exactly what was stored."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from omni.demo.builder import DemoResult, build_demo

SMALL = 0.05


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


class Stored:
    """Read access to a built demo file."""

    def __init__(self, path: Path, result: DemoResult) -> None:
        self.path = path
        self.url = sqlite_url(path)
        self.result = result
        self.db = sqlite3.connect(path)
        self.db.row_factory = sqlite3.Row

    def rows(self, sql: str, *params: Any) -> list[dict[str, Any]]:
        return [dict(row) for row in self.db.execute(sql, params)]

    def column(self, sql: str, *params: Any) -> list[Any]:
        return [row[0] for row in self.db.execute(sql, params)]

    def scalar(self, sql: str, *params: Any) -> Any:
        return self.db.execute(sql, params).fetchone()[0]

    @staticmethod
    def json(value: str | None) -> Any:
        return None if value is None else json.loads(value)


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stored]:
    path = tmp_path_factory.mktemp("demo") / "omni.db"
    result = build_demo(sqlite_url(path), seed=42, scale=SMALL)
    stored = Stored(path, result)
    yield stored
    stored.db.close()
