"""Tax quotes from a rate table: inclusive and exclusive prices, currencies, rounding.

The rates are test data shaped like real ones, not tax advice.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from omni.kernel.money import Money
from omni.taxes.domain import (
    RoundingLevel,
    TableTaxProvider,
    TaxableLine,
    TaxProvider,
    TaxRate,
    TaxRegion,
    TaxRequest,
    UnknownTaxRate,
    UnknownTaxRegion,
    compute_quote,
)

D = Decimal
US_NY = TaxRegion(
    "US-NY",
    (
        TaxRate("standard", D("8.875"), "NYC sales tax"),
        TaxRate("clothing_under_110", D(0), "Clothing under $110"),
        TaxRate("exempt", D(0), "Exempt"),
    ),
)
US_CA = TaxRegion("US-CA", (TaxRate("standard", D("7.25"), "CA sales tax"),), None)
CA_AB = TaxRegion("CA-AB", (TaxRate("standard", D(5), "GST"),))
DE = TaxRegion("DE", (TaxRate("standard", D(19), "VAT 19%"), TaxRate("reduced", D(7), "VAT 7%")))
JP = TaxRegion("JP", (TaxRate("standard", D(10), "JCT 10%"), TaxRate("reduced", D(8), "JCT 8%")))
BH = TaxRegion("BH", (TaxRate("standard", D(10), "VAT 10%"),))
PROVIDER = TableTaxProvider([US_NY, US_CA, CA_AB, DE, JP, BH])


def quote(
    region: str,
    currency: str,
    amounts: list[int | tuple[int, str]],
    inclusive: bool,
    shipping: int | None = None,
    provider: TaxProvider = PROVIDER,
):
    lines = tuple(
        TaxableLine(f"l{i}", Money(a, currency), "standard")
        if isinstance(a, int)
        else TaxableLine(f"l{i}", Money(a[0], currency), a[1])
        for i, a in enumerate(amounts)
    )
    shipped = None if shipping is None else Money(shipping, currency)
    return provider.quote(TaxRequest(currency, region, lines, inclusive, shipped))


LINE_CASES = [
    # (why, region, currency, amount (minor units), tax class, inclusive, net, tax, gross)
    ("US $10.00 at 8.875%", "US-NY", "USD", 1000, "standard", False, 1000, 89, 1089),
    ("US $9.99 at 8.875%", "US-NY", "USD", 999, "standard", False, 999, 89, 1088),
    ("US exact half rounds up", "US-NY", "USD", 1200, "standard", False, 1200, 107, 1307),
    ("US clothing under $110", "US-NY", "USD", 9999, "clothing_under_110", False, 9999, 0, 9999),
    ("US exempt", "US-NY", "USD", 5000, "exempt", False, 5000, 0, 5000),
    ("US zero amount", "US-NY", "USD", 0, "standard", False, 0, 0, 0),
    ("EU 119.00 incl. 19%", "DE", "EUR", 11900, "standard", True, 10000, 1900, 11900),
    ("EU 10.00 incl. 19%", "DE", "EUR", 1000, "standard", True, 840, 160, 1000),
    ("EU 9.99 incl. 7%", "DE", "EUR", 999, "reduced", True, 934, 65, 999),
    ("EU 0.01 incl. 19%", "DE", "EUR", 1, "standard", True, 1, 0, 1),
    ("EU exclusive (B2B) 100.00 + 19%", "DE", "EUR", 10000, "standard", False, 10000, 1900, 11900),
    ("JPY 1,100 incl. 10%", "JP", "JPY", 1100, "standard", True, 1000, 100, 1100),
    ("JPY 1,000 incl. 10%", "JP", "JPY", 1000, "standard", True, 909, 91, 1000),
    ("JPY 1,234 + 8%", "JP", "JPY", 1234, "reduced", False, 1234, 99, 1333),
    ("BHD 12.345 + 10% (3 digits)", "BH", "BHD", 12345, "standard", False, 12345, 1235, 13580),
    ("BHD 1.000 incl. 10%", "BH", "BHD", 1000, "standard", True, 909, 91, 1000),
]


@pytest.mark.parametrize(
    ("why", "region", "currency", "amount", "tax_class", "inclusive", "net", "tax", "gross"),
    LINE_CASES,
    ids=[c[0] for c in LINE_CASES],
)
def test_one_line(why, region, currency, amount, tax_class, inclusive, net, tax, gross) -> None:
    result = quote(region, currency, [(amount, tax_class)], inclusive)
    (taxed,) = result.lines
    assert (taxed.net.amount, taxed.tax.amount, taxed.gross.amount) == (net, tax, gross)
    assert (result.net_total.amount, result.tax_total.amount) == (net, tax)
    assert taxed.net.currency == currency


ROUNDING_CASES = [
    # (why, region, amounts, inclusive, per-line taxes when rounding per line, per order)
    ("3 x CA$1.10 + 5%: 5.5 each", "CA-AB", [110, 110, 110], False, [6, 6, 6], [6, 6, 5]),
    ("3 x 0.99 incl. 19%: 15.807 each", "DE", [99, 99, 99], True, [16, 16, 16], [16, 16, 15]),
    ("one line: no difference", "CA-AB", [1999], False, [100], [100]),
    ("rates are rounded apart", "DE", [99, (99, "reduced"), 99], True, [16, 6, 16], [16, 6, 16]),
]


@pytest.mark.parametrize(
    ("why", "code", "amounts", "inclusive", "per_line", "per_order"),
    ROUNDING_CASES,
    ids=[c[0] for c in ROUNDING_CASES],
)
def test_rounding_per_line_or_per_order(why, code, amounts, inclusive, per_line, per_order):
    currency = "CAD" if code == "CA-AB" else "EUR"
    region = next(r for r in [CA_AB, DE] if r.code == code)
    by_order = TableTaxProvider([replace(region, rounding=RoundingLevel.ORDER)])
    line_quote = quote(code, currency, amounts, inclusive)
    order_quote = quote(code, currency, amounts, inclusive, provider=by_order)
    assert [t.tax.amount for t in line_quote.lines] == per_line
    assert [t.tax.amount for t in order_quote.lines] == per_order
    assert order_quote.rounding is RoundingLevel.ORDER
    for taxed in order_quote.lines:
        assert taxed.net.amount + taxed.tax.amount == taxed.gross.amount


SHIPPING_CASES = [
    # (why, region, currency, inclusive, shipping, expected shipping tax)
    ("NY taxes shipping at the standard rate", "US-NY", "USD", False, 895, 79),
    ("CA does not tax shipping here", "US-CA", "USD", False, 895, 0),
    ("VAT inside the shipping charge", "DE", "EUR", True, 490, 78),
    ("free shipping: nothing to tax", "DE", "EUR", True, 0, 0),
]


@pytest.mark.parametrize(
    ("why", "region", "currency", "inclusive", "shipping", "tax"),
    SHIPPING_CASES,
    ids=[c[0] for c in SHIPPING_CASES],
)
def test_shipping_is_taxed_by_the_region_shipping_class(
    why, region, currency, inclusive, shipping, tax
) -> None:
    result = quote(region, currency, [1000], inclusive, shipping=shipping)
    assert result.shipping is not None
    assert result.shipping.line_id is None
    assert result.shipping.tax.amount == tax
    assert result.tax_total.amount == result.lines[0].tax.amount + tax


def test_no_shipping_line_when_nothing_is_shipped() -> None:
    result = quote("DE", "EUR", [1000], True)
    assert result.shipping is None
    assert result.as_dict()["shipping"] is None


def test_breakdown_per_rate_for_the_receipt() -> None:
    result = quote("DE", "EUR", [11900, (999, "reduced")], True, shipping=490)
    assert [row.as_dict() for row in result.breakdown] == [
        {"rate_name": "VAT 19%", "percent": "19", "net": 10412, "tax": 1978, "gross": 12390},
        {"rate_name": "VAT 7%", "percent": "7", "net": 934, "tax": 65, "gross": 999},
    ]
    assert (result.net_total.amount, result.tax_total.amount, result.gross_total.amount) == (
        11346,
        2043,
        13389,
    )


def test_the_quote_renders_as_json() -> None:
    result = quote("US-NY", "USD", [1000, (5000, "exempt")], False, shipping=895)
    rendered = result.as_dict()
    assert json.loads(json.dumps(rendered)) == rendered
    assert rendered["provider"] == "table"
    assert rendered["lines"][0] == {
        "line_id": "l0",
        "tax_class": "standard",
        "rate_name": "NYC sales tax",
        "percent": "8.875",
        "net": 1000,
        "tax": 89,
        "gross": 1089,
    }
    assert (rendered["net_total"], rendered["tax_total"], rendered["gross_total"]) == (
        6895,
        168,
        7063,
    )


def test_an_unknown_region_is_refused() -> None:
    with pytest.raises(UnknownTaxRegion) as refused:
        quote("FR", "EUR", [1000], True)
    assert refused.value.code == "tax_region_unknown"


def test_an_unknown_tax_class_is_refused_never_taxed_at_zero() -> None:
    with pytest.raises(UnknownTaxRate) as refused:
        quote("DE", "EUR", [(1000, "luxury")], True)
    assert refused.value.extra == {"region": "DE", "tax_class": "luxury"}


INVALID = [
    ("negative rate", lambda: TaxRate("x", D(-1), "x")),
    ("one class twice", lambda: TaxRegion("X", (TaxRate("a", D(1), "a"), TaxRate("a", D(2), "b")))),
    ("one region twice", lambda: TableTaxProvider([DE, DE])),
    ("negative amount", lambda: TaxableLine("l", Money(-1, "EUR"))),
    (
        "mixed currencies",
        lambda: TaxRequest("EUR", "DE", (TaxableLine("l", Money(1, "USD")),), True),
    ),
    (
        "duplicate line ids",
        lambda: TaxRequest("EUR", "DE", (TaxableLine("l", Money(1, "EUR")),) * 2, True),
    ),
    ("negative shipping", lambda: TaxRequest("EUR", "DE", (), True, Money(-1, "EUR"))),
    ("unknown currency", lambda: TaxRequest("XYZ", "DE", (), True)),
]


@pytest.mark.parametrize(("why", "build"), INVALID, ids=[c[0] for c in INVALID])
def test_nonsense_is_refused(why, build) -> None:
    with pytest.raises(ValueError):
        build()


class FlatProvider:
    """A stand-in for an external engine: anything implementing ``quote`` plugs in."""

    name = "flat"

    def quote(self, request: TaxRequest):
        flat = TaxRegion(request.region, (TaxRate("standard", D(10), "Flat 10%"),))
        return compute_quote(request, flat, provider=self.name)


def test_any_provider_with_quote_plugs_in() -> None:
    provider: TaxProvider = FlatProvider()
    result = quote("ANY", "USD", [1000], False, provider=provider)
    assert (result.provider, result.tax_total.amount) == ("flat", 100)
