"""The Curtois–Qu benchmark reader: parsing, translation, the independent score and validator.

The core tests use ``tests/data/curtois_tiny.txt`` (7 days, 3 staff, 2 shift types, CRLF
line ends, written for these tests); its optimum, 201, is found here by enumeration. The
published instances 1-3 run only where the benchmark folder is present.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
from collections import Counter
from pathlib import Path

import pytest

from roster.checker import check
from roster.io.curtois import (
    START,
    Employee,
    FormatError,
    Instance,
    Score,
    date_of,
    parse_instance,
    read_instance,
    score,
    to_inputs,
    violations,
)
from roster.model import Assignment, Roster, Soft
from roster.result import SolverParams, Status
from solvers import solve

TINY = Path(__file__).parents[1] / "data" / "curtois_tiny.txt"
CPSAT = (("subsolvers", ("max_lp",)),)  # as benchmarks/curtois.py runs it


def benchmark_dir() -> Path:
    env = os.environ.get("ROSTER_CURTOIS_DIR")
    return (
        Path(env) if env else Path(__file__).parents[2] / ".." / "shared" / "benchmarks" / "curtois"
    )


@pytest.fixture(scope="module")
def tiny() -> Instance:
    return read_instance(TINY)


def rota(*rows: tuple[str, int, str]) -> Roster:
    """A roster from (employee, day, shift) rows, as the translation names posts and blocks."""
    return Roster(tuple(Assignment(date_of(day), t, t, 1, who, "ward") for who, day, t in rows))


# --- parsing -------------------------------------------------------------------------------


def test_the_file_has_crlf_line_ends() -> None:
    data = TINY.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > 40


def test_parser_reads_every_section(tiny: Instance) -> None:
    assert tiny.name == "curtois_tiny"
    assert tiny.horizon == 7
    assert [(s.id, s.minutes, s.blocked) for s in tiny.shifts] == [
        ("D", 480, ()),
        ("N", 600, ("D",)),
    ]
    assert tiny.employees[0] == Employee("A", (("D", 7), ("N", 0)), 2400, 1440, 3, 2, 2, 1)
    assert dict(tiny.days_off) == {"A": (6,), "B": (0, 1), "C": (3,)}
    assert [(r.employee, r.day, r.shift, r.weight) for r in tiny.on_requests] == [
        ("A", 0, "D", 2),
        ("B", 2, "N", 1),
        ("C", 5, "N", 3),
    ]
    assert len(tiny.off_requests) == 2
    assert len(tiny.cover) == 14
    by_slot = {(c.day, c.shift): c for c in tiny.cover}
    assert by_slot[6, "N"].requirement == 0  # written "-0"
    assert (by_slot[5, "D"].under, by_slot[5, "D"].over) == (50, 2)


def test_line_ends_do_not_matter(tiny: Instance) -> None:
    text = TINY.read_text(encoding="ascii")
    assert parse_instance(text.replace("\r\n", "\n"), "curtois_tiny") == tiny


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("A,D=7|N=0,2400,1440,3,2,2,1", "A,D=7|N=0,2400,1440,3,2,2"), ":14: SECTION_STAFF"),
        (("2,D,1,100,1", "2,D,one,100,1"), ":41: 'one' is not an integer"),
        (("B,2,N,1", "B,2,X,1"), "unknown employee, shift or day"),
        (("N,600,D", "N,600,E"), "blocks unknown ['E']"),
    ],
)
def test_bad_files_are_reported_with_the_line(change: tuple[str, str], message: str) -> None:
    text = TINY.read_text(encoding="ascii").replace(*change)
    with pytest.raises(FormatError, match=message.replace("[", r"\[").replace("|", r"\|")):
        parse_instance(text, "bad")


# --- translation ---------------------------------------------------------------------------


def test_day_zero_is_a_monday() -> None:
    assert START.weekday() == 0
    assert [date_of(d).weekday() for d in (5, 6)] == [5, 6]  # weekend 0: Saturday, Sunday


def test_translation(tiny: Instance) -> None:
    staff, plan = to_inputs(tiny)
    assert plan.dates == tuple(START + dt.timedelta(days=d) for d in range(7))
    # Every shift starts at 00:00, so all shifts of a day overlap: one shift a day.
    assert [(b.id, b.start, b.end) for b in plan.blocks] == [("D", 0, 480), ("N", 0, 600)]
    assert plan.stages == (("coverage", "wishes"),)
    assert plan.rules.forbid_after == (("N", ("D",)),)
    night = plan.post("N")
    assert night.soft == Soft(100, 1)
    assert [night.size_on(date_of(d), "N") for d in range(7)] == [1, 1, 1, 0, 1, 1, 0]
    assert plan.post("D").soft_on(date_of(5), "D") == Soft(50, 2)
    a, b, c = staff.people
    assert a.skills == {"D"}  # N=0: not qualified
    assert b.skills == c.skills == {"D", "N"}
    assert [x.date for x in b.absences] == [date_of(0), date_of(1)]
    rules_a, rules_b = plan.rules_for(a), plan.rules_for(b)
    assert (rules_a.max_hours_total, rules_a.min_hours_total) == (40, 24)
    assert (rules_a.max_consecutive_days, rules_a.min_consecutive_days) == (3, 2)
    assert (rules_a.min_consecutive_days_off, rules_a.max_weekends) == (2, 1)
    assert rules_b.max_blocks == (("N", 2),)
    assert rules_b.min_consecutive_days is None  # 1 does not bind
    assert rules_b.forbid_after == (("N", ("D",)),)
    wishes = Counter((w.staff, w.date, w.block, w.kind.value, w.weight) for w in staff.wishes)
    assert wishes[("C", date_of(5), "N", "prefer", 3.0)] == 1
    assert wishes[("A", date_of(1), "D", "avoid", 1.0)] == 1


# --- the independent score and validator ---------------------------------------------------


HAND = rota(
    ("A", 0, "D"), ("A", 1, "D"), ("A", 2, "D"),
    ("B", 2, "D"), ("B", 3, "D"), ("B", 4, "N"), ("B", 5, "N"),
    ("C", 0, "N"), ("C", 1, "N"), ("C", 2, "N"), ("C", 5, "D"), ("C", 6, "D"),
)  # fmt: skip


def test_score_by_hand(tiny: Instance) -> None:
    # Short: day 1 D, day 3 D, day 4 D (3 x 100). Extra: day 2 D (1 x 1).
    # On-requests B day 2 N (1) and C day 5 N (3) unmet; off-request A day 1 D broken (1).
    assert score(tiny, HAND) == Score(under=300, over=1, on_requests=4, off_requests=1)
    assert score(tiny, HAND).total == 306
    # Nobody on duty: 13 places short at 100 and one at 50; every on-request unmet.
    assert score(tiny, Roster(())) == Score(under=1350, over=0, on_requests=6, off_requests=0)


def test_hand_roster_is_valid(tiny: Instance) -> None:
    assert violations(tiny, HAND) == []
    staff, plan = to_inputs(tiny)
    assert check(HAND, plan, staff) == []


def without(roster: Roster, who: str, day: int) -> Roster:
    return Roster(tuple(a for a in roster if (a.staff_id, a.date) != (who, date_of(day))))


def plus(roster: Roster, *rows: tuple[str, int, str]) -> Roster:
    return Roster(roster.assignments + rota(*rows).assignments)


def moved(who: str, day: int, shift: str) -> Roster:
    """HAND with the employee's duty on that day changed to ``shift``."""
    return plus(without(HAND, who, day), (who, day, shift))


