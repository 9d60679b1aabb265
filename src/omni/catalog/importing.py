"""Bulk rows for the CSV importer: one row per variant, products grouped by handle.

A row is a flat mapping of column → text, as ``csv.DictReader`` gives it:

    handle, name, description, brand, status, tax_class,    (product columns)
    sku, gtin, weight_grams, variant_status,                 (variant columns)
    option:<name> …                                           (e.g. option:size, option:color)

Empty cells count as absent. ``name`` and ``sku`` and ``handle`` are required on every
row; the option columns with a value give the product's option names, in column order.
The first row of a handle carries the product's fields; later rows only add variants.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import or_, select

from omni.catalog import domain
from omni.catalog.common import unique_race
from omni.catalog.events import ProductUpdated, VariantUpdated
from omni.catalog.models import Product, Variant
from omni.catalog.products import add_product
from omni.catalog.schemas import ProductIn, VariantIn
from omni.catalog.variants import (
    ensure_combination_free,
    ensure_gtin_free,
    ensure_sku_free,
    new_variant,
)
from omni.db.uow import UnitOfWork
from omni.kernel.errors import DomainError, InvalidInput

PRODUCT_COLUMNS = ("handle", "name", "description", "brand", "status", "tax_class")
VARIANT_COLUMNS = ("sku", "gtin", "weight_grams", "variant_status")
OPTION_PREFIX = "option:"


@dataclass(frozen=True)
class RowError:
    field: str
    message: str


@dataclass(frozen=True)
class CatalogRow:
    handle: str
    name: str
    sku: str
    description: str | None = None
    brand: str | None = None
    status: str | None = None
    tax_class: str | None = None
    gtin: str | None = None
    weight_grams: int | None = None
    variant_status: str = "active"
    options: dict[str, str] = field(default_factory=dict)


@dataclass
class UpsertSummary:
    products_created: int = 0
    products_updated: int = 0
    variants_created: int = 0
    variants_updated: int = 0


def _cell(row: Mapping[str, Any], column: str) -> str | None:
    value = row.get(column)
    text = "" if value is None else str(value).strip()
    return text or None


def _check(errors: list[RowError], column: str, rule: Any, value: Any) -> Any:
    try:
        return rule(value)
    except domain.CatalogRuleBroken as error:
        errors.append(RowError(column, str(error)))
        return None


def _required(errors: list[RowError], row: Mapping[str, Any], column: str, limit: int) -> str:
    value = _cell(row, column)
    if value is None:
        errors.append(RowError(column, f"{column} is required."))
    elif len(value) > limit:
        errors.append(RowError(column, f"{column} is at most {limit} characters."))
    return value or ""


def parse_row(row: Mapping[str, Any]) -> tuple[CatalogRow | None, list[RowError]]:
    """The row's values, normalized (SKU upper-case, GTIN as 14 digits), or its errors."""
    errors: list[RowError] = []
    known = {*PRODUCT_COLUMNS, *VARIANT_COLUMNS}
    for column in row:
        if column not in known and not column.startswith(OPTION_PREFIX):
            errors.append(RowError(column, f"Unknown column {column!r}."))
    handle = _check(errors, "handle", domain.check_handle, _required(errors, row, "handle", 120))
    name = _required(errors, row, "name", 200)
    sku = _check(errors, "sku", domain.normalize_sku, _required(errors, row, "sku", 64))
    gtin = _cell(row, "gtin")
    status = _cell(row, "status")
    tax_class = _cell(row, "tax_class")
    variant_status = _cell(row, "variant_status") or "active"
    options = {
        column[len(OPTION_PREFIX) :]: value
        for column in row
        if column.startswith(OPTION_PREFIX) and (value := _cell(row, column))
    }
    parsed = CatalogRow(
        handle=handle or "",
        name=name,
        sku=sku or "",
        description=_cell(row, "description"),
        brand=_cell(row, "brand"),
        status=status and _check(errors, "status", domain.check_status, status),
        tax_class=tax_class and _check(errors, "tax_class", domain.check_tax_class, tax_class),
        gtin=gtin and _check(errors, "gtin", domain.normalize_gtin, gtin),
        weight_grams=_weight(errors, _cell(row, "weight_grams")),
        variant_status=_check(
            errors,
            "variant_status",
            lambda s: domain.check_status(s, domain.VARIANT_STATUSES),
            variant_status,
        )
        or "active",
        options=options,
    )
    if _check(errors, "options", domain.check_option_names, list(options)) is not None:
        _check(errors, "options", lambda o: domain.check_option_values(list(o), o), options)
    if parsed.brand and len(parsed.brand) > 100:
        errors.append(RowError("brand", "brand is at most 100 characters."))
    return (None, errors) if errors else (parsed, [])


