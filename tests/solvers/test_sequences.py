"""One small case per §2.3 rule, where the rule decides the optimum.

Every plan has one soft standby post per date (10 per place short), so without the rule the
person would work every date; with it the model must leave exactly the places the rule
forces open, and the independent checker must accept the roster. Each case runs with both
encodings of runs of days: clauses and the automaton.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random

import pytest
from ortools.sat.python import cp_model

from roster.checker import check
from roster.model import (
    Absence,
    Assignment,
    Block,
    Person,
    Personal,
    Plan,
    Post,
    Roster,
    Rules,
    Selector,
    Soft,
    Staff,
    Wish,
    WishKind,
)
from roster.result import Result, SolverParams, Status
from solvers import build, solve
from solvers.cpsat import sequences

SAT = dt.date(2027, 3, 6)
DAYS = tuple(SAT + dt.timedelta(days=i) for i in range(9))  # Sat 6th .. Sun 14th
DUTY = Block("DUTY", "值班", 8 * 60, 16 * 60)
AM = Block("AM", "上午", 8 * 60, 12 * 60)
NIGHT = Block("NIGHT", "夜班", 20 * 60, 24 * 60)
SHORT = 10  # cost of a place short
PARAMS = SolverParams(time_limit=20, workers=1, seed=0)


@pytest.fixture(autouse=True, params=["clauses", "automaton"])
def encoding(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(sequences, "AUTOMATON_MAX", 10**9 if request.param == "automaton" else 0)
    return str(request.param)


def standby(*blocks: str, **kwargs: object) -> Post:
    kwargs.setdefault("soft", Soft(SHORT, 1))
    return Post("standby", "备勤", blocks or ("DUTY",), **kwargs)  # type: ignore[arg-type]


def week(dates: tuple[dt.date, ...], post: Post | None = None, **rules: object) -> Plan:
    return Plan(
        "周值班",
        dates,
        (DUTY, AM, NIGHT),
        (post or standby(),),
        rules=Rules(**rules),  # type: ignore[arg-type]
        stages=(("coverage", "wishes"),),
    )


def person(pid: str = "1", *off: dt.date) -> Person:
    return Person(pid, f"人{pid}", "甲", absences=tuple(Absence(d) for d in off))


def solved(plan: Plan, *people: Person, wishes: tuple[Wish, ...] = ()) -> tuple[float, Roster]:
    """The optimum of the plan's one stage, and its roster, which the checker accepts."""
    staff = Staff(people or (person(),), wishes)
    result: Result = solve(plan, staff, PARAMS)
    assert result.status is Status.OPTIMAL
    assert result.roster is not None
    assert check(result.roster, plan, staff) == []
    [stage] = result.stages
    assert stage.objective is not None
    return stage.objective, result.roster


def worked(roster: Roster, staff_id: str = "1") -> list[int]:
    """Days of March a person is on duty."""
    return sorted({a.date.day for a in roster.of(staff_id)})


def test_max_consecutive_days() -> None:
    dates = DAYS[2:6]  # Mon 8th .. Thu 11th
    assert solved(week(dates))[0] == 0
    cost, roster = solved(week(dates, max_consecutive_days=2))
    assert cost == SHORT  # one free date in four breaks every run of three
    assert len(worked(roster)) == 3


def test_max_consecutive_days_binds_at_the_edges() -> None:
    cost, roster = solved(week(DAYS[2:5], max_consecutive_days=2))
    assert cost == SHORT
    assert worked(roster) in ([8, 9], [8, 10], [9, 10])


def test_min_consecutive_days_exempts_the_first_and_last_date() -> None:
    dates = DAYS[2:7]  # Mon 8th .. Fri 12th; free on the 9th and 11th
    one = person("1", DAYS[3], DAYS[5])
    cost, roster = solved(week(dates), one)
    assert (cost, worked(roster)) == (2 * SHORT, [8, 10, 12])
    cost, roster = solved(week(dates, min_consecutive_days=3), one)
    # A lone duty day on the 10th is too short; on the 8th or the 12th it touches an end.
    assert (cost, worked(roster)) == (3 * SHORT, [8, 12])