@pytest.mark.parametrize(
    ("roster", "message", "rule"),
    [
        (plus(HAND, ("A", 3, "D")), "4 shifts in a row, at most 3", "max_consecutive_days"),
        (without(HAND, "C", 6), "1 shifts in a row, at least 2", "min_consecutive_days"),
        (plus(HAND, ("A", 4, "D"), ("A", 5, "D")), "1 days off in a row, at least 2",
         "min_consecutive_days_off"),
        (moved("C", 2, "D"), "day 2: D may not follow N", "forbid_after"),
        (moved("B", 5, "D"), "day 5: D may not follow N", "forbid_after"),
        (plus(HAND, ("A", 6, "D")), "day 6: works on a fixed day off", "availability"),
        (moved("A", 2, "N"), "1 shifts of type N, at most 0", "qualification"),
        (moved("B", 3, "N"), "3 shifts of type N, at most 2", "max_blocks"),
        (without(HAND, "A", 2), "works 960 minutes, not within 1440-2400", "min_hours_total"),
        (plus(HAND, ("C", 4, "D")), "works 3240 minutes, not within 960-3000", "total_hours"),
        (plus(HAND, ("C", 0, "D")), "day 0: 2 shifts", "overlap"),
    ],
    ids=[
        "max-consecutive", "min-consecutive", "min-days-off", "blocked", "blocked-2",
        "day-off", "max-shifts-0", "max-shifts", "min-minutes", "max-minutes", "one-a-day",
    ],
)  # fmt: skip
def test_each_hard_rule_is_found_by_both_validators(
    tiny: Instance, roster: Roster, message: str, rule: str
) -> None:
    found = violations(tiny, roster)
    assert any(message in v for v in found), found
    staff, plan = to_inputs(tiny)
    assert rule in {v.rule for v in check(roster, plan, staff)}


