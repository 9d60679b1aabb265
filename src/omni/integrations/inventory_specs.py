"""CSV imports of goods arriving: purchase-order receipts and advance shipping notices."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.uow import UnitOfWork
from omni.integrations.csv_import import Batch, Counts, ImportSpec, Row, RowError
from omni.integrations.specs import renumbered
from omni.inventory import api as inventory_api
from omni.kernel.errors import InvalidInput

Apply = Callable[[UnitOfWork, Sequence[Row]], Awaitable[dict[str, int]]]


async def _references(session: AsyncSession, batch: Batch) -> list[RowError]:
    problems = await inventory_api.check_row_references(session, [row for _, row in batch])
    return [RowError(batch[p["row"]][0], p["field"], p["message"]) for p in problems]


def _applier(apply: Apply) -> Callable[[], Any]:
    class Applier:
        async def apply(self, uow: UnitOfWork, batch: Batch) -> Counts:
            try:
                return await apply(uow, [row for _, row in batch])
            except InvalidInput as error:
                raise renumbered(error, batch) from error

        async def finish(self, uow: UnitOfWork) -> None:
            return None

    return Applier


PO_RECEIPTS = ImportSpec(
    entity="po_receipts",
    write_permission="inventory.write",
    required_columns=frozenset(inventory_api.RECEIPT_REQUIRED),
    optional_columns=frozenset(inventory_api.RECEIPT_COLUMNS),
    validate_row=inventory_api.validate_receipt_row,
    row_keys=inventory_api.receipt_row_keys,
    new_applier=_applier(inventory_api.apply_receipt_rows),
    check_references=_references,
)

ASNS = ImportSpec(
    entity="asns",
    write_permission="inventory.write",
    required_columns=frozenset(inventory_api.ASN_REQUIRED),
    optional_columns=frozenset(inventory_api.ASN_COLUMNS),
    validate_row=inventory_api.validate_asn_row,
    row_keys=inventory_api.asn_row_keys,
    new_applier=_applier(inventory_api.apply_asn_rows),
    check_references=_references,
)
