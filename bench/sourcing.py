"""``omni bench sourcing``: how long the pure sourcing engine takes to decide one order.

Generates a US-sized retailer (stores clustered around metros, a few deep DCs), then
times ``decide()`` on random orders, each over every location as a candidate: most
locations hold some of the order's SKUs, stores thinly, DCs deeply; some stores cannot
ship, some are out of capacity, closed or outside the channel's pool. The database URL
is unused: sourcing does no I/O. Each timing covers building the request (its checks)
and deciding.

Besides the decision time (the target), it reports the time to decide AND write every
candidate's report as JSON-ready dicts (``as_dict``), which is what storing it costs,
and, for ``compare`` orders, how much cheaper a much wider search (shortlist of 40 per
line) would have been: the price of bounding the search.

Options: ``orders`` (1000), ``candidates`` (500), ``lines`` (10), ``warmup`` (50),
``seed`` (7), ``method`` ("ship"), ``max_splits`` (3), ``warehouses`` (candidates / 25;
0 makes a store-only network, where most orders need a split search), ``compare`` (0),
``shortlist_per_line`` (8, the profile's search bound).
"""

from __future__ import annotations

import gc
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, replace
from statistics import fmean
from typing import Any

from bench.machine import machine_facts, percentile
from omni.sourcing.domain import (
    Candidate,
    Decision,
    Destination,
    OrderLine,
    SourcingProfile,
    SourcingRequest,
    decide,
)

TARGET_P99_MS = 5.0
CATALOG = 400  # variants the retailer sells; each order picks ``lines`` of them
# Metro centres (lat, lon): stores cluster around people, and so do customers.
METROS = (
    (40.71, -74.01), (34.05, -118.24), (41.88, -87.63), (29.76, -95.37), (33.45, -112.07),
    (39.95, -75.17), (29.42, -98.49), (32.72, -117.16), (32.78, -96.80), (37.34, -121.89),
    (30.27, -97.74), (30.33, -81.66), (39.96, -83.00), (35.23, -80.84), (37.77, -122.42),
    (39.77, -86.16), (47.61, -122.33), (39.74, -104.99), (42.36, -71.06), (36.17, -115.14),
    (45.52, -122.68), (35.15, -90.05), (38.25, -85.76), (39.29, -76.61), (43.04, -87.91),
    (35.08, -106.65), (38.58, -121.49), (33.75, -84.39), (25.76, -80.19), (44.98, -93.27),
)  # fmt: skip


