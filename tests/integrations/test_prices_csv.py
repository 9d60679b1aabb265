"""Prices from and to CSV: amounts as people write them, exact minor units, tiers."""

from __future__ import annotations

import io
from typing import Any

import pytest

from omni.integrations import csv_import
from omni.integrations.cli_tasks import run_import
from omni.pricing.api import PRICE_CSV_COLUMNS
from tests.catalog.helpers import create_product, unique_sku
from tests.integrations.helpers import (
    EXPORTS,
    csv_text,
    export_rows,
    imported,
    problems,
    upload,
)
from tests.pricing.helpers import create_list, price_rows

COLUMNS = list(PRICE_CSV_COLUMNS)


async def skus(client, headers, how_many: int = 2) -> dict[str, str]:
    """SKU → variant id of a new product's variants."""
    made = await create_product(
        client,
        headers,
        option_names=["size"],
        variants=[
            {"sku": unique_sku("PRC"), "option_values": {"size": str(n)}} for n in range(how_many)
        ],
    )
    return {v["sku"]: v["id"] for v in made["variants"]}


def price(code: str, sku: str, amount: str, **cells: Any) -> dict[str, Any]:
    return {"price_list_code": code, "sku": sku, "amount": amount, **cells}


@pytest.fixture
async def usd(client, merch) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return await create_list(client, merch)


async def test_amounts_are_stored_exactly_in_minor_units(client, merch, database, usd):
    yen = await create_list(client, merch, currency="JPY", name="Base JPY")
    (a, a_id), (b, b_id) = (await skus(client, merch)).items()
    rows = [
        price(usd["code"], a.lower(), "29.95", compare_at_amount="39"),
        price(usd["code"], a, "27.50", min_quantity="10"),
        price(usd["code"], b, "0.1"),
        price(yen["code"], a, "1500", compare_at_amount="1800.00"),
    ]
    report = await imported(client, "prices", csv_text(COLUMNS, rows), merch)
    assert report["counts"] == {"created": 4, "updated": 0}
    assert await price_rows(database, usd["id"]) == sorted(
        [(a_id, 1, 2995), (a_id, 10, 2750), (b_id, 1, 10)]
    )
    assert await price_rows(database, yen["id"]) == [(a_id, 1, 1500)]

    rows[0] = price(usd["code"], a, "28.00", compare_at_amount="39")
    report = await imported(client, "prices", csv_text(COLUMNS, rows[:1]), merch)
    assert report["counts"] == {"created": 0, "updated": 1}
    assert (a_id, 1, 2800) in await price_rows(database, usd["id"])


async def test_the_cli_path_imports_as_the_system(database, client, merch, usd):
    sku, variant_id = next(iter((await skus(client, merch, 1)).items()))
    text = csv_text(COLUMNS, [price(usd["code"], sku, "9.99")])
    report = await run_import(database, "prices", io.BytesIO(text.encode()))
    assert (report.applied, report.counts) == (True, {"created": 1, "updated": 0})
    assert await price_rows(database, usd["id"]) == [(variant_id, 1, 999)]


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"price_list_code": "no-such-list"}, "price_list_code"),
        ({"sku": "NO-SUCH-SKU"}, "sku"),
        ({"amount": "19.999"}, "amount"),
        ({"amount": "1,299.00"}, "amount"),
        ({"amount": "-1"}, "amount"),
        ({"compare_at_amount": "5"}, "compare_at_amount"),
        ({"compare_at_amount": "50.001"}, "compare_at_amount"),
        ({"min_quantity": "0"}, "min_quantity"),
    ],
)
async def test_one_bad_row_refuses_the_whole_file(client, merch, database, usd, bad, field):
    a, b = await skus(client, merch)
    rows = [price(usd["code"], a, "10.00"), {**price(usd["code"], b, "10.00"), **bad}]
    response = await upload(client, "prices", csv_text(COLUMNS, rows), merch)
    assert problems(response) == [(3, field)]
    assert await price_rows(database, usd["id"]) == []


