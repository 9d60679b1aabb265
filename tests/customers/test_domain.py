"""Pure rules for customer data: fast unit tests, no database."""

from __future__ import annotations

from datetime import date

import pytest

from omni.customers import domain


@pytest.mark.parametrize(
    ("name", "key"),
    [("Müller", "muller"), ("  ZOË ", "zoe"), ("Ørsted", "ørsted"), ("Straße", "strasse")],
)
def test_name_keys_ignore_case_and_accents(name, key):
    assert domain.name_key(name) == key


@pytest.mark.parametrize(
    ("given", "tag"),
    [("fr-ca", "fr-CA"), ("en_GB", "en-GB"), ("de", "de"), ("zh-hant-tw", "zh-Hant-TW")],
)
def test_locales_are_stored_as_bcp47_tags(given, tag):
    assert domain.normalize_locale(given) == tag


def test_an_unknown_locale_is_refused():
    with pytest.raises(domain.InvalidCustomerData) as refused:
        domain.normalize_locale("klingon")
    assert refused.value.field == "locale"


def test_a_birth_date_is_in_the_past_and_after_1900():
    today = date(2025, 6, 1)
    assert domain.check_birth_date(date(2025, 6, 1), today) == date(2025, 6, 1)
    for impossible in (date(2025, 6, 2), date(1899, 12, 31)):
        with pytest.raises(domain.InvalidCustomerData):
            domain.check_birth_date(impossible, today)


def test_names_collapse_inner_whitespace():
    assert domain.normalize_name("first_name", "  Mary   Ann ") == "Mary Ann"
    with pytest.raises(domain.InvalidCustomerData):
        domain.normalize_name("first_name", "x" * 101)


def test_phone_numbers_are_read_in_the_given_country():
    assert domain.normalize_phone("030 1234567", "DE") == "+49301234567"
    assert domain.normalize_phone("+49 30 1234567") == "+49301234567"