@dataclass(frozen=True)
class _Setup:
    orders: int
    candidates: int
    lines: int
    warmup: int
    method: str
    warehouses: int
    compare: int
    profile: SourcingProfile

    @classmethod
    def of(cls, options: dict[str, Any]) -> _Setup:
        candidates = int(options.get("candidates", 500))
        return cls(
            orders=int(options.get("orders", 1000)),
            candidates=candidates,
            lines=int(options.get("lines", 10)),
            warmup=int(options.get("warmup", 50)),
            method=str(options.get("method", "ship")),
            warehouses=int(options.get("warehouses", max(2, candidates // 25))),
            compare=int(options.get("compare", 0)),
            profile=SourcingProfile(
                name="bench",
                max_splits=int(options.get("max_splits", 3)),
                shortlist_per_line=int(options.get("shortlist_per_line", 8)),
            ),
        )


@dataclass(frozen=True)
class _Sample:
    """One decision's timings and shape; the decision itself is dropped, so the heap
    stays the size of a server's and garbage collection costs what it would there."""

    decide_ms: float
    cpu_ms: float  # CPU time of this thread while deciding: the engine's own work
    explain_ms: float
    status: str
    locations: int
    eligible: int
    shortlisted: int
    plans: int
    exhausted: bool
    full_gc: bool  # a full (generation 2) garbage collection ran while it decided
    gap: float | None = None  # cost above the wide search's plan, as a fraction


class _GcWatch:
    """Counts the garbage collections that run while a decision is being timed: the
    engine allocates a few thousand objects per order, so Python's collector runs
    every few orders, and now and then a full collection lands inside a timing."""

    def __init__(self) -> None:
        self.timing = False
        self.counts = [0, 0, 0]
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if not self.timing:
            return
        if phase == "start":
            self._started = time.perf_counter()
            self.counts[info["generation"]] += 1
        else:
            self.seconds += time.perf_counter() - self._started


def run(database_url: str, options: dict[str, Any]) -> dict[str, Any]:
    setup = _Setup.of(options)
    rng = random.Random(int(options.get("seed", 7)))
    network = _network(rng, setup.candidates, setup.warehouses)
    samples: list[_Sample] = []
    watch = _GcWatch()
    load_before = os.getloadavg()[0]
    gc.collect()
    gc.callbacks.append(watch)
    try:
        for i in range(setup.warmup + setup.orders):
            # Built outside the timing: in production these are read from the database.
            order_lines, destination, candidates = _order(rng, network, setup.lines)
            request = SourcingRequest(order_lines, setup.method, destination, [], setup.profile)
            sample = _time_one(request, candidates, watch if i >= setup.warmup else None)
            if i >= setup.warmup:
                if i - setup.warmup < setup.compare:
                    sample = replace(sample, gap=_gap(request, candidates))
                samples.append(sample)
    finally:
        gc.callbacks.remove(watch)
    figures = _figures(samples, setup, load=(load_before, os.getloadavg()[0]))
    figures["gc_while_deciding"] = {
        "collections_by_generation": watch.counts,
        "ms": round(watch.seconds * 1000, 1),
        "decisions_with_a_full_collection": sum(s.full_gc for s in samples),
    }
    return figures


def _time_one(
    shape: SourcingRequest, candidates: list[Candidate], watch: _GcWatch | None
) -> _Sample:
    full_before = watch.counts[2] if watch else 0
    if watch:
        watch.timing = True
    started, cpu_started = time.perf_counter(), time.thread_time()
    decision = decide(
        SourcingRequest(shape.lines, shape.method, shape.destination, candidates, shape.profile)
    )
    decided, cpu = time.perf_counter(), time.thread_time() - cpu_started
    if watch:
        watch.timing = False
    decision.as_dict()  # writes every candidate's report: what storing the decision costs
    explained = time.perf_counter()
    search = decision.search
    return _Sample(
        decide_ms=(decided - started) * 1000,
        cpu_ms=cpu * 1000,
        explain_ms=(explained - decided) * 1000,
        status=decision.status,
        locations=len(decision.allocations),
        eligible=search.eligible,
        shortlisted=search.shortlisted,
        plans=search.plans_evaluated,
        exhausted=search.budget_exhausted,
        full_gc=bool(watch and watch.counts[2] > full_before),
    )


def _gap(shape: SourcingRequest, candidates: list[Candidate]) -> float:
    """How much dearer the bounded plan is than a much wider search's (0: the same)."""
    bounded = decide(
        SourcingRequest(shape.lines, shape.method, shape.destination, candidates, shape.profile)
    )
    wide_profile = replace(shape.profile, shortlist_per_line=40, branch_limit=40)
    wide = decide(
        SourcingRequest(shape.lines, shape.method, shape.destination, candidates, wide_profile)
    )
    if _short(bounded) != _short(wide) or not wide.cost.total:
        return float(_short(bounded) > _short(wide))
    return max(0.0, bounded.cost.total / wide.cost.total - 1)


def _short(decision: Decision) -> int:
    return sum(shortfall.quantity for shortfall in decision.unfulfilled)


def _figures(samples: list[_Sample], setup: _Setup, load: tuple[float, float]) -> dict[str, Any]:
    decide_ms = [s.decide_ms for s in samples]
    stored_ms = [s.decide_ms + s.explain_ms for s in samples]
    p99 = percentile(decide_ms, 99)
    splits = Counter(s.locations for s in samples if s.status != "unsourceable")
    gaps = [s.gap for s in samples if s.gap is not None]
    return {
        "scenario": "sourcing",
        "orders": setup.orders,
        "candidates": setup.candidates,
        "warehouses": setup.warehouses,
        "lines": setup.lines,
        "method": setup.method,
        "max_splits": setup.profile.max_splits,
        "shortlist_per_line": setup.profile.shortlist_per_line,
        "decisions": len(samples),
        "p50_ms": round(percentile(decide_ms, 50), 3),
        "p90_ms": round(percentile(decide_ms, 90), 3),
        "p99_ms": round(p99, 3),
        "max_ms": round(max(decide_ms, default=0.0), 3),
        "target_p99_ms": TARGET_P99_MS,
        "target_met": p99 <= TARGET_P99_MS,
        # Wall time above includes waiting for a CPU when other work runs; this does not.
        "cpu_p50_ms": round(percentile([s.cpu_ms for s in samples], 50), 3),
        "cpu_p99_ms": round(percentile([s.cpu_ms for s in samples], 99), 3),
        # Deciding, then writing every candidate's report as JSON-ready dicts.
        "with_explanation_p50_ms": round(percentile(stored_ms, 50), 3),
        "with_explanation_p99_ms": round(percentile(stored_ms, 99), 3),
        "statuses": dict(sorted(Counter(s.status for s in samples).items())),
        "splits": {str(k): splits[k] for k in sorted(splits)},
        "mean_eligible": round(fmean(s.eligible for s in samples), 1),
        "mean_shortlisted": round(fmean(s.shortlisted for s in samples), 1),
        "mean_plans_evaluated": round(fmean(s.plans for s in samples), 1),
        "max_plans_evaluated": max(s.plans for s in samples),
        "budget_exhausted": sum(s.exhausted for s in samples),
        "compared": len(gaps),
        "dearer_than_wide_search": sum(1 for g in gaps if g > 1e-9),
        "mean_cost_gap_pct": round(100 * fmean(gaps), 3) if gaps else None,
        "max_cost_gap_pct": round(100 * max(gaps), 3) if gaps else None,
        "load_average": [round(value, 2) for value in load],  # other work on the machine
        "machine": machine_facts(),
    }


class _Location:
    """A generated location: its fixed facts and its stock of the whole catalog."""

    def __init__(self, rng: random.Random, index: int, warehouse: bool) -> None:
        lat, lon = rng.choice(METROS)
        spread = 1.5 if warehouse else 0.35
        self.location_id = f"loc_{index:04d}"
        self.kind = "warehouse" if warehouse else "store"
        self.lat, self.lon = lat + rng.gauss(0, spread), lon + rng.gauss(0, spread)
        self.capabilities = _capabilities(rng, warehouse)
        self.in_pool = rng.random() < 0.92
        self.capacity = _capacity(rng, warehouse)
        self.exclusion = _exclusion(rng)
        self.stock = [_units(rng, warehouse) for _ in range(CATALOG)]


def _network(rng: random.Random, count: int, warehouses: int) -> list[_Location]:
    return [_Location(rng, i, warehouse=i < warehouses) for i in range(count)]


def _capabilities(rng: random.Random, warehouse: bool) -> frozenset[str]:
    if warehouse:
        return frozenset({"same_day_delivery"} if rng.random() < 0.2 else ())
    odds = {"pickup": 0.9, "curbside": 0.5, "ship_from_store": 0.75, "same_day_delivery": 0.3}
    return frozenset(name for name, p in odds.items() if rng.random() < p)


def _capacity(rng: random.Random, warehouse: bool) -> int | None:
    if warehouse:
        return rng.randint(50, 500) if rng.random() < 0.1 else None
    return rng.randint(0, 12) if rng.random() < 0.25 else None


def _exclusion(rng: random.Random) -> str | None:
    draw = rng.random()
    if draw < 0.04:
        return "store closed"
    return "excluded by merchant" if draw < 0.05 else None


def _units(rng: random.Random, warehouse: bool) -> int:
    if warehouse:
        # Deep, but a DC does not stock everything: few hold all 10 SKUs of an order.
        return rng.randint(20, 800) if rng.random() < 0.85 else 0
    # Thin store stock: most SKUs present, a few units each, often the last one or two.
    return rng.choice((1, 1, 2, 2, 3, 4, 6)) if rng.random() < 0.65 else 0


def _order(
    rng: random.Random, network: list[_Location], count: int
) -> tuple[list[OrderLine], Destination, list[Candidate]]:
    variants = rng.sample(range(CATALOG), count)
    lines = [
        OrderLine(f"line_{n}", f"var_{v:04d}", rng.choice((1, 1, 1, 1, 1, 1, 1, 2, 2, 3)))
        for n, v in enumerate(variants)
    ]
    if rng.random() < 0.8:
        lat, lon = rng.choice(METROS)
        destination = Destination(lat + rng.gauss(0, 0.5), lon + rng.gauss(0, 0.5))
    else:  # rural: anywhere in the lower 48's box
        destination = Destination(rng.uniform(26.0, 48.5), rng.uniform(-123.0, -70.0))
    candidates = [
        Candidate(
            location_id=place.location_id,
            kind=place.kind,
            lat=place.lat,
            lon=place.lon,
            capabilities=place.capabilities,
            available={f"var_{v:04d}": place.stock[v] for v in variants if place.stock[v]},
            in_channel_pool=place.in_pool,
            remaining_capacity=place.capacity,
            exclusion=place.exclusion,
        )
        for place in network
    ]
    return lines, destination, candidates
