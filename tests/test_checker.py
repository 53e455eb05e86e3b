"""The independent checker: one hand-made violation per rule, and the caps at their boundary.

The fixture bureau has 8 people in 2 units over 2 dates. Its valid roster sits exactly at
every cap of the plan (8 on-site hours a date, 8 unbroken hours, 8 hours of rest, 16 in all),
so each boundary test lowers (or raises) one cap by the smallest step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from roster.checker import CHECKS, RULES, Violation, check
from roster.model import (
    Absence,
    Apart,
    Assignment,
    Block,
    Kind,
    Person,
    Personal,
    Pin,
    Plan,
    Post,
    Restrict,
    Roster,
    Rules,
    Selector,
    Soft,
    Staff,
)

D1, D2 = dt.date(2027, 3, 14), dt.date(2027, 3, 15)
CENTRE, TOWN = "12315投诉举报中心", "岑城市场监管所"


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


BLOCKS = (
    Block("AM", "上午", hm("08:00"), hm("12:00")),
    Block("PM", "下午", hm("12:00"), hm("16:00")),
    Block("NIGHT", "夜班", hm("20:00"), hm("24:00")),
    Block("DAY", "全天", hm("08:00"), hm("24:00")),
)
HOTLINE = Post(
    "hotline",
    "12315专线坐席",
    ("AM", "PM", "NIGHT"),
    units=(CENTRE,),
    require=frozenset({"坐席"}),
)
OFFICE = Post("office", "基层所值班", ("AM", "PM"), per_unit=(CENTRE, TOWN))
SQUAD = Post(
    "squad",
    "执法应急小分队",
    ("DAY",),
    size=2,
    at_least=(("执法证", 2),),
    kind=Kind.ONCALL,
    weight=0.5,
)
PLAN = Plan(
    title="测试局值班表",
    dates=(D1, D2),
    blocks=BLOCKS,
    posts=(HOTLINE, OFFICE, SQUAD),
    rules=Rules(
        max_onsite_hours_per_day=8,
        max_consecutive_hours=8,
        min_rest_hours=8,
        max_hours_total=16,
    ),
)


def person(id: str, name: str, unit: str, gender: str, *skills: str, cert: str = "") -> Person:
    return Person(id, name, unit, gender=gender, skills=frozenset(skills), cert=cert)


STAFF = Staff(
    (
        person("P1", "张伟", CENTRE, "男", "坐席", cert="C001"),
        person("P2", "李娜", CENTRE, "女", "坐席"),
        person("P3", "王芳", CENTRE, "女", "坐席", cert="C003"),
        person("P4", "刘洋", TOWN, "男", cert="C004"),
        person("P5", "陈静", TOWN, "女", cert="C005"),
        person("P6", "杨磊", TOWN, "男"),
        person("P7", "赵敏", CENTRE, "女"),  # no skills, no duty
        person("P8", "孙强", TOWN, "男", "坐席"),  # no duty
    )
)
UNIT = {p.id: p.unit for p in STAFF}


def a(
    date: dt.date, block: str, post: str, staff: str | None, team: int = 1, unit: str = ""
) -> Assignment:
    return Assignment(date, block, post, team, staff, unit or UNIT.get(staff or "", ""))


ROSTER = Roster(
    (
        a(D1, "AM", "hotline", "P1"),
        a(D1, "PM", "hotline", "P2"),
        a(D1, "NIGHT", "hotline", "P3"),
        a(D1, "AM", "office", "P2"),
        a(D1, "PM", "office", "P1"),
        a(D1, "AM", "office", "P6"),
        a(D1, "PM", "office", "P6"),
        a(D1, "DAY", "squad", "P4"),
        a(D1, "DAY", "squad", "P5"),
        a(D2, "AM", "hotline", "P3"),
        a(D2, "PM", "hotline", "P1"),
        a(D2, "NIGHT", "hotline", "P2"),
        a(D2, "AM", "office", "P1"),
        a(D2, "PM", "office", "P3"),
        a(D2, "AM", "office", "P6"),
        a(D2, "PM", "office", "P6"),
        a(D2, "DAY", "squad", "P4"),
        a(D2, "DAY", "squad", "P5"),
    )
)


# --- helpers ------------------------------------------------------------------------


def edit(
    roster: Roster = ROSTER,
    *,
    drop: tuple[Assignment, ...] = (),
    add: tuple[Assignment, ...] = (),
) -> Roster:
    """The roster without ``drop`` (each must be there) and with ``add``."""
    rows = list(roster.assignments)
    for row in drop:
        rows.remove(row)
    return Roster((*rows, *add))


def swap(date: dt.date, block: str, post: str, old: str, new: str, unit: str = "") -> Roster:
    """The roster with ``new`` in ``old``'s place (keeping a per_unit part via ``unit``)."""
    return edit(drop=(a(date, block, post, old),), add=(a(date, block, post, new, unit=unit),))


