"""Which orders the simulated year's sales were (vectorised with numpy): through which
channel and fulfilment method each sold unit went, and which units were bought together.

A level-day's units are split into order lines (mostly one unit each; now and then
the same item twice). Each line takes a stream — a channel and a method, such as the
till's carry-out or a web order picked up at the store — drawn by weight among the
streams its stock level can serve (a store line never ships from a DC; Instagram and the
marketplace sell only what is listed there). Lines of the same location, day and stream
are shuffled and cut into baskets of a realistic size, so every unit sold belongs to
exactly one order line and the quantities agree per variant, location and day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Ints = NDArray[np.int64]
SAME_ITEM_AGAIN = 0.2  # a unit joins the previous one of its level-day (two of a towel)


@dataclass(frozen=True)
class Stream:
    """A way an order comes in and leaves: ``channel`` is a channel code (``pos`` is the
    store's own tills), ``method`` a fulfilment method."""

    channel: str
    method: str
    at_store: bool  # fulfilled from a store's stock (else from a DC's)
    weight: float  # share among the streams a stock level can serve
    lines: tuple[float, ...]  # how likely an order has 1, 2, … lines
    needs: str | None = None  # a store capability, or a listing ("social", "marketplace")


TILL_BASKET = (0.27, 0.27, 0.21, 0.15, 0.10)  # 2.5 lines on average, never more than 5
WEB_BASKET = (0.42, 0.30, 0.17, 0.11)
APP_BASKET = (0.48, 0.30, 0.14, 0.08)
COLLECT_BASKET = (0.50, 0.30, 0.13, 0.07)
STREAMS: tuple[Stream, ...] = (
    Stream("pos", "carry_out", True, 88.0, TILL_BASKET),
    Stream("web", "pickup", True, 4.0, COLLECT_BASKET, "pickup"),
    Stream("app", "pickup", True, 2.5, COLLECT_BASKET, "pickup"),
    Stream("web", "curbside", True, 1.5, COLLECT_BASKET, "curbside"),
    Stream("app", "curbside", True, 1.0, COLLECT_BASKET, "curbside"),
    Stream("web", "ship", True, 2.0, (0.55, 0.30, 0.15), "ship_from_store"),
    Stream("app", "same_day", True, 1.0, (0.50, 0.30, 0.20), "same_day_delivery"),
    Stream("web", "ship", False, 50.0, WEB_BASKET),
    Stream("app", "ship", False, 26.0, APP_BASKET),
    Stream("call-center", "ship", False, 4.0, (0.35, 0.30, 0.20, 0.15)),
    Stream("instagram", "ship", False, 6.0, (0.75, 0.25), "social"),
    Stream("marketplace-goodsmart", "ship", False, 14.0, (0.85, 0.15), "marketplace"),
)
POS = 0  # index of the till stream
WEIGHTS = np.array([s.weight for s in STREAMS])


@dataclass(frozen=True)
class Basket:
    """Order lines and their orders, as parallel arrays (lines sorted by order)."""

    line_order: Ints
    line_level: Ints
    line_quantity: Ints
    line_position: Ints  # 1, 2, … within the order
    order_location: Ints  # index into the caller's location list
    order_day: Ints
    order_stream: Ints


def plan(
    sold: Ints, level_location: Ints, allowed: NDArray[np.bool_], rng: np.random.Generator
) -> Basket:
    """``allowed[level, stream]``: whether the level's stock can serve the stream."""
    level, day, quantity = _chunks(sold, rng)
    weights = allowed[level] * WEIGHTS[None, :]
    cumulative = np.cumsum(weights, axis=1)
    draw = rng.random(len(level)) * cumulative[:, -1]
    stream = np.argmax(draw[:, None] < cumulative, axis=1).astype(np.int64)
    location = level_location[level]
    order = _cut(location, day, stream, rng)
    return _lines(order, level, quantity, location, day, stream, len(level_location))


def _chunks(sold: Ints, rng: np.random.Generator) -> tuple[Ints, Ints, Ints]:
    """Every level-day's units as order lines: (level, day, quantity) per line."""
    level, day = np.nonzero(sold)
    units = np.repeat(np.arange(len(level)), sold[level, day])
    first = np.ones(len(units), dtype=bool)
    first[1:] = units[1:] != units[:-1]
    starts = first | (rng.random(len(units)) >= SAME_ITEM_AGAIN)
    chunk = np.cumsum(starts) - 1
    quantity = np.bincount(chunk).astype(np.int64)
    sale = units[starts]
    return level[sale].astype(np.int64), day[sale].astype(np.int64), quantity


def _cut(location: Ints, day: Ints, stream: Ints, rng: np.random.Generator) -> Ints:
    """The order of every line: lines are shuffled within (stream, location, day) and
    cut into baskets whose sizes follow the stream's distribution (a basket never spans
    two locations or days: the last one of a day may come out smaller)."""
    by_group = np.lexsort((rng.random(len(day)), day, location, stream))
    loc, dy, st = location[by_group], day[by_group], stream[by_group]
    starts = np.ones(len(st), dtype=bool)
    starts[1:] = (loc[1:] != loc[:-1]) | (dy[1:] != dy[:-1]) | (st[1:] != st[:-1])
    for index, spec in enumerate(STREAMS):
        segment = np.flatnonzero(st == index)  # contiguous: the stream sorts first
        if segment.size == 0:
            continue
        sizes = rng.choice(np.arange(1, len(spec.lines) + 1), size=segment.size, p=spec.lines)
        offsets = np.cumsum(sizes) - sizes
        starts[segment[0] + offsets[offsets < segment.size]] = True
    order = np.empty(len(st), dtype=np.int64)
    order[by_group] = np.cumsum(starts) - 1
    return order


def _lines(
    order: Ints,
    level: Ints,
    quantity: Ints,
    location: Ints,
    day: Ints,
    stream: Ints,
    levels: int,
) -> Basket:
    """One line per order and variant (two chunks of one level-day in one basket merge)."""
    keys, inverse = np.unique(order * levels + level, return_inverse=True)
    line_order, line_level = keys // levels, keys % levels
    line_quantity = np.bincount(inverse, weights=quantity).astype(np.int64)
    first_line = np.flatnonzero(np.r_[True, line_order[1:] != line_order[:-1]])
    line_position = (
        np.arange(len(keys)) - np.repeat(first_line, np.diff(np.r_[first_line, len(keys)])) + 1
    )
    order_count = int(order.max()) + 1 if len(order) else 0
    first_chunk = np.full(order_count, -1, dtype=np.int64)
    first_chunk[order[::-1]] = np.arange(len(order))[::-1]
    return Basket(
        line_order=line_order,
        line_level=line_level,
        line_quantity=line_quantity,
        line_position=line_position,
        order_location=location[first_chunk],
        order_day=day[first_chunk],
        order_stream=stream[first_chunk],
    )
