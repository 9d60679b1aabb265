"""Large files go through in one transaction: 20,000 prices, 5,000 customers.

Times are printed (run with ``-s`` to see them), never asserted: they depend on the
machine. What is asserted is that every row landed, and that one bad row at the very
end still leaves nothing behind.

Bulk seeding goes through a second ``Database`` without the app's dispatcher, as the
command line does: thousands of catalog events would otherwise be dispatched in the
background of the rest of the test session.
"""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from omni.customers.api import IMPORT_COLUMNS
from omni.customers.models import Customer
from omni.db.database import Database
from omni.integrations.cli_tasks import run_import
from omni.pricing.models import Price
from tests.integrations.helpers import count, csv_text, imported, problems, upload
from tests.pricing.helpers import create_list

VARIANTS = 2000
TIERS = 10
CUSTOMERS = 5_000


@pytest.fixture
async def quiet_database(settings) -> AsyncIterator[Database]:  # type: ignore[no-untyped-def]
    db = Database(settings)
    yield db
    await db.dispose()


def catalog_file(stem: str) -> str:
    rows = [
        f"{stem}-{n},Tee {n},{stem.upper()}-{n}-{size},active,{size}"
        for n in range(VARIANTS // 2)
        for size in ("M", "L")
    ]
    return "handle,name,sku,status,option:size\n" + "\n".join(rows) + "\n"


def prices_file(code: str, stem: str) -> str:
    rows = [
        f"{code},{stem.upper()}-{n}-{size},{tier * 10 or 1},{100 - tier}.{n % 100:02d}"
        for n in range(VARIANTS // 2)
        for size in ("M", "L")
        for tier in range(TIERS)
    ]
    return "price_list_code,sku,min_quantity,amount\n" + "\n".join(rows) + "\n"


async def test_twenty_thousand_prices_in_one_transaction(client, merch, database, quiet_database):
    stem = f"big-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    seeded = await run_import(quiet_database, "products", io.BytesIO(catalog_file(stem).encode()))
    products_seconds = time.perf_counter() - started
    assert seeded.counts["variants_created"] == VARIANTS
    price_list = await create_list(client, merch)
    text = prices_file(price_list["code"], stem)

    started = time.perf_counter()
    report = await imported(client, "prices", text, merch)
    prices_seconds = time.perf_counter() - started
    assert report["counts"] == {"created": VARIANTS * TIERS, "updated": 0}
    assert await count(database, Price, Price.price_list_id == price_list["id"]) == 20_000
    print(
        f"\n{database.dialect}: {VARIANTS:,} variants (products CSV) {products_seconds:.1f} s; "
        f"{VARIANTS * TIERS:,} prices {prices_seconds:.1f} s ({len(text) / 1e6:.1f} MB)"
    )

    expected_total = sum(
        (100 - tier) * 100 + n % 100
        for n in range(VARIANTS // 2)
        for _ in ("M", "L")
        for tier in range(TIERS)
    )
    assert await stored_total(database, price_list["id"]) == expected_total

    # The same file again with one bad amount in its very last row: nothing changes.
    started = time.perf_counter()
    refused = await upload(client, "prices", _last_amount(text, "1.001"), merch)
    assert problems(refused) == [(VARIANTS * TIERS + 1, "amount")]
    print(f"{database.dialect}: refused 20,000 prices in {time.perf_counter() - started:.1f} s")
    assert await stored_total(database, price_list["id"]) == expected_total


async def stored_total(database, price_list_id: str) -> int:
    async with database.reader() as session:
        total = await session.scalar(
            select(func.sum(Price.amount)).where(Price.price_list_id == price_list_id)
        )
    return int(total or 0)


def _last_amount(text: str, amount: str) -> str:
    head, last = text.rstrip("\n").rsplit("\n", 1)
    cells = last.split(",")
    cells[3] = amount
    return f"{head}\n{','.join(cells)}\n"


async def test_thousands_of_customers_in_one_transaction(database, quiet_database):
    family = f"Bulk-{uuid.uuid4().hex[:10]}"
    rows = [
        {"first_name": f"Person {n}", "last_name": family, "email": f"{family}-{n}@example.com"}
        for n in range(CUSTOMERS)
    ]
    data = csv_text(list(IMPORT_COLUMNS), rows).encode()
    started = time.perf_counter()
    report = await run_import(quiet_database, "customers", io.BytesIO(data))
    seconds = time.perf_counter() - started
    assert (report.applied, report.counts) == (True, {"created": CUSTOMERS})
    assert await count(database, Customer, Customer.last_name == family) == CUSTOMERS
    print(
        f"\n{database.dialect}: {CUSTOMERS:,} customers {seconds:.1f} s ({len(data) / 1e6:.1f} MB)"
    )
