"""Helpers for the taxes HTTP and facade tests.

Region codes are ISO 3166 codes and the primary key, and tests share one database: each
test takes subdivision codes nobody has used in this run (``fresh_region``)."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pycountry
from sqlalchemy import func, select

from omni.db.database import Database
from omni.taxes.models import TaxRateRecord, TaxRegionRecord

REGIONS = "/api/v1/tax/regions"
QUOTE = "/api/v1/tax/quote"

_CODES = sorted(s.code for s in pycountry.subdivisions if len(s.code) <= 10)
# US-NY is the checkout tests' region (tests/orders/checkout_support.py): never handed out here.
_TAKEN: set[str] = {"US-NY"}


def fresh_region() -> str:
    while True:
        code = random.choice(_CODES)
        if code not in _TAKEN:
            _TAKEN.add(code)
            return code


def rate(tax_class: str = "standard", percent: str = "19", **fields: Any) -> dict[str, Any]:
    return {"tax_class": tax_class, "percent": percent, "name": f"VAT {percent}%", **fields}


async def create_region(
    client: httpx.AsyncClient, headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    body = {"code": fresh_region(), "name": "Somewhere", "rates": [rate()], **fields}
    response = await client.post(REGIONS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def region_snapshot(database: Database, code: str) -> tuple[Any, ...]:
    """The stored region and its rates, to compare before and after a refusal."""
    async with database.reader() as session:
        region = await session.get(TaxRegionRecord, code)
        rates = await session.execute(
            select(
                TaxRateRecord.id,
                TaxRateRecord.tax_class,
                TaxRateRecord.percent,
                TaxRateRecord.name,
                TaxRateRecord.valid_from,
                TaxRateRecord.valid_to,
            )
            .where(TaxRateRecord.region_code == code)
            .order_by(TaxRateRecord.id)
        )
        stored = None
        if region is not None:
            stored = (
                region.name,
                region.prices_include_tax,
                region.rounding,
                region.shipping_tax_class,
                region.version,
            )
        return stored, [tuple(row) for row in rates]


async def regions_with_code(database: Database, code: str) -> int:
    async with database.reader() as session:
        count = await session.scalar(
            select(func.count()).select_from(TaxRegionRecord).where(TaxRegionRecord.code == code)
        )
    return int(count or 0)
