"""CSV rows for purchase-order receipts and advance shipping notices (INV7), as an ERP
or a warehouse system exports them, for the all-or-nothing importer of
``omni.integrations`` (which owns files, batches and row numbers).

Receipts — one row per SKU delivered::

    po_number,sku,quantity,damaged,received_at,asn_number
    PO-1001,TEE-NAVY-M,48,2,2026-11-20T09:30:00+01:00,ASN-77

ASNs — one row per SKU announced::

    po_number,asn_number,sku,quantity,expected_on,carrier,tracking
    PO-1001,ASN-77,TEE-NAVY-M,50,2026-11-20,DHL,JJD000390007

Rows of the same order and delivery (same ``received_at`` and ``asn_number``; for ASNs
the same ``asn_number``) are booked as one receipt (one ASN). Functions number rows
from 0 within the list they are given and raise ``InvalidInput(errors=[{row, field,
message}])`` listing every problem; the caller then must not commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.db.uow import UnitOfWork
from omni.inventory import purchase_orders, receiving
from omni.inventory.document_queries import purchase_order_ids_by_number
from omni.inventory.documents import AdvanceShippingNotice, PurchaseOrder
from omni.inventory.receipts import Arrival
from omni.kernel.errors import DomainError, InvalidInput

RECEIPT_REQUIRED = ("po_number", "sku", "quantity")
RECEIPT_COLUMNS = (*RECEIPT_REQUIRED, "damaged", "received_at", "asn_number")
ASN_REQUIRED = ("po_number", "asn_number", "sku", "quantity")
ASN_COLUMNS = (*ASN_REQUIRED, "expected_on", "carrier", "tracking")
MAX_UNITS = 1_000_000

Row = Mapping[str, str]


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


def _cell(row: Row, column: str) -> str:
    return (row.get(column) or "").strip()


def _units(row: Row, column: str, *, required: bool, positive: bool) -> FieldError | None:
    text = _cell(row, column)
    if not text:
        return FieldError(column, "Required.") if required else None
    if not text.isdigit() or int(text) > MAX_UNITS:
        return FieldError(column, f"A whole number of units from 0 to {MAX_UNITS}.")
    if positive and int(text) == 0:
        return FieldError(column, "Must be more than 0.")
    return None


def parse_received_at(text: str) -> datetime | None:
    """``2026-11-20`` (midnight UTC) or an ISO 8601 time with its UTC offset."""
    if not text:
        return None
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("no offset")
    return moment


def _text_errors(row: Row, columns: Sequence[str], limit: int) -> list[FieldError]:
    errors = [FieldError(c, "Required.") for c in columns if not _cell(row, c)]
    return errors + [
        FieldError(c, f"At most {limit} characters.") for c in columns if len(_cell(row, c)) > limit
    ]


def validate_receipt_row(row: Row) -> list[FieldError]:
    """Problems of one receipt row that need no database; empty when well-formed."""
    errors = _text_errors(row, ("po_number", "sku"), 64)
    quantity = _units(row, "quantity", required=True, positive=False)
    damaged = _units(row, "damaged", required=False, positive=False)
    errors += [e for e in (quantity, damaged) if e]
    if quantity is None and damaged is None and _arrived(row) == 0:
        errors.append(FieldError("quantity", "Nothing arrived: quantity and damaged are 0."))
    try:
        parse_received_at(_cell(row, "received_at"))
    except ValueError:
        errors.append(FieldError("received_at", "A date (2026-11-20) or a time with its offset."))
    if len(_cell(row, "asn_number")) > 64:
        errors.append(FieldError("asn_number", "At most 64 characters."))
    return errors


def _arrived(row: Row) -> int:
    return int(_cell(row, "quantity")) + int(_cell(row, "damaged") or 0)


def validate_asn_row(row: Row) -> list[FieldError]:
    errors = _text_errors(row, ("po_number", "asn_number", "sku"), 64)
    quantity = _units(row, "quantity", required=True, positive=True)
    errors += [quantity] if quantity else []
    if _cell(row, "expected_on"):
        try:
            date.fromisoformat(_cell(row, "expected_on"))
        except ValueError:
            errors.append(FieldError("expected_on", "A date such as 2026-11-20."))
    errors += [
        FieldError(c, "At most 100 characters.")
        for c in ("carrier", "tracking")
        if len(_cell(row, c)) > 100
    ]
    return errors


def _delivery(row: Row) -> tuple[str, str, str]:
    return (_cell(row, "po_number"), _cell(row, "received_at"), _cell(row, "asn_number"))


def _notice(row: Row) -> tuple[str, str]:
    return (_cell(row, "po_number"), _cell(row, "asn_number"))


def receipt_row_keys(row: Row) -> list[tuple[str, str]]:
    """A SKU twice in one delivery is a keying error, not two pallets."""
    po, received_at, asn = _delivery(row)
    sku = _cell(row, "sku").upper()
    return [("sku", f"{sku} in {po} {asn} {received_at}".strip())]


def asn_row_keys(row: Row) -> list[tuple[str, str]]:
    sku = _cell(row, "sku").upper()
    return [("sku", f"{sku} in {_cell(row, 'po_number')} {_cell(row, 'asn_number')}")]


async def check_row_references(session: AsyncSession, rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Unknown PO numbers and SKUs, per row (either kind of file)."""
    orders = await purchase_order_ids_by_number(session, {_cell(r, "po_number") for r in rows})
    skus = await catalog_api.variant_ids_by_sku(session, {_cell(r, "sku").upper() for r in rows})
    problems = []
    for index, row in enumerate(rows):
        if _cell(row, "po_number") not in orders:
            problems.append(
                {"row": index, "field": "po_number", "message": "No such purchase order."}
            )
        if _cell(row, "sku").upper() not in skus:
            problems.append({"row": index, "field": "sku", "message": "No such SKU."})
    return problems


