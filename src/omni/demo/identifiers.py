"""Identifiers the demo makes up: GTINs, SKU parts, loyalty card numbers."""

from __future__ import annotations

import re

import numpy as np

# Crockford base32, as ``omni.kernel.ids`` spells ids.
_ID_ALPHABET = np.frombuffer(b"0123456789ABCDEFGHJKMNPQRSTVWXYZ", dtype=np.uint8)

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


def bulk_ids(prefix: str, millis: np.ndarray, *, ascending: bool = False) -> list[str]:
    """Ids as ``kernel.ids.new_id(prefix, at_ms=...)`` makes them (48-bit millisecond time,
    80 random bits, Crockford base32), for hundreds of thousands of rows at once: made
    one at a time they would cost seconds of the build. The randomness comes from the
    operating system, like ``new_id``'s: ids are not part of the demo's seeded content.
    ``ascending``: increasing in array order where the times are equal (as ``new_id``'s
    are within a millisecond), so rows inserted in that order append to the key's index."""
    count = len(millis)
    random = np.random.default_rng()
    high = random.integers(0, 1 << 40, count, dtype=np.uint64)
    # 26 digits of 5 bits: 10 for the time (its top 2 bits are zero), 8 + 8 random.
    parts = (
        (millis.astype(np.uint64), 10),
        (np.sort(high) if ascending else high, 8),
        (random.integers(0, 1 << 40, count, dtype=np.uint64), 8),
    )
    head = len(prefix) + 1
    chars = np.empty((count, head + 26), dtype=np.uint8)
    chars[:, :head] = np.frombuffer(f"{prefix}_".encode(), dtype=np.uint8)
    column = head
    for value, digits in parts:
        for digit in range(digits):
            shift = np.uint64(5 * (digits - 1 - digit))
            chars[:, column] = _ID_ALPHABET[((value >> shift) & np.uint64(31)).astype(np.intp)]
            column += 1
    text, width = chars.tobytes().decode("ascii"), head + 26
    return [text[start : start + width] for start in range(0, len(text), width)]