def _weight(errors: list[RowError], text: str | None) -> int | None:
    if text is None:
        return None
    if not text.isdigit() or int(text) > 10_000_000:
        errors.append(RowError("weight_grams", "weight_grams is a whole number of grams."))
        return None
    return int(text)


async def upsert_rows(uow: UnitOfWork, rows: Sequence[Mapping[str, Any]]) -> UpsertSummary:
    """Apply rows inside the caller's unit of work; never commits.

    Raises ``InvalidInput`` with ``errors=[{row, field, message}]`` (``row``: the index
    in ``rows``, from 0) if any row is invalid or clashes with the catalog; the caller
    then rolls back, so nothing is half-applied.
    """
    parsed: list[tuple[int, CatalogRow]] = []
    problems: list[dict[str, Any]] = []
    for number, row in enumerate(rows):
        result, errors = parse_row(row)
        problems += [{"row": number, "field": e.field, "message": e.message} for e in errors]
        if result is not None:
            parsed.append((number, result))
    summary = UpsertSummary()
    if not problems:
        used = await _identifiers_in_use(uow, [row for _, row in parsed])
        for group in _by_handle(parsed).values():
            problems += await _apply_group(uow, group, summary, used)
    if problems:
        raise InvalidInput(
            f"{len(problems)} problems in the rows; nothing applied.", errors=problems
        )
    with unique_race("Another writer changed these products meanwhile; import again."):
        await uow.flush()
    return summary


def _by_handle(parsed: list[tuple[int, CatalogRow]]) -> dict[str, list[tuple[int, CatalogRow]]]:
    groups: dict[str, list[tuple[int, CatalogRow]]] = {}
    for number, row in parsed:
        groups.setdefault(row.handle, []).append((number, row))
    return groups


async def _apply_group(
    uow: UnitOfWork,
    group: list[tuple[int, CatalogRow]],
    summary: UpsertSummary,
    used: set[str],
) -> list[dict[str, Any]]:
    first_number, first = group[0]
    product = await uow.session.scalar(select(Product).where(Product.handle == first.handle))
    if product is None:
        return await _create_product(uow, group, summary, used)
    problems = []
    for number, row in group:
        try:
            # Compared as sets: a file lists option columns in one order for all its
            # products, which need not be each product's display order.
            if set(row.options) != set(product.option_names):
                raise InvalidInput(
                    f"The product's options are {product.option_names}, "
                    f"the row gives {list(row.options)}.",
                    field="options",
                )
            await _apply_variant(uow, product, row, summary)
        except DomainError as error:
            problems.append(_problem(number, error, "sku"))
    if problems:
        return problems
    _update_product(uow, product, first, summary)
    if product.status == "active" and not await _has_active_variant(uow, product.id):
        message = "An active product needs at least one active variant."
        return [{"row": first_number, "field": "status", "message": message}]
    return []


def _problem(number: int, error: DomainError, default_field: str) -> dict[str, Any]:
    return {
        "row": number,
        "field": error.extra.get("field", default_field),
        "message": error.detail,
    }


async def _has_active_variant(uow: UnitOfWork, product_id: str) -> bool:
    found = await uow.session.scalar(
        select(Variant.id)
        .where(Variant.product_id == product_id, Variant.status == "active")
        .limit(1)
    )
    return found is not None


async def _create_product(
    uow: UnitOfWork,
    group: list[tuple[int, CatalogRow]],
    summary: UpsertSummary,
    used: set[str],
) -> list[dict[str, Any]]:
    """A new product with all its rows' variants, through the same rules as the API."""
    first_number, first = group[0]
    taken = await _taken_identifiers(uow, group, used)
    if taken:
        return taken
    try:
        data = ProductIn(
            handle=first.handle,
            name=first.name,
            description=first.description,
            brand=first.brand,
            status=first.status or "draft",
            tax_class=first.tax_class or "standard",
            option_names=list(first.options),
            variants=[
                VariantIn(
                    sku=row.sku,
                    gtin=row.gtin,
                    option_values=row.options,
                    weight_grams=row.weight_grams,
                    status=row.variant_status,
                )
                for _, row in group
            ],
        )
    except ValidationError as error:
        return [{"row": first_number, "field": "handle", "message": str(error)}]
    try:
        await add_product(uow, data)
    except DomainError as error:
        return [_problem(first_number, error, "handle")]
    summary.products_created += 1
    summary.variants_created += len(group)
    return []


