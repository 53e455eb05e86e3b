"""The neighbourhoods a stage searches first (solvers/cpsat/solver.py)."""

from __future__ import annotations

import time
from pathlib import Path

from roster.io.curtois import read_instance, to_inputs
from roster.model import Staff
from roster.result import SolverParams
from solvers.cpsat import bounds
from solvers.cpsat.solver import _agreeing, _away_from_wishes, _hint, _Run, _stage_term, build
from tests import _tiny_bureau as tiny

TINY = Path(__file__).parents[1] / "data" / "curtois_tiny.txt"
OPTIMUM = 201  # the tiny instance's (tests/solvers/test_persons.py)
PARAMS = SolverParams(time_limit=20, workers=1, seed=0)


def test_only_those_near_a_wish_are_searched() -> None:
    plan, staff = tiny.plan(), tiny.staff()
    model = build(plan, staff)
    v = model.variables
    kept = {var.index for var in _away_from_wishes(model, staff) or []}

    # 李娜 wished; 张伟 shares her hotline places, so both are free to move; 陈刚, the
    # only leader, shares no place with anyone who wished, so his places stay.
    people = {person.name: p for p, person in enumerate(v.people)}
    free = {p for (p, _), var in v.x.items() if var.index not in kept}
    assert {people["李娜"], people["张伟"]} <= free
    assert people["陈刚"] not in free
    assert all(var.index in kept for (p, _), var in v.x.items() if p == people["陈刚"])


def test_no_wishes_no_neighbourhood() -> None:
    plan = tiny.plan()
    staff = Staff(tiny.staff().people)
    assert _away_from_wishes(build(plan, staff), staff) is None


def test_rins_keeps_what_roster_and_relaxation_share() -> None:
    plan, staff = tiny.plan(), tiny.staff()
    model = build(plan, staff)
    xs = list(model.variables.x.values())
    values = {var.index: 0.0 for var in xs}
    values[xs[0].index], values[xs[1].index], values[xs[2].index] = 1.0, 0.5, 1.0
    relaxation = bounds.Relaxation(0, values)
    solution = {var.index: 0 for var in xs}
    solution[xs[0].index] = solution[xs[1].index] = 1  # xs[2]: the roster disagrees

    kept = {var.index for var in _agreeing(model, relaxation, solution)}

    assert xs[0].index in kept  # both hold it
    assert xs[1].index not in kept  # fractional in the relaxation
    assert xs[2].index not in kept  # they disagree
    assert all(var.index in kept for var in xs[3:])  # both leave it


def test_a_neighbourhood_reports_no_bound_of_its_own() -> None:
    """Its search proves a bound on the neighbourhood alone, not on every roster."""
    staff, plan = to_inputs(read_instance(TINY))
    model = build(plan, staff)
    term = _stage_term(model, plan.stages[0])
    seen: list[float] = []
    run = _Run(PARAMS, time.monotonic(), lambda s, o, b, t: seen.append(b), None)
    first = run.first_roster(model, 10.0)  # any roster, found with no objective
    assert first is not None

    # Every place kept as it is: the neighbourhood is that roster alone.
    kept = list(model.variables.x.values())
    outcome = run.within(model, term, "coverage+wishes", first, kept, 10.0, floor=7)

    assert outcome is not None
    assert outcome.value > OPTIMUM  # the neighbourhood's best is not the optimum
    assert seen
    assert all(bound == 7 for bound in seen)


def test_the_next_search_starts_from_a_complete_roster() -> None:
    """Every variable is hinted, places short and unmet wishes included: CP-SAT need not
    complete the hint before its first roster."""
    staff, plan = to_inputs(read_instance(TINY))
    model = build(plan, staff)
    term = _stage_term(model, plan.stages[0])
    outcome = _Run(PARAMS, time.monotonic(), None, None).minimise(model, term, "c", 10.0)
    assert outcome is not None

    _hint(model, outcome.solution)

    hint = model.cp.proto.solution_hint
    assert sorted(hint.vars) == list(range(len(model.cp.proto.variables)))
