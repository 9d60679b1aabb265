"""Pure channel rules: methods per kind, markets, buffers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omni.channels.domain import (
    check_methods,
    held_back_units,
    normalize_code,
    normalize_currency,
    normalize_locale,
    normalize_tax_region,
)


def test_only_a_till_offers_carry_out():
    assert check_methods("pos", ["carry_out", "ship"]) == ["carry_out", "ship"]
    for kind in ("web", "app", "social", "call_center", "marketplace"):
        with pytest.raises(ValueError, match="cannot offer carry_out"):
            check_methods(kind, ["carry_out"])


def test_marketplaces_and_tills_do_not_book_curbside():
    for kind in ("pos", "marketplace"):
        with pytest.raises(ValueError, match="curbside"):
            check_methods(kind, ["curbside"])
    assert check_methods("app", ["curbside", "ship", "ship"]) == ["curbside", "ship"]


def test_methods_must_be_known_and_not_empty():
    with pytest.raises(ValueError, match="unknown"):
        check_methods("web", ["drone"])
    with pytest.raises(ValueError, match="at least one"):
        check_methods("web", [])


@pytest.mark.parametrize(
    ("given_tag", "canonical"),
    [("en-US", "en-US"), ("en_us", "en-US"), ("fr", "fr"), ("zh-hant-tw", "zh-Hant-TW")],
)
def test_locales_are_canonical_bcp47(given_tag, canonical):
    assert normalize_locale(given_tag) == canonical


@pytest.mark.parametrize("tag", ["xx", "en-ZZ", "english", "", "en-US-x-private"])
def test_unknown_locales_are_refused(tag):
    with pytest.raises(ValueError):
        normalize_locale(tag)


def test_tax_regions_are_countries_or_subdivisions():
    assert normalize_tax_region("us-ny") == "US-NY"
    assert normalize_tax_region("de") == "DE"
    for bad in ("US-XX", "XX", "USA", "NY"):
        with pytest.raises(ValueError):
            normalize_tax_region(bad)


def test_currencies_and_codes():
    assert normalize_currency("usd") == "USD"
    with pytest.raises(ValueError):
        normalize_currency("XYZ")
    assert normalize_code(" POS-NYC-SoHo ") == "pos-nyc-soho"
    with pytest.raises(ValueError):
        normalize_code("web shop")


def test_buffer_is_the_larger_of_units_and_percent_rounded_up():
    assert held_back_units(on_hand=50, buffer_units=2, buffer_percent=10) == 5
    assert held_back_units(on_hand=10, buffer_units=2, buffer_percent=10) == 2
    assert held_back_units(on_hand=3, buffer_units=0, buffer_percent=10) == 1
    assert held_back_units(on_hand=1, buffer_units=2, buffer_percent=0) == 1
    assert held_back_units(on_hand=-4, buffer_units=2, buffer_percent=50) == 0


@given(
    st.integers(min_value=-100, max_value=10_000),
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=100),
)
def test_buffer_never_exceeds_stock_nor_goes_negative(on_hand, units, percent):
    held = held_back_units(on_hand, units, percent)
    assert 0 <= held <= max(on_hand, 0)
