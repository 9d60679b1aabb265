"""All-or-nothing CSV import: validate every row first, write only if all are valid.

Two passes over the (spooled) file keep memory flat for large files:

1. **Validate** each row: the owning module's pure rules, duplicate keys within the
   file, then checks that need the database (does this SKU exist?) a batch at a time.
2. **Apply** the rows in batches inside **one** unit of work that commits once, after
   the last batch (and the module's whole-file checks) succeeded.

Any invalid row means nothing is written, and the report lists every problem by row
number (the header is row 1, as in a spreadsheet). A dry run does both passes and rolls
back instead of committing, so it finds exactly what the import would.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import IO, Any, Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.database import Database
from omni.db.uow import UnitOfWork
from omni.integrations.csv_format import Record, UnreadableCsv, read_header
from omni.kernel.actor import Actor
from omni.kernel.errors import Conflict

BATCH = 1000
MAX_REPORTED_ERRORS = 1000

Row = dict[str, str]
Batch = list[tuple[int, Row]]
Counts = dict[str, int]


class FieldProblem(Protocol):
    @property
    def field(self) -> str: ...

    @property
    def message(self) -> str: ...


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


class RowsRejected(Exception):
    """Raised by an applier: rows the module refused (numbered as in the file)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


class Applier(Protocol):
    """Writes one import's rows; a new one per import, so it may keep state across
    batches (e.g. for checks that must see the whole file)."""

    async def apply(self, uow: UnitOfWork, batch: Batch) -> Counts:
        """Add a batch to the unit of work (never commit); raise ``RowsRejected``."""

    async def finish(self, uow: UnitOfWork) -> None:
        """After the last batch: whole-file checks; raise ``RowsRejected``."""


class ImportProgress(Protocol):
    def validated(self, rows: int, position: int) -> None:
        """``rows`` checked so far; ``position``: bytes of the file read."""

    def applied(self, rows: int, total: int) -> None: ...


@dataclass(frozen=True)
class ImportSpec:
    """How one entity is imported; the callables come from the owning module's api."""

    entity: str
    write_permission: str
    required_columns: frozenset[str]
    optional_columns: frozenset[str]
    validate_row: Callable[[Row], Sequence[FieldProblem]]
    # What no two rows of a file may share, as (column to blame, readable value).
    row_keys: Callable[[Row], list[tuple[str, str]]]
    new_applier: Callable[[], Applier]
    # Checks that need the database (does this SKU exist?), for a batch of rows.
    check_references: Callable[[AsyncSession, Batch], Awaitable[list[RowError]]] | None = None
    # Families of columns, e.g. "option:" for option:size, option:color.
    optional_prefixes: tuple[str, ...] = ()
    # Consecutive rows with the same group key (a product's variants) share a batch.
    group_key: Callable[[Row], str] | None = None

    def knows_column(self, name: str) -> bool:
        return (
            name in self.required_columns
            or name in self.optional_columns
            or any(name.startswith(p) and len(name) > len(p) for p in self.optional_prefixes)
        )


@dataclass
class ImportReport:
    entity: str
    dry_run: bool
    rows: int = 0
    applied: bool = False
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    counts: Counts = field(default_factory=dict)

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


async def import_csv(
    db: Database,
    actor: Actor,
    spec: ImportSpec,
    source: IO[bytes],
    *,
    dry_run: bool = False,
    progress: ImportProgress | None = None,
) -> ImportReport:
    """Import ``source`` (a seekable binary file) as ``spec.entity`` rows, all or nothing.

    Problems with the rows come back in the report; a domain error the write itself
    raises (say, a concurrent change: ``Conflict``) propagates, with nothing written.
    """
    report = ImportReport(entity=spec.entity, dry_run=dry_run)
    await _validate(db, spec, source, report, progress)
    if not report.error_count:
        source.seek(0)
        await _apply(db, actor, spec, source, report, progress)
    return report


