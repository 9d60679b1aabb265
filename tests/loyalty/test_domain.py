"""The pure rules: codes with a check character, balanced entries, points arithmetic."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omni.loyalty.domain import (
    CODE_ALPHABET,
    CodeForm,
    Entry,
    EntryKind,
    Posting,
    UnbalancedEntry,
    check_balanced,
    code_form,
    grouped,
    hash_code,
    new_code,
    normalize_code,
    points_for,
    points_to_pay,
)
from omni.payments.card_data import find_card_data

FORMS = st.sampled_from(list(CodeForm))


@given(FORMS)
def test_a_new_code_is_recognised_with_its_form_however_it_is_typed(form):
    code = new_code(form)
    assert code_form(code) is form
    typed = grouped(code).lower().replace(" ", "-")
    assert normalize_code(typed) == code


@given(FORMS, st.data())
def test_one_mistyped_character_is_caught_by_the_check_character(form, data):
    code = new_code(form)
    position = data.draw(st.integers(0, len(code) - 1))
    alphabet = "0123456789" if form is CodeForm.PHYSICAL else CODE_ALPHABET
    wrong = data.draw(st.sampled_from([ch for ch in alphabet if ch != code[position]]))
    assert code_form(code[:position] + wrong + code[position + 1 :]) is None


@given(st.integers(0, 200))
def test_physical_numbers_are_never_taken_for_payment_cards(_):
    # Checkout refuses bodies holding a card number: ours have 20 digits, cards 13-19.
    number = new_code(CodeForm.PHYSICAL)
    assert find_card_data({"payment": [{"reference": grouped(number)}]}) == []


def test_codes_are_hashed_with_the_secret():
    code = new_code(CodeForm.DIGITAL)
    assert hash_code("one", code) != hash_code("two", code)
    assert code not in hash_code("one", code)


def entry(*amounts: int) -> Entry:
    postings = tuple(Posting(f"acc_{i}", amount) for i, amount in enumerate(amounts))
    return Entry(EntryKind.ISSUE, "request", "req_1", "test", "EUR", postings)


@pytest.mark.parametrize("amounts", [(100,), (100, -99), (100, 0, -100)])
def test_an_entry_must_sum_to_zero_over_two_accounts_or_more(amounts):
    with pytest.raises(UnbalancedEntry):
        check_balanced(entry(*amounts))


def test_the_same_account_twice_in_an_entry_is_refused():
    twice = Entry(EntryKind.ISSUE, "request", "r", "t", "EUR", (Posting("a", 5), Posting("a", -5)))
    with pytest.raises(UnbalancedEntry):
        check_balanced(twice)


def test_points_are_earned_per_whole_currency_unit():
    assert points_for(12_99, 2, 1) == 12
    assert points_for(12_99, 2, 3) == 36
    assert points_for(1_500, 0, 1) == 1_500  # JPY has no minor unit


def test_points_pay_only_whole_points():
    assert points_to_pay(1_000, 5) == 200
    assert points_to_pay(1_001, 5) is None
