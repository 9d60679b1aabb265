"""The catalog's facade for other modules, and its bulk helpers for the CSV importer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from omni.catalog import api as catalog_api
from omni.catalog.models import Product, Variant
from omni.kernel.errors import InvalidInput
from tests.catalog.helpers import (
    PRODUCTS,
    count_rows,
    create_product,
    unique,
    unique_gtin,
    unique_sku,
)


async def test_get_variants_returns_plain_facts_in_one_call(client, merch, database):
    product = await create_product(client, merch, name="Organic Tee", tax_class="reduced")
    first, second = product["variants"]
    async with database.reader() as session:
        infos = await catalog_api.get_variants(session, [first["id"], second["id"], "var_missing"])
    assert set(infos) == {first["id"], second["id"]}
    info = infos[first["id"]]
    assert isinstance(info, catalog_api.VariantInfo)
    assert (info.sku, info.product_id, info.tax_class) == (first["sku"], product["id"], "reduced")
    assert info.title == "Organic Tee — M / Navy"
    assert info.option_values == {"size": "M", "color": "Navy"}
    assert (info.status, info.product_status, info.is_bundle, info.sellable) == (
        "active",
        "draft",
        False,
        False,
    )
    with pytest.raises(AttributeError):
        info.sku = "X"  # type: ignore[misc]


async def test_lookups_by_sku_and_id(client, merch, database):
    product = await create_product(client, merch)
    variant = product["variants"][0]
    async with database.reader() as session:
        found = await catalog_api.variant_by_sku(session, variant["sku"].lower())
        missing = await catalog_api.variant_by_sku(session, "NO-SUCH-SKU")
        exists = await catalog_api.variant_exists(session, variant["id"])
        not_exists = await catalog_api.variant_exists(session, "var_missing")
    assert found is not None and found.id == variant["id"]
    assert missing is None
    assert (exists, not_exists) == (True, False)


async def test_sellable_variants_are_active_and_published_where_asked(
    client, merch, channel_id, database
):
    live = await create_product(client, merch, status="active")
    draft = await create_product(client, merch)
    await client.put(f"{PRODUCTS}/{live['id']}/publications/{channel_id}", headers=merch)
    await client.patch(
        f"/api/v1/catalog/variants/{live['variants'][1]['id']}",
        json={"status": "archived"},
        headers=merch,
    )
    ids = [v["id"] for v in live["variants"] + draft["variants"]]
    now = datetime.now(UTC)
    async with database.reader() as session:
        anywhere = await catalog_api.sellable_variant_ids(session, ids, channel_id=None, at=now)
        on_channel = await catalog_api.sellable_variant_ids(
            session, ids, channel_id=channel_id, at=now
        )
        elsewhere = await catalog_api.sellable_variant_ids(
            session, ids, channel_id="chn_other", at=now
        )
    assert anywhere == on_channel == {live["variants"][0]["id"]}
    assert elsewhere == set()


def _row(**fields: str) -> dict[str, str]:
    return {
        "handle": unique("imp"),
        "name": "Imported Tee",
        "sku": unique_sku(),
        "option:size": "M",
        **fields,
    }


def test_a_well_formed_row_has_no_errors():
    assert catalog_api.validate_variant_row(_row(gtin=unique_gtin(), weight_grams="120")) == []


def test_row_errors_name_each_bad_field():
    errors = catalog_api.validate_variant_row(
        {
            "handle": "Bad Handle",
            "name": "",
            "sku": "no spaces allowed",
            "gtin": "123",
            "weight_grams": "heavy",
            "status": "live",
            "colour": "red",
            "option:Size": "M",
        }
    )
    fields = {e.field for e in errors}
    assert fields == {
        "handle",
        "name",
        "sku",
        "gtin",
        "weight_grams",
        "status",
        "colour",
        "options",
    }
    assert all(e.message for e in errors)


async def test_upsert_creates_products_then_updates_them(database):
    handle = unique("imp")
    skus = [unique_sku(), unique_sku()]
    rows = [
        _row(handle=handle, sku=skus[0], **{"option:size": "S"}, status="active", brand="Acme"),
        _row(handle=handle, sku=skus[1], **{"option:size": "M"}),
    ]
    async with database.uow() as uow:
        summary = await catalog_api.upsert_products(uow, rows)
        await uow.commit()
    assert (summary.products_created, summary.variants_created) == (1, 2)

    async with database.uow() as uow:
        again = await catalog_api.upsert_products(
            uow,
            [
                _row(
                    handle=handle,
                    sku=skus[0].lower(),
                    name="Renamed",
                    weight_grams="99",
                    **{"option:size": "S"},
                )
            ],
        )
        await uow.commit()
    assert (again.products_updated, again.variants_updated) == (1, 1)
    async with database.reader() as session:
        product = await session.scalar(select(Product).where(Product.handle == handle))
        variant = await session.scalar(select(Variant).where(Variant.sku == skus[0]))
    assert product is not None and variant is not None
    assert (product.name, product.status, product.brand, product.version) == (
        "Renamed",
        "active",
        "Acme",
        2,
    )
    assert variant.weight_grams == 99


async def test_upsert_reports_every_bad_row_and_applies_nothing(client, merch, database):
    existing = await create_product(client, merch)
    handle = unique("imp")
    rows = [
        _row(handle=handle),
        _row(sku="bad sku"),
        _row(sku=existing["variants"][0]["sku"]),  # belongs to another product
    ]
    async with database.uow() as uow:
        with pytest.raises(InvalidInput) as refused:
            await catalog_api.upsert_products(uow, rows)
    assert [e["row"] for e in refused.value.extra["errors"]] == [1]

    rows = [
        _row(handle=handle),
        _row(handle=existing["handle"], sku=existing["variants"][0]["sku"], **{"option:size": "M"}),
    ]
    async with database.uow() as uow:
        with pytest.raises(InvalidInput) as refused:
            await catalog_api.upsert_products(uow, rows)
    assert refused.value.extra["errors"][0]["row"] == 1
    assert refused.value.extra["errors"][0]["field"] == "options"
    assert await count_rows(database, Product, Product.handle == handle) == 0


async def test_upsert_refuses_a_sku_owned_by_another_product(client, merch, database):
    existing = await create_product(
        client,
        merch,
        option_names=["size"],
        variants=[{"sku": unique_sku(), "option_values": {"size": "M"}}],
    )
    other = await create_product(client, merch, option_names=["size"], variants=[])
    row = _row(handle=other["handle"], sku=existing["variants"][0]["sku"])
    async with database.uow() as uow:
        with pytest.raises(InvalidInput) as refused:
            await catalog_api.upsert_products(uow, [row])
    assert refused.value.extra["errors"] == [
        {
            "row": 0,
            "field": "sku",
            "message": f"SKU {existing['variants'][0]['sku']} belongs to another product.",
        }
    ]
