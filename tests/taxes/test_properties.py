"""Properties of tax quotes over random baskets and rates (Hypothesis)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from omni.kernel.money import Money
from omni.taxes.domain import (
    RoundingLevel,
    TableTaxProvider,
    TaxableLine,
    TaxQuote,
    TaxRate,
    TaxRegion,
    TaxRequest,
    exact_tax,
)

CLASSES = ("standard", "reduced", "zero")
percents = st.one_of(
    st.integers(0, 30).map(Decimal),
    st.sampled_from([Decimal("8.875"), Decimal("7.25"), Decimal("5.5"), Decimal("0.1")]),
)


@st.composite
def regions(draw: st.DrawFn) -> TaxRegion:
    rates = tuple(TaxRate(c, draw(percents), f"{c} rate") for c in CLASSES)
    return TaxRegion(
        "ZZ",
        rates,
        shipping_tax_class=draw(st.sampled_from([None, *CLASSES])),
        rounding=draw(st.sampled_from(list(RoundingLevel))),
    )


@st.composite
def requests(draw: st.DrawFn) -> TaxRequest:
    currency = draw(st.sampled_from(["USD", "EUR", "JPY", "KWD"]))
    amounts = draw(st.lists(st.integers(0, 10**7), max_size=8))
    lines = tuple(
        TaxableLine(f"l{i}", Money(a, currency), draw(st.sampled_from(CLASSES)))
        for i, a in enumerate(amounts)
    )
    shipping = draw(st.none() | st.integers(0, 5000).map(lambda a: Money(a, currency)))
    return TaxRequest(currency, "ZZ", lines, draw(st.booleans()), shipping)


def everything(result: TaxQuote):
    return [*result.lines, *([result.shipping] if result.shipping else [])]


@settings(max_examples=300, deadline=None)
@given(regions(), requests())
def test_net_plus_tax_is_gross_exactly_and_the_price_is_kept(region, tax_request) -> None:
    result = TableTaxProvider([region]).quote(tax_request)
    sent = [*tax_request.lines, *([tax_request.shipping] if tax_request.shipping else [])]
    for taxed, original in zip(everything(result), sent, strict=True):
        amount = original.amount if isinstance(original, TaxableLine) else original
        assert taxed.net.amount + taxed.tax.amount == taxed.gross.amount
        assert taxed.tax.amount >= 0
        assert taxed.net.amount >= 0
        # Inclusive prices stay what the shopper saw; exclusive ones get tax on top.
        kept = taxed.gross if tax_request.prices_include_tax else taxed.net
        assert kept == amount


@settings(max_examples=300, deadline=None)
@given(regions(), requests())
def test_totals_and_breakdown_add_up(region, tax_request) -> None:
    result = TableTaxProvider([region]).quote(tax_request)
    taxed = everything(result)
    assert result.tax_total.amount == sum(t.tax.amount for t in taxed)
    assert result.gross_total.amount == result.net_total.amount + result.tax_total.amount
    assert sum(row.tax.amount for row in result.breakdown) == result.tax_total.amount
    assert sum(row.net.amount for row in result.breakdown) == result.net_total.amount


@settings(max_examples=300, deadline=None)
@given(regions(), requests())
def test_rounding_stays_within_half_a_unit_of_the_exact_tax(region, tax_request) -> None:
    result = TableTaxProvider([region]).quote(tax_request)
    inclusive = tax_request.prices_include_tax
    groups: dict[tuple[Decimal, str], list[Fraction]] = {}
    for taxed in everything(result):
        amount = taxed.gross.amount if inclusive else taxed.net.amount
        exact = exact_tax(amount, taxed.percent, inclusive)
        error = taxed.tax.amount - exact
        group = groups.setdefault((taxed.percent, taxed.rate_name), [Fraction(0)])
        group[0] += error
        # Per line: half a unit; per order a line may carry one unit of its group's rest.
        assert abs(error) <= (Fraction(1, 2) if region.rounding is RoundingLevel.LINE else 1)
    if region.rounding is RoundingLevel.ORDER:
        for (error,) in groups.values():
            assert abs(error) <= Fraction(1, 2)


@settings(max_examples=100, deadline=None)
@given(regions(), requests())
def test_the_same_request_gives_the_same_json_ready_quote(region, tax_request) -> None:
    provider = TableTaxProvider([region])
    rendered = provider.quote(tax_request).as_dict()
    assert provider.quote(tax_request).as_dict() == rendered
    assert json.loads(json.dumps(rendered)) == rendered


@given(percents, st.booleans(), st.integers(0, 10**6), st.integers(0, 10**6))
def test_tax_per_line_never_falls_when_the_amount_rises(percent, inclusive, a, b) -> None:
    region = TaxRegion("ZZ", (TaxRate("standard", percent, "r"),))
    provider = TableTaxProvider([region])

    def tax(amount: int) -> int:
        tax_request = TaxRequest("USD", "ZZ", (TaxableLine("l", Money(amount, "USD")),), inclusive)
        return provider.quote(tax_request).tax_total.amount

    low, high = sorted((a, b))
    assert tax(low) <= tax(high)