def with_rules(plan: Plan = PLAN, **limits: Any) -> Plan:
    return dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, **limits))


def personal(staff_id: str, plan: Plan = PLAN, **limits: Any) -> Plan:
    rules = Personal(Selector(staff=(staff_id,)), Rules(**limits))
    return dataclasses.replace(plan, personal=(*plan.personal, rules))


def with_person(staff: Staff, staff_id: str, **changes: Any) -> Staff:
    people = tuple(dataclasses.replace(p, **changes) if p.id == staff_id else p for p in staff)
    return dataclasses.replace(staff, people=people)


def only(found: list[Violation], rule: str) -> list[Violation]:
    """The violations, after asserting that they are all of ``rule`` (and there are some)."""
    assert found, f"expected {rule}, found nothing"
    assert {v.rule for v in found} == {rule}, [v.en for v in found]
    return found


def where(v: Violation) -> tuple[object, ...]:
    return (v.staff_id, v.date, v.block, v.post)


# --- the valid roster ---------------------------------------------------------------


def test_valid_roster_has_no_violations() -> None:
    assert check(ROSTER, PLAN, STAFF) == []


def test_order_of_rows_does_not_matter() -> None:
    assert check(Roster(ROSTER.assignments[::-1]), PLAN, STAFF) == []


def test_one_check_per_rule_code() -> None:
    assert len(CHECKS) == len(RULES)
    assert [c.__name__ for c in CHECKS][1:7] == [
        "check_coverage",
        "check_qualification",
        "check_team_composition",
        "check_eligibility",
        "check_overlap",
        "check_availability",
    ]


def test_violation_rejects_unknown_rule_code() -> None:
    with pytest.raises(ValueError, match="unknown rule"):
        Violation(rule="nonsense", zh="", en="")


# --- §3.1 coverage ------------------------------------------------------------------


def test_coverage_place_missing() -> None:
    roster = edit(drop=(a(D1, "NIGHT", "hotline", "P3"),))
    [v] = only(check(roster, PLAN, STAFF), "coverage")
    assert (v.date, v.block, v.post, v.team, v.staff_id) == (D1, "NIGHT", "hotline", 1, None)
    assert v.en == "2027-03-14 NIGHT, 12315专线坐席: 1 place unfilled (0 of 1 filled)"
    assert v.zh == "2027-03-14 夜班 12315专线坐席：空缺 1 人（已排 0 人，需要 1 人）"


def test_coverage_place_marked_unfilled() -> None:
    roster = edit(drop=(a(D1, "NIGHT", "hotline", "P3"),), add=(a(D1, "NIGHT", "hotline", None),))
    [v] = only(check(roster, PLAN, STAFF), "coverage")
    assert (v.date, v.block, v.post) == (D1, "NIGHT", "hotline")
    assert "1 place unfilled" in v.en
    assert "1 marked unfilled" in v.en


def test_coverage_too_many() -> None:
    roster = edit(add=(a(D2, "AM", "hotline", "P2"),))
    [v] = only(check(roster, PLAN, STAFF), "coverage")
    assert (v.date, v.block, v.post) == (D2, "AM", "hotline")
    assert v.en.endswith("2 people on duty, exactly 1 needed")


def test_coverage_per_unit_part() -> None:
    roster = edit(drop=(a(D1, "AM", "office", "P6"),))
    [v] = only(check(roster, PLAN, STAFF), "coverage")
    assert (v.date, v.block, v.post, v.unit) == (D1, "AM", "office", TOWN)
    assert v.zh.startswith(f"2027-03-14 上午 基层所值班（{TOWN}）：空缺 1 人")