def test_runs_touching_the_horizon_are_exempt_from_minima(tiny: Instance) -> None:
    # A lone shift on day 6 (A: min 2 in a row) and a lone day off on day 0 touch the ends.
    edges = dataclasses.replace(tiny, days_off=(("A", ()), ("B", (0, 1)), ("C", (3,))))
    roster = rota(("A", 1, "D"), ("A", 2, "D"), ("A", 3, "D"), ("A", 6, "D"))
    assert not [v for v in violations(edges, roster) if v.startswith("A ")]
    staff, plan = to_inputs(edges)
    assert not [v for v in check(roster, plan, staff) if v.staff_id == "A"]


def test_weekends_count_once_for_saturday_and_sunday(tiny: Instance) -> None:
    one = dataclasses.replace(
        tiny, employees=tuple(dataclasses.replace(e, max_weekends=1) for e in tiny.employees)
    )
    assert violations(one, HAND) == []  # C on Saturday and Sunday: one weekend
    none = dataclasses.replace(
        tiny, employees=tuple(dataclasses.replace(e, max_weekends=0) for e in tiny.employees)
    )
    assert [v for v in violations(none, HAND) if "weekends" in v] == [
        "B: works 1 weekends, at most 0",
        "C: works 1 weekends, at most 0",
    ]
    staff, plan = to_inputs(none)
    assert [(v.rule, v.staff_id) for v in check(HAND, plan, staff)] == [
        ("max_weekends", "B"),
        ("max_weekends", "C"),
    ]


# --- solving ------------------------------------------------------------------------------


def brute_force(instance: Instance) -> int:
    """The optimum by enumeration: each employee's feasible weeks, then the cover."""
    shifts = [s.id for s in instance.shifts]
    weeks: dict[str, list[tuple[tuple[str | None, ...], int]]] = {}
    for e in instance.employees:
        alone = dataclasses.replace(
            instance,
            employees=(e,),
            days_off=tuple(x for x in instance.days_off if x[0] == e.id),
            on_requests=tuple(r for r in instance.on_requests if r.employee == e.id),
            off_requests=tuple(r for r in instance.off_requests if r.employee == e.id),
            cover=(),
        )
        weeks[e.id] = []
        for week in itertools.product([None, *shifts], repeat=instance.horizon):
            roster = rota(*((e.id, d, t) for d, t in enumerate(week) if t))
            if not violations(alone, roster):
                weeks[e.id].append((week, score(alone, roster).total))
    slots = [(c.day, c.shift) for c in instance.cover]
    best: dict[tuple[int, ...], int] = {tuple(0 for _ in slots): 0}
    for e in instance.employees:
        grown: dict[tuple[int, ...], int] = {}
        for counts, cost in best.items():
            for week, requests in weeks[e.id]:
                key = tuple(n + (week[d] == t) for n, (d, t) in zip(counts, slots, strict=True))
                if grown.get(key, 1 << 60) > cost + requests:
                    grown[key] = cost + requests
        best = grown
    return min(
        cost
        + sum(
            c.under * max(0, c.requirement - n) + c.over * max(0, n - c.requirement)
            for n, c in zip(counts, instance.cover, strict=True)
        )
        for counts, cost in best.items()
    )


def test_the_product_reaches_the_enumerated_optimum(tiny: Instance) -> None:
    staff, plan = to_inputs(tiny)
    result = solve(plan, staff, SolverParams(time_limit=30, workers=1, seed=0))
    assert result.status is Status.OPTIMAL
    assert result.roster is not None
    [stage] = result.stages
    assert violations(tiny, result.roster) == []
    assert check(result.roster, plan, staff) == []
    assert stage.objective == score(tiny, result.roster).total == brute_force(tiny) == 201


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("number", "optimum"), [(1, 607), (2, 828), (3, 1001)])
def test_published_instances_solve_to_their_proven_optima(number: int, optimum: int) -> None:
    path = benchmark_dir() / "instances" / f"Instance{number}.txt"
    if not path.exists():
        pytest.skip(f"Curtois-Qu instances not found at {path.parent} (set ROSTER_CURTOIS_DIR)")
    instance = read_instance(path)
    staff, plan = to_inputs(instance)
    params = SolverParams(time_limit=40, workers=2, seed=0, cpsat=CPSAT)
    result = solve(plan, staff, params)
    assert result.roster is not None
    assert violations(instance, result.roster) == []
    [stage] = result.stages
    assert (stage.objective, stage.bound) == (optimum, optimum)
    assert score(instance, result.roster).total == optimum
