"""Identifiers the demo makes up: GTINs, SKU parts, loyalty card numbers."""

from __future__ import annotations

import re

# GS1 prefixes 200-299 are for restricted, in-house circulation: they can never belong
# to a real trade item, which makes them the right range for demo barcodes.
GTIN_STEM = "204613"

_SIZE_CODES = {
    "Full/Queen": "FQ",
    "California King": "CK",
    "Bath Sheet": "BS",
    "Washcloth": "WC",
    "Standard": "STD",
    "One Size": "OS",
    "Small": "S",
    "Medium": "M",
    "Large": "L",
}


def gtin_check_digit(body: str) -> str:
    """GS1 mod-10: weights 3 and 1 alternate from the rightmost digit of the body."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def gtin13(serial: int) -> str:
    body = f"{GTIN_STEM}{serial:06d}"
    if len(body) != 12:
        raise ValueError("GTIN serial out of range")
    return body + gtin_check_digit(body)


def value_code(value: str) -> str:
    """A short SKU part for an option value: 'Heather Grey' → 'HG', 'Navy' → 'NAV'."""
    if value in _SIZE_CODES:
        return _SIZE_CODES[value]
    words = re.findall(r"[A-Za-z]+", value)
    if not re.search(r"\d", value) and len(words) > 1:
        return "".join(word[0] for word in words).upper()
    if not re.search(r"\d", value):
        return value[:3].upper()
    # Sizes with digits keep them: '5.5' → '5.5', '18 x 18 in' → '18X18IN', '8"' → '8'.
    return re.sub(r"[^A-Za-z0-9.]", "", value).upper()


def luhn_complete(body: str) -> str:
    """``body`` plus its Luhn check digit (loyalty cards, like payment cards, carry one)."""
    total = 0
    for i, d in enumerate(reversed(body)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return body + str((10 - total % 10) % 10)