def test_coverage_counts_a_person_once() -> None:
    """Listed twice in one team, a person fills one place (and breaks §3.4)."""
    roster = edit(drop=(a(D1, "DAY", "squad", "P5"),), add=(a(D1, "DAY", "squad", "P4"),))
    rules = {v.rule for v in check(roster, PLAN, STAFF)}
    assert {"coverage", "overlap"} <= rules


def test_soft_post_is_not_held_to_its_size() -> None:
    soft = dataclasses.replace(HOTLINE, soft=Soft(under=100, over=1))
    plan = dataclasses.replace(PLAN, posts=(soft, OFFICE, SQUAD))
    short = edit(drop=(a(D1, "NIGHT", "hotline", "P3"),))
    extra = edit(add=(a(D2, "AM", "hotline", "P2"),))
    assert check(short, plan, STAFF) == []
    assert check(extra, plan, STAFF) == []


# --- §3.2 qualification and team composition ---------------------------------------


def test_qualification_missing_required_skill() -> None:
    roster = swap(D2, "NIGHT", "hotline", "P2", "P7")
    [v] = only(check(roster, PLAN, STAFF), "qualification")
    assert where(v) == ("P7", D2, "NIGHT", "hotline")
    assert "赵敏(P7)" in v.zh
    assert "坐席" in v.en


def test_team_composition_too_few_certificate_holders() -> None:
    roster = swap(D1, "DAY", "squad", "P5", "P7")
    [v] = only(check(roster, PLAN, STAFF), "team_composition")
    assert (v.date, v.block, v.post, v.team, v.staff_id) == (D1, "DAY", "squad", 1, None)
    assert v.render("zh") == "2027-03-14 全天 执法应急小分队：执法证持有人 1 人，至少需要 2 人"
    assert v.render("en") == "2027-03-14 DAY, 执法应急小分队: 1 holder of 执法证, at least 2 needed"


def test_team_composition_names_the_team() -> None:
    squad = dataclasses.replace(SQUAD, teams_at=(((D1, "DAY"), 2),))
    plan = dataclasses.replace(PLAN, posts=(HOTLINE, OFFICE, squad))
    roster = edit(add=(a(D1, "DAY", "squad", "P7", team=2), a(D1, "DAY", "squad", "P8", team=2)))
    [v] = only(check(roster, plan, STAFF), "team_composition")
    assert v.team == 2
    assert v.zh == "2027-03-14 全天 执法应急小分队 第2队：执法证持有人 0 人，至少需要 2 人"
    assert v.en == "2027-03-14 DAY, 执法应急小分队 team 2: 0 holders of 执法证, at least 2 needed"


# --- §3.3 eligibility ---------------------------------------------------------------


def test_eligibility_unit_not_admitted() -> None:
    roster = swap(D2, "NIGHT", "hotline", "P2", "P8")
    [v] = only(check(roster, PLAN, STAFF), "eligibility")
    assert where(v) == ("P8", D2, "NIGHT", "hotline")


def test_eligibility_per_unit_post_takes_only_its_own_unit() -> None:
    roster = swap(D1, "AM", "office", "P6", "P7", unit=TOWN)
    [v] = only(check(roster, PLAN, STAFF), "eligibility")
    assert where(v) == ("P7", D1, "AM", "office")
    assert v.unit == TOWN


def test_eligibility_per_unit_part_the_post_lacks() -> None:
    roster = edit(add=(a(D1, "AM", "office", "P8", unit="大坡市场监管所"),))
    [v] = only(check(roster, PLAN, STAFF), "eligibility")
    assert where(v) == ("P8", D1, "AM", "office")


# --- §3.4 one place at a time -------------------------------------------------------


def test_overlap_day_against_am() -> None:
    """P4's on-call DAY (08-24) squad duty overlaps an AM office duty."""
    roster = swap(D1, "AM", "office", "P6", "P4")
    [v] = only(check(roster, PLAN, STAFF), "overlap")
    assert (v.staff_id, v.date) == ("P4", D1)
    assert {v.block, v.post} == {"AM", "office"}
    assert "刘洋(P4)" in v.zh


