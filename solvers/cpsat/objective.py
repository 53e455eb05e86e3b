"""Objective terms (SPEC §2.3, §4): each returns an integer expression and its unit scale.

Burden is counted in integer units: hundredths of an hour of burden divided by the
greatest common divisor of all duty burdens, so a plan of 4-hour blocks counts in whole
hours and the squares of the evenness stage stay small and exact.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from roster.model import Plan, Roster, Staff, WishKind
from solvers.cpsat.variables import Variables

Expr = cp_model.LinearExprT
CHORDS_MAX = 400  # beyond this many reachable burdens, evenness uses a product constraint


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
        top = self.model.NewIntVar(0, upper, "max_burden")
        for expr, _ in burdens.values():
            self.model.Add(expr <= top)
        return Term(top, self.hours_per_unit, upper)

    def evenness(self) -> Term:
        """Sum of squared burdens: with the total fixed, smallest when burden is even."""
        squares, upper_total = [], 0
        for p, (expr, upper) in self.burdens().items():
            if upper == 0:
                continue
            burden = self.model.NewIntVar(0, upper, f"b_p{p}")
            self.model.Add(burden == expr)
            square = self.model.NewIntVar(0, upper * upper, f"sq_p{p}")
            values = self.reachable(p)
            if len(values) <= CHORDS_MAX:
                # Chords of x² between consecutive burdens this person can reach: exact at
                # every reachable burden, linear, and a far tighter LP bound than x² itself
                # (nobody carries "half a night").
                for a, b in itertools.pairwise(values):
                    self.model.Add(square >= (a + b) * burden - a * b)
            else:
                self.model.AddMultiplicationEquality(square, [burden, burden])
            # (Σ c·x)² ≥ Σ c²·x for 0/1 x: a duty's square counts in full however the LP
            # splits it between people, which closes most of the relaxation's gap.
            self.model.Add(square >= sum((c * c) * var for c, var in self.coefficients(p)))
            squares.append(square)
            self.derived += [(burden, p, False), (square, p, True)]
            upper_total += upper * upper
        return Term(sum(squares), self.hours_per_unit**2, upper_total)

    def derived_values(self, solution: dict[int, int]) -> list[tuple[cp_model.IntVar, int]]:
        """Values of the auxiliary burden variables for a roster given by x's values."""
        values = []
        for var, p, squared in self.derived:
            burden = sum(c * solution[x.Index()] for c, x in self.coefficients(p))
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
        """Weighted wishes not met (a weight is worth a hundredth)."""
        index = {person.id: p for p, person in enumerate(self.v.people)}
        names = {b.name: b.id for b in self.plan.blocks}
        terms, upper = [], 0
        for wish in self.staff.wishes:
            p = index.get(wish.staff)
            if p is None:
                continue
            block = names.get(wish.block or "", wish.block)
            duties = [
                var
                for d, var in self.v.by_person.get(p, [])
                if self.v.demands[d].date == wish.date
                and (block is None or self.v.demands[d].block == block)
            ]
            weight = round(wish.weight * 100)
            upper += weight
            unmet = self.model.NewBoolVar("")
            if wish.kind is WishKind.AVOID:
                for var in duties:
                    self.model.AddImplication(var, unmet)
            else:
                self.model.Add(sum(duties) + unmet >= 1)
            terms.append(weight * unmet)
        return Term(sum(terms), 0.01, upper)

    def history_term(self) -> Term:
        """Burden given to those who carried the same kind of duty in earlier rosters.

        Each duty costs, for its holder, the hours they held in the same block in the
        history rosters (gala night again for last year's gala-night holders costs most).
        """
        past: dict[tuple[str, str], float] = {}
        if self.history is not None:
            for a in self.history.filled:
                assert a.staff_id is not None
                past[a.staff_id, a.block] = past.get((a.staff_id, a.block), 0) + 1
        terms, upper = [], 0
        for (p, d), var in self.v.x.items():
            demand = self.v.demands[d]
            cost = past.get((self.v.people[p].id, demand.block), 0)
            if cost:
                weight = round(cost * self.v.duties[d].burden / self.burdens_unit())
                terms.append(weight * var)
                upper += weight
        return Term(sum(terms), self.hours_per_unit, upper)

    def burdens_unit(self) -> int:
        self.burdens()
        return self._unit

    def changes(self) -> Term:
        """Duties of the previous roster that a person no longer holds (for repair)."""
        if self.previous is None:
            return Term(0, 1.0, 0)
        keys = {
            (d.post.id, d.unit, d.date, d.block, d.team): i for i, d in enumerate(self.v.demands)
        }
        index = {person.id: p for p, person in enumerate(self.v.people)}
        kept = []
        for a in self.previous.filled:
            p = index.get(a.staff_id or "")
            unit = a.unit if self.plan_post_is_per_unit(a.post) else None
            d = keys.get((a.post, unit, a.date, a.block, a.team))
            if p is not None and d is not None and (p, d) in self.v.x:
                kept.append(self.v.x[p, d])
        total = len(self.previous.filled)
        return Term(total - sum(kept), 1.0, total)

    def plan_post_is_per_unit(self, post_id: str) -> bool:
        return any(post.id == post_id and post.per_unit is not None for post in self.plan.posts)
