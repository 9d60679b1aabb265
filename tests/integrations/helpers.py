"""Helpers for import/export tests: CSV text, uploads, exports read back, counts."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from omni.db.database import Database
from omni.db.platform_models import AuditEntry

IMPORTS = "/api/v1/imports"
EXPORTS = "/api/v1/exports"


def csv_text(columns: list[str], rows: list[dict[str, Any]]) -> str:
    """A CSV file's text: the header, then each row's cells (missing ones empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row[c] for c in columns])
    return out.getvalue()


def new_key() -> str:
    return f"test-{uuid.uuid4().hex}"


async def upload(
    client: httpx.AsyncClient,
    entity: str,
    data: str | bytes,
    headers: dict[str, str],
    *,
    dry_run: bool = False,
    key: str | None = None,
    multipart: bool = False,
) -> httpx.Response:
    """POST a CSV to /imports/<entity>, as a raw text/csv body or a multipart upload."""
    body = data.encode() if isinstance(data, str) else data
    sent = {**headers, "Idempotency-Key": key or new_key()}
    params = {"dry_run": "true"} if dry_run else {}
    if multipart:
        files = {"file": (f"{entity}.csv", body, "text/csv")}
        return await client.post(f"{IMPORTS}/{entity}", files=files, headers=sent, params=params)
    sent["Content-Type"] = "text/csv"
    return await client.post(f"{IMPORTS}/{entity}", content=body, headers=sent, params=params)


async def imported(
    client: httpx.AsyncClient, entity: str, data: str, headers: dict[str, str], **options: Any
) -> dict[str, Any]:
    """Upload and insist it was applied; the report."""
    response = await upload(client, entity, data, headers, **options)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    assert report["error_count"] == 0
    return report


def problems(response: httpx.Response) -> list[tuple[int, str]]:
    """(row, field) of every problem of a refused import."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "import_rejected"
    assert body["applied"] is False
    return [(error["row"], error["field"]) for error in body["errors"]]


async def export_rows(
    client: httpx.AsyncClient, entity: str, headers: dict[str, str], **params: str
) -> tuple[list[str], list[dict[str, str]]]:
    """GET /exports/<entity> parsed back: the header and the rows (cells as written)."""
    response = await client.get(f"{EXPORTS}/{entity}", headers=headers, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    reader = csv.DictReader(io.StringIO(response.text))
    return list(reader.fieldnames or []), list(reader)


async def count(database: Database, model: Any, *where: Any) -> int:
    async with database.reader() as session:
        found = await session.scalar(select(func.count()).select_from(model).where(*where))
    return int(found or 0)


async def audit_entries(database: Database, action: str) -> list[AuditEntry]:
    async with database.reader() as session:
        rows = await session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
        return list(rows)
