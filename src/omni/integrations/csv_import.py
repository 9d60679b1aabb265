"""All-or-nothing CSV import: validate every row first, write only if all are valid.

Two passes over the (spooled) file keep memory flat for large files: pass one validates
each row (pure rules from the owning module, then reference checks against the
database in batches, then duplicate keys within the file); pass two applies the rows in
batches inside **one** unit of work that commits once. Any invalid row means nothing is
written and the report lists every problem by row number (the header is row 1).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.database import Database
from omni.db.uow import UnitOfWork
from omni.integrations.csv_format import read_rows
from omni.kernel.actor import Actor
from omni.kernel.errors import DomainError

BATCH = 1000
MAX_REPORTED_ERRORS = 1000

Row = dict[str, str]
Progress = Callable[[int], None]


class FieldProblem(Protocol):
    field: str
    message: str


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


@dataclass(frozen=True)
class ImportSpec:
    """How one entity is imported; the callables come from the owning module's api."""

    entity: str
    required_columns: frozenset[str]
    optional_columns: frozenset[str]
    write_permission: str
    validate_row: Callable[[Row], list[FieldProblem]]
    row_key: Callable[[Row], str]
    apply: Callable[[UnitOfWork, list[Row]], Awaitable[object]]
    # Checks that need the database (does this SKU exist?), for a batch of numbered rows.
    check_references: (
        Callable[[AsyncSession, list[tuple[int, Row]]], Awaitable[list[RowError]]] | None
    ) = None


@dataclass
class ImportReport:
    entity: str
    dry_run: bool
    rows: int = 0
    applied: bool = False
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)


async def import_csv(
    db: Database,
    actor: Actor,
    spec: ImportSpec,
    source: IO[bytes],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    report = ImportReport(entity=spec.entity, dry_run=dry_run)
    await _validate(db, spec, source, report, progress)
    if report.error_count or dry_run:
        return report
    source.seek(0)
    _, rows = _open(source, spec, ImportReport(spec.entity, dry_run))
    try:
        async with db.uow(actor) as uow:
            for batch in _batches(rows):
                await spec.apply(uow, [row for _, row in batch])
            uow.audit(f"import.{spec.entity}", "import", spec.entity, {"rows": report.rows})
            await uow.commit()
    except DomainError as error:  # a rule only the write could see (e.g. a race): nothing kept
        report.add(RowError(0, str(error.extra.get("field", "")), error.detail))
        return report
    report.applied = True
    return report


async def _validate(
    db: Database,
    spec: ImportSpec,
    source: IO[bytes],
    report: ImportReport,
    progress: Progress | None,
) -> None:
    header_ok, rows = _open(source, spec, report)
    if not header_ok:
        return
    seen: dict[str, int] = {}
    async with db.reader() as session:
        for batch in _batches(rows):
            for number, row in batch:
                report.rows += 1
                _check_row(spec, number, row, seen, report)
            if spec.check_references is not None:
                for error in await spec.check_references(session, batch):
                    report.add(error)
            if progress is not None:
                progress(report.rows)


def _check_row(
    spec: ImportSpec, number: int, row: Row, seen: dict[str, int], report: ImportReport
) -> None:
    if None in row:
        report.add(RowError(number, "", "The row has more cells than the header."))
        return
    for problem in spec.validate_row(row):
        report.add(RowError(number, problem.field, problem.message))
    key = spec.row_key(row)
    if key in seen:
        report.add(RowError(number, "", f"Duplicate of row {seen[key]} ({key})."))
    else:
        seen[key] = number


def _open(
    source: IO[bytes], spec: ImportSpec, report: ImportReport
) -> tuple[bool, Iterator[tuple[int, Row]]]:
    try:
        header, rows = read_rows(source)
    except UnicodeDecodeError:
        report.add(RowError(1, "", "The file is not UTF-8 text."))
        return False, iter(())
    missing = sorted(spec.required_columns - set(header))
    unknown = sorted(set(header) - spec.required_columns - spec.optional_columns)
    for column in missing:
        report.add(RowError(1, column, "Required column is missing."))
    for column in unknown:
        report.add(RowError(1, column, "Unknown column."))
    if missing or unknown:
        return False, iter(())
    return True, _numbered(rows, report)


def _numbered(rows: Iterator[Row], report: ImportReport) -> Iterator[tuple[int, Row]]:
    number = 1
    try:
        for row in rows:
            number += 1
            yield number, row
    except (UnicodeDecodeError, ValueError) as error:  # csv raises on oversize fields too
        report.add(RowError(number + 1, "", f"Unreadable CSV: {error}"))


def _batches(rows: Iterator[tuple[int, Row]]) -> Iterator[list[tuple[int, Row]]]:
    batch: list[tuple[int, Row]] = []
    for item in rows:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
