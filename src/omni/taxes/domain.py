"""Tax rates per region and tax class, inclusive or exclusive prices, exact rounding.

Pure: no SQLAlchemy, no FastAPI, no I/O. The caller sends the *discounted* amount of each
line (after allocated order discounts: ``DiscountedLine.total`` from the promotion
engine) and the shipping charge after its discount; a :class:`TaxProvider` answers a
:class:`TaxQuote`. :class:`TableTaxProvider` is the built-in one; an external tax engine
plugs in by implementing the same protocol.

Rules:

- Amounts are integer minor units, so rounding to a whole minor unit *is* rounding to the
  currency's precision (0 digits for JPY, 2 for USD, 3 for KWD).
- Rounding is **half-up** (half a minor unit rounds away from zero), the usual rule on
  invoices and receipts; all other arithmetic is exact (``Fraction``).
- **Exclusive** prices (US): ``tax = round(net * rate)``, ``gross = net + tax``.
- **Inclusive** prices (EU VAT): ``tax = round(gross - gross / (1 + rate))``,
  ``net = gross - tax`` — so ``net + tax == gross`` exactly, always.
- Rounding **per line** (default): every line's tax is rounded on its own and the order's
  tax is their sum. **Per order**: the exact taxes of all lines at one rate are summed
  and rounded once, then split back to the lines by largest remainder (so lines still
  carry whole minor units that add up). The two can differ by a few minor units.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, Protocol

from omni.kernel.errors import InvalidInput
from omni.kernel.money import Money, check_currency, round_half_up


class RoundingLevel(StrEnum):
    LINE = "line"
    ORDER = "order"


class UnknownTaxRegion(InvalidInput):
    code = "tax_region_unknown"
    title = "No tax rates for this region"


class UnknownTaxRate(InvalidInput):
    code = "tax_rate_unknown"
    title = "No tax rate for this tax class in this region"


# --- rates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxRate:
    tax_class: str  # "standard", "reduced", "clothing_under_110", "exempt"…
    percent: Decimal  # "8.875" means 8.875 %
    name: str  # what a receipt prints: "VAT 19%", "NY sales tax"

    def __post_init__(self) -> None:
        if self.percent < 0:
            raise ValueError("a tax rate is never negative")


NOT_TAXED = TaxRate("not_taxed", Decimal(0), "Not taxed")


@dataclass(frozen=True)
class TaxRegion:
    code: str  # "US-NY", "DE", "FR"
    rates: tuple[TaxRate, ...]
    shipping_tax_class: str | None = "standard"  # None: shipping is not taxed here
    rounding: RoundingLevel = RoundingLevel.LINE

    def __post_init__(self) -> None:
        classes = [rate.tax_class for rate in self.rates]
        if len(set(classes)) != len(classes):
            raise ValueError(f"{self.code}: one rate per tax class")

    def rate_for(self, tax_class: str) -> TaxRate:
        for rate in self.rates:
            if rate.tax_class == tax_class:
                return rate
        # Never a silent 0 %: a missing rate is a configuration error to fix.
        raise UnknownTaxRate(
            f"region {self.code} has no rate for tax class {tax_class!r}",
            region=self.code,
            tax_class=tax_class,
        )

    def shipping_rate(self) -> TaxRate:
        if self.shipping_tax_class is None:
            return NOT_TAXED
        return self.rate_for(self.shipping_tax_class)


# --- request ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxableLine:
    line_id: str
    amount: Money  # the line after every discount (gross if prices include tax)
    tax_class: str = "standard"

    def __post_init__(self) -> None:
        if self.amount.amount < 0:
            raise ValueError("a taxable amount is never negative (refunds reuse the order's tax)")


@dataclass(frozen=True)
class TaxRequest:
    currency: str
    region: str
    lines: tuple[TaxableLine, ...]
    prices_include_tax: bool  # from the price list the prices came from
    shipping: Money | None = None  # after its discount; None: nothing shipped

    def __post_init__(self) -> None:
        check_currency(self.currency)
        if len({line.line_id for line in self.lines}) != len(self.lines):
            raise ValueError("line ids must be unique")
        amounts = [line.amount for line in self.lines]
        if self.shipping is not None:
            amounts.append(self.shipping)
            if self.shipping.amount < 0:
                raise ValueError("a shipping charge is never negative")
        if any(amount.currency != self.currency for amount in amounts):
            raise ValueError(f"every amount of the request must be in {self.currency}")


# --- quote -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxedLine:
    line_id: str | None  # None: the shipping charge
    tax_class: str
    rate_name: str
    percent: Decimal
    net: Money
    tax: Money
    gross: Money

    def as_dict(self) -> dict[str, Any]:
        return {
            "line_id": self.line_id,
            "tax_class": self.tax_class,
            "rate_name": self.rate_name,
            "percent": str(self.percent),
            "net": self.net.amount,
            "tax": self.tax.amount,
            "gross": self.gross.amount,
        }


@dataclass(frozen=True)
class RateTotal:
    """One row of a receipt's tax table: everything taxed at one rate."""

    rate_name: str
    percent: Decimal
    net: Money
    tax: Money
    gross: Money

    def as_dict(self) -> dict[str, Any]:
        return {
            "rate_name": self.rate_name,
            "percent": str(self.percent),
            "net": self.net.amount,
            "tax": self.tax.amount,
            "gross": self.gross.amount,
        }


