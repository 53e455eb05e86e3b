"""The rules that bind each person alone, and plans solved person by person.

When every place is soft (short or extra has a price, none is required), no team needs a
skill mix and nobody is kept ``apart``, no hard rule links two people: a roster obeys the
rules exactly when each person's schedule does. People then interact only through the
price of the places they share, and the first stage, if it is a sum over people given the
others (coverage, wishes, history), can be improved one person at a time: fix everyone
else, price each place by what one more person there changes in cost, and re-solve that
person's schedule exactly with a small model of their rules alone (coordinate descent).

Over long periods (Curtois-Qu 21-24: 100-150 people, a year) the whole model takes longer
to build and presolve than a minute allows, while each person's model takes milliseconds.
The descent's roster then either stands alone or is the whole model's first roster.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Protocol

from ortools.sat.python import cp_model

from roster.model import Assignment, Plan, Roster, Soft, Staff, Wish
from solvers.cpsat import constraints, sequences
from solvers.cpsat.objective import Term, Terms
from solvers.cpsat.variables import Layout, Variables, create_variables

PERSON_DATES_MIN = 5000
"""Person-dates beyond which a solve starts with the descent (person by person) straight
away, where ``applies``; below, column generation first, and the descent only where its
rounds are slow (``columns.ROUNDS``). Curtois-Qu 20 (50 people, 182 days): 28488 from the
whole model alone, 14707 after a descent."""
FIRST_SECONDS = 0.2
"""The search for one person's cheap schedule in the first roster."""
PRICED_MISSES = 3
"""People the first roster's priced search finds no schedule for before it is dropped."""
PLAIN_SECONDS = 1.0
"""Each plain search by date for any schedule of one person (see ``Descent.plain``)."""
SWEEP_SECONDS = 1.0
"""The search for one person's better schedule in a sweep."""
SEPARABLE = frozenset({"coverage", "wishes", "history"})
"""Terms that are a sum over people once the others' schedules are fixed."""


class Budget(Protocol):
    """The solve's clock (``solver._Run``). With one worker it counts CP-SAT's deterministic
    time, so that the same inputs and seed give the same roster however busy the machine is
    (SPEC §6); with more, seconds."""

    def remaining(self) -> float: ...

    def interrupted(self) -> bool: ...

    def seconds(self, seconds: float) -> float:
        """``seconds`` of the time limit in the budget's unit."""
        ...

    def solver(self, limit: float, workers: int | None = None) -> cp_model.CpSolver:
        """A CP-SAT solver for ``limit`` of the budget."""
        ...

    def run(
        self,
        solver: cp_model.CpSolver,
        cp: cp_model.CpModel,
        watcher: cp_model.CpSolverSolutionCallback | None,
    ) -> cp_model.CpSolverStatus:
        """Solve, counting what the solve spent."""
        ...


def add_personal_rules(
    cp: cp_model.CpModel,
    v: Variables,
    plan: Plan,
    staff: Staff,
    *,
    enforce: constraints.Enforce | None = None,
    automaton: bool | None = None,
) -> None:
    """The hard rules that bind each person alone (§3.4, §3.6, §2.3, pins), in SPEC order.

    ``automaton``: the formulation of runs of days (see ``sequences``).
    """
    constraints.add_one_place_at_a_time(cp, v)
    constraints.add_daily_hours(cp, v, enforce=enforce)
    constraints.add_consecutive_hours(cp, v, enforce=enforce)
    constraints.add_rest_between_dates(cp, v, enforce=enforce)
    constraints.add_total_hours(cp, v, enforce=enforce)
    sequences.add_sequence_rules(cp, v, plan, automaton=automaton)
    sequences.add_block_limits(cp, v, plan)
    sequences.add_forbidden_successions(cp, v, plan)
    constraints.add_pins(cp, v, plan, staff, enforce=enforce)