def test_overlap_same_duty_twice() -> None:
    roster = edit(add=(a(D1, "NIGHT", "hotline", "P3"),))
    [v] = only(check(roster, PLAN, STAFF), "overlap")
    assert where(v) == ("P3", D1, "NIGHT", "hotline")
    assert "twice" in v.en


# --- §3.5 availability --------------------------------------------------------------


@pytest.mark.parametrize(
    "absence",
    [
        Absence(D1),
        Absence(D1, start=hm("22:00"), end=hm("23:00")),
        Absence(D1, block="NIGHT"),
        Absence(D1, start=hm("23:00"), end=hm("01:00")),
    ],
    ids=["whole-date", "time-range", "block", "past-midnight"],
)
def test_availability(absence: Absence) -> None:
    staff = with_person(STAFF, "P3", absences=(absence,))
    [v] = only(check(ROSTER, PLAN, staff), "availability")
    assert where(v) == ("P3", D1, "NIGHT", "hotline")


def test_availability_reports_the_duty() -> None:
    staff = with_person(STAFF, "P3", absences=(Absence(D1, block="NIGHT", reason="病假"),))
    [v] = only(check(ROSTER, PLAN, staff), "availability")
    assert where(v) == ("P3", D1, "NIGHT", "hotline")
    assert "病假" in v.zh


@pytest.mark.parametrize(
    "absence",
    [
        Absence(D1, start=hm("16:00"), end=hm("20:00")),  # ends as NIGHT starts
        Absence(D2, start=hm("00:00"), end=hm("08:00")),  # ends as AM starts
        Absence(dt.date(2027, 3, 16)),  # outside the period
    ],
)
def test_availability_touching_is_not_overlap(absence: Absence) -> None:
    staff = with_person(STAFF, "P3", absences=(absence,))
    assert check(ROSTER, PLAN, staff) == []


# --- §3.6 caps: boundaries ------------------------------------------------------------

AT_EIGHT = {("P1", D1), ("P2", D1), ("P6", D1), ("P1", D2), ("P3", D2), ("P6", D2)}


@pytest.mark.parametrize(
    ("rule", "field", "at_cap", "past_cap", "expected"),
    [
        ("daily_hours", "max_onsite_hours_per_day", 8, 7.5, AT_EIGHT),
        ("consecutive_hours", "max_consecutive_hours", 8, 7.5, AT_EIGHT),
        ("rest", "min_rest_hours", 8, 8.5, {("P3", D2)}),
        ("total_hours", "max_hours_total", 16, 15.5, {("P1", None), ("P6", None)}),
    ],
)
def test_cap_boundary(
    rule: str, field: str, at_cap: float, past_cap: float, expected: set[tuple[str, dt.date]]
) -> None:
    assert check(ROSTER, with_rules(PLAN, **{field: at_cap}), STAFF) == []
    found = only(check(ROSTER, with_rules(PLAN, **{field: past_cap}), STAFF), rule)
    assert {(v.staff_id, v.date) for v in found} == expected


def test_caps_ignore_oncall_duties() -> None:
    """P4 and P5 hold 16 on-call hours a date: no cap counts them."""
    plan = with_rules(max_onsite_hours_per_day=0.5, max_consecutive_hours=0.5, max_hours_total=0.5)
    found = check(ROSTER, plan, STAFF)
    assert not {"P4", "P5"} & {v.staff_id for v in found}


# --- §3.6 caps: hand-made violations --------------------------------------------------


def test_daily_hours() -> None:
    roster = swap(D1, "NIGHT", "hotline", "P3", "P1")
    [v] = only(check(roster, with_rules(max_hours_total=None), STAFF), "daily_hours")
    assert (v.staff_id, v.date) == ("P1", D1)
    assert v.en == "张伟(P1): 12 on-site hours on 2027-03-14, at most 8"


DAWN = Block("DAWN", "凌晨", hm("00:00"), hm("04:00"))
PATROL = Post("patrol", "夜间巡查", ("DAWN",), soft=Soft(under=1, over=1))
NIGHT_PLAN = dataclasses.replace(PLAN, blocks=(*BLOCKS, DAWN), posts=(*PLAN.posts, PATROL))
# P3: NIGHT on D1, then DAWN and AM on D2 (P7 takes P3's D2 PM office duty)
NIGHT_ROSTER = edit(swap(D2, "PM", "office", "P3", "P7"), add=(a(D2, "DAWN", "patrol", "P3"),))