@dataclass(frozen=True)
class TaxQuote:
    provider: str
    currency: str
    region: str
    prices_include_tax: bool
    rounding: RoundingLevel
    lines: tuple[TaxedLine, ...]
    shipping: TaxedLine | None
    breakdown: tuple[RateTotal, ...]  # highest rate first

    def _everything(self) -> list[TaxedLine]:
        return [*self.lines, *([self.shipping] if self.shipping else [])]

    def _sum(self, attribute: str) -> Money:
        amounts = [getattr(line, attribute).amount for line in self._everything()]
        return Money(sum(amounts), self.currency)

    @property
    def net_total(self) -> Money:
        return self._sum("net")

    @property
    def tax_total(self) -> Money:
        return self._sum("tax")

    @property
    def gross_total(self) -> Money:
        """What the shopper pays for goods and shipping."""
        return self._sum("gross")

    def as_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "currency": self.currency,
            "region": self.region,
            "prices_include_tax": self.prices_include_tax,
            "rounding": str(self.rounding),
            "net_total": self.net_total.amount,
            "tax_total": self.tax_total.amount,
            "gross_total": self.gross_total.amount,
            "lines": [line.as_dict() for line in self.lines],
            "shipping": None if self.shipping is None else self.shipping.as_dict(),
            "breakdown": [row.as_dict() for row in self.breakdown],
        }


class TaxProvider(Protocol):
    """Computes the tax of a basket. Implementations must answer amounts that add up:
    per line ``net + tax == gross``, and the totals equal the sums of the lines.

    An external engine (Avalara, Vertex, TaxJar…) implements this too; call it before
    opening a database transaction — never hold a transaction across a network call.
    """

    name: str

    def quote(self, request: TaxRequest) -> TaxQuote: ...


# --- the arithmetic --------------------------------------------------------------------


def exact_tax(amount: int, percent: Decimal, prices_include_tax: bool) -> Fraction:
    """The unrounded tax in (or on) ``amount`` minor units."""
    rate = Fraction(percent) / 100
    # gross - gross/(1+r) == gross*r/(1+r): the tax inside a tax-inclusive price.
    return amount * rate / (1 + rate) if prices_include_tax else amount * rate


