"""The fairness report (SPEC §4): comparables, counting bounds, wishes, rest days, tables.

Values are worked out by hand on the tiny bureau (tests/_tiny_bureau.py). Its burdens:
张伟 18, 李娜 20, 王芳 19, 刘洋 17, 陈刚 19, 周敏 14, 孙丽 0 (ineligible); mean 107/6.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from roster import calendar
from roster.comparables import comparables, explain
from roster.fairness import PersonStats, lorenz, measure
from roster.model import Absence, Assignment, Pin, Roster, Staff, Wish, WishKind
from roster.report import Bound, build_report, tables
from roster.report_render import histogram, to_csv, to_dict
from roster.wishes import Reason, outcomes
from tests import _tiny_bureau as tiny

BURDENS = {"1": 18, "2": 20, "3": 19, "4": 17, "5": 19, "6": 14, "7": 0}


@pytest.fixture(scope="module")
def groups():
    return comparables(tiny.plan(), tiny.staff(), BURDENS)


# --- comparables -------------------------------------------------------------------------


def test_groups_are_people_who_could_staff_the_same_posts(groups):
    # 张伟/李娜: hotline + squad; 王芳/周敏: 甲所 office + squad (a certificate is a role
    # inside the squad, not another post); 刘洋: 乙所 office + squad; 陈刚: leader.
    # 孙丽 could staff nothing and is in no group.
    assert [g.people for g in groups.groups] == [("1", "2"), ("3", "6"), ("4",), ("5",)]
    assert groups.group_of() == {"1": 1, "2": 1, "3": 2, "6": 2, "4": 3, "5": 4}
    assert groups.groups[1].can_do == (
        ("基层所值班（甲所）", "基层所值班 (甲所)"),
        ("执法应急小分队", "执法应急小分队"),
    )


def test_spread_within_each_group(groups):
    spreads = [(g.min, g.mean, g.max, g.spread) for g in groups.groups]
    assert spreads == [(18, 19, 20, 2), (14, 16.5, 19, 5), (17, 17, 17, 0), (19, 19, 19, 0)]


def test_group_bounds_by_counting(groups):
    # Only 张伟 and 李娜 can take the six hotline places: 4 + 8 + 6 + 4 + 8 + 8 = 38, 19 each.
    # Only 王芳 and 周敏 the 甲所 nights: 6 + 8 = 14, 7 each. Only 刘洋 乙所's: 14. Only
    # 陈刚 leads: 9 + 10 = 19.
    assert [g.bound for g in groups.groups] == [19, 7, 14, 19]


def test_roster_wide_counting_bound(groups):
    # Every one-person squad team needs a certificate: only 王芳 and 刘洋 hold one, so they
    # carry the four squad places (9 + 9 + 10 + 10) and 乙所's nights (14): 52, 26 each.
    assert groups.bound == 26
    assert groups.binding is not None
    assert groups.binding.people == frozenset({"3", "4"})
    assert groups.binding.role == "执法证"


def test_outliers_are_explained_in_words():
    report = build_report(tiny.roster(), tiny.plan(), tiny.staff())
    groups = report.comparables.groups
    explained = dict(zip((g.index for g in groups), report.explanations, strict=True))
    # 陈刚 (19, above the mean 17.8) alone can lead: the counting argument explains him.
    zh, en = explained[4]
    assert zh.startswith("只有 1 人（持有 带班）能担任带班领导")
    assert "每人平均至少 19.0" in zh
    assert en.startswith("only 1 person (holding 带班) can take 带班领导")
    # 刘洋 (17) is below the mean: nothing to explain.
    assert explained[3] == ("", "")
    zh, en = report.counting_reason
    assert zh.startswith("只有 2 人（12315中心、甲所、乙所，持有 执法证）")
    assert "共 52.0 负担，每人平均 26.0" in zh


def test_an_explanation_without_a_headcount_reason():
    # Only the hotline and the offices: 张伟 and 李娜 alone take the hotline's 38.
    plan = dataclasses.replace(tiny.plan(), posts=tiny.plan().posts[:2])
    burdens = {"1": 30, "2": 0, "3": 6, "4": 6, "6": 6}
    found = comparables(plan, tiny.staff(), burdens)
    centre = found.groups[0]
    assert centre.people == ("1", "2")
    # hotline 38 over 2 people: 19 each; the mean is 48 / 5 = 9.6 < 19, so the pool explains.
    assert "只有 2 人" in explain(centre, plan, 9.6)[0]
    # With a mean above the pool's 19, the words say headcount does not force it.
    assert explain(centre, plan, 25)[0].startswith("并非人手所限（按人数计算下界 19.0）")


# --- wishes ------------------------------------------------------------------------------


def test_wish_reasons_on_the_tiny_roster():
    found = outcomes(tiny.roster(), tiny.plan(), tiny.staff(), BURDENS)
    reasons = [(o.wish.staff, o.met, o.reason) for o in found]
    assert reasons == [
        ("张伟", True, Reason.MET),
        # 李娜 is on the 15th's hotline night she wished to avoid; 张伟 could have taken it.
        ("2", False, Reason.TRADED),
        # 王芳 wished for 上午 on the 14th; no post in that block admits 甲所 without 坐席.
        ("王芳", False, Reason.NOT_ELIGIBLE),
        ("周敏", True, Reason.MET),
    ]


def _one_wish(wish: Wish, **person_changes) -> Staff:
    staff = tiny.staff()
    people = tuple(
        dataclasses.replace(p, **person_changes) if p.id == "1" and person_changes else p
        for p in staff.people
    )
    return Staff(people, (wish,))


def test_prefer_wish_unmet_because_unavailable():
    absent = (Absence(tiny.D1, block="AM"),)
    staff = _one_wish(Wish("1", tiny.D1, "AM", WishKind.PREFER), absences=absent)
    roster = Roster(tuple(a for a in tiny.roster() if a.staff_id != "1"))
    (found,) = outcomes(roster, tiny.plan(), staff, BURDENS)
    assert (found.met, found.reason) == (False, Reason.UNAVAILABLE)


def test_prefer_wish_unmet_because_it_would_raise_the_largest_burden():
    # 张伟 carries 18; the lightest duty he could add on the 15th is a 4-hour AM (4): 22 > 20.
    staff = _one_wish(Wish("1", tiny.D2, "AM", WishKind.PREFER))
    (found,) = outcomes(tiny.roster(), tiny.plan(), staff, BURDENS)
    assert found.reason is Reason.RAISES_MAX
    assert found.detail[1] == "their burden would go from 18.0 to 22.0, above the largest 20.0"


def test_avoid_wish_unmet_because_pinned_or_nobody_else():
    plan = dataclasses.replace(tiny.plan(), pins=(Pin("陈刚", "leader", tiny.D1, "DAY"),))
    staff = Staff(tiny.staff().people, (Wish("陈刚", tiny.D1, None, WishKind.AVOID),))
    (found,) = outcomes(tiny.roster(), plan, staff, BURDENS)
    assert found.reason is Reason.PINNED
    # Unpinned: 陈刚 is the only one who holds 带班, so nobody else could lead.
    (found,) = outcomes(tiny.roster(), tiny.plan(), staff, BURDENS)
    assert found.reason is Reason.NO_ONE_ELSE


def test_a_wish_naming_nobody():
    staff = Staff(tiny.staff().people, (Wish("无名氏", tiny.D1, None, WishKind.AVOID),))
    (found,) = outcomes(tiny.roster(), tiny.plan(), staff, BURDENS)
    assert (found.person, found.reason) == (None, Reason.UNKNOWN_PERSON)


# --- rest days (补休) ----------------------------------------------------------------------


def test_official_calendar_knows_holidays_and_make_up_workdays():
    # 2026: New Year's Day off on Friday 2 January, made up on Sunday 4 January.
    assert calendar.official(dt.date(2026, 1, 2)).kind is calendar.DayKind.HOLIDAY
    assert not calendar.official(dt.date(2026, 1, 4)).rest  # a Sunday that is a workday
    assert calendar.official(dt.date(2026, 1, 3)).rest  # a plain Saturday
    assert calendar.official(dt.date(2027, 10, 1)).name_zh == "国庆节"
    assert not calendar.official(dt.date(2027, 3, 15)).rest  # a Monday
    assert calendar.makeup_workdays_known(2026)


def test_plan_rest_days_override_the_official_calendar():
    plan = dataclasses.replace(tiny.plan(), rest_days=(tiny.D2,))
    assert not calendar.is_rest_day(plan, tiny.D1)  # a Sunday, but not listed
    assert calendar.is_rest_day(plan, tiny.D2)  # a Monday, listed
    assert "rest_days" in calendar.notes(plan)[0][1]


def _moved(d1: dt.date, d2: dt.date, official: bool) -> dict[str, PersonStats]:
    """The tiny roster moved to ``d1``, ``d2``, measured per person."""
    plan = dataclasses.replace(tiny.plan(), dates=(d1, d2), factors=(), official_holidays=official)
    moved = Roster(
        tuple(dataclasses.replace(a, date=d1 if a.date == tiny.D1 else d2) for a in tiny.roster())
    )
    return {p.id: p for p in measure(moved, plan, tiny.staff()).people}


def test_rest_days_default_to_saturday_and_sunday():
    # SPEC §2.2: with no [calendar], Sat/Sun only. Thursday 1 October 2026 (National Day)
    # is a workday; Sunday 4 January 2026 (a make-up working day) is a rest day.
    plan = tiny.plan()
    assert not calendar.is_rest_day(plan, dt.date(2026, 10, 1))
    assert calendar.is_rest_day(plan, dt.date(2026, 1, 4))
    assert calendar.is_rest_day(plan, dt.date(2026, 1, 3))
    assert "Saturdays and Sundays" in calendar.notes(plan)[0][1]
    assert "official_holidays" in calendar.notes(plan)[0][0]
    # 张伟: AM + NIGHT on Thursday 1 October (8 h), PM on Friday the 2nd (8 h): no 补休.
    people = _moved(dt.date(2026, 10, 1), dt.date(2026, 10, 2), official=False)
    assert (people["1"].hours, people["1"].rest_day_hours) == (16, 0)


def test_rest_day_hours_follow_the_official_calendar_when_opted_in():
    # Move the tiny roster to 1-2 October 2027 (National Day, Friday and Saturday): with
    # official_holidays, both are rest days, so all on-site hours earn 补休.
    people = _moved(dt.date(2027, 10, 1), dt.date(2027, 10, 2), official=True)
    assert (people["1"].hours, people["1"].rest_day_hours) == (16, 16)
    # And make-up workdays do not: Sunday 4 January 2026 was one, Saturday 3rd was not.
    people = _moved(dt.date(2026, 1, 3), dt.date(2026, 1, 4), official=True)
    # 张伟: AM + NIGHT on the 3rd (8 h) earn 补休; PM on the 4th (8 h) does not.
    assert (people["1"].hours, people["1"].rest_day_hours) == (16, 8)


def test_notes_say_when_make_up_workdays_are_unknown():
    if calendar.makeup_workdays_known(2027):
        pytest.skip("this holidays release knows 2027's make-up workdays")
    notes = calendar.notes(dataclasses.replace(tiny.plan(), official_holidays=True))
    assert any("2027" in en and "make-up" in en for _, en in notes)
    assert not any("make-up" in en for _, en in calendar.notes(tiny.plan()))


# --- the report ----------------------------------------------------------------------------


def test_lorenz_curve():
    assert lorenz([1, 3]) == [(0, 0), (0.5, 0.25), (1, 1)]
    assert lorenz([0, 0]) == [(0, 0), (0.5, 0.5), (1, 1)]


def test_summary_table_and_unknown_bound():
    report = build_report(tiny.roster(), tiny.plan(), tiny.staff())
    summary = {row[0]: row[2] for row in tables(report, "en")["summary"].rows}
    assert (summary["max"], summary["min"], summary["spread"]) == (20, 14, 6)
    assert summary["gini"] == pytest.approx(74 / 1284)
    assert summary["bound"] is None
    assert summary["gap"] is None
    assert summary["bound_note"] == "bound unknown for a hand-edited roster"
    assert summary["counting_bound"] == 26
    assert summary["unfilled"] == 2


def test_gap_to_a_known_bound():
    report = build_report(tiny.roster(), tiny.plan(), tiny.staff(), bound=Bound(19, "solve"))
    assert report.gap == pytest.approx(1 / 20)
    below = build_report(tiny.roster(), tiny.plan(), tiny.staff(), bound=Bound(21, "solve"))
    summary = {row[0]: row[2] for row in tables(below, "en")["summary"].rows}
    assert "breaks a rule" in summary["bound_note"]


def test_multi_year_totals():
    history = Roster((Assignment(dt.date(2026, 3, 15), "NIGHT", "hotline", 1, "2", tiny.CENTRE),))
    report = build_report(tiny.roster(), tiny.plan(), tiny.staff(), history=history)
    people = {r["id"]: r for r in tables(report, "en")["people"].records()}
    # 李娜's gala night last year: 4 h x 2 = 8 on top of 20.
    assert (people["2"]["history_burden"], people["2"]["total_burden"]) == (8, 28)
    assert (people["2"]["total_gala_hours"], people["1"]["total_gala_hours"]) == (8, 0)
    summary = {row[0]: row[2] for row in tables(report, "en")["summary"].rows}
    assert (summary["total_max"], summary["total_spread"]) == (28, 14)


def test_machine_outputs_keep_keys_and_raw_values():
    report = build_report(tiny.roster(), tiny.plan(), tiny.staff())
    data = to_dict(report, "zh")
    assert data["people"][0] == {
        "rank": 1,
        "id": "2",
        "name": "李娜",
        "unit": tiny.CENTRE,
        "group": 1,
        "eligible": True,
        "duties": 3,
        "hours": 16.0,
        "oncall_hours": 0.0,
        "burden": 20.0,
        "night_hours": 4.0,
        "gala_hours": 4.0,
        "rest_day_hours": 8.0,
        "wishes_met": 0,
        "wishes_unmet": 1,
    }
    assert data["wishes"][1]["reason"] == "traded"
    assert data["wishes"][1]["wish"] == "avoid"
    assert data["rest_days"] == ["2027-03-14"]
    assert data["bound"] is None
    lines = to_csv(report, "units", "en").splitlines()
    assert lines[0].startswith("unit,people,eligible,burden_share,staff_share,duties")
    assert lines[1].startswith(f"{tiny.CENTRE},2,2,0.35514,0.333333,6,")


def test_histogram_of_burdens():
    assert histogram([18, 20, 19, 17, 19, 14]) == [
        (20, 20, 1),
        (19, 19, 2),
        (18, 18, 1),
        (17, 17, 1),
        (14, 14, 1),
    ]
    # More distinct values than bins: equal ranges from the smallest to the largest.
    ranges = histogram([float(x) for x in range(25)], bins=5)
    assert [n for _, _, n in ranges] == [5, 5, 5, 5, 5]
    assert (ranges[0][0], ranges[0][1], ranges[-1][0]) == (19.2, 24, 0)
    assert histogram([]) == []
