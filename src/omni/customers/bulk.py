"""Bulk data (CH6): customer rows for CSV import and export.

The CSV layer (files, encodings, the per-row report) lives with the importer; this file
knows what a customer row means. Import creates new profiles only: an exported file
carries ``id``s, and a row with an ``id`` is refused rather than silently duplicated.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.customers import domain
from omni.customers.models import Customer, CustomerIdentity
from omni.customers.service import NewCustomer, create_customer
from omni.db.uow import UnitOfWork
from omni.kernel.errors import DomainError

OPT_IN_COLUMNS = {f"{channel}_opt_in": channel for channel in domain.COMMUNICATION_CHANNELS}
IMPORT_COLUMNS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "loyalty_card",
    "app_device_id",
    "birth_date",
    "locale",
    "preferred_store_id",
    *OPT_IN_COLUMNS,
    "note",
)
EXPORT_COLUMNS = ("id", *IMPORT_COLUMNS, "created_at")
# Present in exports; accepted on import when empty so an export can serve as a template.
EXPORT_ONLY_COLUMNS = frozenset({"id", "created_at"})
TRUE_WORDS = frozenset({"1", "true", "yes", "y"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "n"})
EXPORT_BATCH = 500


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass
class ImportReport:
    created_ids: list[str] = field(default_factory=list)
    # Keyed by the row's position in the ``rows`` given (0-based).
    errors: dict[int, list[FieldError]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_customer_row(row: dict[str, str], *, today: date | None = None) -> list[FieldError]:
    """Every problem of one CSV row (empty list: importable). Pure: no database.

    Whether the preferred store exists and whether an identifier is someone else's
    verified one needs the database; ``import_customers`` checks those.
    """
    return _parse_row(row, today or date.today())[1]


def _parse_row(row: dict[str, str], today: date) -> tuple[NewCustomer | None, list[FieldError]]:
    errors = [
        FieldError(column, "unknown column")
        for column in row
        if column not in IMPORT_COLUMNS and column not in EXPORT_ONLY_COLUMNS
    ]
    if (row.get("id") or "").strip():
        errors.append(FieldError("id", "import creates new profiles; leave id empty"))
    values: dict[str, Any] = {}
    for column, parse in _PARSERS.items():
        raw = (row.get(column) or "").strip()
        try:
            values[column] = parse(raw, today)
        except domain.InvalidCustomerData as error:
            errors.append(FieldError(column, str(error)))
    communication = {}
    for column, channel in OPT_IN_COLUMNS.items():
        word = (row.get(column) or "").strip().lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            errors.append(FieldError(column, "use true or false"))
        communication[channel] = word in TRUE_WORDS
    if errors:
        return None, errors
    return NewCustomer(**values, communication=communication), []


def _required_name(column: str) -> Any:
    return lambda raw, today: domain.normalize_name(column, raw)


def _optional(normalize: Any) -> Any:
    return lambda raw, today: normalize(raw) if raw else None


def _birth_date(raw: str, today: date) -> date | None:
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError as error:
        raise domain.InvalidCustomerData("birth_date", "use YYYY-MM-DD") from error
    return domain.check_birth_date(value, today)


def _limited(column: str, length: int) -> Any:
    def parse(raw: str, today: date) -> str | None:
        if len(raw) > length:
            raise domain.InvalidCustomerData(column, f"at most {length} characters")
        return raw or None

    return parse


_PARSERS: dict[str, Any] = {
    "first_name": _required_name("first_name"),
    "last_name": _required_name("last_name"),
    "email": _optional(domain.normalize_email),
    "phone": _optional(domain.normalize_phone),
    "loyalty_card": _optional(lambda v: domain.normalize_identity("loyalty_card", v)),
    "app_device_id": _optional(lambda v: domain.normalize_identity("app_device", v)),
    "birth_date": _birth_date,
    "locale": _optional(domain.normalize_locale),
    "preferred_store_id": _limited("preferred_store_id", 32),
    "note": _limited("note", 2000),
}


async def import_customers(uow: UnitOfWork, rows: Iterable[dict[str, str]]) -> ImportReport:
    """Create a profile per valid row, in the caller's unit of work, without committing.

    Rows are checked again (cheap), plus the checks that need the database (store
    exists, identifier not someone else's verified one). A refused row adds nothing.
    Commit only if ``report.ok``; otherwise roll back so nothing is half-applied.
    """
    report = ImportReport()
    today = uow.clock.now().date()
    for index, row in enumerate(rows):
        new, errors = _parse_row(row, today)
        if new is None:
            report.errors[index] = errors
            continue
        new.source_channel_id = uow.actor.channel
        try:
            customer = await create_customer(uow, new)
        except DomainError as error:
            column = str(error.extra.get("field") or "row")
            report.errors[index] = [FieldError(column, error.detail)]
            continue
        report.created_ids.append(customer.id)
    return report


async def export_rows(session: AsyncSession) -> AsyncIterator[dict[str, str]]:
    """Every profile as a flat row of ``EXPORT_COLUMNS`` (strings; empty for none), in
    id order, read in batches so memory stays flat however many customers there are.

    A profile with several loyalty cards or app devices exports its oldest one.
    """
    after = ""
    while True:
        batch = list(
            await session.scalars(
                select(Customer)
                .where(Customer.id > after)
                .order_by(Customer.id)
                .limit(EXPORT_BATCH)
            )
        )
        if not batch:
            return
        extra = await _first_identities(session, [c.id for c in batch])
        for customer in batch:
            yield _flat_row(customer, extra.get(customer.id, {}))
        after = batch[-1].id


async def _first_identities(
    session: AsyncSession, customer_ids: list[str]
) -> dict[str, dict[str, str]]:
    rows = await session.execute(
        select(CustomerIdentity.customer_id, CustomerIdentity.kind, CustomerIdentity.value)
        .where(
            CustomerIdentity.customer_id.in_(customer_ids),
            CustomerIdentity.kind.in_(("loyalty_card", "app_device")),
        )
        .order_by(CustomerIdentity.id.desc())  # oldest last, so it wins below
    )
    found: dict[str, dict[str, str]] = {}
    for customer_id, kind, value in rows:
        found.setdefault(customer_id, {})[kind] = value
    return found


def _flat_row(customer: Customer, identities: dict[str, str]) -> dict[str, str]:
    row = {
        "id": customer.id,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "email": customer.email or "",
        "phone": customer.phone or "",
        "loyalty_card": identities.get("loyalty_card", ""),
        "app_device_id": identities.get("app_device", ""),
        "birth_date": customer.birth_date.isoformat() if customer.birth_date else "",
        "locale": customer.locale or "",
        "preferred_store_id": customer.preferred_store_id or "",
        "note": customer.note or "",
        "created_at": customer.created_at.isoformat(),
    }
    for column, channel in OPT_IN_COLUMNS.items():
        row[column] = "true" if customer.communication.get(channel) else "false"
    return {column: row[column] for column in EXPORT_COLUMNS}
