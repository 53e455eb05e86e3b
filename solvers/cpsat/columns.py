"""A bound and a guide for plans where only soft places link people: column generation.

Where ``persons.applies`` (every place soft, no team mix, nobody kept apart), a roster is
one schedule per person, each obeying that person's rules alone, and the first stage is
the price of the places short or extra plus each person's own terms (wishes, history).
Its Dantzig-Wolfe decomposition on people is the linear programme

    minimise   Σ_d under_d·short_d + over_d·extra_d + Σ_p Σ_s own_s·λ_ps
    subject to Σ_s λ_ps = 1                         for each person p
               Σ_{p,s ∋ d} λ_ps + short_d ≥ size_d    for each place d
               Σ_{p,s ∋ d} λ_ps − extra_d ≤ size_d
               λ, short, extra ≥ 0

over every schedule s each person may work. Schedules are generated as needed: the LP over
the schedules found so far gives each place a price, and each person's model of their own
rules (``persons.Descent``) finds their schedule of least reduced cost, exactly, with
CP-SAT. Any prices in the LP dual's box give a Lagrangian bound on every roster: Σ_d
size_d·π_d plus each person's cheapest schedule at those prices. Prices are smoothed
towards the best bound so far (Wentges), which brings the bound up sooner: on Curtois-Qu 8,
after 34 rounds, 1294.8 of the LP's 1296.6, against 1288.3 unsmoothed.

Where it converges, the bound is the published optimum or within a few units of it
(Curtois-Qu 8: 1297 of 1300; 10-12: the optimum; CP-SAT's own relaxation reaches 0 on 12).
The LP's solution also guides the search: its heaviest schedule per person is a roster
(each schedule obeys its person's rules and nothing else links people), and the places
the LP and that roster decide alike fix a neighbourhood CP-SAT searches first (RENS):
Curtois-Qu 10 and 11 are proven optimal there.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from solvers.cpsat.persons import Budget, Descent, PersonModel

SCALE = 2**16
"""Places' prices are rounded to 1/SCALE in each person's pricing model (CP-SAT's objective
is integral); the bound allows for that rounding."""
SMOOTHING = 0.5
"""Weight of the best-bound prices in the prices each person is priced at (0: the LP's)."""
PRICE_SECONDS = 2.0
"""At most this much of the time limit for one person's pricing."""
ROUNDS = 50
"""Rounds of pricing the budget must allow, at the first round's pace, to generate at all;
otherwise the descent (person by person) has the time instead. The first round, at no
prices, is the fastest: on Curtois-Qu 13 it takes 1.3 s and later rounds about 10 s. In
60 s: 13 (1.3 s a first round) 3773 by descent against 6002 by generation, 19 (0.7 s) 5655
against 7063, 18 (0.55 s) 6000 against 5800; 7, 8, 12 and 14-17 (0.13-0.42 s) do better
by generation (8 converges in 24 rounds, 12 in 29)."""
Tuning = tuple[int, bool]
"""CP-SAT's linearization level and presolve, for one person's pricing."""
TUNINGS: tuple[Tuning, ...] = ((1, False), (2, True))
"""Tried in turn in the first rounds; the faster is kept. The full linear relaxation proves a
person's knapsack of hours at once (see ``Descent.search``), and presolve pays over long
periods: in 20 s Curtois-Qu 16 (56 days) prices 22 rounds with it and 6 without, 17 8 and 2;
over 28 days it costs a third more (Curtois-Qu 7: 13 s to converge without, 18 s with)."""
EARLIER = 3
"""Schedules a pricing search found before its best, offered to the LP too when they improve
it: Curtois-Qu 8 converges in 24 rounds instead of 35, 12 in 29 (28 s) instead of over 34."""

Column = frozenset[int]
"""One person's schedule: the demands they hold."""


@dataclass(frozen=True, slots=True)
class Guide:
    """What column generation found: a proven bound, the LP's solution and a roster."""

    bound: int  # on the stage's term, in its unit (``Descent.unit``)
    value: float  # the LP's value over the schedules generated
    values: dict[tuple[int, int], float]  # (person, demand) → held in the LP, when > 0
    chosen: set[tuple[int, int]]  # the best roster of the LP's heaviest schedules
    iterations: int
    converged: bool  # the LP is optimal over every schedule: ``bound`` is its value


@dataclass(slots=True)
class _Priced:
    """One person's pricing: their cheapest schedule and a bound on its reduced cost."""

    column: Column | None
    own: int  # the schedule's own terms, in the stage's unit
    cost: float  # own − prices of the places it holds
    floor: float | None  # ≤ every schedule's own − prices; None when not proven
    optimal: bool = False  # ``column`` is the cheapest (the search was not cut short)
    earlier: list[tuple[Column, int]] = field(default_factory=list)  # the search's last few


class _Master:
    """The restricted master LP (GLOP), grown a column at a time."""

    def __init__(self, descent: Descent):
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        lp, layout, inf = self.lp, descent.layout, self.lp.infinity()
        self.convex = [lp.Constraint(1.0, 1.0) for _ in descent.people]
        self.low: list[pywraplp.Constraint] = []
        self.high: list[pywraplp.Constraint] = []
        objective = lp.Objective()
        for d, size in enumerate(layout.sizes):
            self.low.append(lp.Constraint(size, inf))
            self.high.append(lp.Constraint(-inf, size))
            short, extra = lp.NumVar(0, inf, ""), lp.NumVar(0, inf, "")
            self.low[d].SetCoefficient(short, 1)
            self.high[d].SetCoefficient(extra, -1)
            objective.SetCoefficient(short, descent.factors[0] * descent.prices[d].under)
            objective.SetCoefficient(extra, descent.factors[0] * descent.prices[d].over)
        objective.SetMinimization()
        self.columns: list[list[tuple[Column, int, pywraplp.Variable]]] = [
            [] for _ in descent.people
        ]
        self.known: list[set[Column]] = [set() for _ in descent.people]

    def add(self, p: int, column: Column, own: int) -> bool:
        """Offer person ``p`` the schedule ``column``: new?"""
        if column in self.known[p]:
            return False
        var = self.lp.NumVar(0, self.lp.infinity(), "")
        self.convex[p].SetCoefficient(var, 1)
        for d in column:
            self.low[d].SetCoefficient(var, 1)
            self.high[d].SetCoefficient(var, 1)
        self.lp.Objective().SetCoefficient(var, own)
        self.columns[p].append((column, own, var))
        self.known[p].add(column)
        return True

    def solve(self) -> tuple[float, list[float], list[float]] | None:
        """The LP's value, each place's price and each person's (convexity) dual."""
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        prices = [
            lo.dual_value() + hi.dual_value() for lo, hi in zip(self.low, self.high, strict=True)
        ]
        return self.lp.Objective().Value(), prices, [c.dual_value() for c in self.convex]

    def heaviest(self) -> list[tuple[Column, int]]:
        """Each person's schedule of most weight in the LP's solution, and its own terms."""
        rows = []
        for columns in self.columns:
            column, own, _ = max(columns, key=lambda c: c[2].solution_value())
            rows.append((column, own))
        return rows

    def values(self) -> dict[tuple[int, int], float]:
        """(person, demand) → how much the LP's solution holds it, where it does."""
        values: dict[tuple[int, int], float] = {}
        for p, columns in enumerate(self.columns):
            for column, _, var in columns:
                if (weight := var.solution_value()) > 0:
                    for d in column:
                        values[(p, d)] = values.get((p, d), 0.0) + weight
        return values


@dataclass(slots=True)
class ColumnGeneration:
    """Generate schedules until the LP is optimal over all of them, or the budget is spent."""

    descent: Descent  # every person's model built
    budget: Budget
    workers: int = 1
    report: Callable[[float, float], None] | None = None  # (roster's value, bound), unit'd
    _roster: list[tuple[Column, int]] = field(default_factory=list)  # the best so far
    _value: int | None = None  # its value, in the stage's unit

    def run(self, limit: float) -> Guide | None:
        """The bound and guide, spending at most ``limit`` of the budget; ``None`` when some
        person has no schedule at all (the whole model says why)."""
        master = _Master(self.descent)
        sizes = self.descent.layout.sizes
        reserve = self.budget.remaining() - limit  # left for what comes after
        with ThreadPoolExecutor(max(1, self.workers)) as pool:

            def price(prices: list[float], tuning: Tuning = TUNINGS[-1]) -> list[_Priced]:
                people = range(len(self.descent.people))
                return list(pool.map(lambda p: self._price(p, prices, reserve, tuning), people))

            # First schedules: each person's cheapest alone (their wishes, nothing priced).
            for p, priced in enumerate(price([0.0] * len(sizes))):
                if priced.column is None:
                    return None
                master.add(p, priced.column, priced.own)
            if (limit - (self.budget.remaining() - reserve)) * ROUNDS > limit:
                return None  # too slow to be worth it: the whole model has the time instead
            best, centre, iterations, alpha = -math.inf, list[float](), 0, 0.0
            took: list[float] = []  # the budget each round of pricing took
            fastest = TUNINGS[-1]
            while True:
                solved = master.solve()
                if solved is None:
                    return None
                value, lp_prices, convex = solved
                self._offer(master.heaviest(), best)
                if centre:
                    pairs = zip(centre, lp_prices, strict=True)
                    prices = [alpha * c + (1 - alpha) * q for c, q in pairs]
                else:
                    prices = lp_prices
                # The first rounds try each tuning in turn; the rest use the fastest.
                before = self.budget.remaining()
                priced_all = price(
                    prices, TUNINGS[iterations] if iterations < len(TUNINGS) else fastest
                )
                took.append(before - self.budget.remaining())
                if iterations + 1 == len(TUNINGS):
                    fastest = TUNINGS[min(range(len(TUNINGS)), key=took.__getitem__)]
                iterations += 1
                floor = sum(size * q for size, q in zip(sizes, prices, strict=True))
                added = 0
                for p, priced in enumerate(priced_all):
                    if priced.column is not None:
                        # Its reduced cost at the LP's prices: it improves the LP when < 0.
                        held = sum(lp_prices[d] for d in priced.column)
                        if priced.own - held - convex[p] < -1e-9:
                            added += master.add(p, priced.column, priced.own)
                        for column, own in priced.earlier:
                            if own - sum(lp_prices[d] for d in column) - convex[p] < -1e-9:
                                master.add(p, column, own)
                    floor = floor + priced.floor if priced.floor is not None else -math.inf
                if floor > best:
                    best, centre = floor, prices
                # At the LP's own prices, with every search complete, no new schedule means the
                # LP is optimal over all of them.
                exact = alpha == 0.0 and all(priced.optimal for priced in priced_all)
                converged = _ceil(best) >= _ceil(value) or (added == 0 and exact)
                stop = self.budget.remaining() <= reserve or self.budget.interrupted()
                if converged or stop:
                    master.solve()
                    self._offer(master.heaviest(), best)
                    bound = max(_ceil(best), _ceil(value)) if converged else _ceil(best)
                    return self._guide(master, bound, iterations, converged)
                # No new schedule at smoothed prices (mispricing): price at the LP's next.
                alpha = SMOOTHING if added else 0.0

    def _offer(self, roster: list[tuple[Column, int]], bound: float) -> None:
        """Keep ``roster`` (a schedule per person) if it is the best so far."""
        descent = self.descent
        held = [0] * len(descent.layout.demands)
        for column, _ in roster:
            for d in column:
                held[d] += 1
        cover = sum(descent.cost(d, n) for d, n in enumerate(held))
        value = descent.factors[0] * cover + sum(own for _, own in roster)
        if self._value is None or value < self._value:
            self._roster, self._value = roster, value
            if self.report is not None:
                self.report(value * descent.unit, max(bound, 0.0) * descent.unit)

    def _guide(self, master: _Master, bound: int, iterations: int, converged: bool) -> Guide:
        chosen = {(p, d) for p, (column, _) in enumerate(self._roster) for d in column}
        return Guide(bound, master.lp.Objective().Value(), master.values(), chosen,
                     iterations, converged)  # fmt: skip

    def _price(self, p: int, prices: list[float], reserve: float, tuning: Tuning) -> _Priced:
        """Person ``p``'s cheapest schedule at ``prices`` (own terms − the places' prices),
        searched for until ``reserve`` of the budget is left at most."""
        limit = self.budget.remaining() - reserve
        if limit <= 0:
            return _Priced(None, 0, 0.0, None)
        descent = self.descent
        person = descent.people[p]
        coefficients = [-round(SCALE * prices[d]) for d in person.x]
        own = cp_model.LinearExpr.weighted_sum([t.expr for t in person.others], descent.factors[1:])
        expr = cp_model.LinearExpr.weighted_sum(
            [cp_model.LinearExpr.weighted_sum(list(person.x.values()), coefficients), own],
            [1, SCALE],
        )
        person.cp.minimize(expr)
        person.cp.clear_hints()
        solver = self.budget.solver(min(self.budget.seconds(PRICE_SECONDS), limit), workers=1)
        parameters = solver.parameters
        parameters.relative_gap_limit = 0.0
        parameters.log_search_progress = False
        parameters.subsolvers.clear()
        parameters.linearization_level, parameters.cp_model_presolve = tuning
        found = _Schedules(person, own)
        code = self.budget.run(solver, person.cp, found)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return _Priced(None, 0, 0.0, None)
        column = person.found(solver.value)
        own_value = round(solver.value(own))
        cost = own_value - sum(prices[d] for d in column)
        # Each price was rounded by at most 1/(2·SCALE), for each place the person holds.
        floor = solver.best_objective_bound / SCALE - len(person.x) / (2 * SCALE)
        earlier = found.schedules[-1 - EARLIER : -1]
        optimal = code == cp_model.OPTIMAL
        return _Priced(column, own_value, cost, min(floor, cost), optimal, earlier)


class _Schedules(cp_model.CpSolverSolutionCallback):
    """Every schedule a pricing search finds on its way, with its own terms."""

    def __init__(self, person: PersonModel, own: cp_model.LinearExprT):
        super().__init__()
        self.person, self.own = person, own
        self.schedules: list[tuple[Column, int]] = []

    def on_solution_callback(self) -> None:
        column = self.person.found(self.value)
        self.schedules.append((column, round(self.value(self.own))))


def _ceil(value: float) -> int:
    """The least integer at least ``value``, allowing for floating point; 0 for no bound
    (each term a separable stage sums, coverage, wishes and history, is at least 0)."""
    if not math.isfinite(value):
        return 0
    return max(0, math.ceil(value - 1e-6 * max(1.0, abs(value))))