def _groups(
    rows: Sequence[Row], key: Callable[[Row], tuple[str, ...]]
) -> dict[tuple[str, ...], list[int]]:
    groups: dict[tuple[str, ...], list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(key(row), []).append(index)
    return groups


async def _lookups(uow: UnitOfWork, rows: Sequence[Row]) -> tuple[dict[str, str], dict[str, str]]:
    """PO ids by number and variant ids by SKU; refuses the rows naming unknown ones
    (the importer checked them already, but an order may have gone since)."""
    problems = await check_row_references(uow.session, rows)
    if problems:
        raise InvalidInput(f"{len(problems)} rows name unknown orders or SKUs.", errors=problems)
    orders = await purchase_order_ids_by_number(uow.session, {_cell(r, "po_number") for r in rows})
    skus = await catalog_api.variant_ids_by_sku(
        uow.session, {_cell(r, "sku").upper() for r in rows}
    )
    # Every order of the batch locked first, in id order, before any stock row: a file
    # touching many orders must not deadlock with a clerk receiving one of them.
    for order_id in sorted(orders.values()):
        await uow.session.execute(
            update(PurchaseOrder)
            .where(PurchaseOrder.id == order_id)
            .values(version=PurchaseOrder.version)
        )
    return orders, skus


def _problems(
    error: DomainError, rows: Sequence[Row], indexes: list[int], skus: dict[str, str]
) -> list[dict[str, Any]]:
    """A refusal of one delivery, pinned on its rows (on the over-received SKUs if known)."""
    over = {line["variant_id"] for line in error.extra.get("lines", []) if isinstance(line, dict)}
    pinned = [i for i in indexes if skus.get(_cell(rows[i], "sku").upper()) in over] or indexes
    field = "quantity" if over else str(error.extra.get("field") or "po_number")
    return [{"row": i, "field": field, "message": error.detail} for i in pinned]


async def apply_receipt_rows(uow: UnitOfWork, rows: Sequence[Row]) -> dict[str, int]:
    """Book each delivery in the caller's unit of work; returns receipts and units booked."""
    orders, skus = await _lookups(uow, rows)
    problems: list[dict[str, Any]] = []
    booked = units = 0
    for (po_number, received_at, asn_number), indexes in _groups(rows, _delivery).items():
        lines = [
            Arrival(
                skus[_cell(rows[i], "sku").upper()],
                int(_cell(rows[i], "quantity")),
                int(_cell(rows[i], "damaged") or 0),
            )
            for i in indexes
        ]
        try:
            order_id = orders[po_number]
            asn_id = await _asn_id(uow, order_id, asn_number) if asn_number else None
            receipt = receiving.PurchaseOrderReceipt(
                lines=lines, asn_id=asn_id, received_at=parse_received_at(received_at)
            )
            await receiving.book_receipt(uow, order_id, receipt)
        except DomainError as error:
            problems += _problems(error, rows, indexes, skus)
            continue
        booked += 1
        units += sum(line.quantity + line.damaged for line in lines)
    if problems:
        raise InvalidInput(f"{len(problems)} rows could not be booked.", errors=problems)
    return {"receipts": booked, "units": units}


async def _asn_id(uow: UnitOfWork, order_id: str, number: str) -> str:
    asn_id = await uow.session.scalar(
        select(AdvanceShippingNotice.id).where(
            AdvanceShippingNotice.purchase_order_id == order_id,
            AdvanceShippingNotice.number == number,
        )
    )
    if asn_id is None:
        raise InvalidInput("No such ASN on this purchase order.", field="asn_number")
    return asn_id


async def apply_asn_rows(uow: UnitOfWork, rows: Sequence[Row]) -> dict[str, int]:
    """Record each ASN in the caller's unit of work; returns ASNs and units announced."""
    orders, skus = await _lookups(uow, rows)
    problems: list[dict[str, Any]] = []
    recorded = units = 0
    for (po_number, asn_number), indexes in _groups(rows, _notice).items():
        first = rows[indexes[0]]
        expected = {_cell(rows[i], "expected_on") for i in indexes} - {""}
        announced: dict[str, int] = {}
        for i in indexes:
            variant_id = skus[_cell(rows[i], "sku").upper()]
            announced[variant_id] = announced.get(variant_id, 0) + int(_cell(rows[i], "quantity"))
        try:
            if len(expected) > 1:
                raise InvalidInput("One ASN, one expected date.", field="expected_on")
            notice = purchase_orders.NewShippingNotice(
                number=asn_number,
                lines=list(announced.items()),
                expected_on=date.fromisoformat(expected.pop()) if expected else None,
                carrier=_cell(first, "carrier") or None,
                tracking=_cell(first, "tracking") or None,
            )
            await purchase_orders.add_shipping_notice(uow, orders[po_number], notice, announced)
        except DomainError as error:
            problems += _problems(error, rows, indexes, skus)
            continue
        recorded += 1
        units += sum(announced.values())
    if problems:
        raise InvalidInput(f"{len(problems)} rows could not be recorded.", errors=problems)
    return {"asns": recorded, "units": units}