def test_consecutive_hours_across_midnight() -> None:
    plan = personal("P3", with_rules(NIGHT_PLAN, min_rest_hours=None), max_consecutive_hours=7.5)
    [v] = only(check(NIGHT_ROSTER, plan, STAFF), "consecutive_hours")
    assert where(v) == ("P3", D1, "NIGHT", "hotline")
    assert "8 unbroken on-site hours from 2027-03-14 20:00 to 2027-03-15 04:00" in v.en


def test_rest_between_dates() -> None:
    """NIGHT until 24:00 then DAWN from 00:00: 8 unbroken hours (at the cap), no rest."""
    [v] = only(check(NIGHT_ROSTER, NIGHT_PLAN, STAFF), "rest")
    assert where(v) == ("P3", D2, "DAWN", "patrol")
    assert "0 hours of rest" in v.en


def test_total_hours_personal_max_hours() -> None:
    assert check(ROSTER, PLAN, with_person(STAFF, "P2", max_hours=12)) == []
    [v] = only(check(ROSTER, PLAN, with_person(STAFF, "P2", max_hours=11)), "total_hours")
    assert v.staff_id == "P2"
    assert v.zh == "李娜(P2) 值班期间现场值班共 12 小时，最多 11 小时"


# --- §2.3 rules ---------------------------------------------------------------------


def test_max_consecutive_days() -> None:
    assert check(ROSTER, personal("P4", max_consecutive_days=2), STAFF) == []
    [v] = only(check(ROSTER, personal("P4", max_consecutive_days=1), STAFF), "max_consecutive_days")
    assert (v.staff_id, v.date) == ("P4", D1)


def test_max_blocks() -> None:
    assert check(ROSTER, personal("P1", max_blocks=(("AM", 2),)), STAFF) == []
    [v] = only(check(ROSTER, personal("P1", max_blocks=(("AM", 1),)), STAFF), "max_blocks")
    assert where(v) == ("P1", D2, "AM", "office")


def test_min_hours_total() -> None:
    assert check(ROSTER, personal("P2", min_hours_total=12), STAFF) == []
    [v] = only(check(ROSTER, personal("P2", min_hours_total=12.5), STAFF), "min_hours_total")
    assert v.staff_id == "P2"


def test_min_hours_total_binds_people_without_duty() -> None:
    found = only(check(ROSTER, with_rules(min_hours_total=1), STAFF), "min_hours_total")
    assert {v.staff_id for v in found} == {"P4", "P5", "P7", "P8"}  # on call or free


def test_forbid_after() -> None:
    assert check(ROSTER, with_rules(forbid_after=(("NIGHT", ("NIGHT",)),)), STAFF) == []
    plan = with_rules(forbid_after=(("NIGHT", ("AM",)),))
    [v] = only(check(ROSTER, plan, STAFF), "forbid_after")
    assert where(v) == ("P3", D2, "AM", "hotline")


# A week and a bit, one on-call soft post: only the sequence rules can bind.
SAT = dt.date(2027, 3, 6)
WEEK = tuple(SAT + dt.timedelta(days=i) for i in range(9))  # Sat 6th .. Sun 14th
STANDBY = Post("standby", "备勤", ("DAY",), kind=Kind.ONCALL, soft=Soft(under=1, over=1))
WEEK_PLAN = Plan(title="周值班", dates=WEEK, blocks=BLOCKS, posts=(STANDBY,))


def on(*days: int) -> Roster:
    """P1 on standby on these days of March."""
    return Roster(tuple(a(dt.date(2027, 3, d), "DAY", "standby", "P1") for d in days))


def week(**limits: Any) -> Plan:
    return with_rules(WEEK_PLAN, **limits)


def test_max_consecutive_days_long_period() -> None:
    assert check(on(8, 9, 10, 12), week(max_consecutive_days=3), STAFF) == []
    [v] = only(
        check(on(8, 9, 10, 11, 13), week(max_consecutive_days=3), STAFF), "max_consecutive_days"
    )
    assert (v.staff_id, v.date) == ("P1", dt.date(2027, 3, 8))


