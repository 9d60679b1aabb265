"""What can be imported and exported, and through which module API.

Each entity maps the generic importer onto its module's bulk functions. Modules number
the rows they are given from 0; the adapters here turn that into file row numbers
(header = row 1) so the report points at the line a person sees in a spreadsheet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.customers import api as customers_api
from omni.db.uow import UnitOfWork
from omni.integrations.csv_export import ExportFilter, ExportSpec
from omni.integrations.csv_import import (
    Batch,
    Counts,
    ImportSpec,
    Row,
    RowError,
    RowsRejected,
)
from omni.kernel.errors import InvalidInput, NotFound
from omni.locations import api as locations_api
from omni.pricing import api as pricing_api

PRODUCT_COLUMNS = ("handle", "name", "sku")
PRODUCT_OPTIONAL = ("description", "brand", "status", "tax_class", "gtin", "weight_grams")
PRODUCT_FIELDS = ("name", "description", "brand", "status", "tax_class")
LOCATION_REQUIRED = (
    "code",
    "name",
    "kind",
    "line1",
    "city",
    "country",
    "latitude",
    "longitude",
    "time_zone",
)
CUSTOMER_REQUIRED = ("first_name", "last_name")


def _cell(row: Row, column: str) -> str:
    return (row.get(column) or "").strip()


def renumbered(error: InvalidInput, batch: Batch) -> RowsRejected:
    """A module's ``InvalidInput(errors=[{row: index in batch, …}])`` with file rows."""
    problems = error.extra.get("errors")
    if not isinstance(problems, list):
        raise error  # not about particular rows: let it be answered as it is
    return RowsRejected(
        [
            RowError(batch[int(p["row"])][0], str(p.get("field") or ""), str(p["message"]))
            for p in problems
        ]
    )


class _Stateless:
    """An applier without whole-file checks."""

    async def finish(self, uow: UnitOfWork) -> None:
        return None


# --- products: one row per variant -------------------------------------------------


class ProductApplier(_Stateless):
    """The first row of a handle carries the product's fields (catalog rule). Rows of
    one product may land in several batches; later batches get the first row's
    product fields, so the rule holds for the whole file, not just within a batch."""

    def __init__(self) -> None:
        self._first_rows: dict[str, dict[str, str]] = {}

    async def apply(self, uow: UnitOfWork, batch: Batch) -> Counts:
        rows = [self._with_product_fields(row) for _, row in batch]
        try:
            summary = await catalog_api.upsert_products(uow, rows)
        except InvalidInput as error:
            raise renumbered(error, batch) from error
        return {
            "products_created": summary.products_created,
            "products_updated": summary.products_updated,
            "variants_created": summary.variants_created,
            "variants_updated": summary.variants_updated,
        }

    def _with_product_fields(self, row: Row) -> Row:
        fields = {name: row.get(name, "") for name in PRODUCT_FIELDS}
        first = self._first_rows.setdefault(_cell(row, "handle"), fields)
        return {**row, **first}


PRODUCTS = ImportSpec(
    entity="products",
    write_permission="catalog.write",
    required_columns=frozenset(PRODUCT_COLUMNS),
    optional_columns=frozenset({*PRODUCT_OPTIONAL, "variant_status"}),
    optional_prefixes=("option:",),
    validate_row=catalog_api.validate_variant_row,
    row_keys=lambda row: [("sku", _cell(row, "sku").upper())],
    new_applier=ProductApplier,
    group_key=lambda row: _cell(row, "handle"),
)


# --- prices: one quantity tier of one variant in one list per row -------------------


