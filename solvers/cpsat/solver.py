"""Build the CP-SAT model and solve its lexicographic stages."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from roster.model import Assignment, Plan, Roster, Staff
from roster.result import Result, SolverParams, StageResult, Status
from solvers.cpsat import bounds, columns, constraints, persons
from solvers.cpsat.objective import Term, Terms
from solvers.cpsat.variables import Layout, Variables, create_variables, layout_of

DETERMINISTIC_PER_SECOND = 0.33
"""With one worker, CP-SAT's deterministic time budgeted per second of the time limit: one
worker on this project's 2-core machine does 0.3-0.35 of it per second while searching
(0.2-0.25 in short solves, where presolve dominates) and 0.1-0.2 with every core busy. At
0.25 the ×20 sample found no roster in a 60 s limit (it needs about 13 s of search)."""
WALL_SLACK = 3
"""With one worker, the wall clock stops a solve only at this many times the time limit, so
that a busy machine changes how long a solve takes, not which roster it returns."""
PRICE_MINIMUM = 1.0
"""Budget for pricing a roster exactly even when the time is up: the duties are fixed, so
presolve alone answers."""
WHOLE_MODEL_BUILDS = 3
"""Time for the whole model, in builds of the people's models, worth building it for."""
BUILD_SECONDS_PER_VARIABLE = 25e-6
"""A person's model's build time per variable on this project's machine (Curtois-Qu 13-22:
17-26 µs), for the choices that must not depend on the machine's load."""
COLUMNS_SHARE = 0.5
"""At most this share of the time for column generation, where only soft places link people
(``columns``); the whole model's search has the rest, starting from what it found."""

Progress = Callable[[str, float, float, float], None]
"""Called with (stage, objective, bound, elapsed seconds) on each improving roster."""

STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


@dataclass(slots=True)
class Model:
    """A built model: CP-SAT's, its variables and its objective terms."""

    cp: cp_model.CpModel
    variables: Variables
    terms: Terms


def build(
    plan: Plan,
    staff: Staff,
    *,
    partial: bool = False,
    history: Roster | None = None,
    previous: Roster | None = None,
    enforce: constraints.Enforce | None = None,
    layout: Layout | None = None,
) -> Model:
    """Every hard rule of §3 and §2.3, in SPEC order; objectives are added per stage.

    ``enforce`` (for explaining infeasibility) puts rule groups under literals; see
    ``constraints.Enforce``. The §2.3 sequence rules stay hard.
    """
    cp = cp_model.CpModel()
    v = create_variables(cp, plan, staff, layout)  # rules 2, 3, 5 and restrict of 7
    if enforce is not None:
        constraints.add_restrict_groups(cp, v, plan, enforce)
    constraints.add_coverage(cp, v, partial=partial, enforce=enforce)
    constraints.add_team_composition(cp, v, enforce=enforce)
    persons.add_personal_rules(cp, v, plan, staff, enforce=enforce)
    constraints.add_apart(cp, v, plan, staff, enforce=enforce)
    terms = Terms(cp, v, plan, staff, history=history, previous=previous)
    return Model(cp, v, terms)


