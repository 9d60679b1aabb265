"""CSV export: a module's rows, streamed in batches as formula-escaped CSV text.

Nothing is loaded whole: the module yields rows a batch at a time and the text goes out
in chunks as it is made, so an export of a million customers needs no more memory than
one of ten. Every export leaves an audit entry (who took which data out, and when).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.database import Database
from omni.integrations.csv_format import csv_chunks_async
from omni.kernel.actor import Actor

Row = dict[str, str]


@dataclass(frozen=True)
class ExportFilter:
    price_list_code: str | None = None


@dataclass(frozen=True)
class ExportSpec:
    entity: str
    permission: str
    columns: Callable[[AsyncSession], Awaitable[list[str]]]
    rows: Callable[[AsyncSession, ExportFilter], AsyncIterator[Row]]
    # Raises NotFound (or InvalidInput) for a filter naming nothing, before any output.
    check_filter: Callable[[AsyncSession, ExportFilter], Awaitable[None]] | None = None


async def start_export(db: Database, actor: Actor, spec: ExportSpec, filters: ExportFilter) -> None:
    """Check the filter and record the audit entry; call before streaming begins, so a
    bad request is answered with a problem rather than a broken download."""
    if spec.check_filter is not None:
        async with db.reader() as session:
            await spec.check_filter(session, filters)
    async with db.uow(actor) as uow:
        changes = {key: value for key, value in asdict(filters).items() if value is not None}
        uow.audit(f"export.{spec.entity}", "export", spec.entity, changes)
        await uow.commit()


async def export_chunks(
    db: Database,
    spec: ExportSpec,
    filters: ExportFilter,
    *,
    on_row: Callable[[], None] | None = None,
) -> AsyncIterator[str]:
    """The CSV text (header first) in chunks; ``on_row`` is called per row written."""
    async with db.reader() as session:
        columns = await spec.columns(session)
        rows = spec.rows(session, filters)
        async for chunk in csv_chunks_async(columns, _counted(rows, on_row)):
            yield chunk


async def _counted(
    rows: AsyncIterator[Row], on_row: Callable[[], None] | None
) -> AsyncIterator[Row]:
    async for row in rows:
        if on_row is not None:
            on_row()
        yield row
