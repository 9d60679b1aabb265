"""The work behind ``omni import`` and ``omni export``: files, progress bars, reports.

The command line is an operator's tool: it acts as the system actor (audit entries say
``system``, with a ``cli-…`` request id), needs no sign-in and has no upload limit.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from omni.db.database import Database
from omni.integrations.csv_export import ExportFilter, export_chunks, start_export
from omni.integrations.csv_import import ImportReport, import_csv
from omni.integrations.registry import EXPORTS, IMPORTS
from omni.kernel.actor import SYSTEM, Actor
from omni.kernel.errors import DomainError
from omni.kernel.ids import new_id
from omni.settings import Settings

ERRORS_SHOWN = 20
MB = 1024 * 1024


def cli_actor() -> Actor:
    return dataclasses.replace(SYSTEM, request_id=f"cli-{new_id('req')}")


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


class RichImportProgress:
    """Validation by bytes read (the row count is unknown until the end), then the
    writes by rows."""

    def __init__(self, progress: Progress, size: int) -> None:
        self._progress = progress
        self._size = size
        self._validating = progress.add_task("Validating", total=max(size, 1), detail="")
        self._applying: TaskID | None = None

    def validated(self, rows: int, position: int) -> None:
        detail = f"{rows:,} rows, {position / MB:.1f}/{self._size / MB:.1f} MB"
        self._progress.update(self._validating, completed=position, detail=detail)

    def applied(self, rows: int, total: int) -> None:
        if self._applying is None:
            self._progress.update(self._validating, completed=self._size)
            self._applying = self._progress.add_task("Applying", total=total, detail="")
        self._progress.update(self._applying, completed=rows, detail=f"{rows:,}/{total:,} rows")


async def run_import(
    db: Database,
    entity: str,
    source: IO[bytes],
    *,
    dry_run: bool = False,
    progress: RichImportProgress | None = None,
) -> ImportReport:
    """Import a file as the system actor (what ``omni import`` does, minus the display)."""
    return await import_csv(
        db, cli_actor(), IMPORTS[entity], source, dry_run=dry_run, progress=progress
    )


async def run_export(
    db: Database,
    entity: str,
    out: IO[str],
    filters: ExportFilter | None = None,
    *,
    on_row: Callable[[], None] | None = None,
) -> None:
    """Write an export to ``out`` as the system actor (``omni export`` minus display)."""
    spec, chosen = EXPORTS[entity], filters or ExportFilter()
    await start_export(db, cli_actor(), spec, chosen)
    async for chunk in export_chunks(db, spec, chosen, on_row=on_row):
        out.write(chunk)


def import_file(
    settings: Settings, entity: str, path: Path, *, dry_run: bool, console: Console
) -> int:
    """``omni import``: the exit status (0 done or dry run passed, 1 problems found)."""
    started = time.perf_counter()
    try:
        with path.open("rb") as source:
            size = os.fstat(source.fileno()).st_size
            report = asyncio.run(
                _import_with_progress(settings, entity, source, size, dry_run, console)
            )
    except DomainError as error:
        console.print(f"[red]{error.detail}[/] Nothing was imported.")
        return 1
    _print_report(console, report, time.perf_counter() - started)
    return 1 if report.error_count else 0


async def _import_with_progress(
    settings: Settings,
    entity: str,
    source: IO[bytes],
    size: int,
    dry_run: bool,
    console: Console,
) -> ImportReport:
    db = Database(settings)
    try:
        with _progress(console) as progress:
            tracker = RichImportProgress(progress, size)
            return await run_import(db, entity, source, dry_run=dry_run, progress=tracker)
    finally:
        await db.dispose()


def _print_report(console: Console, report: ImportReport, seconds: float) -> None:
    counts = ", ".join(f"{name.replace('_', ' ')} {n:,}" for name, n in report.counts.items())
    if not report.error_count:
        if report.dry_run:
            console.print(
                f"[green]Dry run passed:[/] {report.rows:,} {report.entity} rows would import "
                f"({counts}); nothing was changed."
            )
        else:
            console.print(
                f"[green]Imported {report.rows:,} {report.entity} rows[/] ({counts}) "
                f"in {seconds:.1f} s."
            )
        return
    console.print(
        f"[red]{report.error_count:,} problems in {report.rows:,} rows; nothing was imported.[/]"
    )
    table = Table("Row", "Column", "Problem")
    for error in report.errors[:ERRORS_SHOWN]:
        table.add_row(str(error.row), error.field or "—", error.message)
    console.print(table)
    if report.error_count > ERRORS_SHOWN:
        console.print(f"… and {report.error_count - ERRORS_SHOWN:,} more.")


def export_file(
    settings: Settings,
    entity: str,
    target: str,
    *,
    price_list_code: str | None,
    console: Console,
) -> int:
    """``omni export``: write to ``target`` (``-``: standard output); the exit status."""
    filters = ExportFilter(price_list_code=price_list_code)
    try:
        if target == "-":
            rows = asyncio.run(
                _export_with_progress(settings, entity, sys.stdout, filters, console)
            )
            sys.stdout.flush()
        else:
            rows = _export_to_file(settings, entity, Path(target), filters, console)
    except DomainError as error:
        console.print(f"[red]{error.detail}[/]")
        return 1
    where = "standard output" if target == "-" else target
    console.print(f"[green]Exported {rows:,} {entity} rows[/] to {where}.")
    return 0


def _export_to_file(
    settings: Settings, entity: str, target: Path, filters: ExportFilter, console: Console
) -> int:
    # Written aside and renamed when complete: a failed export leaves no half file.
    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            rows = asyncio.run(_export_with_progress(settings, entity, out, filters, console))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return rows


async def _export_with_progress(
    settings: Settings, entity: str, out: IO[str], filters: ExportFilter, console: Console
) -> int:
    db = Database(settings)
    written = 0
    try:
        with _progress(console) as progress:
            task = progress.add_task(f"Exporting {entity}", total=None, detail="")

            def counted() -> None:
                nonlocal written
                written += 1
                if written % 1000 == 0:
                    progress.update(task, detail=f"{written:,} rows")

            await run_export(db, entity, out, filters, on_row=counted)
            progress.update(task, total=1, completed=1, detail=f"{written:,} rows")
    finally:
        await db.dispose()
    return written