def sum_terms(terms: list[Term]) -> tuple[Term, list[int]]:
    """Terms added in the finest unit all their scales are whole multiples of.

    So a summed stage adds each term's reported value (coverage cost, wish weight, hours)
    exactly; also returns each term's factor in that unit.
    """
    if len(terms) == 1:
        return terms[0], [1]
    scales = [Fraction(t.scale).limit_denominator(10**6) for t in terms]
    unit = Fraction(
        math.gcd(*(s.numerator for s in scales)), math.lcm(*(s.denominator for s in scales))
    )
    factors = [int(s / unit) for s in scales]
    upper = sum(f * t.upper for f, t in zip(factors, terms, strict=True))
    if upper > 2**50:  # units too far apart to add exactly: the raw sum, as a last resort
        return Term(sum(t.expr for t in terms), 1.0, sum(t.upper for t in terms)), [1] * len(terms)
    expr = sum(f * t.expr for f, t in zip(factors, terms, strict=True))
    return Term(expr, float(unit), upper), factors


def applies(plan: Plan, staff: Staff, stage: tuple[str, ...]) -> bool:
    """Whether only soft places link people, and the stage sums over people given the others."""
    if not set(stage) <= SEPARABLE or "coverage" not in stage or plan.apart:
        return False
    if any(len(staff.find(pin.staff)) != 1 for pin in plan.pins):
        return False  # the whole model reports the pin that names nobody
    for post in plan.posts:
        if post.at_least:  # a team with anyone in it needs its skill mix: links people
            return False
        if post.soft is None:
            soft_at = {slot for slot, _ in post.soft_at}
            if any((date, block) not in soft_at for date in plan.dates for block in post.blocks):
                return False
    return True


@dataclass(slots=True)
class PersonModel:
    """One person's model of their own rules, and their schedule in the current roster."""

    cp: cp_model.CpModel
    x: dict[int, cp_model.IntVar]  # demand → variable
    others: list[Term]  # the stage's terms other than coverage, for this person alone
    held: frozenset[int] | None = None  # demands held now; None before the first roster
    own: int = 0  # the other terms' value for ``held``, in the stage's unit

    def found(self, value: Callable[[cp_model.IntVar], int]) -> frozenset[int]:
        """The demands held in a solution of ``cp`` (``value``: a solver's or a callback's)."""
        return frozenset(d for d, var in self.x.items() if value(var))


