from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omni.kernel.money import Money, is_currency, minor_unit_digits


def test_currencies_are_checked_against_iso_4217():
    assert is_currency("EUR")
    assert not is_currency("eur")
    assert not is_currency("XYZ")
    with pytest.raises(ValueError):
        Money(100, "ABC")


def test_amounts_are_integers_never_floats():
    with pytest.raises(TypeError):
        Money(19.99, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True, "USD")


def test_minor_units_follow_the_currency():
    assert minor_unit_digits("USD") == 2
    assert minor_unit_digits("JPY") == 0
    assert minor_unit_digits("KWD") == 3
    assert Money.from_decimal("19.99", "USD").amount == 1999
    assert Money.from_decimal("1999", "JPY").amount == 1999
    assert Money.from_decimal("1.2345", "KWD").amount == 1234  # half-even at 3 digits


def test_rounding_is_half_even():
    assert Money.from_decimal("0.125", "USD").amount == 12
    assert Money.from_decimal("0.135", "USD").amount == 14


def test_mixing_currencies_is_refused():
    with pytest.raises(ValueError):
        Money(100, "USD") + Money(100, "EUR")


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from(["USD", "JPY", "KWD", "EUR"]),
)
def test_decimal_round_trip_is_exact(amount, currency):
    money = Money(amount, currency)
    assert Money.from_decimal(money.to_decimal(), currency) == money


@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_addition_and_subtraction_are_inverse(a, b):
    assert (Money(a, "USD") + Money(b, "USD")) - Money(b, "USD") == Money(a, "USD")


def test_formatting_uses_the_locale():
    assert Money(123456, "USD").format("en_US") == "$1,234.56"
    assert Money.from_decimal(Decimal("1234.56"), "EUR").format("de_DE") == "1.234,56\xa0€"