async def _validate(
    db: Database,
    spec: ImportSpec,
    source: IO[bytes],
    report: ImportReport,
    progress: ImportProgress | None,
) -> None:
    try:
        header, records = read_header(source)
    except UnreadableCsv as error:
        report.add(RowError(error.number, "", error.reason))
        return
    if not _header_ok(spec, header, report):
        return
    seen: dict[tuple[str, str], int] = {}
    async with db.reader() as session:
        try:
            for chunk in _chunks(records, spec.group_key):
                batch = [_checked(spec, record, seen, report) for record in chunk]
                if spec.check_references is not None:
                    for problem in await spec.check_references(session, batch):
                        report.add(problem)
                if progress is not None:
                    progress.validated(report.rows, _position(source))
        except UnreadableCsv as unreadable:
            report.add(RowError(unreadable.number, "", unreadable.reason))


def _header_ok(spec: ImportSpec, header: list[str], report: ImportReport) -> bool:
    problems = _header_problems(spec, header)
    for problem in problems:
        report.add(problem)
    return not problems


def _header_problems(spec: ImportSpec, header: list[str]) -> list[RowError]:
    if not header:
        return [RowError(1, "", "The file is empty: row 1 must name the columns.")]
    missing = sorted(spec.required_columns - set(header))
    unknown = [name for name in header if name and not spec.knows_column(name)]
    unnamed = [index for index, name in enumerate(header, start=1) if not name]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    return [
        *(RowError(1, name, "Required column is missing.") for name in missing),
        *(RowError(1, name, "Unknown column.") for name in unknown),
        *(RowError(1, "", f"Column {index} has no name.") for index in unnamed),
        *(RowError(1, name, "The column appears more than once.") for name in repeated),
    ]


def _checked(
    spec: ImportSpec, record: Record, seen: dict[tuple[str, str], int], report: ImportReport
) -> tuple[int, Row]:
    number, row = record.number, record.cells
    report.rows += 1
    if record.extra_cells:
        report.add(RowError(number, "", f"{record.extra_cells} more cells than the header."))
    problems = spec.validate_row(row)
    for problem in problems:
        report.add(RowError(number, problem.field, problem.message))
    if not problems:
        for key in spec.row_keys(row):
            first = seen.setdefault(key, number)
            if first != number:
                column, value = key
                report.add(RowError(number, column, f"Duplicate of row {first} ({value})."))
    return number, row


async def _apply(
    db: Database,
    actor: Actor,
    spec: ImportSpec,
    source: IO[bytes],
    report: ImportReport,
    progress: ImportProgress | None,
) -> None:
    applier = spec.new_applier()
    _, records = read_header(source)
    done = 0
    async with db.uow(actor) as uow:
        try:
            with _race_is_conflict():
                for chunk in _chunks(records, spec.group_key):
                    batch = [(record.number, record.cells) for record in chunk]
                    _add(report.counts, await applier.apply(uow, batch))
                    # Flushed rows live on in the transaction; dropping the objects from
                    # the session keeps memory flat however long the file is.
                    await uow.flush()
                    uow.session.expunge_all()
                    done += len(batch)
                    if progress is not None:
                        progress.applied(done, report.rows)
                await applier.finish(uow)
        except RowsRejected as rejected:
            for problem in rejected.errors:
                report.add(problem)
            report.counts.clear()
            return  # leaving the unit of work rolls everything back
        if report.dry_run:
            return
        uow.audit(
            f"import.{spec.entity}", "import", spec.entity, {"rows": report.rows, **report.counts}
        )
        with _race_is_conflict():
            await uow.commit()
    report.applied = True


@contextmanager
def _race_is_conflict() -> Iterator[None]:
    """A unique index that caught a concurrent writer (our checks ran before it wrote)."""
    try:
        yield
    except IntegrityError as error:
        raise Conflict(
            "Another change to the same data was saved during the import; nothing was "
            "imported. Run it again."
        ) from error


def _add(total: Counts, more: Counts) -> None:
    for name, count in more.items():
        total[name] = total.get(name, 0) + count


def _position(source: IO[bytes]) -> int:
    try:
        return source.tell()
    except (OSError, ValueError):
        return 0


def _chunks(
    records: Iterator[Record], group_key: Callable[[Row], str] | None
) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        if len(chunk) >= BATCH and not _same_group(group_key, chunk[-1], record):
            yield chunk
            chunk = []
        chunk.append(record)
    if chunk:
        yield chunk


def _same_group(group_key: Callable[[Row], str] | None, last: Record, record: Record) -> bool:
    return group_key is not None and group_key(last.cells) == group_key(record.cells)
