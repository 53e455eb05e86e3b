"""Plans solved person by person: only soft places link people (``solvers.cpsat.persons``).

On the tiny Curtois-Qu instance (3 people, 7 days, every place soft) with the threshold
lowered so the path runs: the roster obeys every rule, and the reported value is the
benchmark's own penalty of that roster.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from pathlib import Path
from typing import Any

import pytest

from roster.checker import check
from roster.io.curtois import read_instance, score, to_inputs, violations
from roster.model import Apart, Soft
from roster.result import SolverParams, Status
from solvers import solve
from solvers.cpsat import columns, persons, solver
from solvers.cpsat.variables import layout_of

TINY = Path(__file__).parents[1] / "data" / "curtois_tiny.txt"
PARAMS = SolverParams(time_limit=20, workers=1, seed=0)


def budget() -> solver._Run:
    return solver._Run(PARAMS, time.monotonic(), None, None)


def schedule(descent: persons.Descent, p: int) -> bool:
    """Any schedule for person ``p`` taken, whatever it costs: found?"""
    found = descent.plain(p, budget(), descent.marginal(p))
    if found is not None:
        descent.take(p, *found)
    return found is not None


@pytest.fixture
def person_by_person(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(persons, "PERSON_DATES_MIN", 0)


def test_applies_only_where_soft_places_alone_link_people() -> None:
    staff, plan = to_inputs(read_instance(TINY))
    stage = plan.stages[0]
    assert persons.applies(plan, staff, stage)
    assert not persons.applies(plan, staff, ("coverage", "max_burden"))
    assert not persons.applies(dataclasses.replace(plan, apart=(Apart(("A", "B")),)), staff, stage)
    hard = dataclasses.replace(plan.posts[0], soft=None, soft_at=())
    assert not persons.applies(
        dataclasses.replace(plan, posts=(hard, *plan.posts[1:])), staff, stage
    )
    team = dataclasses.replace(plan.posts[0], at_least=(("D", 1),))
    assert not persons.applies(
        dataclasses.replace(plan, posts=(team, *plan.posts[1:])), staff, stage
    )


def test_descent_value_is_the_rosters_penalty() -> None:
    instance = read_instance(TINY)
    staff, plan = to_inputs(instance)
    descent = persons.Descent(plan, staff, layout_of(plan), plan.stages[0])
    assert descent.first(budget())
    first = descent.value()
    assert first == score(instance, descent.roster()).total
    descent.run(budget())  # until a sweep changes nobody
    assert descent.value() == score(instance, descent.roster()).total <= first
    assert violations(instance, descent.roster()) == []
    assert check(descent.roster(), plan, staff) == []


def test_a_roster_person_by_person_alone(
    person_by_person: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(solver, "WHOLE_MODEL_BUILDS", 10**9)  # never time for the whole model
    instance = read_instance(TINY)
    staff, plan = to_inputs(instance)
    seen: list[float] = []
    result = solve(plan, staff, PARAMS, progress=lambda s, o, b, t: seen.append(o))
    assert result.status is Status.FEASIBLE
    assert result.roster is not None
    assert result.stages[0].objective == score(instance, result.roster).total == seen[-1]
    assert violations(instance, result.roster) == []
    assert check(result.roster, plan, staff) == []


def test_one_worker_gives_the_same_roster_on_a_slow_machine(
    person_by_person: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SPEC §6: with one worker the budget is CP-SAT's deterministic time, so a machine slow
    enough to pass the time limit between any two steps changes nothing."""
    monkeypatch.setattr(solver, "WHOLE_MODEL_BUILDS", 10**9)  # never time for the whole model
    staff, plan = to_inputs(read_instance(TINY))
    quick = solve(plan, staff, PARAMS)
    monkeypatch.setattr(solver, "WALL_SLACK", 10**9)  # the wall clock's last resort, off
    steps, real = itertools.count(), time.monotonic
    monkeypatch.setattr(time, "monotonic", lambda: real() + PARAMS.time_limit * next(steps))
    slow = solve(plan, staff, PARAMS)
    assert quick.roster is not None
    assert slow.roster == quick.roster
    assert slow.stages[0].objective == quick.stages[0].objective


def test_the_whole_model_takes_over_from_the_descent(person_by_person: None) -> None:
    instance = read_instance(TINY)
    staff, plan = to_inputs(instance)
    result = solve(plan, staff, PARAMS)
    assert result.status is Status.OPTIMAL
    assert result.roster is not None
    assert result.stages[0].objective == score(instance, result.roster).total == 201
    assert check(result.roster, plan, staff) == []


