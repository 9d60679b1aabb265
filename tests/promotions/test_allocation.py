"""Exact rounding and largest-remainder splits, table-driven plus properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omni.kernel.money import round_half_up
from omni.promotions.allocation import allocate, percent_of


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(0), 0),
        (Fraction(1, 2), 1),
        (Fraction(3, 2), 2),
        (Fraction(5, 2), 3),  # half-up, not half-even (which would give 2)
        (Fraction(249, 100), 2),
        (Fraction(251, 100), 3),
        (Fraction(-1, 2), -1),  # halves go away from zero
        (Fraction(-249, 100), -2),
        (Fraction(7), 7),
    ],
)
def test_round_half_up(value: Fraction, expected: int) -> None:
    assert round_half_up(value) == expected


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [
        (1999, "10", Fraction(1999, 10)),
        (1000, "12.5", Fraction(125)),
        (333, "33.333", Fraction(333 * 33333, 100000)),
        (0, "50", Fraction(0)),
    ],
)
def test_percent_of_is_exact(amount: int, percent: str, expected: Fraction) -> None:
    assert percent_of(amount, Decimal(percent)) == expected


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (100, [1, 1, 1], [34, 33, 33]),  # the tie goes to the earlier line
        (2000, [4000, 8000, 1000], [615, 1231, 154]),  # remainders .38 .77 .85
        (10, [0, 5, 5], [0, 5, 5]),  # a free line gets nothing
        (0, [3, 4], [0, 0]),
        (7, [7], [7]),
        (1, [1, 1, 1, 1], [1, 0, 0, 0]),
        (99, [1, 98], [1, 98]),
        (5, [Fraction(1, 3), Fraction(2, 3)], [2, 3]),
    ],
)
def test_allocate_splits_exactly(total: int, weights: list, expected: list[int]) -> None:
    assert allocate(total, weights) == expected


@pytest.mark.parametrize(
    ("total", "weights"),
    [(1, [0, 0]), (5, [-1, 6])],
)
def test_allocate_refuses_impossible_splits(total: int, weights: list[int]) -> None:
    with pytest.raises(ValueError):
        allocate(total, weights)


weights = st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=30)


@given(weights, st.data())
def test_allocation_sums_exactly_and_never_exceeds_a_weight(ws: list[int], data) -> None:
    total = data.draw(st.integers(min_value=0, max_value=sum(ws)))
    parts = allocate(total, ws)
    assert sum(parts) == total
    assert all(0 <= part <= weight for part, weight in zip(parts, ws, strict=True))


@given(weights, st.data())
def test_allocation_is_within_one_unit_of_the_exact_share(ws: list[int], data) -> None:
    total = data.draw(st.integers(min_value=0, max_value=sum(ws)))
    if sum(ws) == 0:
        return
    for part, weight in zip(allocate(total, ws), ws, strict=True):
        assert abs(part - Fraction(total * weight, sum(ws))) < 1


@given(weights, st.data())
def test_allocation_is_deterministic(ws: list[int], data) -> None:
    total = data.draw(st.integers(min_value=0, max_value=sum(ws)))
    assert allocate(total, ws) == allocate(total, list(ws))
