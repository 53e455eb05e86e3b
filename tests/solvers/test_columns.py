"""Column generation over people (``solvers.cpsat.columns``): a valid bound and a roster.

On generated instances in the Curtois-Qu format, small enough to enumerate (each person's
every week, then the cover; ``tests.io.test_curtois.brute_force``): the bound is never above
the optimum, the LP's roster obeys every rule, and the product's solve, which starts from
both, reaches the optimum and proves it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from roster.checker import check
from roster.io.curtois import (
    Cover,
    Employee,
    Instance,
    Request,
    Shift,
    read_instance,
    score,
    to_inputs,
    violations,
)
from roster.model import Assignment, Roster
from roster.result import SolverParams, Status
from solvers import solve
from solvers.cpsat import columns, persons
from solvers.cpsat.solver import _Run
from solvers.cpsat.variables import layout_of
from tests.io.test_curtois import brute_force

TINY = Path(__file__).parents[1] / "data" / "curtois_tiny.txt"
PARAMS = SolverParams(time_limit=20, workers=1, seed=0)


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    """2-3 employees over 3-5 days, one or two shift types, random limits and requests."""
    horizon = draw(st.integers(3, 5))
    shifts = [Shift("D", 480, ())]
    if draw(st.booleans()):
        shifts.append(Shift("N", 600, ("D",) if draw(st.booleans()) else ()))
    ids = [s.id for s in shifts]
    employees = []
    for name in "ABC"[: draw(st.integers(2, 3))]:
        most = draw(st.integers(2, horizon)) * 600
        employees.append(
            Employee(
                name,
                tuple((s, draw(st.integers(0, horizon))) for s in ids),
                most,
                draw(st.integers(0, most // 2)),
                draw(st.integers(1, horizon)),
                draw(st.integers(1, 2)),
                draw(st.integers(1, 2)),
                draw(st.integers(0, 1)),
            )
        )
    names = [e.id for e in employees]
    days = st.integers(0, horizon - 1)
    days_off = tuple(
        (name, (day,)) for name in names if (day := draw(st.one_of(st.none(), days))) is not None
    )
    requests = st.builds(Request, st.sampled_from(names), days, st.sampled_from(ids),
                         st.integers(1, 3))  # fmt: skip
    on = tuple(draw(st.lists(requests, max_size=3, unique_by=lambda r: (r.employee, r.day))))
    off = tuple(draw(st.lists(requests, max_size=2, unique_by=lambda r: (r.employee, r.day))))
    cover = []
    for day in range(horizon):
        for s in ids:
            under = draw(st.sampled_from((1, 50, 100)))
            cover.append(Cover(day, s, draw(st.integers(0, 2)), under, draw(st.integers(1, 2))))
    return Instance(
        "generated", horizon, tuple(shifts), tuple(employees), days_off, on, off, tuple(cover)
    )


def generate(instance: Instance) -> tuple[columns.Guide | None, persons.Descent]:
    """Column generation on ``instance``, to the end, with one worker."""
    staff, plan = to_inputs(instance)
    descent = persons.Descent(plan, staff, layout_of(plan), plan.stages[0])
    descent.build()
    run = _Run(PARAMS, time.monotonic(), None, None)
    return columns.ColumnGeneration(descent, run).run(run.remaining()), descent


def roster_of(descent: persons.Descent, chosen: set[tuple[int, int]]) -> Roster:
    rows = []
    for p, d in sorted(chosen):
        demand, who = descent.layout.demands[d], descent.staff.people[p]
        rows.append(Assignment(demand.date, demand.block, demand.post.id, demand.team, who.id,
                               who.unit))  # fmt: skip
    return Roster(tuple(rows))


def optimum(instance: Instance) -> int | None:
    """The enumerated optimum; ``None`` when someone has no valid week at all."""
    try:
        return brute_force(instance)
    except ValueError:  # min() of nothing: no week for someone
        return None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_bound_is_valid_and_the_lps_roster_obeys_the_rules(instance: Instance) -> None:
    best = optimum(instance)
    guide, descent = generate(instance)
    if best is None:
        assert guide is None
        return
    assert guide is not None
    assert guide.converged  # exact pricing, and time enough: the LP is optimal
    assert guide.bound <= best <= score(instance, roster_of(descent, guide.chosen)).total
    assert guide.bound >= guide.value - 1e-6 * max(1.0, guide.value)  # the LP's value, rounded up
    roster = roster_of(descent, guide.chosen)
    staff, plan = to_inputs(instance)
    assert violations(instance, roster) == []
    assert check(roster, plan, staff) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_solve_from_the_lp_reaches_the_optimum(instance: Instance) -> None:
    best = optimum(instance)
    staff, plan = to_inputs(instance)
    result = solve(plan, staff, PARAMS)
    if best is None:
        assert result.roster is None
        return
    assert result.status is Status.OPTIMAL
    assert result.roster is not None
    assert result.stages[0].objective == score(instance, result.roster).total == best
    assert violations(instance, result.roster) == []


def test_the_same_inputs_give_the_same_columns() -> None:
    instance = read_instance(TINY)
    first, _ = generate(instance)
    again, _ = generate(instance)
    assert first is not None
    assert again is not None
    assert (first.bound, first.chosen, first.values) == (again.bound, again.chosen, again.values)


def test_the_tiny_instances_bound_and_progress() -> None:
    instance = read_instance(TINY)
    guide, _ = generate(instance)
    assert guide is not None
    assert guide.bound <= 201  # the enumerated optimum (tests/io/test_curtois.py)
    staff, plan = to_inputs(instance)
    seen: list[tuple[float, float]] = []
    result = solve(plan, staff, PARAMS, progress=lambda s, o, b, t: seen.append((o, b)))
    assert result.stages[0].objective == result.stages[0].bound == 201
    assert seen[0][1] <= 201  # the first roster comes from the LP, with its bound so far
    assert all(o >= 201 for o, _ in seen)


def test_an_interruption_ends_the_generation_after_the_round(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Interrupted for the loop only: each person's search still finds their schedule.
    monkeypatch.setattr(_Run, "interrupted", lambda self: True)
    guide, descent = generate(read_instance(TINY))
    assert guide is not None  # the first LP's roster, unproven
    assert guide.iterations == 1
    assert not guide.converged
    assert len({p for p, _ in guide.chosen}) == len(descent.people)


def test_only_a_complete_search_counts_as_the_cheapest_schedule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pricing cut short by its limit proves a bound but not that no cheaper schedule
    exists, so it must not end the generation as converged."""
    staff, plan = to_inputs(read_instance(TINY))
    descent = persons.Descent(plan, staff, layout_of(plan), plan.stages[0])
    descent.build()
    run = _Run(PARAMS, time.monotonic(), None, None)
    generation = columns.ColumnGeneration(descent, run)
    prices = [0.0] * len(descent.layout.sizes)
    assert generation._price(0, prices, -1.0, columns.TUNINGS[0]).optimal
    real = _Run.run
    # Every search ends as if stopped by its limit after its best schedule.
    monkeypatch.setattr(_Run, "run", lambda *a: real(*a) and cp_model.FEASIBLE)
    cut = generation._price(0, prices, -1.0, columns.TUNINGS[0])
    assert cut.column is not None
    assert not cut.optimal