def test_min_consecutive_days_off() -> None:
    dates = DAYS[2:7]
    away = person("1", DAYS[4])  # free on Wed 10th only: a free stretch of one day
    assert solved(week(dates), away)[0] == SHORT
    cost, roster = solved(week(dates, min_consecutive_days_off=2), away)
    assert cost == 2 * SHORT
    assert worked(roster) in ([8, 9, 12], [8, 11, 12])
    at_the_start = person("1", DAYS[2])  # free on the first date: exempt
    assert solved(week(dates, min_consecutive_days_off=2), at_the_start)[0] == SHORT


def test_a_gap_in_the_period_ends_a_stretch_but_exempts_nothing() -> None:
    weekends = (DAYS[0], DAYS[1], DAYS[7], DAYS[8])  # Sat/Sun 6-7 and 13-14
    # Runs do not continue across the gap: four duty days, never more than two in a row.
    assert solved(week(weekends, max_consecutive_days=2))[0] == 0
    # Sun 7th and Sat 13th alone are stretches of one day, bounded by the gap: too short.
    inner = person("1", DAYS[0], DAYS[8])
    assert solved(week(weekends), inner)[0] == 2 * SHORT
    cost, roster = solved(week(weekends, min_consecutive_days=2), inner)
    assert (cost, worked(roster)) == (4 * SHORT, [])


def test_max_weekends() -> None:
    assert solved(week(DAYS))[0] == 0
    cost, roster = solved(week(DAYS, max_weekends=1))
    assert cost == 2 * SHORT  # one whole weekend off; working one day of it counts
    assert len([d for d in worked(roster) if d in (6, 7, 13, 14)]) == 2


def test_max_blocks() -> None:
    plan = week(DAYS[2:4], standby("NIGHT"))
    assert solved(plan)[0] == 0
    cost, roster = solved(week(DAYS[2:4], standby("NIGHT"), max_blocks=(("NIGHT", 1),)))
    assert (cost, len(worked(roster))) == (SHORT, 1)


def test_min_hours_total_fills_beyond_a_target() -> None:
    # A target of 0 still admits people, at the post's cost per person over.
    post = standby(size=0)
    assert solved(week(DAYS[2:4], post))[0] == 0
    cost, roster = solved(week(DAYS[2:4], post, min_hours_total=8))
    assert (cost, len(worked(roster))) == (1, 1)


def test_forbid_after() -> None:
    post = dataclasses.replace(
        standby("AM", "NIGHT"), size=0, size_at=(((DAYS[2], "NIGHT"), 1), ((DAYS[3], "AM"), 1))
    )
    one = person()
    assert solved(week(DAYS[2:4], post), one)[0] == 0
    cost, roster = solved(week(DAYS[2:4], post, forbid_after=(("NIGHT", ("AM",)),)), one)
    assert (cost, len(roster.of("1"))) == (SHORT, 1)


def test_personal_rules_override_the_plan() -> None:
    dates = DAYS[2:6]
    relaxed = Personal(Selector(staff=("人2",)), Rules(max_consecutive_days=4))
    plan = dataclasses.replace(
        week(dates, max_consecutive_days=2), posts=(standby(size=2),), personal=(relaxed,)
    )
    cost, roster = solved(plan, person("1"), person("2"))
    assert cost == SHORT
    assert (len(worked(roster, "1")), len(worked(roster, "2"))) == (3, 4)


def test_soft_at_prices_one_slot_above_the_rest() -> None:
    post = standby(soft_at=(((DAYS[3], "DUTY"), Soft(50, 1)),))
    cost, roster = solved(week(DAYS[2:4], post, max_blocks=(("DUTY", 1),)))
    assert (cost, worked(roster)) == (SHORT, [9])


