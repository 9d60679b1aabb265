"""Products from and to CSV: one row per variant, grouped by handle."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy import select

from omni.catalog.models import Product, Variant
from omni.integrations import csv_import
from omni.integrations.cli_tasks import run_import
from tests.catalog.helpers import create_product, unique, unique_gtin, unique_sku
from tests.integrations.helpers import count, csv_text, export_rows, imported, problems, upload

COLUMNS = ["handle", "name", "brand", "status", "sku", "gtin", "weight_grams", "option:size"]


def variant_row(handle: str, size: str, **cells: Any) -> dict[str, Any]:
    return {
        "handle": handle,
        "name": "Linen Shirt",
        "brand": "Northwind",
        "status": "active",
        "sku": unique_sku("LIN"),
        "gtin": unique_gtin(),
        "weight_grams": "210",
        "option:size": size,
        **cells,
    }


async def product(database, handle: str) -> tuple[Product | None, list[Variant]]:
    async with database.reader() as session:
        found = await session.scalar(select(Product).where(Product.handle == handle))
        variants = await session.scalars(
            select(Variant)
            .join(Product, Product.id == Variant.product_id)
            .where(Product.handle == handle)
            .order_by(Variant.position)
        )
        return found, list(variants)


async def test_a_valid_file_creates_products_with_their_variants(client, merch, database):
    shirt, scarf = unique("shirt"), unique("scarf")
    rows = [
        variant_row(shirt, "S"),
        variant_row(shirt, "M"),
        variant_row(scarf, "", name="Wool Scarf", gtin="", weight_grams=""),
    ]
    report = await imported(client, "products", csv_text(COLUMNS, rows), merch, multipart=True)
    assert report["counts"] == {
        "products_created": 2,
        "products_updated": 0,
        "variants_created": 3,
        "variants_updated": 0,
    }
    found, variants = await product(database, shirt)
    assert found is not None
    assert (found.name, found.status, found.option_names) == ("Linen Shirt", "active", ["size"])
    assert [(v.sku, v.option_values, v.weight_grams) for v in variants] == [
        (rows[0]["sku"], {"size": "S"}, 210),
        (rows[1]["sku"], {"size": "M"}, 210),
    ]
    scarf_product, scarf_variants = await product(database, scarf)
    assert scarf_product is not None and scarf_product.option_names == []
    assert scarf_variants[0].gtin is None


async def test_the_cli_path_imports_as_the_system(database):
    handle = unique("cli")
    text = csv_text(COLUMNS, [variant_row(handle, "S")])
    report = await run_import(database, "products", io.BytesIO(text.encode()))
    assert (report.applied, report.counts["variants_created"]) == (True, 1)
    assert (await product(database, handle))[0] is not None


async def test_a_bad_gtin_refuses_the_whole_file(client, merch, database):
    handle = unique("shirt")
    rows = [variant_row(handle, "S"), variant_row(handle, "M", gtin="4006381333932")]
    response = await upload(client, "products", csv_text(COLUMNS, rows), merch)
    assert problems(response) == [(3, "gtin")]
    assert await count(database, Product, Product.handle == handle) == 0


async def test_a_sku_of_another_product_is_reported_at_its_row(client, merch, database):
    existing = await create_product(
        client,
        merch,
        option_names=["size"],
        variants=[{"sku": unique_sku(), "option_values": {"size": "M"}}],
    )
    taken = existing["variants"][0]["sku"]
    handles = [unique("ok"), unique("clash")]
    rows = [
        variant_row(handles[0], "S"),
        variant_row(handles[0], "M"),
        variant_row(handles[1], "S"),
        variant_row(handles[1], "M", sku=taken.lower()),
    ]
    response = await upload(client, "products", csv_text(COLUMNS, rows), merch)
    assert (5, "sku") in problems(response)
    assert await count(database, Product, Product.handle.in_(handles)) == 0
    # A dry run finds it too: it runs the writes and rolls them back.
    dry = await upload(client, "products", csv_text(COLUMNS, rows), merch, dry_run=True)
    assert (5, "sku") in problems(dry)


async def test_a_sku_twice_in_a_file_is_refused(client, merch, database):
    handle = unique("shirt")
    first = variant_row(handle, "S")
    rows = [first, variant_row(handle, "M", sku=first["sku"].lower())]
    response = await upload(client, "products", csv_text(COLUMNS, rows), merch)
    assert problems(response) == [(3, "sku")]
    assert await count(database, Product, Product.handle == handle) == 0


async def test_a_dry_run_reports_the_counts_and_changes_nothing(client, merch, database):
    handle = unique("shirt")
    rows = [variant_row(handle, "S"), variant_row(handle, "M")]
    report = await imported(client, "products", csv_text(COLUMNS, rows), merch, dry_run=True)
    assert (report["dry_run"], report["applied"], report["counts"]["variants_created"]) == (
        True,
        False,
        2,
    )
    assert await count(database, Product, Product.handle == handle) == 0


async def test_export_then_import_changes_nothing(client, merch, database):
    first = await create_product(
        client, merch, description='Soft.\n"Washed" =twice', status="draft"
    )
    second = await create_product(
        client,
        merch,
        option_names=["color", "size"],
        variants=[
            {
                "sku": unique_sku(),
                "option_values": {"size": "S", "color": "Red"},
                "gtin": unique_gtin(),
            }
        ],
    )
    handles = {first["handle"], second["handle"]}
    header, exported = await export_rows(client, "products", merch)
    assert {"option:size", "option:color"} <= set(header)
    ours = [row for row in exported if row["handle"] in handles]
    assert len(ours) == 3
    before = {h: (await product(database, h))[0].version for h in handles}  # type: ignore[union-attr]

    report = await imported(client, "products", csv_text(header, ours), merch)
    assert report["counts"]["variants_updated"] == 3
    after = {h: (await product(database, h))[0].version for h in handles}  # type: ignore[union-attr]
    assert after == before
    _, again = await export_rows(client, "products", merch)
    assert [row for row in again if row["handle"] in handles] == ours


async def test_a_product_split_across_batches_keeps_its_first_rows_fields(
    client, merch, database, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(csv_import, "BATCH", 2)
    handle, other = unique("shirt"), unique("other")
    rows = [
        variant_row(handle, "S", name="First name"),
        variant_row(other, "S"),
        variant_row(other, "M"),
        variant_row(handle, "M", name="Ignored name", status="draft"),
    ]
    report = await imported(client, "products", csv_text(COLUMNS, rows), merch)
    assert report["counts"]["variants_created"] == 4
    found, variants = await product(database, handle)
    assert found is not None
    assert (found.name, found.status, len(variants)) == ("First name", "active", 2)
