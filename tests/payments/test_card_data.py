"""Card data never touches Omni: detection in payloads (paths, never values) and masking."""

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from omni.kernel.errors import DomainError
from omni.payments.card_data import (
    contains_pan,
    find_card_data,
    looks_like_pan,
    redact_log_event,
    redact_pans,
    redact_value,
    refuse_card_data,
)

VISA = "4111111111111111"
MASTERCARD = "5555555555554444"
AMEX = "378282246310005"  # 15 digits
VISA_13 = "4222222222222"  # 13 digits


def full_width(digits: str) -> str:
    return "".join(chr(0xFF10 + int(d)) for d in digits)


def luhn_valid(digits: str) -> str:
    """``digits`` with a Luhn check digit appended."""
    return digits + luhn.calc_check_digit(digits)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (VISA, True),
        (MASTERCARD, True),
        (AMEX, True),
        (VISA_13, True),
        (luhn_valid("4" * 18), True),  # 19 digits
        ("4111 1111 1111 1111", True),
        ("4111-1111-1111-1111", True),
        (" 4111111111111111 ", True),
        ("4111111111111112", False),  # Luhn fails
        (luhn_valid("4" * 11), False),  # 12 digits: too short
        (luhn_valid("4" * 19), False),  # 20 digits: too long
        ("4111  1111 1111 1111", False),  # a double space is two numbers
        ("4111.1111.1111.1111", False),
        ("tok_visa", False),
        ("", False),
        (full_width(VISA), True),  # typed on a Japanese keyboard
        ("\u0664\u0661" + "\u0661" * 14, True),  # Arabic-Indic digits
    ],
)
def test_looks_like_pan(value, expected):
    assert looks_like_pan(value) is expected


def test_a_card_number_inside_text_is_found():
    assert contains_pan(f"my card is {'4111 1111 1111 1111'} exp 12/27")
    assert not contains_pan("order 1234-5678, call +1 555 123 4567")


def test_card_data_keys_and_values_are_reported_by_path():
    payload = {
        "payment": {"cardNumber": "tok_visa", "cvc": "123", "security-code": None},
        "lines": [{"sku": "A"}, {"note": f"card {VISA}"}],
        "customer": {"phone": "+1 555 123 4567", "PAN": ""},
        "amount": 4111111111111111,
        "weird key": MASTERCARD,
        "cvv": {},
    }
    assert find_card_data(payload) == [
        "$.payment.cardNumber",
        "$.payment.cvc",
        "$.lines[1].note",
        "$.amount",
        '$["weird key"]',
    ]


def test_clean_payloads_pass():
    payload = {"cart": "crt_1", "tender": {"kind": "card_online", "token": "tok_visa"}}
    assert find_card_data(payload) == []
    refuse_card_data(payload)


def test_skipped_keys_are_not_inspected():
    payload = {"gtin": VISA_13, "lines": [{"barcode": {"value": VISA}}], "note": VISA}
    assert find_card_data(payload, skip_keys={"gtin", "barcode"}) == ["$.note"]
    assert find_card_data(payload, skip_keys=()) == [
        "$.gtin",
        "$.lines[0].barcode.value",
        "$.note",
    ]


def test_phone_numbers_and_product_codes_are_skipped_by_default():
    chinese_mobile = "+86 138 0013 8002"  # 13 digits that happen to pass Luhn
    assert looks_like_pan(chinese_mobile.removeprefix("+"))
    payload = {"address": {"phoneNumber": chinese_mobile}, "lines": [{"gtin": VISA_13}]}
    assert find_card_data(payload) == []


def test_booleans_are_not_numbers():
    assert find_card_data({"a": True, "b": 1.5, "c": None}) == []


def test_refusal_names_paths_and_never_the_number():
    with pytest.raises(DomainError) as refused:
        refuse_card_data({"card": {"number": VISA}})
    error = refused.value
    assert (error.code, error.status) == ("card_data_not_accepted", 422)
    assert error.extra == {"paths": ["$.card.number"]}
    assert VISA not in str(error) and "1111" not in str(error)


def test_deeply_nested_payloads_do_not_overflow_the_stack():
    payload: object = {"pan": "x"}
    for _ in range(10_000):
        payload = [payload]
    assert find_card_data(payload) == ["$" + "[0]" * 10_000 + ".pan"]


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        (f"paid with {VISA}", "paid with ************1111"),
        ("card 4111 1111 1111 1111!", "card **** **** **** 1111!"),
        ("card 4111-1111-1111-1111", "card ****-****-****-1111"),
        (f"{AMEX} and {MASTERCARD}", "***********0005 and ************4444"),
        ("order ord_123 for 3 items", "order ord_123 for 3 items"),
        ("order 1234567890, 12 items", "order 1234567890, 12 items"),  # too short
        ("at 1735689600000 ms", "at 1735689600000 ms"),  # 13 digits, not Luhn-valid
        (f"{VISA}1225", "*" * 15 + "11225"),  # glued to the expiry: still masked
        (full_width(VISA), "*" * 12 + full_width("1111")),
    ],
)
def test_redact_pans_keeps_the_last_four(text, redacted):
    assert redact_pans(text) == redacted


def test_redaction_over_masks_rather_than_leave_a_card_number():
    # Not a card number as a whole, but its last 13 digits, "1111111111112", are.
    assert redact_pans("4111111111111112") == "411*********1112"


def test_redaction_reaches_nested_log_values():
    event = {"event": f"charge {VISA}", "extra": {"notes": [f"pan={VISA}"]}, "n": 3}
    assert redact_log_event(None, "info", event) == {
        "event": "charge ************1111",
        "extra": {"notes": ["pan=************1111"]},
        "n": 3,
    }
    assert redact_value((VISA,)) == ("************1111",)


digit_strings = st.text(alphabet="0123456789", min_size=1, max_size=24)


@given(digit_strings)
def test_the_pan_detector_agrees_with_luhn_on_digit_strings(digits):
    expected = 13 <= len(digits) <= 19 and luhn.is_valid(digits)
    assert looks_like_pan(digits) is expected
    assert bool(find_card_data({"note": digits})) is expected
    assert bool(find_card_data({"phone": digits})) is False


@given(
    st.lists(
        st.one_of(
            st.text(alphabet="0123456789", min_size=1, max_size=22),
            st.text(alphabet="0123456789 -", min_size=1, max_size=30),
            st.text(max_size=8),
            st.builds(full_width, st.just(VISA)),
            st.builds(luhn_valid, st.text(alphabet="0123456789", min_size=12, max_size=18)),
        ),
        max_size=6,
    )
)
def test_redaction_never_leaves_a_luhn_valid_card_number(parts):
    redacted = redact_pans("".join(parts))
    for sequence in re.findall(r"\d(?:[ -]?\d)*", redacted):
        digits = "".join(str(unicodedata.decimal(c)) for c in sequence if c not in " -")
        for start in range(len(digits)):
            for end in range(start + 13, min(start + 19, len(digits)) + 1):
                assert not luhn.is_valid(digits[start:end]), redacted


@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"])))
def test_text_without_digits_is_untouched(text):
    assert redact_pans(text) == text