def stages_for(plan: Plan, *, partial: bool, history: bool, repair: bool) -> list[tuple[str, ...]]:
    """The plan's objective stages, with coverage first when places may go unfilled."""
    stages = [tuple(stage) for stage in plan.stages]
    used = {term for stage in stages for term in stage}
    if repair and "changes" not in used:
        stages.insert(0, ("changes",))
    if history and "history" not in used:
        stages.append(("history",))
    if (partial and "coverage" not in used) or (
        "coverage" not in used and any(p.soft is not None or p.soft_at for p in plan.posts)
    ):
        stages.insert(0, ("coverage",))
    return stages


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution to the progress callback.

    With a ``floor`` proven outside CP-SAT, it also ends the search once a roster is within
    the gap limit of it (in the model, the floor as a constraint slows the search down).
    A search of a neighbourhood (``local``) proves a bound on that neighbourhood alone: the
    floor is the bound it reports.
    """

    def __init__(
        self,
        stage: str,
        scale: float,
        start: float,
        progress: Progress | None,
        floor: int = 0,
        gap_limit: float = 0.0,
        *,
        local: bool = False,
    ):
        super().__init__()
        self.stage, self.scale, self.start, self.progress = stage, scale, start, progress
        self.floor, self.gap_limit, self.local = floor, gap_limit, local

    def on_solution_callback(self) -> None:
        value = self.objective_value
        bound = self.floor if self.local else max(self.best_objective_bound, self.floor)
        if self.progress is not None:
            self.progress(
                self.stage, value * self.scale, bound * self.scale, time.monotonic() - self.start
            )
        if self.floor and value - bound <= self.gap_limit * abs(value) + 1e-9:
            self.stop_search()


def solve(
    plan: Plan,
    staff: Staff,
    params: SolverParams | None = None,
    *,
    partial: bool = False,
    history: Roster | None = None,
    previous: Roster | None = None,
    progress: Progress | None = None,
    interrupt: threading.Event | None = None,
) -> Result:
    """Solve the plan's stages in order, fixing each stage's best value before the next.

    ``interrupt``, when set (e.g. on Ctrl-C), ends the search and keeps the best roster.
    """
    params = params or SolverParams()
    run = _Run(params, time.monotonic(), progress, interrupt)
    stages = stages_for(
        plan, partial=partial, history=history is not None, repair=previous is not None
    )
    layout = layout_of(plan)
    descent, guide = None, None
    if previous is None and stages and persons.applies(plan, staff, stages[0]):
        people = persons.Descent(plan, staff, layout, stages[0], history)
        if len(staff.people) * len(plan.dates) <= persons.PERSON_DATES_MIN:
            guide = run.generate_columns(people)
        if guide is None:
            descent = run.descend(people)
            # The whole model takes about as long again to build as the people's models,
            # and more to presolve: without that time left, improve person by person.
            if run.remaining() < run.seconds(WHOLE_MODEL_BUILDS * run.build_seconds(descent)):
                return run.descent_result(descent, stages[0])
            if not descent.complete():
                descent = None
    model = build(plan, staff, partial=partial, history=history, previous=previous, layout=layout)
    results: list[StageResult] = []
    solution: dict[int, int] | None = None
    cap: int | None = None  # the largest burden, once a stage has fixed it
    first: dict[int, int] | None = None
    if previous is not None:
        _hint_previous(model, previous)
    elif descent is not None:
        # A roster found person by person is priced by the first stage below: a complete
        # hint, and the stage's value if its search finds nothing better.
        solution = _duties(model, descent.chosen())
    elif guide is not None:
        solution = _duties(model, guide.chosen)
    else:
        first = run.first_roster(model, run.remaining() / 4)
    for i, stage in enumerate(stages):
        if run.remaining() <= 0 or run.interrupted():
            break
        name = "+".join(stage)
        term = _stage_term(model, stage)
        so_far = None  # the roster so far, priced for this stage
        if solution is not None:
            # Its value for this stage and a complete hint: the search starts from it and,
            # if it finds nothing better in its share, the roster stands with its value.
            so_far = run.evaluate(model, term, solution)
            _hint(model, so_far.solution if so_far is not None else solution)
        share = run.remaining() * _share(stages[i:], first=i == 0)
        stage_start, stage_wall = run.now(), time.monotonic()
        floor, kept = 0, None
        if stage == ("evenness",) and cap is not None:
            relaxation = bounds.evenness_relaxation(
                model.variables, model.terms.burdens_unit(), cap, run.lp_limit(share / 3)
            )
            if relaxation is not None:
                floor = relaxation.bound
                if solution is not None:
                    kept = _agreeing(model, relaxation, solution)
        elif stage == ("wishes",) and solution is not None:
            kept = _away_from_wishes(model, staff)
        elif i == 0 and guide is not None and solution is not None:
            # Search first where the LP is undecided, from its heaviest schedules (RENS).
            floor = guide.bound
            lp = {var.index: guide.values.get(pair, 0.0) for pair, var in model.variables.x.items()}
            kept = _agreeing(model, bounds.Relaxation(guide.bound, lp), solution)
        elif stage == ("max_burden",) and i == 0 and first is not None:
            # Ruled out before the search, CP-SAT can stop at the first roster that meets
            # the floor instead of searching its share for a bound it would not prove.
            floor = bounds.largest_burden_floor(
                model.variables,
                model.terms.burdens_unit(),
                0,
                _largest_burden(model, first),
                run.lp_limit(share / 4),
                bounds.SETS_TOTAL // 6,  # small LPs only: the search must not wait long
            )
        guided = None
        if kept is not None and solution is not None:
            guided = run.within(model, term, name, solution, kept, share / 3, floor)
            if guided is not None:
                _hint(model, guided.solution)
        shaving = name == "max_burden"
        # A largest burden has a small range: find a roster fast, then prove by shaving.
        limit = share / 8 if shaving else stage_start + share - run.now()
        if guided is not None and guided.value <= guided.bound + params.gap_limit * guided.value:
            outcome: _Outcome | None = guided  # close enough to the proven bound already
        else:
            outcome = run.minimise(model, term, name, limit, floor)
            if guided is not None and (outcome is None or guided.value < outcome.value):
                outcome = guided
        if outcome is None and shaving and run.last_status is Status.UNKNOWN:
            outcome = run.minimise(model, term, name, stage_start + share - run.now())
        if outcome is not None and shaving and outcome.bound < outcome.value:
            outcome.bound = bounds.largest_burden_floor(
                model.variables,
                model.terms.burdens_unit(),
                outcome.bound,
                outcome.value,
                run.lp_limit((stage_start + share - run.now()) / 2),
            )
            outcome = run.shave(model, term, outcome, stage_start + share)
        if outcome is None and so_far is not None:
            # Nothing better within this stage's share: the roster so far stands, proven
            # only as far as the floor (every stage's term is at least 0).
            outcome = so_far
            outcome.bound = min(floor, outcome.value)
        if outcome is None:
            if not results and descent is not None:
                return run.descent_result(descent, stage)
            if not results:
                status = run.last_status
                stage_result = StageResult(name, status, None, None, _since(stage_wall))
                return Result(status, None, (stage_result,), _since(run.start), params,
                              run.interrupted(), _stats(model))  # fmt: skip
            # The roster so far could not even be priced: keep it, say so, go on.
            results.append(StageResult(name, Status.UNKNOWN, None, None, _since(stage_wall)))
            continue
        if outcome.bound < outcome.value and {"coverage", "wishes"} & set(stage):
            outcome.value = run.price(model, term, outcome)
        proven = outcome.bound >= outcome.value
        results.append(
            StageResult(
                name,
                Status.OPTIMAL if proven else Status.FEASIBLE,
                outcome.value * term.scale,
                outcome.bound * term.scale,
                _since(stage_wall),
            )
        )
        solution = outcome.solution
        model.cp.add(term.expr <= outcome.value)  # later stages keep this stage's best
        if stage == ("max_burden",):
            cap = outcome.value
    if solution is None:  # interrupted (or out of time) before the first stage ran
        return Result(Status.UNKNOWN, None, (), _since(run.start), params, run.interrupted(),
                      _stats(model))  # fmt: skip
    roster = _roster(model.variables, solution)
    optimal = len(results) == len(stages) and all(r.status is Status.OPTIMAL for r in results)
    return Result(
        Status.OPTIMAL if optimal else Status.FEASIBLE,
        roster,
        tuple(results),
        _since(run.start),
        params,
        run.interrupted(),
        _stats(model),
    )


@dataclass(slots=True)
class _Outcome:
    value: int
    bound: int
    solution: dict[int, int]


@dataclass(slots=True)
class _Run:
    """The clock, progress reporting and interruption shared by all stages of a solve.

    With one worker the budget is counted in CP-SAT's deterministic time, so the same
    inputs and seed give the same roster however busy the machine is (SPEC §6), and the
    wall clock only stops a solve that runs far over (``WALL_SLACK``). With more workers
    CP-SAT is not deterministic anyway, and the budget is the wall clock.
    """

    params: SolverParams
    start: float
    progress: Progress | None
    interrupt: threading.Event | None
    last_status: Status = Status.UNKNOWN
    used: float = 0.0  # deterministic time spent, summed over CP-SAT runs

    @property
    def deterministic(self) -> bool:
        return self.params.workers == 1

    def now(self) -> float:
        """Budget spent so far: deterministic time with one worker, else seconds."""
        return self.used if self.deterministic else _since(self.start)

    def remaining(self) -> float:
        if not self.deterministic:
            return self.params.time_limit - _since(self.start)
        if self.wall_left() <= 0:
            return 0.0
        return self.params.time_limit * DETERMINISTIC_PER_SECOND - self.used

    def wall_left(self) -> float:
        slack = WALL_SLACK if self.deterministic else 1
        return self.params.time_limit * slack - _since(self.start)

    def seconds(self, seconds: float) -> float:
        """``seconds`` of the time limit in the budget's unit (see ``now``)."""
        return seconds * DETERMINISTIC_PER_SECOND if self.deterministic else seconds

    def lp_limit(self, budget: float) -> float | None:
        """A time limit for a side computation: none with one worker (its answer must
        not depend on the machine's load; its size is capped instead)."""
        return None if self.deterministic else budget

    def solver(self, limit: float, workers: int | None = None) -> cp_model.CpSolver:
        """A CP-SAT solver for ``limit`` of the budget (see ``now``)."""
        solver = _solver(replace(self.params, workers=workers or self.params.workers), limit)
        if self.deterministic:
            solver.parameters.max_deterministic_time = max(limit, 0.01)
            solver.parameters.max_time_in_seconds = max(self.wall_left(), 0.1)
        return solver

    def run(
        self,
        solver: cp_model.CpSolver,
        cp: cp_model.CpModel,
        watcher: cp_model.CpSolverSolutionCallback | None,
    ) -> cp_model.CpSolverStatus:
        code = _solve_interruptibly(solver, cp, watcher, self.interrupt)
        self.used += solver.deterministic_time
        return code

    def interrupted(self) -> bool:
        return self.interrupt is not None and self.interrupt.is_set()

    def first_roster(self, model: Model, limit: float) -> dict[int, int] | None:
        """Hint the first stage with any roster, found with no objective at all; returns it.

        Over long periods (Curtois-Qu 20-24) the objective-driven search may find no roster
        within the limit while the bare rules take seconds; a hint of every variable is
        accepted as that search's first roster, and it improves from there.
        """
        probe = model.cp.new_bool_var("")  # its index counts the model's variables
        variables = [model.cp.get_int_var_from_proto_index(i) for i in range(probe.index + 1)]
        solver = self.solver(limit)
        if self.run(solver, model.cp, None) not in (
            cp_model.OPTIMAL,
            cp_model.FEASIBLE,
        ):
            return None
        values = [solver.value(var) for var in variables]
        v = model.variables
        for d, under in v.shortfall.items():  # with no objective, short and extra are loose
            size = v.demands[d].size
            held = sum(values[x.index] for _, x in v.by_demand.get(d, []))
            values[under.index] = max(0, size - held)
            if d in v.excess:
                values[v.excess[d].index] = max(0, held - size)
        model.cp.clear_hints()
        for var, value in zip(variables, values, strict=True):
            model.cp.add_hint(var, value)
        return {var.index: values[var.index] for var in v.x.values()}

    def generate_columns(self, descent: persons.Descent) -> columns.Guide | None:
        """A bound on the first stage and a roster near the LP's optimum (see ``columns``)."""
        descent.build()
        generation = columns.ColumnGeneration(
            descent,
            self,
            self.params.workers,
            lambda value, bound: self.report(descent.stage, value, bound),
        )
        return generation.run(self.remaining() * COLUMNS_SHARE)

    def build_seconds(self, descent: persons.Descent) -> float:
        """How long the people's models took to build; with one worker, how long they take
        on this project's machine by their size, so that the roster does not depend on
        the machine's load."""
        if self.deterministic:
            return descent.variables() * BUILD_SECONDS_PER_VARIABLE
        return descent.build_seconds

    def descend(self, descent: persons.Descent) -> persons.Descent:
        """A first roster person by person, where only soft places link people.

        Improved person by person until no one changes or the time is up; then the whole
        model's search, which changes many people at once, takes over. Incomplete if
        someone had no schedule in time.
        """
        if not descent.first(self, self.params.workers):
            return descent
        self.report(descent.stage, descent.value())
        descent.run(self, lambda value: self.report(descent.stage, value), self.params.workers)
        return descent

    def descent_result(self, descent: persons.Descent, stage: tuple[str, ...]) -> Result:
        """The descent's roster as the solve's result, improved while time is left."""
        if not descent.complete():
            return Result(Status.UNKNOWN, None, (), _since(self.start), self.params,
                          self.interrupted(), self.descent_stats(descent))  # fmt: skip
        descent.run(self, lambda value: self.report(stage, value), self.params.workers)
        value = descent.value()
        stage_result = StageResult("+".join(stage), Status.FEASIBLE, value, 0.0, _since(self.start))
        return Result(Status.FEASIBLE, descent.roster(), (stage_result,), _since(self.start),
                      self.params, self.interrupted(), self.descent_stats(descent))  # fmt: skip

    @staticmethod
    def descent_stats(descent: persons.Descent) -> dict[str, int]:
        return {
            "people": len(descent.staff.people),
            "demands": len(descent.layout.demands),
            "variables": descent.variables(),
        }

    def report(self, stage: tuple[str, ...], value: float, bound: float = 0.0) -> None:
        """A better roster found outside CP-SAT (the coverage and wish terms are ≥ 0)."""
        if self.progress is not None:
            self.progress("+".join(stage), value, bound, _since(self.start))

    def minimise(
        self, model: Model, term: Term, name: str, limit: float, floor: int = 0
    ) -> _Outcome | None:
        """One CP-SAT run on the stage's term; ``None`` when it found no roster.

        ``floor``: a lower bound on the term proven outside CP-SAT.
        """
        model.cp.minimize(term.expr)
        solver = self.solver(limit)
        watcher = _Watcher(
            name, term.scale, self.start, self.progress, floor, self.params.gap_limit
        )
        code = self.run(solver, model.cp, watcher)
        self.last_status = STATUS.get(code, Status.UNKNOWN)
        if not self.last_status.has_roster:
            return None
        # The term's value in the returned solution: the response's objective value can
        # belong to another solution when the limit strikes (Curtois-Qu 19: 11002 reported
        # for a roster whose terms sum to 10902), and later stages keep this value.
        value = int(solver.value(term.expr))
        bound = min(max(math.ceil(solver.best_objective_bound - 1e-6), floor), value)
        return _Outcome(value, bound, _values(model, solver))

    def within(
        self,
        model: Model,
        term: Term,
        name: str,
        solution: dict[int, int],
        kept: list[cp_model.IntVar],
        limit: float,
        floor: int = 0,
    ) -> _Outcome | None:
        """Search a neighbourhood of the roster so far: the ``kept`` variables stay as they
        are in ``solution``, CP-SAT re-decides the rest. ``floor``: a proven lower bound."""
        question = model.cp.clone()  # with the roster so far as its hint
        question.minimize(term.expr)
        for var in kept:
            same = question.get_bool_var_from_proto_index(var.index)
            question.add(same == solution[var.index])
        solver = self.solver(limit)
        watcher = _Watcher(
            name,
            term.scale,
            self.start,
            self.progress,
            floor,
            self.params.gap_limit,
            local=True,
        )
        if self.run(solver, question, watcher) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        value = int(solver.value(term.expr))  # a clone keeps the variables' indices
        return _Outcome(value, min(floor, value), _values(model, solver))

    def price(self, model: Model, term: Term, outcome: _Outcome) -> int:
        """The stage's term for this roster itself: its duties fixed, every count of places
        short or extra and every unmet wish as low as the roster allows.

        Those counts are one-sided (the objective pushes them down, which is faster than
        defining them exactly), so a search stopped by the limit may hold one above the
        roster's due: Curtois-Qu 13 reported 8728 for a roster whose penalty is 8217.
        """
        priced = self.evaluate(model, term, outcome.solution)
        return outcome.value if priced is None else min(outcome.value, priced.value)

    def evaluate(self, model: Model, term: Term, solution: dict[int, int]) -> _Outcome | None:
        """The roster given by x's values in ``solution``, with the term's value for it and
        every variable's value; ``None`` if not proven in time (presolve alone answers)."""
        question = model.cp.clone()
        for var in model.variables.x.values():
            fixed = question.get_bool_var_from_proto_index(var.index)
            question.add(fixed == solution[var.index])
        question.minimize(term.expr)
        solver = self.solver(max(self.remaining(), PRICE_MINIMUM), workers=1)
        if self.run(solver, question, None) != cp_model.OPTIMAL:
            return None
        return _Outcome(int(solver.value(term.expr)), 0, _values(model, solver))

    def shave(self, model: Model, term: Term, best: _Outcome, deadline: float) -> _Outcome:
        """Close the gap of a small-ranged term by deciding "can it be at most k?".

        A yes/no question with the objective fixed is often proven in a fraction of the
        time the optimisation needs to raise its bound (CP-SAT presolve and probing see
        the cap directly). Binary search between the bound and the best value.
        """
        low, high = best.bound, best.value
        while low < high and not self.interrupted():
            limit = min(deadline - self.now(), self.remaining())
            if limit <= 0.05:
                break
            mid = (low + high) // 2
            # A clone with the cap as a hard bound: presolve can use it, which an
            # enforcement literal would hide.
            question = model.cp.clone()
            question.clear_objective()
            question.clear_hints()
            assert isinstance(term.expr, cp_model.IntVar)  # the largest burden is one variable
            capped = question.get_int_var_from_proto_index(term.expr.index)
            question.add(capped <= mid)
            for var in model.variables.x.values():
                question.add_hint(question.get_bool_var_from_proto_index(var.index),
                                 best.solution[var.index])  # fmt: skip
            solver = self.solver(limit, workers=1)
            code = self.run(solver, question, None)
            if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                value = solver.value(capped)
                best = _Outcome(value, low, _values(model, solver))
                high = value
            elif code == cp_model.INFEASIBLE:
                low = mid + 1
            else:
                break
            if self.progress is not None:  # each answer is progress: a better roster or bound
                self.progress("max_burden", high * term.scale, low * term.scale, _since(self.start))
        return _Outcome(best.value, low, best.solution)


