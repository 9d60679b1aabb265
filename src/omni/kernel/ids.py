"""Prefixed, time-sortable ids such as ``ord_01JD5Z6Q6X9K2V3M4N5P6R7S8T``.

The body is a ULID-style value (48-bit millisecond timestamp + 80 random bits) in
Crockford base32, so ids sort by creation time in SQL and stay readable in logs and
tickets. The prefix names the kind of object, which makes a pasted id self-explaining.
"""

from __future__ import annotations

import os
import re
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_BODY_LENGTH = 26
_ID_PATTERN = re.compile(r"^[a-z]{2,6}_[0-9A-HJKMNP-TV-Z]{26}$")


# Two base32 digits per 10 bits: half the steps of digit-by-digit encoding, with shifts
# instead of big-integer division (bulk imports and the demo make ids by the million).
_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]


def _encode(value: int, length: int) -> str:
    pairs = []
    for _ in range((length + 1) // 2):
        pairs.append(_PAIRS[value & 1023])
        value >>= 10
    encoded = "".join(reversed(pairs))
    return encoded[len(encoded) - length :]


_RANDOM_MAX = (1 << 80) - 1
_last = [0, 0]  # millisecond and random part of the latest id made in this process


def new_id(prefix: str, *, at_ms: int | None = None) -> str:
    """A new id with ``prefix`` (2-6 lowercase letters), sortable by creation time.

    Within one process ids are strictly increasing even inside one millisecond (the
    random part of the previous id is incremented, as in monotonic ULIDs), so rows
    created one after another list in that order."""
    if not (2 <= len(prefix) <= 6 and prefix.isalpha() and prefix.islower()):
        raise ValueError(f"bad id prefix {prefix!r}")
    millis = time.time_ns() // 1_000_000 if at_ms is None else at_ms
    if millis == _last[0] and _last[1] < _RANDOM_MAX:
        randomness = _last[1] + 1
    else:
        randomness = int.from_bytes(os.urandom(10), "big") >> 1  # headroom to increment
    if at_ms is None:
        _last[0], _last[1] = millis, randomness
    return f"{prefix}_{_encode((millis << 80) | randomness, _BODY_LENGTH)}"


def is_id(value: str, prefix: str | None = None) -> bool:
    """Whether ``value`` is well-formed (and, if given, carries ``prefix``)."""
    if not _ID_PATTERN.match(value):
        return False
    return prefix is None or value.startswith(prefix + "_")
