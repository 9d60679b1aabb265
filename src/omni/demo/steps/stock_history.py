"""A year of the demo retailer's stock, simulated day by day (vectorised with numpy).

Every stocked SKU x location has a demand rate (popular lines sell daily, the long tail
a few times a year), shaped by weekday and by season (a December peak). Each day:
customers buy what is on the shelf (demand beyond it is lost, as in a real stock-out);
stores on their weekly review day order up to their max from their distribution center,
which ships what it has; a DC at or below its reorder point receives a purchase order.
Some store lines were delisted in the autumn and sell down to nothing.

The result is a set of daily quantity matrices; ``stock.py`` turns them into ledger
movements and documents, so the levels the demo ends with are exactly the sum of a
year of movements and replenishment has real demand history to learn from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

DAYS = 364  # 52 whole weeks, ending yesterday
STORE_WEEKDAY = np.array([0.75, 0.8, 0.85, 0.95, 1.15, 1.45, 1.05])  # Mon..Sun
ONLINE_WEEKDAY = np.array([1.2, 1.1, 1.0, 0.95, 0.9, 0.85, 1.0])
DELISTED_SHARE = 0.12
DELISTED_FROM_DAY = DAYS - 90
# Life happens: some suppliers are late with the last orders (DCs run low), and some
# stores got a promotion allocation that did not sell (stock to rebalance).
LATE_SUPPLIER_SHARE = 0.1
LATE_FROM_DAY = DAYS - 21
PUSHED_SHARE = 0.05
PUSH_DAY = DAYS - 35

Ints = NDArray[np.int64]


@dataclass(frozen=True)
class Levels:
    """One entry per stock level being simulated."""

    rate: NDArray[np.float64]  # average units a day
    is_store: NDArray[np.bool_]
    source: Ints  # index of the level that replenishes it (its DC's), or -1
    review_weekday: Ints  # stores: the weekday their order goes out


@dataclass(frozen=True)
class Year:
    sold: Ints  # levels x days
    shipped: Ints  # levels x days: received by a store from its DC (DC side: negative)
    bought: Ints  # levels x days: purchase receipts at DCs
    on_hand: Ints  # levels: at the end
    opening: Ints  # levels: the first delivery, a year ago


def simulate(levels: Levels, rng: np.random.Generator, first_weekday: int, first_doy: int) -> Year:
    count = len(levels.rate)
    weekday = (first_weekday + np.arange(DAYS)) % 7
    day_of_year = (first_doy + np.arange(DAYS)) % 365
    season = 1 + 0.3 * np.cos(2 * np.pi * (day_of_year - 350) / 365)
    shape = np.where(
        levels.is_store[:, None], STORE_WEEKDAY[weekday][None, :], ONLINE_WEEKDAY[weekday][None, :]
    )
    demand = rng.poisson(levels.rate[:, None] * shape * season[None, :])
    low, high = _store_targets(levels.rate)
    reorder_point, order_up_to = _dc_targets(levels)
    low = np.where(levels.is_store, low, reorder_point)
    high = np.where(levels.is_store, high, order_up_to)
    delisted = levels.is_store & (rng.random(count) < DELISTED_SHARE)
    late = ~levels.is_store & (rng.random(count) < LATE_SUPPLIER_SHARE)
    pushed = levels.is_store & (levels.source >= 0) & (rng.random(count) < PUSHED_SHARE)

    on_hand = high.copy()
    opening = high.copy()
    sold = np.zeros((count, DAYS), dtype=np.int64)
    shipped = np.zeros((count, DAYS), dtype=np.int64)
    bought = np.zeros((count, DAYS), dtype=np.int64)
    stores = np.flatnonzero(levels.is_store & (levels.source >= 0))
    dcs = np.flatnonzero(~levels.is_store)
    for day in range(DAYS):
        sold[:, day] = np.minimum(demand[:, day], on_hand)
        on_hand -= sold[:, day]
        reviewing = stores[levels.review_weekday[stores] == weekday[day]]
        if day >= DELISTED_FROM_DAY:
            reviewing = reviewing[~delisted[reviewing]]
        _ship(levels, on_hand, low, high, reviewing, shipped[:, day])
        if day == PUSH_DAY:
            _push(levels, on_hand, 3 * high, np.flatnonzero(pushed), shipped[:, day])
        buying = dcs[~late[dcs]] if day >= LATE_FROM_DAY else dcs
        short = buying[on_hand[buying] <= low[buying]]
        bought[short, day] = high[short] - on_hand[short]
        on_hand[short] = high[short]
    return Year(sold, shipped, bought, on_hand, opening)


def _ship(
    levels: Levels, on_hand: Ints, low: Ints, high: Ints, stores: Ints, shipped_today: Ints
) -> None:
    """Stores at or below their min get up to their max, as far as their DC's stock goes."""
    _push(levels, on_hand, high, stores[on_hand[stores] <= low[stores]], shipped_today)


def _push(levels: Levels, on_hand: Ints, up_to: Ints, needing: Ints, shipped_today: Ints) -> None:
    """Ship ``needing`` stores up to ``up_to`` from their DCs, as far as the DCs' stock goes."""
    needing = needing[up_to[needing] > on_hand[needing]]
    if needing.size == 0:
        return
    wanted = up_to[needing] - on_hand[needing]
    sources = levels.source[needing]
    asked = np.zeros(len(on_hand), dtype=np.int64)
    np.add.at(asked, sources, wanted)
    # A DC asked for more than it has shares it out pro rata (rounded down).
    share = np.where(asked[sources] > on_hand[sources], on_hand[sources] / asked[sources], 1.0)
    sent = np.floor(wanted * share).astype(np.int64)
    np.add.at(on_hand, sources, -sent)
    on_hand[needing] += sent
    shipped_today[needing] += sent
    np.add.at(shipped_today, sources, -sent)


def _store_targets(rate: NDArray[np.float64]) -> tuple[Ints, Ints]:
    """A week's demand as the min; three more weeks' (and at least three units) on top."""
    low = np.maximum(1, np.ceil(rate * 7)).astype(np.int64)
    high = low + np.maximum(3, np.ceil(rate * 21)).astype(np.int64)
    return low, high


def _dc_targets(levels: Levels) -> tuple[Ints, Ints]:
    """A DC covers its own online demand plus what its stores draw: two weeks to reorder,
    and buys in bulk — three months on top."""
    draws = levels.rate.copy()
    stores = np.flatnonzero(levels.source >= 0)
    np.add.at(draws, levels.source[stores], levels.rate[stores])
    reorder_point = np.ceil(draws * 14).astype(np.int64) + 5
    return reorder_point, reorder_point + np.maximum(60, np.ceil(draws * 90)).astype(np.int64)