def _largest_burden(model: Model, solution: dict[int, int]) -> int:
    """The largest burden in a roster given by x's values, in burden units."""
    unit = model.terms.burdens_unit()
    v = model.variables
    return max(
        (
            sum(v.duties[d].burden // unit * solution[var.index] for d, var in duties)
            for duties in v.by_person.values()
        ),
        default=0,
    )


def _agreeing(
    model: Model, relaxation: bounds.Relaxation, solution: dict[int, int]
) -> list[cp_model.IntVar]:
    """Places the roster so far and the relaxation's optimum both give a person, or both
    deny them, in whole: searching only the rest (relaxation-induced neighbourhood search,
    RINS) finds the sample's evenness within 0.5% of its proven bound in about a second,
    which the whole model's search takes far longer to reach. With column generation's LP,
    where its heaviest schedules are the roster, it is the first stage's RENS."""
    kept = []
    for var in model.variables.x.values():
        relaxed = relaxation.values[var.index]
        if min(relaxed, 1 - relaxed) < 1e-6 and round(relaxed) == solution[var.index]:
            kept.append(var)
    return kept


def _away_from_wishes(model: Model, staff: Staff) -> list[cp_model.IntVar] | None:
    """Every place of the people who neither wished nor could swap a place with one who
    did: with the fairness stages fixed, a wish is mostly met by such a swap, and this
    neighbourhood is small enough to search at once. ``None`` without wishes."""
    v = model.variables
    index = {person.id: p for p, person in enumerate(v.people)}
    wishers = set()
    for wish in staff.wishes:
        matches = staff.find(wish.staff)
        if len(matches) == 1 and matches[0].id in index:
            wishers.add(index[matches[0].id])
    if not wishers:
        return None
    near = set(wishers)
    for p in wishers:
        for d, _ in v.by_person.get(p, []):
            near.update(q for q, _ in v.by_demand.get(d, []))
    return [var for (p, _), var in v.x.items() if p not in near]


def _share(stages: list[tuple[str, ...]], *, first: bool) -> float:
    """The part of the time left that goes to the first of ``stages``.

    The first stage of a solve gets at least half (it must find a roster at all); evenness
    counts double, as the stage whose search is hardest and whose result matters most.
    """
    weights = [2 if stage == ("evenness",) else 1 for stage in stages]
    share = weights[0] / sum(weights)
    return max(share, 0.5) if first and len(stages) > 1 else share


def _stage_term(model: Model, stage: tuple[str, ...]) -> Term:
    """A stage's terms summed in the finest unit of their scales (see ``persons.sum_terms``)."""
    return persons.sum_terms([model.terms.build(name) for name in stage])[0]


def _solve_interruptibly(
    solver: cp_model.CpSolver,
    cp: cp_model.CpModel,
    watcher: cp_model.CpSolverSolutionCallback | None,
    interrupt: threading.Event | None,
) -> cp_model.CpSolverStatus:
    """Solve; a set ``interrupt`` stops the search and keeps the best solution so far."""
    if interrupt is None:
        return solver.solve(cp, watcher)
    # CP-SAT would catch SIGINT itself and end only this stage; the caller's handler must
    # see it, so that the whole solve stops.
    solver.parameters.catch_sigint_signal = False
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            if interrupt.is_set():
                solver.stop_search()
                return

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        return solver.solve(cp, watcher)
    finally:
        done.set()
        thread.join()


def _solver(params: SolverParams, time_limit: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit, 0.1)
    solver.parameters.num_workers = params.workers
    solver.parameters.random_seed = params.seed
    solver.parameters.log_search_progress = params.log
    solver.parameters.relative_gap_limit = params.gap_limit
    for name, value in params.cpsat:
        if name.startswith("_") or not hasattr(solver.parameters, name):
            raise ValueError(f"unknown CP-SAT parameter {name!r}")
        try:
            if isinstance(value, tuple | list):
                field = getattr(solver.parameters, name)
                field.clear()
                field.extend(value)
            else:
                setattr(solver.parameters, name, value)
        except (TypeError, AttributeError) as exc:
            raise ValueError(f"CP-SAT parameter {name!r}: bad value {value!r}") from exc
    return solver


def _values(model: Model, solver: cp_model.CpSolver) -> dict[int, int]:
    """Every variable's value in the solver's solution, by index (a clone of the model
    keeps its variables' indices), so that a hint of it is complete."""
    return dict(enumerate(solver.response_proto.solution))


def _hint(model: Model, solution: dict[int, int]) -> None:
    """Start the next stage from this roster: every variable the solution has a value for,
    and the auxiliary burden variables computed from the duties.

    A hint of the duties alone left CP-SAT to complete it (places short, unmet wishes):
    on Curtois-Qu 7 its first roster after the neighbourhood's 1061 was 6211, and 1061
    again only 2.4 s later."""
    model.cp.clear_hints()
    values = dict(solution)
    values.update((var.index, value) for var, value in model.terms.derived_values(solution))
    for index, value in values.items():
        model.cp.add_hint(model.cp.get_int_var_from_proto_index(index), value)


def _duties(model: Model, chosen: set[tuple[int, int]]) -> dict[int, int]:
    """x's values for a roster given as (person, demand) pairs."""
    return {var.index: int(pair in chosen) for pair, var in model.variables.x.items()}


def _hint_previous(model: Model, previous: Roster) -> None:
    """Start a repair from the previous roster: each person where they were."""
    v = model.variables
    held = {(a.staff_id, a.post, a.date, a.block, a.team) for a in previous.filled}
    for (p, d), var in v.x.items():
        demand = v.demands[d]
        key = (v.people[p].id, demand.post.id, demand.date, demand.block, demand.team)
        model.cp.add_hint(var, 1 if key in held else 0)


def _roster(v: Variables, solution: dict[int, int]) -> Roster:
    assignments = []
    for d, demand in enumerate(v.demands):
        chosen = [p for p, var in v.by_demand.get(d, []) if solution[var.index]]
        for p in chosen:
            person = v.people[p]
            assignments.append(
                Assignment(demand.date, demand.block, demand.post.id, demand.team, person.id,
                           person.unit)
            )  # fmt: skip
        soft = demand.post.soft_on(demand.date, demand.block)
        if soft is None:
            for _ in range(demand.size - len(chosen)):
                assignments.append(
                    Assignment(demand.date, demand.block, demand.post.id, demand.team, None,
                               demand.unit or "")
                )  # fmt: skip
    return Roster(tuple(assignments))


def _since(start: float) -> float:
    return time.monotonic() - start


def _stats(model: Model) -> dict[str, int]:
    return {
        "people": len(model.variables.people),
        "demands": len(model.variables.demands),
        "variables": len(model.variables.x),
    }
