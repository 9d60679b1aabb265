"""The usual order's plan search, vectorised: every set of one or two shortlisted
locations is priced exactly, larger sets by a beam over the best smaller ones.

This works when a line's cost at a location does not depend on the other lines: each
line ships whole from one location (no line splitting) and no variant repeats. Then a
set's cost is its locations' fixed costs, the split penalty, and per line the best of
its members' line costs, where a line cost ranks first the units it cannot ship, then
the depth penalty (exactly the rule of ``PlanSearch.evaluate``). Pricing all pairs of
90 locations for 10 lines is one 81,000-element numpy minimum: about 0.1 ms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from omni.sourcing.scoring import Scored

if TYPE_CHECKING:
    from omni.sourcing.search import PlanSearch

Floats = npt.NDArray[np.float64]
BEAM = 32  # sets kept from one size to extend to the next


def best_cover(search: PlanSearch, pool: list[Scored]) -> tuple[tuple[Scored, ...], int]:
    """The cheapest set (fewest units short first) of at most the free slots, drawn from
    ``pool`` (sorted by location id), as the tuple of its members, and how many sets
    were priced; ties go to lower ids."""
    slots = min(search.new_slots, len(pool))
    if slots <= 0:
        return (), 0
    profile = search.profile
    quantity = np.array(search.shape.quantity, dtype=np.float64)
    # Depth per line is at most the weight: scaling shorts by weight + 1 keeps "fewer
    # units short" first when a line's best member is picked by the minimum.
    scale = profile.depth_weight + 1.0
    lines = _line_costs([s.stock for s in pool], quantity, scale, profile.depth_weight)
    fixed = np.array([s.fixed for s in pool], dtype=np.float64)
    held = [m.stock for m in search.base]
    committed = _line_costs(held, quantity, scale, profile.depth_weight).min(
        axis=0, initial=float("inf")
    )
    sets = np.zeros((1, 0), dtype=np.intp)
    minima = np.minimum(committed, quantity * scale)[np.newaxis, :]
    seen = search.best  # e.g. the best single location, found over all candidates
    bound = seen.cost if seen is not None and seen.short == 0 else float("inf")
    cheapest = sorted(fixed.tolist())
    best: tuple[int, float, tuple[int, ...]] | None = None
    priced = 0
    for size in range(1, slots + 1):
        if best is not None and best[0] == 0:
            bound = min(bound, best[1])
        # No set of this size beats a complete plan when its cheapest fixed costs can't.
        if sum(cheapest[:size]) + search.split_cost(size) > bound + 1e-9:
            break
        sets, minima = _extend(sets, minima, lines)
        if not len(sets):
            break
        priced += len(sets)
        short, cost = _price(sets, minima, fixed, scale, search.split_cost(size))
        # Fewest short, then cheapest, then lowest ids: np.lexsort reads keys last first.
        order = np.lexsort((*(sets[:, j] for j in reversed(range(size))), cost, short))
        top = order[0]
        key = (int(short[top]), float(cost[top]), tuple(sets[top].tolist()))
        if best is None or key < best:
            best = key
        # All singles go on (so every pair is priced); from pairs on, only the best.
        keep = order if size == 1 else order[:BEAM]
        sets, minima = sets[keep], minima[keep]
    return (() if best is None else tuple(pool[i] for i in best[2])), priced


def _line_costs(stocks: list[list[int]], quantity: Floats, scale: float, weight: float) -> Floats:
    """Per location and line: units it cannot ship (scaled) plus the depth penalty."""
    stock = np.array(stocks, dtype=np.float64).reshape(len(stocks), len(quantity))
    give = np.minimum(stock, quantity)
    share = np.divide(give, stock, out=np.zeros_like(give), where=stock > 0)
    costs: Floats = (quantity - give) * scale + weight * share
    return costs


def _extend(
    sets: npt.NDArray[np.intp], minima: Floats, lines: Floats
) -> tuple[npt.NDArray[np.intp], Floats]:
    """Every set plus one location of a higher index (so each set is built once), with
    its per-line minimum."""
    last = sets[:, -1] if sets.shape[1] else np.full(len(sets), -1)
    rows, columns = np.nonzero(np.arange(lines.shape[0])[np.newaxis, :] > last[:, np.newaxis])
    grown = np.hstack((sets[rows], columns[:, np.newaxis]))
    return grown, np.minimum(minima[rows], lines[columns])


def _price(
    sets: npt.NDArray[np.intp], minima: Floats, fixed: Floats, scale: float, split: float
) -> tuple[npt.NDArray[np.int64], Floats]:
    shorts = np.floor(minima / scale + 1e-9)
    depth = (minima - shorts * scale).sum(axis=1)
    # Rounded so float noise cannot reorder equal costs; the ids break the ties.
    cost: Floats = np.round(fixed[sets].sum(axis=1) + split + depth, 9)
    return shorts.sum(axis=1).astype(np.int64), cost