@dataclass(slots=True)
class Descent:
    """Coordinate descent over people for a plan where only soft places link them."""

    plan: Plan
    staff: Staff
    layout: Layout
    stage: tuple[str, ...]
    history: Roster | None = None
    people: list[PersonModel] = field(default_factory=list)
    prices: list[Soft] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    factors: list[int] = field(default_factory=list)  # coverage first, then the others
    unit: float = 1.0
    build_seconds: float = 0.0
    sweeps: int = 0

    _wishes: list[list[Wish]] = field(default_factory=list)  # per person
    _automaton: bool = False
    _built: threading.Condition = field(default_factory=threading.Condition)
    _failure: BaseException | None = None

    def __post_init__(self) -> None:
        start = time.monotonic()
        for demand in self.layout.demands:
            soft = demand.post.soft_on(demand.date, demand.block)
            assert soft is not None  # ``applies`` said so
            self.prices.append(soft)
        self.counts = [0] * len(self.layout.demands)
        self._wishes = [[] for _ in self.staff.people]
        for wish in self.staff.wishes:
            matches = self.staff.find(wish.staff)
            if len(matches) == 1:
                self._wishes[self.staff.people.index(matches[0])].append(wish)
        # Each person's runs as the whole model would have them: one person's year fits an
        # automaton, but alone with it CP-SAT took seconds to find any schedule of
        # Curtois-Qu 21 (tight total hours), against 0.05 s with the clauses.
        self._automaton = sequences.uses_automaton(
            self.plan, [self.plan.rules_for(person) for person in self.staff.people]
        )
        if self.staff.people:
            self.people.append(self._model(0))
        # The stage's unit and factors depend only on the terms' scales (coverage's is 1).
        others = self.people[0].others if self.people else []
        summed, self.factors = sum_terms([Term(0, 1.0, 0), *others])
        self.unit = summed.scale
        self.build_seconds = time.monotonic() - start

    def _model(self, p: int) -> PersonModel:
        """Person ``p``'s model of their own rules."""
        person = self.staff.people[p]
        alone = Staff((person,), tuple(self._wishes[p]), self.staff.source)
        pins = tuple(pin for pin in self.plan.pins if self.staff.find(pin.staff) == [person])
        plan = replace(self.plan, pins=pins) if pins != self.plan.pins else self.plan
        cp = cp_model.CpModel()
        v = create_variables(cp, plan, alone, self.layout)
        add_personal_rules(cp, v, plan, alone, automaton=self._automaton)
        terms = Terms(cp, v, plan, alone, history=self.history)
        others = [terms.build(name) for name in self.stage if name != "coverage"]
        return PersonModel(cp, {d: var for d, var in v.by_person.get(0, [])}, others)

    def build(self, stop: threading.Event | None = None) -> None:
        """The models of everyone not built yet, in order (``stop``: the rest are left)."""
        start = time.monotonic()
        try:
            for p in range(len(self.people), len(self.staff.people)):
                if stop is not None and stop.is_set():
                    return
                person = self._model(p)
                with self._built:
                    self.people.append(person)
                    self._built.notify_all()
        except BaseException as failure:  # reported by ``first``, in its own thread
            self._failure = failure
        finally:
            self.build_seconds += time.monotonic() - start
            with self._built:
                self._built.notify_all()

    def _wait_for(self, p: int, budget: Budget, building: threading.Thread) -> bool:
        """Whether person ``p``'s model is built before the budget is spent. (With one
        worker the build's pace does not count: waiting spends no deterministic time.)"""
        with self._built:
            while len(self.people) <= p and building.is_alive():
                if self.stopped(budget):
                    return False
                self._built.wait(0.1)
        if self._failure is not None:
            raise self._failure
        return len(self.people) > p

    def cost(self, d: int, held: int) -> int:
        """The price of demand ``d`` held by ``held`` people."""
        size, soft = self.layout.sizes[d], self.prices[d]
        return soft.under * max(0, size - held) + soft.over * max(0, held - size)

    def value(self) -> float:
        """The stage's value for the current roster, in its reported unit."""
        cover = sum(self.cost(d, n) for d, n in enumerate(self.counts))
        return (self.factors[0] * cover + sum(p.own for p in self.people)) * self.unit

    def complete(self) -> bool:
        return len(self.people) == len(self.staff.people) and all(
            p.held is not None for p in self.people
        )

    def marginal(self, p: int) -> dict[int, int]:
        """What person ``p`` holding each of their demands adds to the cover's cost."""
        held = self.people[p].held or frozenset()
        price: dict[int, int] = {}
        for d in self.people[p].x:
            others = self.counts[d] - (d in held)
            price[d] = self.cost(d, others + 1) - self.cost(d, others)
        return price

    def search(
        self,
        p: int,
        budget: Budget,
        limit: float,
        price: dict[int, int],
        workers: int | None = None,
    ) -> tuple[frozenset[int], int] | None:
        """Person ``p``'s best schedule with their places priced at ``price``, searched from
        their schedule: the places and their other terms' value; ``None`` if none found.

        Reads nothing but ``p``'s own model, so searches of different people may run at
        once (``workers``: CP-SAT's for this search)."""
        person = self.people[p]
        held = person.held or frozenset()
        cover = cp_model.LinearExpr.weighted_sum(list(person.x.values()), list(price.values()))
        expr = cp_model.LinearExpr.weighted_sum(
            [cover, *(t.expr for t in person.others)], self.factors
        )
        person.cp.minimize(expr)
        person.cp.clear_hints()
        for d, var in person.x.items():
            person.cp.add_hint(var, d in held)
        solver = self._solver(budget, limit, workers)
        # The full linear relaxation proves one person's knapsack of hours at once, where
        # the default one leaves it open for seconds (Curtois-Qu 13: 0.15 s instead of >10 s).
        solver.parameters.linearization_level = 2
        code = budget.run(solver, person.cp, None)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        chosen = person.found(solver.value)
        return chosen, round(solver.value(expr)) - self.factors[0] * sum(price[d] for d in chosen)

    def take_if_better(self, p: int, chosen: frozenset[int], own: int) -> bool:
        """Person ``p`` holds ``chosen`` from now on if that lowers the stage's value given
        everyone else as they are now (``own``: the schedule's other terms): taken?"""
        person = self.people[p]
        price = self.marginal(p)
        before = self.factors[0] * sum(price[d] for d in person.held or ()) + person.own
        after = self.factors[0] * sum(price[d] for d in chosen) + own
        if person.held is not None and after >= before:
            return False
        self.take(p, chosen, own)
        return True

    def plain(
        self, p: int, budget: Budget, price: dict[int, int], workers: int | None = None
    ) -> tuple[frozenset[int], int] | None:
        """Any schedule for person ``p`` within the budget, its places tried in the order of
        ``price``: the places and their other terms' value; ``None`` if none found.

        First a plain search by date, each date's places tried most wanted first (by their
        price given the others) and taken where the rules still allow, from the first date
        and then from the last, without presolve and then with it; CP-SAT's own search
        after. On a year with tight total hours (Curtois-Qu 22: 232-234 days of 364) the
        plain search finds one in 0.1-0.6 s, where CP-SAT's own took from 0.2 s to over 20 s.
        Reads nothing but ``p``'s own model (see ``search``).
        """
        person = self.people[p]
        person.cp.clear_objective()
        person.cp.clear_hints()
        dates = sorted({self.layout.demands[d].date for d in person.x})
        by_date: dict[dt.date, list[int]] = {date: [] for date in dates}
        for d in sorted(person.x, key=lambda d: (price[d], d)):
            by_date[self.layout.demands[d].date].append(d)
        forward = [d for date in dates for d in by_date[date]]
        backward = [d for date in reversed(dates) for d in by_date[date]]
        plain = [(forward, False), (backward, False), (forward, True), (backward, True)]
        for order, presolve in [*plain, (None, True)]:
            left = budget.remaining()
            if self.stopped(budget):
                return None
            limit = left if order is None else min(budget.seconds(PLAIN_SECONDS), left)
            solver = self._solver(budget, limit, workers)
            if order is not None:
                person.cp.add_decision_strategy(
                    [person.x[d] for d in order], cp_model.CHOOSE_FIRST, cp_model.SELECT_MAX_VALUE
                )
                solver.parameters.search_branching = cp_model.FIXED_SEARCH
                solver.parameters.num_workers = 1
                # No linear relaxation: it made each plain search twice as long. Presolve
                # took over half of what is left (24: 0.35 s a person, 0.15 s without),
                # but without it one person of 22 had no schedule from either end.
                solver.parameters.linearization_level = 0
                solver.parameters.cp_model_presolve = presolve
                solver.parameters.symmetry_level = 0
                solver.parameters.max_presolve_iterations = 1
            code = budget.run(solver, person.cp, None)
            person.cp.proto.search_strategy.clear()
            if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                chosen = person.found(solver.value)
                own = sum(
                    f * solver.value(t.expr)
                    for f, t in zip(self.factors[1:], person.others, strict=True)
                )
                return chosen, round(own)
        return None

    @staticmethod
    def _solver(budget: Budget, limit: float, workers: int | None = None) -> cp_model.CpSolver:
        """A solver for one person's model: to the end within ``limit``, CP-SAT's default
        portfolio of ``workers`` (by default the solve's), quietly."""
        solver = budget.solver(limit, workers)
        solver.parameters.relative_gap_limit = 0.0
        solver.parameters.log_search_progress = False
        solver.parameters.subsolvers.clear()
        return solver

    def take(self, p: int, chosen: frozenset[int], own: int) -> None:
        """Person ``p`` now holds ``chosen``; ``own``: their other terms' value."""
        person = self.people[p]
        for d in person.held or ():
            self.counts[d] -= 1
        for d in chosen:
            self.counts[d] += 1
        person.held = chosen
        person.own = own

    def first(self, budget: Budget, workers: int = 1) -> bool:
        """A first roster, person by person, each priced by those before: complete?

        Each person gets a short search for a cheap schedule given the people before, until
        that search has found none for ``PRICED_MISSES`` people; from then on, and for
        anyone it missed, any schedule (see ``plain``). Curtois-Qu 21: 40956 at 60 s
        with the priced searches, 72033 with plain ones alone; 22-24 (tight years): the
        priced search rarely finds one, plain ones find one in 0.1-0.5 s. The people's
        models are built meanwhile, in a second thread (CP-SAT leaves Python free while it
        searches; Curtois-Qu 24's 150 models take over 20 s). With ``workers`` > 1 that
        many people are searched at once (see ``run``), each priced by those placed when
        their search began.
        """
        stop = threading.Event()
        building = threading.Thread(target=self.build, args=(stop,), daemon=True)
        building.start()
        one = 1 if workers > 1 else None  # CP-SAT's workers for each search
        misses = 0

        def place(p: int, priced: bool, search: Future[tuple[frozenset[int], int] | None]) -> bool:
            nonlocal misses
            found = search.result()
            if found is None and priced:
                misses += 1
                found = self.plain(p, budget, self.marginal(p), one)
            if found is not None:
                self.take(p, *found)
            return found is not None

        try:
            with ThreadPoolExecutor(workers) as pool:
                searches: deque[tuple[int, bool, Future[tuple[frozenset[int], int] | None]]]
                searches = deque()
                for p in range(len(self.staff.people)):
                    if self.stopped(budget) or not self._wait_for(p, budget, building):
                        return False
                    price, priced = self.marginal(p), misses < PRICED_MISSES
                    if priced:
                        limit = min(budget.seconds(FIRST_SECONDS), budget.remaining())
                        search = pool.submit(self.search, p, budget, limit, price, one)
                    else:
                        search = pool.submit(self.plain, p, budget, price, one)
                    searches.append((p, priced, search))
                    if len(searches) >= workers and not place(*searches.popleft()):
                        return False
                while searches:
                    if not place(*searches.popleft()):
                        return False
        finally:
            stop.set()
            building.join()
        self.sweeps = 1
        return True

    def run(
        self, budget: Budget, report: Callable[[float], None] | None = None, workers: int = 1
    ) -> None:
        """Sweep over people, from the first roster, until a sweep changes nobody or the
        budget is spent.

        With ``workers`` > 1 that many people are searched at once, each with one CP-SAT
        worker, priced by the roster as it was when their search began; a schedule found
        is taken only if it is still better given the others' changes meanwhile. One
        person's model is too small for CP-SAT's workers to share: with two people at once
        instead of one with two workers, Curtois-Qu 20 ends at 8064 instead of 13059 in
        60 s, 22 at 57473 instead of 94085."""
        one = 1 if workers > 1 else None  # CP-SAT's workers for each search
        with ThreadPoolExecutor(workers) as pool:
            while not self.stopped(budget):
                changed = False
                searches: deque[tuple[int, Future[tuple[frozenset[int], int] | None]]] = deque()
                for p in range(len(self.people)):
                    if self.stopped(budget):
                        break
                    limit = min(budget.seconds(SWEEP_SECONDS), budget.remaining())
                    price = self.marginal(p)
                    searches.append((p, pool.submit(self.search, p, budget, limit, price, one)))
                    if len(searches) >= workers:
                        changed |= self._settle(*searches.popleft())
                while searches:
                    changed |= self._settle(*searches.popleft())
                self.sweeps += 1
                if report is not None and changed:
                    report(self.value())
                if not changed:
                    break

    def _settle(self, p: int, search: Future[tuple[frozenset[int], int] | None]) -> bool:
        """Take what person ``p``'s search found, if it is still better: taken?"""
        found = search.result()
        return found is not None and self.take_if_better(p, *found)

    @staticmethod
    def stopped(budget: Budget) -> bool:
        return budget.remaining() <= 0 or budget.interrupted()

    def variables(self) -> int:
        return sum(len(person.x) for person in self.people)

    def chosen(self) -> set[tuple[int, int]]:
        """The current roster as (person, demand) pairs."""
        return {(p, d) for p, person in enumerate(self.people) for d in person.held or ()}

    def roster(self) -> Roster:
        """The current roster (every place is soft: no unfilled places to list)."""
        assignments = []
        for d, demand in enumerate(self.layout.demands):
            for p, person in enumerate(self.people):
                if person.held is not None and d in person.held:
                    who = self.staff.people[p]
                    assignments.append(
                        Assignment(demand.date, demand.block, demand.post.id, demand.team,
                                   who.id, who.unit)
                    )  # fmt: skip
        return Roster(tuple(assignments))
