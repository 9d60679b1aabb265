"""Prices as CSV rows (CH6): one quantity tier of one variant in one price list per row.

Columns: ``price_list_code, sku, min_quantity, amount, compare_at_amount``. Amounts are
written as people write them, in major units (``29.95``), and stored exactly as integer
minor units of the list's currency (2995 cents). More decimals than the currency has
(``29.955`` USD, ``1500.5`` JPY) is an error, never a silent rounding; zeros that change
nothing (``29.950``) are fine. Pure: no database here (see ``price_import``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from omni.kernel.money import Money, minor_unit_digits
from omni.pricing.schemas import CODE_PATTERN, MAX_AMOUNT

PRICE_CSV_COLUMNS = ("price_list_code", "sku", "min_quantity", "amount", "compare_at_amount")
REQUIRED_PRICE_COLUMNS = ("price_list_code", "sku", "amount")
MAX_MIN_QUANTITY = 1_000_000
MAX_SKU_LENGTH = 64
# Digits, optionally a dot and decimals: no signs, exponents, currency symbols or
# thousands separators, which are ambiguous across locales ("1.299,00").
_AMOUNT = re.compile(r"^\d{1,18}(\.\d{1,18})?$")
_CODE = re.compile(CODE_PATTERN)


@dataclass(frozen=True)
class PriceRowError:
    field: str
    message: str


@dataclass(frozen=True)
class PriceCsvRow:
    price_list_code: str
    sku: str
    min_quantity: int
    amount: Decimal
    compare_at_amount: Decimal | None


def _cell(row: Mapping[str, str | None], column: str) -> str:
    return (row.get(column) or "").strip()


def _amount(errors: list[PriceRowError], column: str, text: str) -> Decimal | None:
    if not _AMOUNT.match(text):
        errors.append(PriceRowError(column, f"{text!r} is not an amount like 29.95."))
        return None
    return Decimal(text)


def _min_quantity(errors: list[PriceRowError], text: str) -> int:
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= MAX_MIN_QUANTITY:
        errors.append(
            PriceRowError("min_quantity", f"A whole number from 1 to {MAX_MIN_QUANTITY:,}.")
        )
        return 1
    return int(text)


def parse_price_row(
    row: Mapping[str, str | None],
) -> tuple[PriceCsvRow | None, list[PriceRowError]]:
    """The row's values (SKU upper-case, amounts as decimals) or every problem found."""
    errors = [
        PriceRowError(column, "Unknown column.")
        for column in row
        if column not in PRICE_CSV_COLUMNS
    ]
    code, sku = _cell(row, "price_list_code"), _cell(row, "sku").upper()
    if not _CODE.match(code):
        errors.append(PriceRowError("price_list_code", "A price list code is required."))
    if not sku or len(sku) > MAX_SKU_LENGTH:
        errors.append(PriceRowError("sku", f"A SKU of 1 to {MAX_SKU_LENGTH} characters."))
    min_quantity = _min_quantity(errors, _cell(row, "min_quantity"))
    amount_text = _cell(row, "amount")
    if not amount_text:
        errors.append(PriceRowError("amount", "The amount is required."))
    amount = _amount(errors, "amount", amount_text) if amount_text else None
    compare_text = _cell(row, "compare_at_amount")
    compare_at = _amount(errors, "compare_at_amount", compare_text) if compare_text else None
    if amount is not None and compare_at is not None and compare_at < amount:
        errors.append(PriceRowError("compare_at_amount", "Cannot be below the amount."))
    if errors or amount is None:
        return None, errors
    return PriceCsvRow(code, sku, min_quantity, amount, compare_at), []


def minor_units(value: Decimal, currency: str) -> int:
    """``29.95`` USD → 2995, exactly; raises ValueError rather than round."""
    digits = minor_unit_digits(currency)
    scaled = value.scaleb(digits)
    if scaled != scaled.to_integral_value():
        if digits == 0:
            raise ValueError(f"{currency} amounts are whole numbers.")
        raise ValueError(f"{currency} amounts have at most {digits} decimals.")
    amount = Money.from_decimal(value, currency).amount
    if amount > MAX_AMOUNT:
        raise ValueError("The amount is too large.")
    return amount


def major_units(amount: int, currency: str) -> str:
    """2995 USD → ``29.95``; 1500 JPY → ``1500`` (what :func:`minor_units` reads back)."""
    return format(Money(amount, currency).to_decimal(), "f")