async def test_yen_amounts_have_no_decimals(client, merch, database):
    yen = await create_list(client, merch, currency="JPY", name="Base JPY")
    (sku,) = await skus(client, merch, 1)
    response = await upload(
        client, "prices", csv_text(COLUMNS, [price(yen["code"], sku, "1500.5")]), merch
    )
    assert problems(response) == [(2, "amount")]
    assert "whole numbers" in response.json()["errors"][0]["message"]
    assert await price_rows(database, yen["id"]) == []


async def test_a_dearer_bigger_tier_is_refused(client, merch, database, usd):
    (sku,) = await skus(client, merch, 1)
    rows = [price(usd["code"], sku, "10.00"), price(usd["code"], sku, "11.00", min_quantity="5")]
    response = await upload(client, "prices", csv_text(COLUMNS, rows), merch)
    assert problems(response) == [(3, "amount")]
    assert await price_rows(database, usd["id"]) == []


async def test_tiers_are_judged_on_the_final_state_across_batches(
    client, merch, database, usd, monkeypatch: pytest.MonkeyPatch
):
    (sku,) = await skus(client, merch, 1)
    await imported(
        client,
        "prices",
        csv_text(
            COLUMNS,
            [price(usd["code"], sku, "10.00"), price(usd["code"], sku, "9.00", min_quantity="10")],
        ),
        merch,
    )
    monkeypatch.setattr(csv_import, "BATCH", 1)
    # Batch one alone would make 10 units dearer than one; batch two puts it right.
    rows = [price(usd["code"], sku, "15.00", min_quantity="10"), price(usd["code"], sku, "20.00")]
    await imported(client, "prices", csv_text(COLUMNS, rows), merch)
    amounts = [amount for _, _, amount in await price_rows(database, usd["id"])]
    assert amounts == [2000, 1500]

    wrong = [price(usd["code"], sku, "25.00", min_quantity="10"), price(usd["code"], sku, "21.00")]
    response = await upload(client, "prices", csv_text(COLUMNS, wrong), merch)
    assert problems(response) == [(2, "amount")]
    assert [amount for _, _, amount in await price_rows(database, usd["id"])] == [2000, 1500]


async def test_a_tier_twice_in_a_file_is_refused(client, merch, database, usd):
    (sku,) = await skus(client, merch, 1)
    rows = [
        price(usd["code"], sku, "10.00"),
        price(usd["code"], sku.lower(), "9.00", min_quantity="1"),
    ]
    response = await upload(client, "prices", csv_text(COLUMNS, rows), merch)
    assert problems(response) == [(3, "sku")]
    assert await price_rows(database, usd["id"]) == []


async def test_export_then_import_changes_nothing(client, merch, database, usd):
    a, b = await skus(client, merch)
    rows = [
        price(usd["code"], a, "29.95", compare_at_amount="39.00"),
        price(usd["code"], a, "25.00", min_quantity="12"),
        price(usd["code"], b, "100.00"),
    ]
    await imported(client, "prices", csv_text(COLUMNS, rows), merch)
    before = await price_rows(database, usd["id"])
    header, exported = await export_rows(client, "prices", merch, price_list_code=usd["code"])
    assert header == COLUMNS
    assert sorted(
        (r["sku"], r["min_quantity"], r["amount"], r["compare_at_amount"]) for r in exported
    ) == sorted(
        [
            (a, "1", "29.95", "39.00"),
            (a, "12", "25.00", ""),
            (b, "1", "100.00", ""),
        ]
    )
    report = await imported(client, "prices", csv_text(header, exported), merch)
    assert report["counts"] == {"created": 0, "updated": 3}
    assert await price_rows(database, usd["id"]) == before


async def test_exporting_an_unknown_list_is_404(client, merch):
    response = await client.get(
        f"{EXPORTS}/prices", params={"price_list_code": "nope"}, headers=merch
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