async def _identifiers_in_use(uow: UnitOfWork, rows: list[CatalogRow]) -> set[str]:
    """Of the rows' SKUs and GTINs, those some variant already has (one query)."""
    skus = {row.sku for row in rows}
    gtins = {row.gtin for row in rows if row.gtin}
    found = await uow.session.execute(
        select(Variant.sku, Variant.gtin).where(
            or_(Variant.sku.in_(sorted(skus)), Variant.gtin.in_(sorted(gtins)))
        )
    )
    return {value for pair in found for value in pair if value} & (skus | gtins)


async def _taken_identifiers(
    uow: UnitOfWork, group: list[tuple[int, CatalogRow]], used: set[str]
) -> list[dict[str, Any]]:
    """add_product stops at the first taken SKU or GTIN without saying which variant had
    it; checking each row first lets the report point at the right row."""
    problems = []
    for number, row in group:
        try:
            if row.sku in used:
                await ensure_sku_free(uow, row.sku)
            if row.gtin in used:
                await ensure_gtin_free(uow, row.gtin)
        except DomainError as error:
            problems.append(_problem(number, error, "sku"))
    return problems


def _update_product(
    uow: UnitOfWork, product: Product, row: CatalogRow, summary: UpsertSummary
) -> None:
    changed = _update_product_fields(product, row)
    if changed:
        product.version += 1
        product.updated_at = uow.clock.now()
        uow.record(ProductUpdated(product_id=product.id, fields=changed, status=product.status))
        uow.audit("catalog.product_updated", "product", product.id, {"fields": changed})
    summary.products_updated += 1


def _update_product_fields(product: Product, row: CatalogRow) -> list[str]:
    wanted = {
        "name": row.name,
        "description": row.description,
        "brand": row.brand,
        "status": row.status,
        "tax_class": row.tax_class,
    }
    changed = []
    for name, value in wanted.items():
        if value is not None and getattr(product, name) != value:
            setattr(product, name, value)
            changed.append(name)
    return changed


async def _apply_variant(
    uow: UnitOfWork, product: Product, row: CatalogRow, summary: UpsertSummary
) -> None:
    variant = await uow.session.scalar(select(Variant).where(Variant.sku == row.sku))
    if variant is None:
        data = VariantIn(
            sku=row.sku,
            gtin=row.gtin,
            option_values=row.options,
            weight_grams=row.weight_grams,
            status=row.variant_status,
        )
        await new_variant(uow, product, data)
        summary.variants_created += 1
        return
    if variant.product_id != product.id:
        raise InvalidInput(f"SKU {row.sku} belongs to another product.", field="sku")
    await _update_variant_fields(uow, product, variant, row)
    summary.variants_updated += 1


async def _update_variant_fields(
    uow: UnitOfWork, product: Product, variant: Variant, row: CatalogRow
) -> None:
    key = domain.option_key(product.option_names, row.options)
    if row.gtin:
        await ensure_gtin_free(uow, row.gtin, owner=variant.id)
    await ensure_combination_free(uow, product, key, owner=variant.id)
    wanted: dict[str, Any] = {
        "gtin": row.gtin,
        "weight_grams": row.weight_grams,
        "status": row.variant_status,
        "option_values": row.options,
        "option_key": key,
    }
    changed = [n for n, v in wanted.items() if v is not None and getattr(variant, n) != v]
    if not changed:
        return
    for name in changed:
        setattr(variant, name, wanted[name])
    variant.version += 1
    variant.updated_at = uow.clock.now()
    fields = sorted(set(changed) - {"option_key"})
    uow.record(VariantUpdated(variant_id=variant.id, product_id=product.id, fields=fields))
    uow.audit("catalog.variant_updated", "variant", variant.id, {"fields": fields})