def test_the_whole_model_starts_from_the_descents_roster_with_a_complete_hint(
    person_by_person: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every variable hinted, the duties as the descent left them: with the duties alone
    CP-SAT had to complete the hint, and its first roster on Curtois-Qu 13 was twice the
    descent's (11925 against 5885)."""
    chosen: list[set[tuple[int, int]]] = []
    hints: list[tuple[int, dict[int, int], set[tuple[int, int]]]] = []
    descend, minimise = solver._Run.descend, solver._Run.minimise

    def descended(self: solver._Run, descent: persons.Descent) -> persons.Descent:
        descend(self, descent)
        chosen.append(descent.chosen())
        return descent

    def minimised(self: solver._Run, model: solver.Model, *args: Any, **kwargs: Any) -> Any:
        hint = model.cp.proto.solution_hint
        values = dict(zip(hint.vars, hint.values, strict=True))
        duties = {pair for pair, var in model.variables.x.items() if values[var.index]}
        hints.append((len(model.cp.proto.variables), values, duties))
        return minimise(self, model, *args, **kwargs)

    monkeypatch.setattr(solver._Run, "descend", descended)
    monkeypatch.setattr(solver._Run, "minimise", minimised)
    staff, plan = to_inputs(read_instance(TINY))
    solve(plan, staff, PARAMS)
    variables, values, duties = hints[0]
    assert len(values) == variables
    assert duties == chosen[0]


def test_the_descent_has_the_time_where_generation_is_slow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Below ``PERSON_DATES_MIN`` generation comes first, but where its rounds are too slow
    to converge (``columns.ROUNDS``) the descent finds the roster the whole model starts
    from (Curtois-Qu 13: 3773 against 6002 in 60 s)."""
    monkeypatch.setattr(columns, "ROUNDS", 10**9)  # never time enough for generation
    firsts: list[bool] = []
    first = persons.Descent.first

    def spied(self: persons.Descent, *args: Any, **kwargs: Any) -> bool:
        firsts.append(first(self, *args, **kwargs))
        return firsts[-1]

    monkeypatch.setattr(persons.Descent, "first", spied)
    instance = read_instance(TINY)
    staff, plan = to_inputs(instance)
    result = solve(plan, staff, PARAMS)
    assert firsts == [True]
    assert result.status is Status.OPTIMAL
    assert result.roster is not None
    assert result.stages[0].objective == score(instance, result.roster).total == 201
    assert check(result.roster, plan, staff) == []


def test_priced_places_are_marginal_costs() -> None:
    staff, plan = to_inputs(read_instance(TINY))
    descent = persons.Descent(plan, staff, layout_of(plan), plan.stages[0])
    d = next(d for d, size in enumerate(descent.layout.sizes) if size == 1)
    descent.prices[d] = Soft(100, 1)
    assert [descent.cost(d, n) for n in range(3)] == [100, 0, 1]


def test_plain_schedules_keep_the_counts_and_obey_the_rules() -> None:
    instance = read_instance(TINY)
    staff, plan = to_inputs(instance)
    descent = persons.Descent(plan, staff, layout_of(plan), plan.stages[0])
    descent.build()
    for p in (0, 1, 2, 0):  # the last one scheduled again: their places move
        assert schedule(descent, p)
    held = [person.held or frozenset() for person in descent.people]
    assert descent.counts == [sum(d in h for h in held) for d in range(len(descent.counts))]
    assert violations(instance, descent.roster()) == []
    assert check(descent.roster(), plan, staff) == []
    assert descent.value() == score(instance, descent.roster()).total


def test_a_first_roster_of_plain_schedules_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(persons, "PRICED_MISSES", 0)  # as after the priced search missed
    instance = read_instance(TINY)
    staff, plan = to_inputs(instance)
    descent = persons.Descent(plan, staff, layout_of(plan), plan.stages[0])
    assert not descent.complete()  # the others' models are built by ``first``
    assert descent.first(budget())
    assert descent.complete()
    assert descent.value() == score(instance, descent.roster()).total
    assert violations(instance, descent.roster()) == []
    assert check(descent.roster(), plan, staff) == []


@pytest.mark.parametrize(("p", "q"), list(itertools.permutations(range(3), 2)))
def test_a_schedule_found_at_old_prices_is_taken_only_if_still_better(p: int, q: int) -> None:
    """Two people searched at once, at the same prices: the second's schedule may have
    counted on places the first has just taken. The roster never gets worse."""
    instance = read_instance(TINY)
    staff, plan = to_inputs(instance)
    descent = persons.Descent(plan, staff, layout_of(plan), plan.stages[0])
    descent.build()
    for person in range(3):
        assert schedule(descent, person)  # any schedules: room to improve
    prices = descent.marginal(p), descent.marginal(q)
    found = [
        descent.search(p, budget(), 5.0, prices[0]),
        descent.search(q, budget(), 5.0, prices[1]),
    ]
    values = [descent.value()]
    for person, better in zip((p, q), found, strict=True):
        assert better is not None
        descent.take_if_better(person, *better)
        values.append(descent.value())
    assert values == sorted(values, reverse=True)
    assert values[-1] == score(instance, descent.roster()).total
    assert check(descent.roster(), plan, staff) == []


def test_sweeps_two_people_at_a_time() -> None:
    instance = read_instance(TINY)
    staff, plan = to_inputs(instance)
    descent = persons.Descent(plan, staff, layout_of(plan), plan.stages[0])
    descent.build()
    for person in range(3):
        assert schedule(descent, person)
    first = descent.value()
    descent.run(budget(), workers=2)
    assert descent.value() == score(instance, descent.roster()).total < first
    assert violations(instance, descent.roster()) == []
    assert check(descent.roster(), plan, staff) == []


@pytest.mark.parametrize("misses", [0, persons.PRICED_MISSES])
def test_a_first_roster_two_people_at_a_time(monkeypatch: pytest.MonkeyPatch, misses: int) -> None:
    monkeypatch.setattr(persons, "PRICED_MISSES", misses)  # 0: plain searches alone
    instance = read_instance(TINY)
    staff, plan = to_inputs(instance)
    descent = persons.Descent(plan, staff, layout_of(plan), plan.stages[0])
    assert descent.first(budget(), workers=2)
    assert descent.complete()
    held = [person.held or frozenset() for person in descent.people]
    assert descent.counts == [sum(d in h for h in held) for d in range(len(descent.counts))]
    assert descent.value() == score(instance, descent.roster()).total
    assert violations(instance, descent.roster()) == []
    assert check(descent.roster(), plan, staff) == []