def _round_group_to_total(exact: Sequence[Fraction]) -> list[int]:
    """Round the group's sum once, then give each member its floor plus one unit to the
    largest remainders until the parts add up (earlier member first on a tie)."""
    total = round_half_up(sum(exact, Fraction(0)))
    parts = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in by_remainder[: total - sum(parts)]:
        parts[index] += 1
    return parts


def rounded_taxes(
    exact: Sequence[Fraction], groups: Sequence[object], rounding: RoundingLevel
) -> list[int]:
    """Whole-unit taxes for ``exact`` taxes; per order, members of one group (one rate)
    are rounded together."""
    if rounding is RoundingLevel.LINE:
        return [round_half_up(value) for value in exact]
    taxes = [0] * len(exact)
    for group in dict.fromkeys(groups):
        members = [i for i, key in enumerate(groups) if key == group]
        for index, tax in zip(
            members, _round_group_to_total([exact[i] for i in members]), strict=True
        ):
            taxes[index] = tax
    return taxes


def _taxed(
    line_id: str | None, amount: Money, rate: TaxRate, tax: int, prices_include_tax: bool
) -> TaxedLine:
    currency = amount.currency
    net = amount.amount - tax if prices_include_tax else amount.amount
    return TaxedLine(
        line_id=line_id,
        tax_class=rate.tax_class,
        rate_name=rate.name,
        percent=rate.percent,
        net=Money(net, currency),
        tax=Money(tax, currency),
        gross=Money(net + tax, currency),
    )


def breakdown(lines: Iterable[TaxedLine], currency: str) -> tuple[RateTotal, ...]:
    rows: dict[tuple[Decimal, str], list[int]] = {}
    for line in lines:
        row = rows.setdefault((line.percent, line.rate_name), [0, 0, 0])
        row[0] += line.net.amount
        row[1] += line.tax.amount
        row[2] += line.gross.amount
    return tuple(
        RateTotal(name, percent, Money(net, currency), Money(tax, currency), Money(gross, currency))
        for (percent, name), (net, tax, gross) in sorted(
            rows.items(), key=lambda r: (-r[0][0], r[0][1])
        )
    )


def compute_quote(request: TaxRequest, region: TaxRegion, provider: str = "table") -> TaxQuote:
    """The tax of ``request`` under ``region``'s rates and rounding."""
    items: list[tuple[str | None, Money, TaxRate]] = [
        (line.line_id, line.amount, region.rate_for(line.tax_class)) for line in request.lines
    ]
    if request.shipping is not None:
        items.append((None, request.shipping, region.shipping_rate()))
    inclusive = request.prices_include_tax
    exact = [exact_tax(amount.amount, rate.percent, inclusive) for _, amount, rate in items]
    groups = [(rate.percent, rate.name) for _, _, rate in items]
    taxes = rounded_taxes(exact, groups, region.rounding)
    taxed = [
        _taxed(line_id, amount, rate, tax, inclusive)
        for (line_id, amount, rate), tax in zip(items, taxes, strict=True)
    ]
    has_shipping = request.shipping is not None
    return TaxQuote(
        provider=provider,
        currency=request.currency,
        region=region.code,
        prices_include_tax=inclusive,
        rounding=region.rounding,
        lines=tuple(taxed[:-1] if has_shipping else taxed),
        shipping=taxed[-1] if has_shipping else None,
        breakdown=breakdown(taxed, request.currency),
    )


class TableTaxProvider:
    """The built-in provider: a table of rates per region and tax class."""

    name = "table"

    def __init__(self, regions: Iterable[TaxRegion]) -> None:
        self._regions: dict[str, TaxRegion] = {}
        for region in regions:
            if region.code in self._regions:
                raise ValueError(f"region {region.code} is listed twice")
            self._regions[region.code] = region

    def quote(self, request: TaxRequest) -> TaxQuote:
        region = self._regions.get(request.region)
        if region is None:
            raise UnknownTaxRegion(
                f"no tax rates for region {request.region}", region=request.region
            )
        return compute_quote(request, region, provider=self.name)
