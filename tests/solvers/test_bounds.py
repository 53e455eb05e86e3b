"""The evenness relaxation (solvers/cpsat/bounds.py): valid, and stronger than chords.

Valid means no roster under the cap has a smaller sum of squared burdens than the bound;
checked against brute force, on a hand-made case and on generated ones.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator

from hypothesis import HealthCheck, assume, given, settings

from roster.checker import check
from roster.model import Block, Person, Plan, Post, Roster, Staff
from roster.result import SolverParams, Status
from solvers import solve
from solvers.cpsat import bounds
from solvers.cpsat.solver import build
from tests.test_properties import brute_force_rosters, scenarios

D1, D2 = dt.date(2027, 3, 14), dt.date(2027, 3, 15)
PARAMS = SolverParams(time_limit=20, workers=1, seed=0)


def test_duty_sets_are_the_disjoint_sets_under_the_cap() -> None:
    items = [(0, 4, 2, 0), (4, 8, 2, 1), (2, 6, 1, 2), (0, 16, 3, 3), (8, 12, 2, 4)]
    expected = [
        sorted(subset)
        for k in range(len(items) + 1)
        for subset in itertools.combinations(items, k)
        if sum(item[2] for item in subset) <= 4
        and all(a[1] <= b[0] or b[1] <= a[0] for a, b in itertools.combinations(subset, 2))
    ]
    found = bounds.duty_sets(items, cap=4)
    assert found is not None
    assert sorted(map(sorted, found)) == sorted(expected)


def test_duty_sets_give_up_beyond_the_limit() -> None:
    items = [(i * 4, i * 4 + 4, 1, i) for i in range(12)]  # 2**12 disjoint sets
    assert bounds.duty_sets(items, cap=12, limit=100) is None


def squads() -> tuple[Plan, Staff]:
    """Five people fill a 16-hour and a 4-hour post that overlap, on two dates.

    Everyone can reach every burden a chord needs, so the chords let the LP share both
    posts out evenly; but nobody can hold both on one date, which the duty sets know.
    """
    day, am = Block("DAY", "全天", 8 * 60, 24 * 60), Block("AM", "上午", 8 * 60, 12 * 60)
    post = Post("post", "岗位", blocks=("DAY", "AM"), size=2, weight=0.5)
    plan = Plan("t", (D1, D2), (day, am), (post,))
    staff = Staff(tuple(Person(f"P{i}", f"人{i}", "甲所") for i in range(1, 6)))
    return plan, staff


def valid_rosters(plan: Plan, staff: Staff) -> Iterator[Roster]:
    rosters = brute_force_rosters(plan, staff, limit=20_000)
    assert rosters is not None
    return (roster for roster in rosters if not check(roster, plan, staff))


def burdens(roster: Roster, plan: Plan, unit: int) -> list[int]:
    """Each holder's burden in the model's units, from the plan (not from the model)."""
    posts = {post.id: post for post in plan.posts}
    per: Counter[str] = Counter()
    for a in roster.filled:
        per[a.staff_id or ""] += round(plan.burden(posts[a.post], a.date, a.block) * 100) // unit
    return list(per.values())


def chords_only(plan: Plan, staff: Staff, cap: int) -> int:
    """The same LP with every person priced by chords (as CP-SAT's own relaxation is)."""
    model = build(plan, staff)
    original = bounds.duty_sets
    bounds.duty_sets = lambda items, cap, limit=0: None  # type: ignore[assignment]
    try:
        relaxation = bounds.evenness_relaxation(model.variables, model.terms.burdens_unit(), cap)
    finally:
        bounds.duty_sets = original
    assert relaxation is not None
    return relaxation.bound


def test_the_relaxation_proves_the_optimum_chords_cannot() -> None:
    plan, staff = squads()
    model = build(plan, staff)
    unit = model.terms.burdens_unit()
    each = [burdens(roster, plan, unit) for roster in valid_rosters(plan, staff)]
    cap = min(max(b) for b in each)
    best = min(sum(x * x for x in b) for b in each if max(b) <= cap)

    relaxation = bounds.evenness_relaxation(model.variables, unit, cap)

    assert relaxation is not None
    assert relaxation.bound == best
    assert chords_only(plan, staff, cap) < best


def test_the_relaxation_rules_out_caps_below_the_largest_burden() -> None:
    plan, staff = squads()
    model = build(plan, staff)
    unit = model.terms.burdens_unit()
    cap = min(max(b) for b in (burdens(r, plan, unit) for r in valid_rosters(plan, staff)))

    assert bounds.largest_burden_floor(model.variables, unit, 0, cap + 3) == cap


def test_the_solver_reports_the_relaxations_proof() -> None:
    plan, staff = squads()
    result = solve(plan, staff, PARAMS)
    evenness = next(stage for stage in result.stages if stage.name == "evenness")
    assert evenness.status is Status.OPTIMAL
    assert evenness.bound == evenness.objective


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(scenarios())
def test_no_roster_under_the_cap_beats_the_bounds(scenario: tuple[Plan, Staff]) -> None:
    plan, staff = scenario
    rosters = brute_force_rosters(plan, staff, limit=2_000)
    assume(rosters is not None)
    assert rosters is not None
    model = build(plan, staff)
    unit = model.terms.burdens_unit()
    each = [burdens(r, plan, unit) or [0] for r in rosters if not check(r, plan, staff)]
    assume(each)
    caps = sorted({max(b) for b in each})
    assert bounds.largest_burden_floor(model.variables, unit, 0, caps[-1]) <= caps[0]
    for cap in caps[:2]:  # the optimal cap, and one above it
        best = min(sum(x * x for x in b) for b in each if max(b) <= cap)
        relaxation = bounds.evenness_relaxation(model.variables, unit, cap)
        if relaxation is not None:
            assert relaxation.bound <= best
