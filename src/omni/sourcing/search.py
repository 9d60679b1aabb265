"""The plan search: which set of at most ``max_splits`` locations fills the order best.

Best means: fewest units left unfulfilled, then lowest cost (fixed costs of the locations
used + split penalty per extra location + depth penalties), then the lowest location ids.

Trying every set is hopeless (500 candidates, 3 locations: 20 million sets), so:
1. the best SINGLE location that fills everything is found exactly, over all candidates;
2. a shortlist keeps, per line, the ``shortlist_per_line`` cheapest locations able to
   supply it in full, plus as many that supply the most lines;
3. over the shortlist, the usual order (whole lines, no repeated variant) is priced by
   ``cover.best_cover``: every single location and pair exactly, larger sets by a beam;
   other orders (line splitting, a variant on two lines) by a depth-first branch and
   bound that adds one location at a time where a line is still short, or where a line
   cuts deepest into a location's stock, trying at most ``branch_limit`` options per
   step and ``search_budget`` plans per order (the decision says when it ran out).
A plan found is then polished: a location whose lines the others can take is dropped
if that is cheaper.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from omni.sourcing.cover import best_cover
from omni.sourcing.inputs import SourcingProfile
from omni.sourcing.scoring import OrderShape, Scored, measure_alone

_EPSILON = 1e-9
_order = attrgetter("order")


@dataclass(slots=True)
class Plan:
    members: tuple[Scored, ...]  # the locations shipping something, by location id
    takes: list[tuple[Scored, int, int]]  # (location, line index, units)
    allocated: list[int]  # units allocated per line
    short: int  # units not allocated
    fixed: float  # fixed costs + split penalty: what adding locations can only raise
    depth: float  # depth penalty, weighted

    @property
    def cost(self) -> float:
        return self.fixed + self.depth

    @property
    def key(self) -> tuple[int, float, tuple[int, ...]]:
        # Rounded so that float noise between equal sums cannot reorder equal plans.
        return (self.short, round(self.cost, 9), tuple(m.order for m in self.members))


class PlanSearch:
    def __init__(
        self, shape: OrderShape, profile: SourcingProfile, eligible: list[Scored], held: int
    ) -> None:
        self.shape = shape
        self.profile = profile
        self.held = held  # locations already shipping part of the order (re-sourcing)
        self.base = tuple(s for s in eligible if s.committed)
        self.free = [s for s in eligible if not s.committed]
        self.new_slots = profile.max_splits - held
        self.split_lines = profile.allow_line_split
        self.target, self.line_order = _targets(shape, eligible, self.split_lines)
        self.single = self._best_single()
        self.shortlist = self._shortlist()
        self.best: Plan | None = None
        self.evaluated = 0
        self.exhausted = False
        self._seen: set[frozenset[int]] = set()

    def run(self) -> Plan:
        empty = self.evaluate(self.base)
        self._consider(empty)
        single = self.single
        alone = None
        if single is not None and self.new_slots >= 1:
            alone = self.evaluate(_by_order((*self.base, single)))
            self._consider(alone)
        if not self.split_lines and not self.shape.repeats:
            # Line costs are independent of each other: price sets exactly, vectorised.
            members, priced = best_cover(self, sorted(self.shortlist, key=_order))
            self.evaluated += priced
            if members:
                self._consider(self.evaluate(_by_order((*self.base, *members))))
        else:
            if single is not None and alone is not None:
                # The best single location first: its cost bounds everything after it.
                self._seen.add(frozenset((single.order,)))
                self._explore((single,), alone, abandoned=0)
            self._explore((), empty, abandoned=0)
        assert self.best is not None
        return self._polish(self.best)

    def evaluate(self, members: tuple[Scored, ...]) -> Plan:
        """Give each line to the members, then price the plan. Lines go, most constrained
        first, to the member that can ship the most of it, then at the lowest depth cost."""
        self.evaluated += 1
        shape = self.shape
        left = [list(m.stock) for m in members]
        takes: list[tuple[Scored, int, int]] = []
        allocated = [0] * len(shape.quantity)
        depth = 0.0
        for line in self.line_order:
            variant, need = shape.line_variant[line], shape.quantity[line]
            if self.split_lines:
                depth += self._spread(members, left, line, variant, need, takes, allocated)
                continue
            best, best_give, best_share = -1, 0, 0.0
            for pos, member in enumerate(members):
                have = left[pos][variant]
                if have <= 0:
                    continue
                give = need if have >= need else have
                share = give / member.stock[variant]  # of its units: the depth penalty
                if give > best_give or (give == best_give and share < best_share):
                    best, best_give, best_share = pos, give, share
            if best >= 0:
                left[best][variant] -= best_give
                allocated[line] = best_give
                takes.append((members[best], line, best_give))
                depth += best_share
        return self._price(takes, allocated, depth * self.profile.depth_weight)

    def _spread(
        self,
        members: tuple[Scored, ...],
        left: list[list[int]],
        line: int,
        variant: int,
        need: int,
        takes: list[tuple[Scored, int, int]],
        allocated: list[int],
    ) -> float:
        """Line splitting allowed: take the line's units from the cheapest-depth members."""
        depth = 0.0
        # Deepest stock first: the smallest share of a location's units per unit taken.
        ranked = sorted(range(len(members)), key=lambda p: (-members[p].stock[variant], p))
        for pos in ranked:
            have = left[pos][variant]
            if have <= 0:
                continue
            give = min(have, need - allocated[line])
            left[pos][variant] -= give
            allocated[line] += give
            takes.append((members[pos], line, give))
            depth += give / members[pos].stock[variant]
            if allocated[line] == need:
                break
        return depth

    def _price(
        self, takes: list[tuple[Scored, int, int]], allocated: list[int], depth: float
    ) -> Plan:
        used = sorted({id(m): m for m, _, _ in takes}.values(), key=lambda m: m.order)
        new = sum(1 for m in used if not m.committed)
        fixed = sum(m.fixed for m in used) + self.split_cost(new)
        short = self.shape.total_units - sum(allocated)
        return Plan(tuple(used), takes, allocated, short, fixed, depth)

    def split_cost(self, new_locations: int) -> float:
        """Split penalty for the locations beyond the first; held ones were paid for."""
        total = self.held + new_locations
        return self.profile.split_penalty * max(0, total - max(1, self.held))

    def _consider(self, plan: Plan) -> None:
        if self.best is None or plan.key < self.best.key:
            self.best = plan

    def _explore(self, chosen: tuple[Scored, ...], plan: Plan, abandoned: int) -> None:
        """Add one location at a time where it helps: first to lines still short of what
        they could get, then, once none is, to the line whose units cut deepest into a
        location's stock (a deeper one may be worth its fixed cost). All the options of
        a step are evaluated before any is explored further, best first, so a bounded
        search spends its budget on the promising branches."""
        if len(chosen) >= self.new_slots:
            return
        line = self._next_line(plan, abandoned)
        if line is not None:
            deeper_than = 0 if self.split_lines else plan.allocated[line]
            # A plan leaving this line short can only win while no plan seen fills all.
            move_on = self.best is not None and self.best.short > 0
        else:
            line, deeper_than = self._deepest_cut(plan, abandoned)
            move_on = False
        if line is None:
            return
        children: list[tuple[Plan, tuple[Scored, ...]]] = []
        for option in self._options(line, chosen, plan, deeper_than):
            if self.evaluated >= self.profile.search_budget:
                self.exhausted = True
                break
            members = _by_order((*chosen, option))
            seen = frozenset(m.order for m in members)
            if seen in self._seen:
                continue
            self._seen.add(seen)
            child = self.evaluate(_by_order((*self.base, *members)))
            self._consider(child)
            children.append((child, members))
        children.sort(key=lambda pair: pair[0].key)
        for child, members in children:
            self._explore(members, child, abandoned)
        if move_on:  # try the other lines without insisting on this one
            self._explore(chosen, plan, abandoned | 1 << line)

    def _next_line(self, plan: Plan, abandoned: int) -> int | None:
        for line in self.line_order:
            if plan.allocated[line] < self.target[line] and not abandoned >> line & 1:
                return line
        return None

    def _deepest_cut(self, plan: Plan, abandoned: int) -> tuple[int | None, int]:
        """The line taking the largest share of a location's units, and the most units
        a location giving it holds: a location holding more would take a smaller share."""
        if not self.profile.depth_weight:
            return None, 0
        variant_of = self.shape.line_variant
        worst, worst_share = None, 0.0
        for member, line, units in plan.takes:
            share = units / member.stock[variant_of[line]]
            if share > worst_share and not abandoned >> line & 1:
                worst, worst_share = line, share
        if worst is None:
            return None, 0
        held = max(m.stock[variant_of[line]] for m, line, _ in plan.takes if line == worst)
        return worst, held

    def _options(
        self, line: int, chosen: tuple[Scored, ...], plan: Plan, deeper_than: int
    ) -> list[Scored]:
        """Shortlisted locations holding more than ``deeper_than`` units of the line's
        variant, cheapest per unit first, at most ``branch_limit``, and none whose fixed
        cost alone would make the plan dearer than the best complete one."""
        variant = self.shape.line_variant[line]
        best = self.best
        # Fixed costs only grow as locations are added: a bound on any plan below here.
        bound = best.cost + _EPSILON if best is not None and best.short == 0 else None
        new = sum(1 for m in plan.members if not m.committed)
        floor = plan.fixed + self.split_cost(new + 1) - self.split_cost(new)
        taken = {m.order for m in chosen}
        options: list[Scored] = []
        for s in self.shortlist:
            if s.order in taken or s.stock[variant] <= deeper_than:
                continue
            if bound is not None and floor + s.fixed > bound:
                continue
            options.append(s)
            if len(options) == self.profile.branch_limit:
                break
        return options

    def _best_single(self) -> Scored | None:
        """Exact over every candidate: the cheapest location that can ship everything."""
        lines = len(self.shape.quantity)
        full = [s for s in self.free if s.lines_covered == lines]
        for s in full:
            measure_alone(s, self.shape, self.profile)
        return min(full, key=lambda s: (s.score, s.order)) if full else None

    def _shortlist(self) -> list[Scored]:
        k = self.profile.shortlist_per_line
        by_cost = sorted(self.free, key=attrgetter("fixed", "order"))
        picked = {s.order: s for s in self._cheapest_per_line(by_cost, k)}
        # Most lines covered first, the cheapest among equals (the sort is stable).
        broad = sorted(by_cost, key=attrgetter("lines_covered"), reverse=True)[:k]
        picked.update((s.order, s) for s in broad)
        if self.single is not None:
            picked[self.single.order] = self.single
        for s in picked.values():
            measure_alone(s, self.shape, self.profile)
        split = self.profile.split_penalty
        # Cheapest per unit first, so the first branches walk a greedy cover: a good
        # complete plan early makes the bound prune the rest.
        return sorted(
            picked.values(), key=lambda s: ((s.fixed + split) / max(1, s.units_available), s.order)
        )

    def _cheapest_per_line(self, by_cost: list[Scored], k: int) -> list[Scored]:
        """The k cheapest locations able to supply each line (its target in one piece, or
        any of it when lines split): one walk in cost order, stopping once all are found."""
        shape, target = self.shape, self.target
        wanted = {line: k for line in range(len(shape.quantity)) if target[line] > 0}
        need = {line: 1 if self.split_lines else target[line] for line in wanted}
        found: list[Scored] = []
        for s in by_cost:
            if not wanted:
                break
            useful = False
            for line in list(wanted):
                if s.stock[shape.line_variant[line]] >= need[line]:
                    useful = True
                    wanted[line] -= 1
                    if not wanted[line]:
                        del wanted[line]
            if useful:
                found.append(s)
        return found

    def _polish(self, plan: Plan) -> Plan:
        """Drop a location whose lines the others can take, if that is better: the greedy
        line assignment can use a location only to save a little depth."""
        improved = True
        while improved and len(plan.members) > 1:
            improved = False
            for member in plan.members:
                if member.committed:
                    continue
                rest = tuple(m for m in plan.members if m is not member)
                trial = self.evaluate(_by_order((*self.base, *rest)))
                if trial.key < plan.key:
                    plan, improved = trial, True
                    break
        return plan


def _by_order(members: tuple[Scored, ...]) -> tuple[Scored, ...]:
    unique = {m.order: m for m in members}
    return tuple(unique[order] for order in sorted(unique))


def _targets(
    shape: OrderShape, eligible: list[Scored], split_lines: bool
) -> tuple[list[int], list[int]]:
    """Per line, the most any plan could allocate (one location's stock, or everyone's
    when lines split), and the order to consider lines in: most constrained first
    (fewest locations able to supply them in full), where the line-by-line search
    branches; the vectorised one needs no order."""
    lines = range(len(shape.quantity))
    if not eligible:
        return [0] * len(lines), list(lines)
    columns = list(zip(*(s.stock for s in eligible), strict=True))
    target = [
        min(need, sum(columns[variant]) if split_lines else max(columns[variant]))
        for variant, need in zip(shape.line_variant, shape.quantity, strict=True)
    ]
    if not split_lines and not shape.repeats:
        return target, list(lines)
    able = [
        sum(map(need.__le__, columns[variant]))  # locations with stock >= need
        for variant, need in zip(shape.line_variant, shape.quantity, strict=True)
    ]
    return target, sorted(lines, key=lambda line: (able[line], line))
