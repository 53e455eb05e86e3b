"""Objective terms (SPEC §2.3, §4): each returns an integer expression and its unit scale.

Burden is counted in integer units: hundredths of an hour of burden divided by the
greatest common divisor of all duty burdens, so a plan of 4-hour blocks counts in whole
hours and the squares of the evenness stage stay small and exact.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from roster.history import exposures, window_hours
from roster.model import Plan, Roster, Staff, WishKind
from solvers.cpsat.variables import Variables

Expr = cp_model.LinearExprT
CHORDS_MAX = 400  # beyond this many reachable burdens, evenness uses a product constraint
HISTORY_BURDEN_WEIGHT = 0.1  # earlier burden overall, against unsocial hours in the same window


@dataclass(frozen=True, slots=True)
class Term:
    """An integer objective expression; ``scale`` converts it to the reported value."""

    expr: Expr
    scale: float
    upper: int  # an upper bound on expr, for stage bounds


@dataclass(slots=True)
class Terms:
    """Builds the objective terms lazily, so a plan only pays for the stages it uses."""

    model: cp_model.CpModel
    v: Variables
    plan: Plan
    staff: Staff
    history: Roster | None = None
    previous: Roster | None = None
    fixed: frozenset[tuple[str, str, dt.date, str, int]] = frozenset()
    _burden: dict[int, tuple[Expr, int]] | None = None
    _unit: int = 1
    derived: list[tuple[cp_model.IntVar, int, bool]] = field(default_factory=list)
    """Auxiliary (variable, person, squared?) to hint from a roster: its burden or square."""

    def build(self, name: str) -> Term:
        builders: Mapping[str, Callable[[], Term]] = {
            "coverage": self.coverage,
            "max_burden": self.max_burden,
            "evenness": self.evenness,
            "wishes": self.wishes,
            "history": self.history_term,
            "changes": self.changes,
        }
        return builders[name]()

    def burdens(self) -> dict[int, tuple[Expr, int]]:
        """Each person's burden expression (in burden units) and its largest value."""
        if self._burden is None:
            weights = [duty.burden for duty in self.v.duties if duty.burden > 0]
            self._unit = math.gcd(*weights) if weights else 1
            self._burden = {}
            for p, duties in self.v.by_person.items():
                coefs = [(self.v.duties[d].burden // self._unit, var) for d, var in duties]
                upper = sum(c for c, _ in coefs)
                self._burden[p] = (sum(c * var for c, var in coefs), upper)
        return self._burden

    @property
    def hours_per_unit(self) -> float:
        self.burdens()
        return self._unit / 100

    def coverage(self) -> Term:
        """Soft posts' (and a partial roster's) places short or extra, at their cost."""
        terms, upper = [], 0
        for d, under in self.v.shortfall.items():
            demand = self.v.demands[d]
            soft = demand.post.soft_on(demand.date, demand.block)
            cost = soft.under if soft is not None else 1
            terms.append(cost * under)
            upper += cost * demand.size
        for d, over in self.v.excess.items():
            demand = self.v.demands[d]
            soft = demand.post.soft_on(demand.date, demand.block)
            assert soft is not None
            members = len(self.v.by_demand.get(d, []))
            terms.append(soft.over * over)
            upper += soft.over * members
        return Term(sum(terms), 1.0, upper)

    def max_burden(self) -> Term:
        """The largest weighted burden anyone carries."""
        burdens = self.burdens()
        upper = max((u for _, u in burdens.values()), default=0)
        top = self.model.new_int_var(0, upper, "max_burden")
        for expr, _ in burdens.values():
            self.model.add(expr <= top)
        return Term(top, self.hours_per_unit, upper)

    def evenness(self) -> Term:
        """Sum of squared burdens: with the total fixed, smallest when burden is even."""
        squares, upper_total = [], 0
        for p, (expr, upper) in self.burdens().items():
            if upper == 0:
                continue
            burden = self.model.new_int_var(0, upper, f"b_p{p}")
            self.model.add(burden == expr)
            square = self.model.new_int_var(0, upper * upper, f"sq_p{p}")
            values = self.reachable(p)
            if len(values) <= CHORDS_MAX:
                # Chords of x² between consecutive burdens this person can reach: exact at
                # every reachable burden, linear, and a far tighter LP bound than x² itself
                # (nobody carries "half a night").
                for a, b in itertools.pairwise(values):
                    self.model.add(square >= (a + b) * burden - a * b)
            else:
                self.model.add_multiplication_equality(square, [burden, burden])
            # (Σ c·x)² ≥ Σ c²·x for 0/1 x: a duty's square counts in full however the LP
            # splits it between people, which closes most of the relaxation's gap.
            self.model.add(square >= sum((c * c) * var for c, var in self.coefficients(p)))
            squares.append(square)
            self.derived += [(burden, p, False), (square, p, True)]
            upper_total += upper * upper
        return Term(sum(squares), self.hours_per_unit**2, upper_total)

    def derived_values(self, solution: dict[int, int]) -> list[tuple[cp_model.IntVar, int]]:
        """Values of the auxiliary burden variables for a roster given by x's values."""
        values = []
        for var, p, squared in self.derived:
            burden = sum(c * solution[x.index] for c, x in self.coefficients(p))
            values.append((var, burden * burden if squared else burden))
        return values

    def coefficients(self, p: int) -> list[tuple[int, cp_model.IntVar]]:
        """The person's duties' burdens in units, with their variables."""
        unit = self.burdens_unit()
        return [(self.v.duties[d].burden // unit, var) for d, var in self.v.by_person.get(p, [])]

    def reachable(self, p: int) -> list[int]:
        """Every burden (in units) some set of this person's possible duties adds up to."""
        sums = 1  # bit k set: burden k is reachable
        for d, _ in self.v.by_person.get(p, []):
            sums |= sums << (self.v.duties[d].burden // self._unit)
        return [k for k in range(sums.bit_length()) if sums >> k & 1]

    def wishes(self) -> Term:
        """Weighted wishes not met, counted in whole weights where every weight is whole.

        Otherwise in tenths or hundredths of a weight (a weight is rounded to a hundredth),
        so a stage summing wishes with integer penalties stays an exact integer sum.
        """
        per = wish_units(w.weight for w in self.staff.wishes)
        names = {b.name: b.id for b in self.plan.blocks}
        index = {person.id: p for p, person in enumerate(self.v.people)}
        on_date: dict[tuple[int, dt.date], list[tuple[str, cp_model.IntVar]]] = {}
        for p, possible in self.v.by_person.items():
            for d, var in possible:
                demand = self.v.demands[d]
                on_date.setdefault((p, demand.date), []).append((demand.block, var))
        terms: list[Expr] = []
        upper = 0
        dates = set(self.plan.dates)
        for wish in self.staff.wishes:
            matches = self.staff.find(wish.staff)
            if len(matches) != 1 or wish.date not in dates:
                continue  # names nobody, or another period: the same for every roster
            p = index[matches[0].id]
            block = names.get(wish.block or "", wish.block)
            duties = [
                var for b, var in on_date.get((p, wish.date), []) if block is None or b == block
            ]
            weight = round(wish.weight * per)
            upper += weight
            if len(duties) <= 1:  # no auxiliary variable needed
                held = duties[0] if duties else 0
                terms.append(weight * (held if wish.kind is WishKind.AVOID else 1 - held))
                continue
            unmet = self.model.new_bool_var("")
            if wish.kind is WishKind.AVOID:
                for var in duties:
                    self.model.add_implication(var, unmet)
            else:
                self.model.add(sum(duties) + unmet >= 1)
            terms.append(weight * unmet)
        return Term(sum(terms), 1 / per, upper)

    def history_term(self) -> Term:
        """Unsocial duty again for those who carried it in earlier rosters (SPEC §4).

        A duty costs its holder, for each window of a factor above 1 it falls in (night,
        gala night), its hours there times the holder's hours in the same window in the
        earlier rosters (both weighted by post weight; last year's 15 March counts as this
        year's, so last year's gala night weighs on this year's), plus a tenth of its burden
        times the holder's earlier burden. So, other things equal, last year's gala-night
        holders are spared it first, and those who carried most overall next. In tenths.
        """
        past = exposures(self.history, self.plan) if self.history is not None else {}
        index = {person.id: p for p, person in enumerate(self.v.people)}
        by_demand: dict[int, tuple[float, tuple[float, ...]]] = {}
        terms, upper = [], 0
        for staff_id, mine in past.items():
            p = index.get(staff_id)
            if p is None:
                continue
            for d, var in self.v.by_person.get(p, []):
                if d not in by_demand:
                    demand = self.v.demands[d]
                    hours = window_hours(self.plan, demand.date, demand.block)
                    by_demand[d] = (
                        self.v.duties[d].burden / 100,
                        tuple(h * demand.post.weight for h in hours),
                    )
                burden, windows = by_demand[d]
                cost = sum(now * before for now, before in zip(windows, mine.windows, strict=True))
                cost += HISTORY_BURDEN_WEIGHT * burden * mine.burden
                weight = round(cost * 10)
                if weight > 0:
                    terms.append(weight * var)
                    upper += weight
        return Term(sum(terms), 0.1, upper)

    def burdens_unit(self) -> int:
        self.burdens()
        return self._unit

    def changes(self) -> Term:
        """Duties of the previous roster that a person no longer holds (for repair).

        A duty is held while its person keeps the same post (unit part), date and block, in
        any team: renumbering teams is no change. A person gone from the staff, or a place
        gone from the plan, is a change that no roster avoids.
        """
        if self.previous is None:
            return Term(0, 1.0, 0)
        teams: dict[tuple[str, str | None, dt.date, str], list[int]] = {}
        for d, demand in enumerate(self.v.demands):
            key = (demand.post.id, demand.unit, demand.date, demand.block)
            teams.setdefault(key, []).append(d)
        index = {person.id: p for p, person in enumerate(self.v.people)}
        held: dict[tuple[int, tuple[str, str | None, dt.date, str]], None] = {}  # ordered
        for a in self.previous.filled:
            p = index.get(a.staff_id or "")
            if p is None:
                continue
            unit = (a.unit or self.v.people[p].unit) if self.plan_post_is_per_unit(a.post) else None
            held[p, (a.post, unit, a.date, a.block)] = None
        kept = []
        for p, key in held:
            places = [self.v.x[p, d] for d in teams.get(key, []) if (p, d) in self.v.x]
            if places:
                kept.append(sum(places))  # at most one of them: one place at a time
        total = len(self.previous.filled)
        return Term(total - sum(kept), 1.0, total)

    def plan_post_is_per_unit(self, post_id: str) -> bool:
        return any(post.id == post_id and post.per_unit is not None for post in self.plan.posts)


def wish_units(weights: Iterable[float]) -> int:
    """Units per wish weight: 1 when every weight is whole, else 10 or 100."""
    values = list(weights)
    for per in (1, 10):
        if all(abs(w * per - round(w * per)) < 1e-9 for w in values):
            return per
    return 100
