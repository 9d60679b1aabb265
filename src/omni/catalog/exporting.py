"""Products as CSV rows for export: one row per variant, in the columns the importer
reads (see ``importing``), so an exported file re-imports without changing anything.

Read a batch of products at a time, so memory stays flat whatever the catalog's size.
Products without variants have no row (an import row needs a SKU).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog.importing import OPTION_PREFIX, PRODUCT_COLUMNS, VARIANT_COLUMNS
from omni.catalog.models import Product, Variant

PRODUCTS_PER_BATCH = 200
OPTION_SCAN_BATCH = 2000


async def product_export_columns(session: AsyncSession) -> list[str]:
    """The import columns plus ``option:<name>`` for every option name in the catalog,
    in the order first met (products by id): the common order of most products."""
    names: dict[str, None] = {}
    after = ""
    while True:
        rows = (
            await session.execute(
                select(Product.id, Product.option_names)
                .where(Product.id > after)
                .order_by(Product.id)
                .limit(OPTION_SCAN_BATCH)
            )
        ).all()
        if not rows:
            break
        for _, option_names in rows:
            names.update(dict.fromkeys(option_names))
        after = rows[-1][0]
    return [*PRODUCT_COLUMNS, *VARIANT_COLUMNS, *(OPTION_PREFIX + name for name in names)]


async def export_product_rows(session: AsyncSession) -> AsyncIterator[dict[str, str]]:
    """Every variant as a row (products by id, variants in display order)."""
    after = ""
    while True:
        products = list(
            await session.scalars(
                select(Product)
                .where(Product.id > after)
                .order_by(Product.id)
                .limit(PRODUCTS_PER_BATCH)
            )
        )
        if not products:
            return
        variants = await session.scalars(
            select(Variant)
            .where(Variant.product_id.in_([product.id for product in products]))
            .order_by(Variant.product_id, Variant.position, Variant.id)
        )
        by_product = {key: list(group) for key, group in groupby(variants, lambda v: v.product_id)}
        for product in products:
            for variant in by_product.get(product.id, []):
                yield _row(product, variant)
        after = products[-1].id


def _row(product: Product, variant: Variant) -> dict[str, str]:
    row = {
        "handle": product.handle,
        "name": product.name,
        "description": product.description or "",
        "brand": product.brand or "",
        "status": product.status,
        "tax_class": product.tax_class,
        "sku": variant.sku,
        "gtin": variant.gtin or "",
        "weight_grams": "" if variant.weight_grams is None else str(variant.weight_grams),
        "variant_status": variant.status,
    }
    for name in product.option_names:
        row[OPTION_PREFIX + name] = variant.option_values.get(name, "")
    return row
