"""The taxes facade checkout calls: quotes from the stored table, addresses to regions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from omni.kernel.errors import InvalidInput
from omni.kernel.money import Money
from omni.taxes import api
from tests.taxes.helpers import create_region, rate


async def quote(database, region, lines, shipping=None, currency="EUR", inclusive=None, at=None):  # type: ignore[no-untyped-def]
    async with database.reader() as session:
        return await api.quote(session, region, lines, shipping, currency, inclusive, at=at)


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


async def test_a_quote_uses_the_rates_in_force_at_the_time(client, merch, database):
    region = await create_region(
        client,
        merch,
        rates=[
            rate(percent="19", valid_to="2020-07-01T00:00:00Z"),
            rate(percent="16", valid_from="2020-07-01T00:00:00Z", valid_to="2021-01-01T00:00:00Z"),
            rate(percent="19", valid_from="2021-01-01T00:00:00Z"),
            rate("reduced", "7"),
        ],
    )
    lines = [api.TaxableLine("l1", eur(10000)), api.TaxableLine("l2", eur(1000), "reduced")]

    summer = await quote(database, region["code"], lines, at=datetime(2020, 9, 1, tzinfo=UTC))
    later = await quote(database, region["code"], lines, at=datetime(2024, 1, 1, tzinfo=UTC))

    assert [line.tax.amount for line in summer.lines] == [1600, 70]
    assert [line.tax.amount for line in later.lines] == [1900, 70]
    assert later.provider == "table" and later.region == region["code"]


async def test_inclusive_prices_come_from_the_caller_or_the_regions_default(
    client, merch, database
):
    region = await create_region(client, merch, prices_include_tax=True, shipping_tax_class=None)
    lines = [api.TaxableLine("l1", eur(1000))]

    default = await quote(database, region["code"], lines, shipping=eur(490))
    exclusive = await quote(database, region["code"], lines, inclusive=False)

    # €10.00 incl. 19 % → €1.60 VAT; shipping is not taxed in this region.
    assert (default.tax_total.amount, default.gross_total.amount) == (160, 1490)
    assert default.shipping is not None and default.shipping.tax.amount == 0
    assert (exclusive.tax_total.amount, exclusive.gross_total.amount) == (190, 1190)


async def test_unknown_regions_and_classes_are_clear_422s(client, merch, database):
    region = await create_region(client, merch)
    with pytest.raises(api.UnknownTaxRegion) as unknown_region:
        await quote(database, "ZZ-ZZ", [api.TaxableLine("l1", eur(100))])
    assert (unknown_region.value.status, unknown_region.value.code) == (422, "tax_region_unknown")
    with pytest.raises(api.UnknownTaxRate) as unknown_rate:
        await quote(database, region["code"], [api.TaxableLine("l1", eur(100), "luxury")])
    assert unknown_rate.value.code == "tax_rate_unknown"
    expired = await create_region(client, merch, rates=[rate(valid_to="2001-01-01T00:00:00Z")])
    with pytest.raises(api.UnknownTaxRate):  # a rate no longer in force is no rate
        await quote(database, expired["code"], [api.TaxableLine("l1", eur(100))])


async def test_regions_exist_by_code(client, merch, database):
    region = await create_region(client, merch)
    async with database.reader() as session:
        assert await api.region_exists(session, region["code"].lower())
        assert not await api.region_exists(session, "ZZ-ZZ")


@pytest.mark.parametrize(
    ("country", "region", "code"),
    [
        ("US", "NY", "US-NY"),
        ("us", " ca ", "US-CA"),
        ("US", "US-TX", "US-TX"),
        ("DE", "BY", "DE"),
        ("fr", None, "FR"),
        ("GB", "", "GB"),
    ],
)
def test_an_address_maps_to_its_tax_region(country, region, code):
    assert api.region_for_address(country, region) == code


@pytest.mark.parametrize(
    ("country", "region", "field"),
    [
        ("XX", None, "country"),
        ("USA", "NY", "country"),
        ("US", None, "region"),
        ("US", "ZZ", "region"),
    ],
)
def test_addresses_that_map_to_no_region_are_refused(country, region, field):
    with pytest.raises(InvalidInput) as refused:
        api.region_for_address(country, region)
    assert refused.value.extra["field"] == field