class PriceApplier:
    """Tiers are checked once, after the last batch, on what the database then holds:
    a file may raise a small tier in one batch and a big one in the next, and only the
    final state has to make sense."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str, int], int] = {}

    async def apply(self, uow: UnitOfWork, batch: Batch) -> Counts:
        try:
            result = await pricing_api.upsert_price_rows(
                uow, [row for _, row in batch], check_tiers=False
            )
        except InvalidInput as error:
            raise renumbered(error, batch) from error
        self._rows.update(zip(result.keys, (number for number, _ in batch), strict=True))
        return {"created": result.created, "updated": result.updated}

    async def finish(self, uow: UnitOfWork) -> None:
        first_row: dict[tuple[str, str], int] = {}
        for (list_id, variant_id, _), number in sorted(self._rows.items(), key=lambda i: i[1]):
            first_row.setdefault((list_id, variant_id), number)
        problems = await pricing_api.price_tier_problems(uow.session, first_row)
        if problems:
            raise RowsRejected(
                [
                    RowError(
                        self._rows.get((list_id, variant_id, quantity))
                        or first_row[(list_id, variant_id)],
                        "amount",
                        f"From {quantity} units the unit price would be higher "
                        "than for fewer units.",
                    )
                    for list_id, variant_id, quantity in problems
                ]
            )


async def price_references(session: AsyncSession, batch: Batch) -> list[RowError]:
    problems = await pricing_api.check_price_row_references(session, [row for _, row in batch])
    return [RowError(batch[p["row"]][0], p["field"], p["message"]) for p in problems]


def _price_key(row: Row) -> list[tuple[str, str]]:
    quantity = _cell(row, "min_quantity") or "1"
    code, sku = _cell(row, "price_list_code"), _cell(row, "sku").upper()
    return [("sku", f"{code} / {sku} from {int(quantity)} units")]


PRICES = ImportSpec(
    entity="prices",
    write_permission="prices.write",
    required_columns=frozenset(pricing_api.REQUIRED_PRICE_COLUMNS),
    optional_columns=frozenset(pricing_api.PRICE_CSV_COLUMNS),
    validate_row=pricing_api.validate_price_row,
    row_keys=_price_key,
    new_applier=PriceApplier,
    check_references=price_references,
)


# --- locations: one row per location, keyed by code ---------------------------------


class LocationApplier(_Stateless):
    async def apply(self, uow: UnitOfWork, batch: Batch) -> Counts:
        try:
            results = await locations_api.upsert_locations(uow, [row for _, row in batch])
        except InvalidInput as error:
            raise renumbered(error, batch) from error
        return dict(Counter(result.action for result in results))


LOCATIONS = ImportSpec(
    entity="locations",
    write_permission="locations.write",
    required_columns=frozenset(LOCATION_REQUIRED),
    optional_columns=frozenset(locations_api.CSV_COLUMNS),
    validate_row=locations_api.validate_location_row,
    row_keys=lambda row: [("code", _cell(row, "code").upper())],
    new_applier=LocationApplier,
)


# --- customers: each row a new profile ----------------------------------------------


class CustomerApplier(_Stateless):
    async def apply(self, uow: UnitOfWork, batch: Batch) -> Counts:
        report = await customers_api.import_customers(uow, [row for _, row in batch])
        if not report.ok:
            raise RowsRejected(
                [
                    RowError(batch[index][0], error.field, error.message)
                    for index, errors in sorted(report.errors.items())
                    for error in errors
                ]
            )
        return {"created": len(report.created_ids)}


async def customer_references(session: AsyncSession, batch: Batch) -> list[RowError]:
    stores = {_cell(row, "preferred_store_id") for _, row in batch} - {""}
    known = await locations_api.get_locations(session, stores)
    return [
        RowError(number, "preferred_store_id", f"No location {store}.")
        for number, row in batch
        if (store := _cell(row, "preferred_store_id")) and store not in known
    ]


def _customer_keys(row: Row) -> list[tuple[str, str]]:
    """Two rows with the same email, card or device are one person entered twice."""
    card = _cell(row, "loyalty_card").replace(" ", "").replace("-", "")
    keys = [
        ("email", _cell(row, "email").lower()),
        ("loyalty_card", card),
        ("app_device_id", _cell(row, "app_device_id")),
    ]
    return [(column, value) for column, value in keys if value]


CUSTOMERS = ImportSpec(
    entity="customers",
    write_permission="customers.import",
    required_columns=frozenset(CUSTOMER_REQUIRED),
    optional_columns=frozenset(customers_api.EXPORT_COLUMNS),
    validate_row=customers_api.validate_customer_row,
    row_keys=_customer_keys,
    new_applier=CustomerApplier,
    check_references=customer_references,
)

IMPORTS: dict[str, ImportSpec] = {
    spec.entity: spec for spec in (PRODUCTS, PRICES, LOCATIONS, CUSTOMERS)
}


# --- exports --------------------------------------------------------------------------


async def _location_rows(session: AsyncSession, _: ExportFilter) -> AsyncIterator[Row]:
    # The module returns a list: locations number in the thousands, not millions.
    for row in await locations_api.export_location_rows(session):
        yield row


async def _price_rows(session: AsyncSession, filters: ExportFilter) -> AsyncIterator[Row]:
    async for row in pricing_api.export_price_rows(session, filters.price_list_code):
        yield row


async def _check_price_list(session: AsyncSession, filters: ExportFilter) -> None:
    code = filters.price_list_code
    if code is not None and await pricing_api.price_list_id_by_code(session, code) is None:
        raise NotFound(f"No price list {code!r}.", param="price_list_code")


async def _fixed(columns: Sequence[str]) -> list[str]:
    return list(columns)


EXPORTS: dict[str, ExportSpec] = {
    spec.entity: spec
    for spec in (
        ExportSpec(
            "products",
            "catalog.export",
            catalog_api.product_export_columns,
            lambda session, _: catalog_api.export_product_rows(session),
        ),
        ExportSpec(
            "prices",
            "prices.export",
            lambda _: _fixed(pricing_api.PRICE_CSV_COLUMNS),
            _price_rows,
            check_filter=_check_price_list,
        ),
        ExportSpec(
            "locations",
            "locations.export",
            lambda _: _fixed(locations_api.CSV_COLUMNS),
            _location_rows,
        ),
        ExportSpec(
            "customers",
            "customers.export",
            lambda _: _fixed(customers_api.EXPORT_COLUMNS),
            lambda session, _: customers_api.export_rows(session),
        ),
    )
}
