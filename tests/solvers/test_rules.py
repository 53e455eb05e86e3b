"""One small case per §3 rule, where the rule decides the outcome.

Each test solves the same tiny plan with and without the rule: without it the plan is
staffed in a way the rule forbids (or at all), with it the model must refuse that.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from roster.model import (
    Absence,
    Apart,
    Block,
    Kind,
    Person,
    Pin,
    Plan,
    Post,
    Restrict,
    Rules,
    Selector,
    Staff,
)
from roster.result import Result, SolverParams, Status
from solvers import solve

D1, D2 = dt.date(2027, 3, 14), dt.date(2027, 3, 15)
AM = Block("AM", "上午", 8 * 60, 12 * 60)
PM = Block("PM", "下午", 12 * 60, 16 * 60)
EVE = Block("EVE", "傍晚", 16 * 60, 20 * 60)
NIGHT = Block("NIGHT", "夜间", 20 * 60, 24 * 60)
DAY = Block("DAY", "全天", 8 * 60, 24 * 60)
PARAMS = SolverParams(time_limit=20, workers=1, seed=0)


def person(pid: str, unit: str = "甲", **kwargs: object) -> Person:
    return Person(pid, f"人{pid}", unit, **kwargs)  # type: ignore[arg-type]


def plan(*posts: Post, dates: tuple[dt.date, ...] = (D1,), **kwargs: object) -> Plan:
    return Plan("t", dates, (AM, PM, EVE, NIGHT, DAY), posts, **kwargs)  # type: ignore[arg-type]


def run(p: Plan, *people: Person) -> Result:
    return solve(p, Staff(people), PARAMS)


def who(result: Result, post: str | None = None, block: str | None = None) -> set[str]:
    assert result.roster is not None
    return {
        a.staff_id
        for a in result.roster
        if a.staff_id and (post is None or a.post == post) and (block is None or a.block == block)
    }


def test_coverage_fills_every_place_exactly() -> None:
    p = plan(Post("h", "坐席", ("AM", "PM"), size=2))
    result = run(p, *(person(str(i)) for i in range(5)))
    assert result.status is Status.OPTIMAL
    assert result.roster is not None
    for block in ("AM", "PM"):
        assert len([a for a in result.roster if a.block == block]) == 2


def test_coverage_cannot_be_met_by_too_few_people() -> None:
    assert run(plan(Post("h", "坐席", ("AM",), size=3)), person("1"), person("2")).status is (
        Status.INFEASIBLE
    )


def test_require_keeps_out_those_without_the_skill() -> None:
    post = Post("h", "坐席", ("AM",), require=frozenset({"坐席"}))
    holder = person("1", skills=frozenset({"坐席"}), absences=(Absence(D1),))
    assert run(plan(dataclasses.replace(post, require=frozenset())), holder, person("2")).status
    assert run(plan(post), holder, person("2")).status is Status.INFEASIBLE


def test_at_least_holds_per_team() -> None:
    post = Post(
        "s", "小分队", ("DAY",), size=2, teams=2, at_least=(("执法证", 1),), kind=Kind.ONCALL
    )
    people = [person("1", cert="C1"), person("2", cert="C2"), person("3"), person("4")]
    result = run(plan(post), *people)
    assert result.roster is not None
    for team in (1, 2):
        members = {a.staff_id for a in result.roster if a.team == team}
        assert members & {"1", "2"}, f"team {team} has no certificate holder"
    strict = dataclasses.replace(post, at_least=(("执法证", 2),))
    assert run(plan(strict), *people).status is Status.INFEASIBLE


def test_units_limit_who_may_staff_a_post() -> None:
    post = Post("h", "坐席", ("AM",), units=("甲",))
    assert run(plan(post), person("1", "乙")).status is Status.INFEASIBLE
    assert who(run(plan(post), person("1", "乙"), person("2", "甲"))) == {"2"}


def test_per_unit_post_is_staffed_by_its_own_unit() -> None:
    post = Post("o", "基层所", ("AM",), per_unit=("甲", "乙"))
    result = run(plan(post), person("1", "甲"), person("2", "乙"), person("3", "丙"))
    assert result.roster is not None
    assert {(a.unit, a.staff_id) for a in result.roster} == {("甲", "1"), ("乙", "2")}
    assert run(plan(post), person("1", "甲"), person("3", "丙")).status is Status.INFEASIBLE


def test_nobody_holds_overlapping_duties() -> None:
    hot = Post("h", "坐席", ("AM",))
    squad = Post("s", "备勤", ("DAY",), kind=Kind.ONCALL)  # 08-24 overlaps 08-12
    assert run(plan(hot, squad), person("1")).status is Status.INFEASIBLE
    result = run(plan(hot, squad), person("1"), person("2"))
    assert who(result, "h") != who(result, "s")


@pytest.mark.parametrize(
    "absence",
    [Absence(D1), Absence(D1, start=9 * 60, end=10 * 60), Absence(D1, block="AM")],
    ids=["date", "time-range", "block"],
)
def test_unavailable_people_are_not_rostered(absence: Absence) -> None:
    p = plan(Post("h", "坐席", ("AM",)))
    assert run(p, person("1", absences=(absence,))).status is Status.INFEASIBLE
    assert who(run(p, person("1", absences=(absence,)), person("2"))) == {"2"}


def test_absence_that_only_touches_a_block_does_not_bind() -> None:
    p = plan(Post("h", "坐席", ("AM",)))
    assert who(run(p, person("1", absences=(Absence(D1, start=12 * 60, end=14 * 60),)))) == {"1"}


def three_blocks() -> Post:
    return Post("h", "坐席", ("AM", "PM", "EVE"))


def test_daily_onsite_hours_are_capped() -> None:
    assert run(plan(three_blocks()), person("1")).status is Status.OPTIMAL
    capped = plan(three_blocks(), rules=Rules(max_onsite_hours_per_day=8))
    assert run(capped, person("1")).status is Status.INFEASIBLE


def test_oncall_duty_does_not_count_toward_hour_caps() -> None:
    post = Post("l", "带班", ("DAY",), kind=Kind.ONCALL)
    assert run(plan(post, rules=Rules(max_onsite_hours_per_day=8)), person("1")).status is (
        Status.OPTIMAL
    )


def test_consecutive_hours_are_capped_but_a_break_resets_them() -> None:
    rules = Rules(max_consecutive_hours=8)
    assert run(plan(three_blocks(), rules=rules), person("1")).status is Status.INFEASIBLE
    broken = Post("h", "坐席", ("AM", "PM", "NIGHT"))  # a 4-hour break at 16:00-20:00
    assert run(plan(broken, rules=rules), person("1")).status is Status.OPTIMAL


def test_rest_between_dates() -> None:
    post = Post("h", "坐席", ("NIGHT", "AM"))  # 24:00 to 08:00 next morning is 8 hours
    night_then_morning = person("1", absences=(Absence(D1, block="AM"), Absence(D2, block="NIGHT")))
    other = person("2", absences=(Absence(D1, block="NIGHT"), Absence(D2, block="AM")))
    for rest, expected in ((8, Status.OPTIMAL), (9, Status.INFEASIBLE)):
        p = plan(post, dates=(D1, D2), rules=Rules(min_rest_hours=rest))
        assert run(p, night_then_morning, other).status is expected, rest


def test_total_hours_over_the_period_are_capped() -> None:
    p = plan(Post("h", "坐席", ("AM", "NIGHT")), dates=(D1, D2), rules=Rules(max_hours_total=12))
    assert run(p, person("1")).status is Status.INFEASIBLE
    result = run(p, person("1"), person("2"))
    assert result.roster is not None
    assert all(len(result.roster.of(pid)) <= 3 for pid in ("1", "2"))


def test_personal_max_hours_lowers_the_cap() -> None:
    p = plan(Post("h", "坐席", ("AM", "NIGHT")), rules=Rules(max_hours_total=16))
    assert run(p, person("1")).status is Status.OPTIMAL
    assert run(p, person("1", max_hours=4)).status is Status.INFEASIBLE


def test_pin_holds_against_fairness() -> None:
    post = Post("h", "坐席", ("AM", "PM"))
    pin = Pin("人2", "h", D1, "PM")
    free = run(plan(post, pins=(Pin("人2", "h", D1, "AM"),)), person("1"), person("2"))
    assert who(free, block="AM") == {"2"}
    pinned = run(plan(post, pins=(pin,)), person("1"), person("2"))
    assert who(pinned, block="PM") == {"2"}


def test_pin_by_id_when_names_repeat() -> None:
    twins = Person("A1", "张伟", "甲"), Person("B7", "张伟", "乙")
    result = run(plan(Post("h", "坐席", ("AM",)), pins=(Pin("B7", "h", D1, "AM"),)), *twins)
    assert who(result) == {"B7"}


def test_apart_people_are_never_on_duty_together() -> None:
    posts = Post("h", "坐席", ("AM",)), Post("s", "备勤", ("DAY",), kind=Kind.ONCALL)
    people = person("1"), person("2")
    assert run(plan(*posts), *people).status is Status.OPTIMAL
    apart = plan(*posts, apart=(Apart(("人1", "人2")),))
    assert run(apart, *people).status is Status.INFEASIBLE
    assert run(apart, *people, person("3")).status is Status.OPTIMAL


def test_restrict_keeps_selected_people_out_of_blocks() -> None:
    post = Post("h", "坐席", ("NIGHT",))
    keep_out = Restrict(Selector(gender=("女",)), ("NIGHT",))
    woman, man = person("1", gender="女"), person("2", gender="男")
    assert run(plan(post), woman).status is Status.OPTIMAL
    assert run(plan(post, restrict=(keep_out,)), woman).status is Status.INFEASIBLE
    assert who(run(plan(post, restrict=(keep_out,)), woman, man)) == {"2"}


def test_fairness_spreads_the_largest_burden() -> None:
    p = plan(Post("h", "坐席", ("AM", "PM", "EVE", "NIGHT")))
    result = run(p, *(person(str(i)) for i in range(4)))
    assert result.max_burden is not None
    assert result.max_burden.objective == pytest.approx(4.0)
    assert result.max_burden.bound == pytest.approx(4.0)
    assert result.status is Status.OPTIMAL


def test_same_seed_and_one_worker_give_the_same_roster() -> None:
    p = plan(Post("h", "坐席", ("AM", "PM", "EVE", "NIGHT"), size=2), dates=(D1, D2))
    people = [person(str(i)) for i in range(7)]
    assert run(p, *people).roster == run(p, *people).roster


def test_absence_past_midnight_covers_the_next_morning() -> None:
    p = plan(Post("h", "坐席", ("AM",)), dates=(D2,))
    overnight = Absence(D1, start=22 * 60, end=9 * 60)  # 22:00 on the 14th to 09:00 on the 15th
    assert who(run(p, person("1", absences=(overnight,)), person("2"))) == {"2"}