def test_min_consecutive_days() -> None:
    """A lone duty day on the first or last date is exempt; one in the middle is not."""
    assert check(on(6, 8, 9, 14), week(min_consecutive_days=2), STAFF) == []
    [v] = only(
        check(on(6, 8, 9, 11, 14), week(min_consecutive_days=2), STAFF), "min_consecutive_days"
    )
    assert (v.staff_id, v.date) == ("P1", dt.date(2027, 3, 11))


def test_min_consecutive_days_off() -> None:
    assert check(on(6, 9, 10, 13, 14), week(min_consecutive_days_off=2), STAFF) == []
    found = check(on(6, 7, 9, 10, 13, 14), week(min_consecutive_days_off=2), STAFF)
    [v] = only(found, "min_consecutive_days_off")
    assert (v.staff_id, v.date) == ("P1", dt.date(2027, 3, 8))


def test_min_consecutive_days_off_exempts_the_first_and_last_date() -> None:
    """A lone free date on the first or last date of the period is exempt; in between not."""
    assert check(on(7, 8, 9, 12, 13), week(min_consecutive_days_off=2), STAFF) == []
    [v] = only(
        check(on(7, 8, 10, 11, 12, 13), week(min_consecutive_days_off=2), STAFF),
        "min_consecutive_days_off",
    )
    assert (v.staff_id, v.date) == ("P1", dt.date(2027, 3, 9))


def test_a_gap_in_the_period_ends_a_stretch() -> None:
    weekends = dataclasses.replace(WEEK_PLAN, dates=(WEEK[0], WEEK[1], WEEK[7], WEEK[8]))
    roster = on(6, 7, 13, 14)
    assert check(roster, with_rules(weekends, max_consecutive_days=2), STAFF) == []
    lone = on(7, 13)  # Sunday 7th and Saturday 13th: two stretches of one day
    found = only(
        check(lone, with_rules(weekends, min_consecutive_days=2), STAFF), "min_consecutive_days"
    )
    assert [v.date for v in found] == [dt.date(2027, 3, 7), dt.date(2027, 3, 13)]


def test_max_weekends() -> None:
    assert check(on(6, 7), week(max_weekends=1), STAFF) == []  # one weekend, two days
    assert check(on(6, 14), week(max_weekends=2), STAFF) == []
    [v] = only(check(on(6, 10, 14), week(max_weekends=1), STAFF), "max_weekends")
    assert (v.staff_id, v.date) == ("P1", dt.date(2027, 3, 14))


# --- §3.7 pins, apart, restrict -------------------------------------------------------


def test_pin_held() -> None:
    pins = (Pin("张伟", "hotline", D1, "AM"), Pin("P4", "squad", D2, "DAY", team=1))
    assert check(ROSTER, dataclasses.replace(PLAN, pins=pins), STAFF) == []


def test_pin_not_held() -> None:
    plan = dataclasses.replace(PLAN, pins=(Pin("李娜", "hotline", D1, "AM"),))
    [v] = only(check(ROSTER, plan, STAFF), "pin")
    assert where(v) == ("P2", D1, "AM", "hotline")
    assert v.en == "pin not held: 李娜(P2) should be on 2027-03-14 AM, 12315专线坐席"


def test_apart() -> None:
    plan = dataclasses.replace(PLAN, apart=(Apart(("李娜", "王芳")),))
    assert check(ROSTER, plan, STAFF) == []
    roster = swap(D2, "PM", "hotline", "P1", "P2")  # P3 holds the D2 PM office duty
    [v] = only(check(roster, plan, STAFF), "apart")
    assert where(v) == ("P2", D2, "PM", "hotline")
    assert "王芳(P3)" in v.zh


def test_restrict() -> None:
    women_nights = Restrict(Selector(gender=("女",)), ("NIGHT",))
    found = only(
        check(ROSTER, dataclasses.replace(PLAN, restrict=(women_nights,)), STAFF), "restrict"
    )
    assert {where(v) for v in found} == {
        ("P3", D1, "NIGHT", "hotline"),
        ("P2", D2, "NIGHT", "hotline"),
    }


