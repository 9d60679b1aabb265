"""Card data never touches Omni: find it in payloads (to refuse them) and mask it in logs.

Cards are tokenized by the provider (hosted fields in the browser, the terminal in store);
Omni only sees tokens. If a client sends a card number anyway, the request is refused with
422 naming the JSON paths where card data was found — never the values, so the number is
not echoed back, stored or logged on the way out.

A PAN ("primary account number") is 13-19 digits passing the Luhn check, written with
optional single spaces or dashes between digits ("4111 1111 1111 1111"), in any script's
decimal digits (full-width digits typed on a Japanese keyboard count too). Any 13-19 digit
number passes Luhn one time in ten, so other check-digit numbers (a GTIN-13, a parcel
tracking number, a third-party gift card number, a 13-digit "+86 138 0013 8000" phone
number) can be flagged too: scan payment payloads only, and skip the fields known to hold
such numbers (phones and product codes are skipped by default: ``NON_CARD_NUMBER_KEYS``).

Detection looks at whole written-out numbers, so it refuses exactly the Luhn-valid ones;
redaction is stricter (any Luhn-valid stretch, even inside a longer number), because
over-masking a log line costs nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator, MutableMapping
from typing import Any

from stdnum import luhn

from omni.payments.errors import CardDataNotAccepted

PAN_MIN_DIGITS = 13
PAN_MAX_DIGITS = 19
KEEP_LAST_DIGITS = 4
MASK = "*"

# Key names compared after lower-casing and dropping everything but letters and digits,
# so ``cardNumber``, ``card-number`` and ``card_number`` are one name.
CARD_DATA_KEYS = frozenset(
    {
        "cardnumber",
        "cardno",
        "ccnumber",
        "creditcardnumber",
        "pan",
        "primaryaccountnumber",
        "cvv",
        "cvv2",
        "cvc",
        "cvc2",
        "csc",
        "securitycode",
        "cardsecuritycode",
        "cardverificationvalue",
        "cardverificationcode",
    }
)

# Fields that hold other long numbers, validated by their own rules (phonenumbers, GTIN
# check digits); normalized like CARD_DATA_KEYS.
NON_CARD_NUMBER_KEYS = frozenset(
    {"phone", "phonenumber", "mobile", "fax", "gtin", "ean", "upc", "isbn", "barcode"}
)

# Digits joined by at most one space or dash: one written-out number, however grouped.
# ``\d`` is every script's decimal digit, mapped to ASCII one for one by ``_digits``.
_DIGIT_SEQUENCE = re.compile(r"\d(?:[ -]?\d)*")


def _digits(sequence: str) -> str:
    """The ASCII digits of a matched sequence (separators dropped, one per digit)."""
    return "".join(str(unicodedata.decimal(ch)) for ch in sequence if ch not in " -")


def is_pan_digits(digits: str) -> bool:
    """Whether a string of ASCII digits has a PAN's length and passes the Luhn check."""
    return (
        PAN_MIN_DIGITS <= len(digits) <= PAN_MAX_DIGITS
        and digits.isascii()
        and digits.isdigit()
        and luhn.is_valid(digits)
    )


def looks_like_pan(value: str) -> bool:
    """Whether the whole of ``value`` is a card number (spaces and dashes allowed)."""
    return _DIGIT_SEQUENCE.fullmatch(value.strip()) is not None and is_pan_digits(
        _digits(value.strip())
    )


def contains_pan(text: str) -> bool:
    """Whether a written-out number in ``text`` is a card number ("my card is 4111 …")."""
    return any(is_pan_digits(_digits(m.group())) for m in _DIGIT_SEQUENCE.finditer(text))


def _normalized_key(key: str) -> str:
    return "".join(ch for ch in key.lower() if ch.isalnum())


def _child_path(path: str, key: str) -> str:
    if key.isidentifier():
        return f"{path}.{key}"
    escaped = key.replace("\\", "\\\\").replace('"', '\\"')
    return f'{path}["{escaped}"]'


def _is_present(value: Any) -> bool:
    """A card-data key with no value (null, "", {}) carries no card data."""
    return value is not None and value != "" and value != [] and value != {}


def _holds_pan(value: Any) -> bool:
    if isinstance(value, str):
        return contains_pan(value)
    # JSON numbers arrive as int: 4111111111111111 is a card number too.
    if isinstance(value, int) and not isinstance(value, bool):
        return is_pan_digits(str(abs(value)))
    return False