def test_weighted_wishes() -> None:
    plan = week(DAYS[2:3], standby(soft=Soft(SHORT, 5)))  # both on duty would cost 5
    wishes = (
        Wish("1", DAYS[2], None, WishKind.PREFER, 2.0),
        Wish("人2", DAYS[2], "DUTY", WishKind.PREFER, 3.0),  # by name and block id
    )
    cost, roster = solved(plan, person("1"), person("2"), wishes=wishes)
    assert (cost, {a.staff_id for a in roster}) == (2, {"2"})


@pytest.mark.parametrize(("weight", "expected"), [(2.0, 2.0), (0.5, 0.5), (150.5, SHORT * 15)])
def test_a_summed_stage_adds_costs_and_weights_exactly(weight: float, expected: float) -> None:
    """Coverage and wishes in one stage count in their own units: a place short costs
    150, an avoided duty its weight (not a hundred times it)."""
    post = standby(soft=Soft(SHORT * 15, 1))
    avoid = (Wish("1", DAYS[2], "DUTY", WishKind.AVOID, weight),)
    cost, roster = solved(week(DAYS[2:3], post), wishes=avoid)
    assert cost == pytest.approx(expected)
    assert len(roster) == (0 if weight > SHORT * 15 else 1)


class _Patterns(cp_model.CpSolverSolutionCallback):
    def __init__(self, x: list[cp_model.IntVar]) -> None:
        super().__init__()
        self.x = x
        self.found: set[tuple[int, ...]] = set()

    def on_solution_callback(self) -> None:
        self.found.add(tuple(self.value(var) for var in self.x))


@pytest.mark.parametrize("seed", range(40))
def test_model_and_checker_allow_exactly_the_same_weeks(seed: int) -> None:
    """For one person, every duty pattern the model allows is one the checker accepts and
    the other way round: random dates (with gaps), absences and §2.3 rules."""
    rng = random.Random(seed)
    dates = sorted(rng.sample(DAYS, rng.randint(4, 8)))
    rules = Rules(
        max_consecutive_days=rng.choice([None, 1, 2, 3]),
        min_consecutive_days=rng.choice([None, 2, 3]),
        min_consecutive_days_off=rng.choice([None, 2, 3]),
        max_weekends=rng.choice([None, 0, 1]),
    )
    one = person("1", *(d for d in dates if rng.random() < 0.15))
    plan = week(tuple(dates), **dataclasses.asdict(rules))
    staff = Staff((one,))
    model = build(plan, staff)
    x = [model.variables.x[0, d] for d in sorted(d for _, d in model.variables.x)]
    free = [d for d in dates if not any(a.date == d for a in one.absences)]
    solver = cp_model.CpSolver()
    solver.parameters.enumerate_all_solutions = True
    patterns = _Patterns(x)
    solver.solve(model.cp, patterns)
    allowed = set()
    for bits in itertools.product((0, 1), repeat=len(free)):
        on = [d for d, bit in zip(free, bits, strict=True) if bit]
        roster = Roster(tuple(Assignment(d, "DUTY", "standby", 1, "1", "甲") for d in on))
        if not check(roster, plan, staff):
            allowed.add(bits)
    assert patterns.found == allowed, (dates, rules)


def test_extra_cpsat_parameters_pass_through_and_are_checked() -> None:
    plan = week(DAYS[2:4], max_consecutive_days=1)
    tuned = dataclasses.replace(
        PARAMS, cpsat=(("subsolvers", ("max_lp",)), ("linearization_level", 2))
    )
    assert solved(plan)[0] == solve(plan, Staff((person(),)), tuned).stages[0].objective == SHORT
    for bad in ((("no_such_parameter", 1),), (("linearization_level", "high"),)):
        with pytest.raises(ValueError, match="CP-SAT parameter"):
            solve(plan, Staff((person(),)), dataclasses.replace(PARAMS, cpsat=bad))
