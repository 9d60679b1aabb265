"""Pure cart rules: limits, merging, who may see a cart."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from enum import StrEnum

MAX_LINES = 100
MAX_QUANTITY = 999  # per line: beyond that it is a wholesale order, not a cart
TOKEN_PREFIX = "omni_ct_"


class CartStatus(StrEnum):
    ACTIVE = "active"
    MERGED = "merged"  # a guest cart folded into the shopper's cart at sign-in
    ORDERED = "ordered"  # checked out


def new_guest_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    # The token is a 192-bit random secret: a fast hash is enough (no guessing to slow).
    return hashlib.sha256(token.encode()).hexdigest()


def merged_quantities(into: Mapping[str, int], extra: Mapping[str, int]) -> dict[str, int]:
    """The shopper's lines plus the guest cart's, per variant, capped per line."""
    total = dict(into)
    for variant_id, quantity in extra.items():
        total[variant_id] = min(MAX_QUANTITY, total.get(variant_id, 0) + quantity)
    return total