def _walk(payload: Any, skipped_keys: frozenset[str]) -> Iterator[tuple[str, str | None, Any]]:
    """Yield (path, key, value) for every node, depth first, without recursion (a deeply
    nested hostile payload must not raise RecursionError). Skipped keys are not entered."""
    stack: list[tuple[str, str | None, Any]] = [("$", None, payload)]
    while stack:
        path, key, value = stack.pop()
        yield path, key, value
        children: list[tuple[str, str | None, Any]] = []
        if isinstance(value, dict):
            for k, v in value.items():
                if _normalized_key(str(k)) not in skipped_keys:
                    children.append((_child_path(path, str(k)), str(k), v))
        elif isinstance(value, list | tuple):
            children = [(f"{path}[{i}]", None, v) for i, v in enumerate(value)]
        stack.extend(reversed(children))


def find_card_data(payload: Any, *, skip_keys: Collection[str] = NON_CARD_NUMBER_KEYS) -> list[str]:
    """JSON paths (``$.payment.card_number``, ``$.lines[2].note``) holding card data.

    Flags card-data keys with a value (``card_number``, ``pan``, ``cvv``, ``cvc``,
    ``security_code``…) and any string or integer holding a Luhn-valid PAN. Values under
    ``skip_keys`` (compared like ``phoneNumber`` = ``phone_number``) are not inspected.
    Returns paths, never values."""
    skipped = frozenset(_normalized_key(k) for k in skip_keys)
    return [
        path
        for path, key, value in _walk(payload, skipped)
        if (key is not None and _normalized_key(key) in CARD_DATA_KEYS and _is_present(value))
        or _holds_pan(value)
    ]


def refuse_card_data(payload: Any, *, skip_keys: Collection[str] = NON_CARD_NUMBER_KEYS) -> None:
    """Raise ``CardDataNotAccepted`` (422, with the paths only) if the payload holds card
    data; call it on payment-related request bodies before anything logs or stores them."""
    paths = find_card_data(payload, skip_keys=skip_keys)
    if paths:
        raise CardDataNotAccepted(
            "Card numbers and security codes are not accepted; use the payment provider's "
            "card fields, which send Omni a token instead.",
            paths=paths,
        )


def _pan_windows(digits: str) -> list[tuple[int, int]]:
    """(start, end) digit indexes of every Luhn-valid PAN-length window, so a card number
    glued to other digits (an order number, a date) is still caught."""
    windows = []
    for start in range(len(digits) - PAN_MIN_DIGITS + 1):
        longest = min(PAN_MAX_DIGITS, len(digits) - start)
        for length in range(PAN_MIN_DIGITS, longest + 1):
            if luhn.is_valid(digits[start : start + length]):
                windows.append((start, start + length))
    return windows


def _redact_sequence(sequence: str) -> str:
    digits = _digits(sequence)
    if len(digits) < PAN_MIN_DIGITS:
        return sequence
    masked = [False] * len(digits)
    for start, end in _pan_windows(digits):
        for index in range(start, end - KEEP_LAST_DIGITS):
            masked[index] = True
    if not any(masked):
        return sequence
    out, digit_index = [], 0
    for ch in sequence:
        if ch not in " -":
            out.append(MASK if masked[digit_index] else ch)
            digit_index += 1
        else:
            out.append(ch)
    return "".join(out)


def redact_pans(text: str) -> str:
    """``text`` with card numbers masked but their last four digits ("************1111").

    Over-masks rather than under-masks: any Luhn-valid 13-19 digit stretch is masked, even
    inside a longer number, so no card number survives into a log line."""
    if sum(ch.isdecimal() for ch in text) < PAN_MIN_DIGITS:
        return text  # the common case for log lines: nothing to look at
    return _DIGIT_SEQUENCE.sub(lambda m: _redact_sequence(m.group()), text)


def redact_value(value: Any) -> Any:
    """``value`` with ``redact_pans`` applied to every string inside dicts, lists, tuples."""
    if isinstance(value, str):
        return redact_pans(value)
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v) for v in value]
    if isinstance(value, tuple):
        return tuple(redact_value(v) for v in value)
    return value


def redact_log_event(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A structlog processor masking card numbers in every logged string."""
    for key, value in event_dict.items():
        event_dict[key] = redact_value(value)
    return event_dict
