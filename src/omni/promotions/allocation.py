"""Exact rounding: percentages of minor units, and splits that add up to the last unit.

Arithmetic is done in ``Fraction`` (exact) and rounded once, half-up, to whole minor
units. Splits use the largest-remainder method, so the parts always sum to the total —
what tax per line and partial refunds need.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction


def percent_of(amount: int | Fraction, percent: Decimal) -> Fraction:
    return Fraction(amount) * Fraction(percent) / 100


def allocate(total: int, weights: Sequence[int | Fraction]) -> list[int]:
    """Split ``total`` pro rata to non-negative ``weights``, exactly (largest remainder).

    With ``0 <= total <= sum(weights)`` and integer weights, no part exceeds its weight.
    """
    if any(weight < 0 for weight in weights):
        raise ValueError("weights are never negative")
    # Scale rational weights to integers: the split is the same, the arithmetic faster.
    scale = math.lcm(*(Fraction(weight).denominator for weight in weights))
    scaled = [int(weight * scale) for weight in weights]
    whole = sum(scaled)
    if whole == 0:
        if total != 0:
            raise ValueError("cannot split a non-zero total over nothing")
        return [0] * len(weights)
    shares = [divmod(total * weight, whole) for weight in scaled]
    parts = [quotient for quotient, _ in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: (-shares[i][1], i))
    for index in by_remainder[: total - sum(parts)]:
        parts[index] += 1
    return parts
