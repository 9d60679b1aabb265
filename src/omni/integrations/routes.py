"""HTTP endpoints: ``POST /imports/{entity}`` and ``GET /exports/{entity}`` (CH6).

One route per entity, generated from the specs, so each declares its own permission
(and the OpenAPI document lists them one by one). An import takes the CSV as a
multipart upload (field ``file``) or as a raw ``text/csv`` body; the file is spooled
(to disk past 1 MB) because the importer reads it twice.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from typing import IO, Annotated, Any

from fastapi import Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from omni.db.database import Database
from omni.http.deps import Access, DbDep
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.router import new_router
from omni.integrations.csv_export import ExportFilter, ExportSpec, export_chunks, start_export
from omni.integrations.csv_import import ImportReport, ImportSpec, import_csv
from omni.integrations.registry import EXPORTS, IMPORTS
from omni.kernel.actor import Actor
from omni.kernel.errors import DomainError, InvalidInput

router = new_router("", ["bulk data"])
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Room for the multipart envelope around a file of the maximum size.
MULTIPART_OVERHEAD = 64 * 1024
SPOOL_IN_MEMORY_BYTES = 1024 * 1024
CSV_MEDIA_TYPES = frozenset({"text/csv", "application/csv", "text/plain"})


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"
    title = "File too large"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"
    title = "Unsupported media type"


class ImportRejected(InvalidInput):
    code = "import_rejected"
    title = "The file has problems; nothing was imported"


class RowErrorOut(BaseModel):
    row: int
    field: str
    message: str


class ImportReportOut(BaseModel):
    entity: str
    dry_run: bool
    rows: int
    applied: bool
    error_count: int
    errors: list[RowErrorOut]
    counts: dict[str, int]


def _rejected(report: ImportReport) -> ImportRejected:
    shown = "" if len(report.errors) == report.error_count else f" (first {len(report.errors)})"
    body = report.as_dict()
    return ImportRejected(
        f"{report.error_count} problems found{shown}; nothing was imported.",
        **{key: body[key] for key in ("entity", "dry_run", "rows", "applied", "error_count")},
        errors=body["errors"],
    )


async def _spooled(request: Request) -> IO[bytes]:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD:
        raise _too_large()
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        return await _from_form(request)
    if media_type in CSV_MEDIA_TYPES:
        return await _from_body(request)
    raise UnsupportedMediaType(
        "Send the CSV as multipart/form-data (field 'file') or as a text/csv body."
    )


def _too_large() -> PayloadTooLarge:
    return PayloadTooLarge(
        f"Files up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB are accepted; split larger "
        "ones or use the command line (omni import)."
    )


async def _from_body(request: Request) -> IO[bytes]:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_UPLOAD_BYTES:
            spool.close()
            raise _too_large()
        spool.write(chunk)
    spool.seek(0)
    return spool


async def _from_form(request: Request) -> IO[bytes]:
    form = await request.form(max_files=1, max_fields=10)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise DomainError("Send the CSV file in the form field 'file'.", field="file")
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise _too_large()
    await upload.seek(0)
    return upload.file


_CSV_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
        },
    }
}
DryRun = Annotated[
    bool, Query(description="Check every row (and roll back the writes); change nothing")
]


def _import_endpoint(spec: ImportSpec) -> Callable[..., Awaitable[ImportReportOut]]:
    async def import_rows(
        request: Request,
        db: DbDep,
        dry_run: DryRun = False,
        actor: Actor = Access(spec.write_permission),
    ) -> ImportReportOut:
        with await _spooled(request) as source:
            report = await import_csv(db, actor, spec, source, dry_run=dry_run)
        if report.error_count:
            raise _rejected(report)
        return ImportReportOut.model_validate(report.as_dict())

    return import_rows


async def _stream(
    db: Database, actor: Actor, spec: ExportSpec, filters: ExportFilter
) -> StreamingResponse:
    await start_export(db, actor, spec, filters)
    stamp = db.clock.now().strftime("%Y%m%dT%H%M%SZ")
    return StreamingResponse(
        export_chunks(db, spec, filters),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{spec.entity}-{stamp}.csv"'},
    )


def _export_endpoint(spec: ExportSpec) -> Callable[..., Awaitable[StreamingResponse]]:
    if spec.check_filter is not None:  # prices: optionally one list

        async def export_filtered(
            db: DbDep,
            price_list_code: Annotated[str | None, Query(max_length=64)] = None,
            actor: Actor = Access(spec.permission),
        ) -> StreamingResponse:
            return await _stream(db, actor, spec, ExportFilter(price_list_code=price_list_code))

        return export_filtered

    async def export_all(db: DbDep, actor: Actor = Access(spec.permission)) -> StreamingResponse:
        return await _stream(db, actor, spec, ExportFilter())

    return export_all


for _spec in IMPORTS.values():
    router.add_api_route(
        f"/imports/{_spec.entity}",
        _import_endpoint(_spec),
        methods=["POST"],
        name=f"import_{_spec.entity}",
        summary=f"Import {_spec.entity} from CSV (all rows or none)",
        response_model=ImportReportOut,
        openapi_extra={**IDEMPOTENCY_REQUIRED, **_CSV_BODY},
    )

for _export in EXPORTS.values():
    router.add_api_route(
        f"/exports/{_export.entity}",
        _export_endpoint(_export),
        methods=["GET"],
        name=f"export_{_export.entity}",
        summary=f"Export {_export.entity} as CSV (streamed)",
        response_class=StreamingResponse,
        responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
    )