def test_restrict_on_dates() -> None:
    rule = Restrict(Selector(gender=("女",)), ("NIGHT",), dates=(D2,))
    [v] = only(check(ROSTER, dataclasses.replace(PLAN, restrict=(rule,)), STAFF), "restrict")
    assert where(v) == ("P2", D2, "NIGHT", "hotline")


def test_restrict_matches_block_ids_not_times() -> None:
    """A NIGHT restriction does not reach the on-call DAY squad (P5 is a woman)."""
    rule = Restrict(Selector(unit=(TOWN,)), ("NIGHT",))
    assert check(ROSTER, dataclasses.replace(PLAN, restrict=(rule,)), STAFF) == []


# --- unknown references ---------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        a(D1, "AM", "nosuch", "P7"),
        a(D1, "MORNING", "hotline", "P1"),
        a(dt.date(2027, 3, 16), "AM", "hotline", "P1"),
        a(D1, "NIGHT", "office", "P7"),
        a(D1, "DAY", "squad", "P7", team=2),
        a(D1, "AM", "hotline", "P99"),
        a(D1, "AM", "office", None, unit="大坡市场监管所"),
    ],
    ids=["post", "block", "date", "block-of-post", "team", "staff", "unit-part"],
)
def test_unknown_reference_in_roster(row: Assignment) -> None:
    [v] = only(check(edit(add=(row,)), PLAN, STAFF), "unknown_reference")
    assert (v.date, v.block, v.post, v.staff_id) == (row.date, row.block, row.post, row.staff_id)


def test_unknown_person_fills_no_place() -> None:
    rules = {v.rule for v in check(swap(D1, "AM", "hotline", "P1", "P99"), PLAN, STAFF)}
    assert rules == {"unknown_reference", "coverage"}


@pytest.mark.parametrize(
    "changes",
    [
        {"pins": (Pin("无名", "hotline", D1, "AM"),)},
        {"pins": (Pin("P1", "hotline", D1, "DAY"),)},
        {"apart": (Apart(("李娜", "无名")),)},
        {"restrict": (Restrict(Selector(gender=("女",)), ("MORNING",)),)},
        {"rules": Rules(forbid_after=(("NIGHT", ("MORNING",)),))},
    ],
    ids=["pin-staff", "pin-block", "apart", "restrict", "forbid_after"],
)
def test_unknown_reference_in_plan(changes: dict[str, Any]) -> None:
    only(check(ROSTER, dataclasses.replace(PLAN, **changes), STAFF), "unknown_reference")


def test_unknown_reference_name_shared_by_two() -> None:
    twin = person("P9", "张伟", TOWN, "男")
    staff = dataclasses.replace(STAFF, people=(*STAFF.people, twin))
    plan = dataclasses.replace(PLAN, pins=(Pin("张伟", "hotline", D1, "AM"),))
    [v] = only(check(ROSTER, plan, staff), "unknown_reference")
    assert "give the id" in v.en


def test_unknown_reference_absence_block() -> None:
    staff = with_person(STAFF, "P7", absences=(Absence(D1, block="MORNING"),))
    [v] = only(check(ROSTER, PLAN, staff), "unknown_reference")
    assert v.staff_id == "P7"


# --- everything at once ---------------------------------------------------------------


def test_every_violation_is_listed() -> None:
    roster = edit(
        swap(D2, "NIGHT", "hotline", "P2", "P7"),  # qualification
        drop=(a(D1, "AM", "office", "P6"),),  # coverage
        add=(a(D1, "NIGHT", "hotline", "P3"),),  # overlap (listed twice)
    )
    plan = dataclasses.replace(
        with_rules(min_rest_hours=9),  # rest: P3 NIGHT D1 -> AM D2
        restrict=(Restrict(Selector(gender=("女",)), ("NIGHT",)),),  # P3 D1, P7 D2
        pins=(Pin("P2", "hotline", D2, "NIGHT"),),  # P2 was replaced
    )
    found = check(roster, plan, STAFF)
    assert [v.rule for v in found] == [
        "coverage",
        "qualification",
        "overlap",
        "rest",
        "pin",
        "restrict",
        "restrict",
    ]
    for v in found:
        assert v.render("zh") == v.zh
        assert v.render("en") == v.en
        assert v.zh != v.en
        assert any("\u4e00" <= ch <= "\u9fff" for ch in v.zh)
