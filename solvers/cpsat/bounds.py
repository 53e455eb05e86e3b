"""A lower bound on evenness that CP-SAT's own relaxation does not reach (SPEC §4).

Once the largest burden is fixed, each person can only hold one of a few *duty sets*: sets
of their duties no two of which overlap in time, whose burden fits under the cap. Choosing
one set per person, fractionally, with every hard place filled, is a relaxation of every
roster (Dantzig-Wolfe on the people); its linear programme prices each person at the
convex hull of their sets' squared burdens, where CP-SAT's relaxation of the same stage
only sees chords of x² and the rounding of single duties. On the sample bureau this LP
proves the best roster optimal, while CP-SAT's bound stays 2% below it. The same LP with
a cap too low is infeasible, which proves the largest burden too.

The LP is solved with GLOP. Its value, rounded up with a margin for floating point, is the
stage's proven bound (CP-SAT stops once a roster is close enough to it), and its solution
guides the stage's first search (``solver._Run.guided``).
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from solvers.cpsat.variables import Variables

SETS_PER_PERSON = 2_000  # beyond this, a person is priced by chords as in the model
SETS_TOTAL = 300_000  # beyond this, the LP is not worth building (×20 sample: 220,000, 7 s)

Item = tuple[int, int, int, int]
"""A burdened duty of one person: (start, end, burden units, variable index)."""


def duty_sets(items: list[Item], cap: int, limit: int = SETS_PER_PERSON) -> list[list[Item]] | None:
    """Every set of ``items`` no two of which overlap, with burden at most ``cap``.

    The empty set included; ``None`` when there are more than ``limit``.
    """
    items = sorted(items)
    found: list[list[Item]] = []
    chosen: list[Item] = []

    def extend(first: int, burden: int, free_from: int) -> bool:
        found.append(list(chosen))
        if len(found) > limit:
            return False
        for i in range(first, len(items)):
            item = items[i]
            # Sorted by start: a set is pairwise disjoint when each starts after the last.
            if item[0] >= free_from and burden + item[2] <= cap:
                chosen.append(item)
                complete = extend(i + 1, burden + item[2], item[1])
                chosen.pop()
                if not complete:
                    return False
        return True

    return found if extend(0, 0, -(2**62)) else None


@dataclass(frozen=True, slots=True)
class Relaxation:
    """The relaxation's optimum: a proven bound, and each x variable's value (by index)."""

    bound: int
    values: dict[int, float]


def evenness_relaxation(
    v: Variables, unit: int, cap: int, time_limit: float | None = None
) -> Relaxation | None:
    """A proven lower bound on Σ burden² (in units²) when nobody carries more than ``cap``.

    ``unit`` is the burden unit of the objective (hundredths of an hour of burden per
    unit). ``None`` when the relaxation is too large to build or GLOP does not solve it
    (within ``time_limit`` seconds, if given).
    """
    solved = _solve(v, unit, cap, time_limit)
    if solved is None or solved[0] != pywraplp.Solver.OPTIMAL:
        return None
    _, lp, x = solved
    value = lp.Objective().Value()
    bound = math.ceil(value - 1e-6 * max(1.0, abs(value)))  # the integer optimum is at least
    return Relaxation(bound, {index: column.solution_value() for index, column in x.items()})


def largest_burden_floor(
    v: Variables,
    unit: int,
    low: int,
    high: int,
    time_limit: float | None = None,
    sets_total: int = SETS_TOTAL,
) -> int:
    """A cap in ``[low, high]`` every smaller one of which the relaxation rules out.

    No roster keeps everyone at or below a cap whose relaxation is infeasible, and a cap
    ruled out rules out every smaller one: binary search, which treats a cap too large to
    relax like a feasible one. ``high`` is a cap some roster meets. On the sample bureau
    this proves the largest burden of 12 in 0.2 s, where CP-SAT's relaxation says 10.
    Stops early (with what is proven) when the time is up. ``sets_total`` caps each LP's
    size (a cap too large to relax costs the enumeration up to it).
    """
    deadline = time.monotonic() + time_limit if time_limit is not None else math.inf
    while low < high:  # every cap below ``low`` is ruled out
        left = deadline - time.monotonic()
        if left <= 0:
            break
        mid = (low + high) // 2
        solved = _solve(v, unit, mid, left if time_limit is not None else None, sets_total)
        if solved is not None and solved[0] == pywraplp.Solver.INFEASIBLE:
            low = mid + 1
        else:  # feasible, or too large to tell: look below it
            high = mid
    return low


def _solve(
    v: Variables, unit: int, cap: int, time_limit: float | None, sets_total: int = SETS_TOTAL
) -> tuple[int, pywraplp.Solver, dict[int, pywraplp.Variable]] | None:
    """Build and solve the duty-set LP under ``cap``: GLOP's status, the LP and its x.

    ``None`` when it is too large to build.
    """
    people: dict[int, list[Item]] = {}
    for p, duties in v.by_person.items():
        items = []
        for d, var in duties:
            burden = v.duties[d].burden // unit
            if burden > 0:
                items.append((v.duties[d].start, v.duties[d].end, burden, var.index))
        if items:
            people[p] = items
    sets: dict[int, list[list[Item]] | None] = {}
    total = 0
    for p, items in people.items():
        sets[p] = duty_sets(items, cap)
        total += len(sets[p] or ())
        if total > sets_total:
            return None

    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return None
    x = {var.index: lp.NumVar(0, 1, "") for var in v.x.values()}
    objective = lp.Objective()
    for d, members in v.by_demand.items():
        if d in v.shortfall:  # a soft post (or a partial roster) may leave places open
            continue
        row = lp.Constraint(v.demands[d].size, v.demands[d].size)
        for _, var in members:
            row.SetCoefficient(x[var.index], 1)
    for p, items in people.items():
        choices = sets[p]
        square = _by_sets(lp, x, items, choices) if choices else _by_chords(lp, x, items, cap)
        objective.SetCoefficient(square, 1)
    objective.SetMinimization()
    if time_limit is not None:
        lp.SetTimeLimit(max(1, round(time_limit * 1000)))
    return lp.Solve(), lp, x


def _by_sets(
    lp: pywraplp.Solver, x: dict[int, pywraplp.Variable], items: list[Item], sets: list[list[Item]]
) -> pywraplp.Variable:
    """The person holds one set (fractionally); the square is that set's."""
    square = lp.NumVar(0, lp.infinity(), "")
    one = lp.Constraint(1, 1)
    price = lp.Constraint(0, 0)  # square = Σ (set's burden)² · chosen
    price.SetCoefficient(square, 1)
    links = {index: lp.Constraint(0, 0) for _, _, _, index in items}
    for index, row in links.items():
        row.SetCoefficient(x[index], 1)  # x = Σ chosen sets that hold it
    for members in sets:
        chosen = lp.NumVar(0, 1, "")
        one.SetCoefficient(chosen, 1)
        price.SetCoefficient(chosen, -(sum(burden for _, _, burden, _ in members) ** 2))
        for _, _, _, index in members:
            links[index].SetCoefficient(chosen, -1)
    return square


def _by_chords(
    lp: pywraplp.Solver, x: dict[int, pywraplp.Variable], items: list[Item], cap: int
) -> pywraplp.Variable:
    """Too many sets: chords of b² between the burdens the person can reach, and a cut."""
    square = lp.NumVar(0, lp.infinity(), "")
    sums = 1  # bit k set: burden k is reachable
    for _, _, burden, _ in items:
        sums |= (sums << burden) & ((1 << (cap + 1)) - 1)
    reachable = [k for k in range(cap + 1) if sums >> k & 1]
    burden_row = lp.Constraint(0, reachable[-1])
    for _, _, burden, index in items:
        burden_row.SetCoefficient(x[index], burden)
    for a, b in itertools.pairwise(reachable):  # square >= (a + b)·burden - a·b
        row = lp.Constraint(-a * b, lp.infinity())
        row.SetCoefficient(square, 1)
        for _, _, burden, index in items:
            row.SetCoefficient(x[index], -(a + b) * burden)
    cut = lp.Constraint(0, lp.infinity())  # square >= Σ c²·x
    cut.SetCoefficient(square, 1)
    for _, _, burden, index in items:
        cut.SetCoefficient(x[index], -burden * burden)
    return square
