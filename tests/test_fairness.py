"""Fairness metrics (SPEC §4) against values worked out by hand on the tiny bureau."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest

from roster.fairness import PersonStats, gini, measure, person_stats, summarize
from roster.model import Assignment, Factor, Roster
from tests import _tiny_bureau as tiny


@pytest.fixture(scope="module")
def fairness():
    return measure(tiny.roster(), tiny.plan(), tiny.staff())


def by_id(fairness) -> dict[str, PersonStats]:
    return {p.id: p for p in fairness.people}


def test_every_staff_member_is_listed_in_staff_order(fairness):
    assert [p.id for p in fairness.people] == ["1", "2", "3", "4", "5", "6", "7"]


def test_person_hours_burden_and_counts(fairness):
    people = by_id(fairness)
    # 张伟: hotline AM 14th (4h, 4) + NIGHT 14th (4h, 4 x 1.5 = 6) + PM 15th (8h, 8).
    # On-site 16 h, burden 18; night 4 h (20-24 on the 14th); no gala; 补休: the 14th is a
    # Sunday, on-site 4 + 4 = 8 h.
    p = people["1"]
    assert (p.duties, p.hours, p.oncall_hours, p.burden) == (3, 16, 0, 18)
    assert (p.night_hours, p.gala_hours, p.rest_day_hours) == (4, 0, 8)
    # 李娜: PM 14th (8h, 8) + AM 15th (4h, 4) + NIGHT 15th (4h, 4 x 2 = 8): burden 20;
    # night 4, gala 4 (20-24 on the 15th), 补休 8 (PM of Sunday).
    p = people["2"]
    assert (p.duties, p.hours, p.oncall_hours, p.burden) == (3, 16, 0, 20)
    assert (p.night_hours, p.gala_hours, p.rest_day_hours) == (4, 4, 8)
    # 王芳: squad DAY both dates, on call 16 + 16 h: (12 + 6) x 0.5 + (12 + 8) x 0.5 = 19;
    # each DAY holds 20-24: night 8, gala 4; on-call hours earn no 补休.
    p = people["3"]
    assert (p.duties, p.hours, p.oncall_hours, p.burden) == (2, 0, 32, 19)
    assert (p.night_hours, p.gala_hours, p.rest_day_hours) == (8, 4, 0)
    # 刘洋: squad DAY 14th (9) + office NIGHT 15th (4h on site, 8): 17.
    p = people["4"]
    assert (p.duties, p.hours, p.oncall_hours, p.burden) == (2, 4, 16, 17)
    assert (p.night_hours, p.gala_hours, p.rest_day_hours) == (8, 4, 0)
    # 陈刚: leader DAY both dates, 9 + 10 = 19.
    p = people["5"]
    assert (p.duties, p.hours, p.oncall_hours, p.burden) == (2, 0, 32, 19)
    # 周敏: office NIGHT 14th (6) + 15th (8) = 14; 补休 4 (the Sunday night).
    p = people["6"]
    assert (p.duties, p.hours, p.burden, p.rest_day_hours) == (2, 8, 14, 4)
    assert (p.night_hours, p.gala_hours) == (8, 4)
    # 孙丽: no duty.
    p = people["7"]
    assert (p.duties, p.hours, p.oncall_hours, p.burden, p.night_hours) == (0, 0, 0, 0, 0)


def test_eligibility_follows_units_and_skills(fairness):
    people = by_id(fairness)
    # 周敏 has no skill but 甲所 has its own office post; 孙丽's 办公室 is admitted nowhere.
    assert [people[i].eligible for i in "1234567"] == [True] * 6 + [False]


def test_wishes_met_and_unmet(fairness):
    people = by_id(fairness)
    # 张伟 prefers the 15th (on PM): met. 李娜 (by id) avoids NIGHT on the 15th (on it): unmet.
    # 王芳 prefers 上午 (block name) on the 14th, is on DAY only: unmet. 周敏 avoids AM on the
    # 14th and is on NIGHT: met.
    met = {i: (people[i].wishes_met, people[i].wishes_unmet) for i in "12367"}
    assert met == {"1": (1, 0), "2": (0, 1), "3": (0, 1), "6": (1, 0), "7": (0, 0)}


def test_summary_over_eligible_people(fairness):
    s = fairness.summary
    # Burdens of the eligible: 18, 20, 19, 17, 19, 14 (孙丽 is left out); Σ = 107.
    assert (s.count, s.max, s.min, s.spread) == (6, 20, 14, 6)
    assert s.mean == pytest.approx(107 / 6)
    # Σx² = 324 + 400 + 361 + 289 + 361 + 196 = 1931; variance = 1931/6 - (107/6)² = 137/36.
    assert s.std == pytest.approx(math.sqrt(137) / 6)
    # Sorted 14 17 18 19 19 20; Σ_{i<j} |xi - xj| = 23 + 8 + 4 + 1 + 1 = 37, over ordered
    # pairs 74; Gini = 74 / (2 n Σx) = 74 / (2 x 6 x 107).
    assert s.gini == pytest.approx(74 / 1284)
    assert fairness.unfilled == 2


def test_units(fairness):
    units = {u.unit: u for u in fairness.units}
    assert list(units) == [tiny.CENTRE, tiny.OFFICE_A, tiny.OFFICE_B, tiny.LEADERS, tiny.ADMIN]
    centre = units[tiny.CENTRE]
    # 张伟 18 + 李娜 20 = 38 of 107; 2 of 6 eligible people.
    assert (centre.people, centre.eligible, centre.burden, centre.duties) == (2, 2, 38, 6)
    assert centre.burden_share == pytest.approx(38 / 107)
    assert centre.staff_share == pytest.approx(2 / 6)
    assert (centre.hours, centre.night_hours, centre.rest_day_hours) == (32, 8, 16)
    assert (centre.wishes_met, centre.wishes_unmet) == (1, 1)
    office_a = units[tiny.OFFICE_A]  # 王芳 19 + 周敏 14
    assert (office_a.burden, office_a.hours, office_a.oncall_hours) == (33, 8, 32)
    assert office_a.burden_share == pytest.approx(33 / 107)
    admin = units[tiny.ADMIN]
    assert (admin.people, admin.eligible, admin.burden, admin.staff_share) == (1, 0, 0, 0)
    assert sum(u.burden_share for u in fairness.units) == pytest.approx(1)
    assert sum(u.staff_share for u in fairness.units) == pytest.approx(1)


def test_by_burden_sorts_descending_keeping_staff_order_on_ties(fairness):
    assert [p.id for p in fairness.by_burden()] == ["2", "3", "5", "1", "4", "6", "7"]


def test_history_counts_earlier_duties():
    last_year = dt.date(2026, 3, 15)
    history = Roster(
        (
            Assignment(last_year, "NIGHT", "hotline", 1, "1", tiny.CENTRE),
            Assignment(last_year, "AM", "retired-post", 1, "1", tiny.CENTRE),
        )
    )
    fairness = measure(tiny.roster(), tiny.plan(), tiny.staff(), history=history)
    people = by_id(fairness)
    # Last year's 15 March is read as this year's: the NIGHT hotline duty is a gala night,
    # 4 x 2 = 8, with 4 night and 4 gala hours; the unknown post counts as a duty only.
    p = people["1"]
    assert (p.history_duties, p.history_burden, p.history_hours) == (2, 8, 4)
    assert (p.history_night_hours, p.history_gala_hours, p.history_oncall_hours) == (4, 4, 0)
    assert (p.total_burden, p.total_night_hours, p.total_gala_hours) == (18 + 8, 8, 4)
    assert (people["2"].history_duties, people["2"].history_burden) == (0, 0)
    # Multi-year totals of the eligible: 26, 20, 19, 17, 19, 14.
    assert fairness.history_summary is not None
    assert (fairness.history_summary.max, fairness.history_summary.min) == (26, 14)
    assert {u.unit: u.history_burden for u in fairness.units}[tiny.CENTRE] == 8
    assert by_id(measure(tiny.roster(), tiny.plan(), tiny.staff()))["1"].history_duties is None


def test_overlapping_night_windows_count_once():
    plan = dataclasses.replace(
        tiny.plan(),
        factors=(Factor(18 * 60, 22 * 60, 1.2), Factor(20 * 60, 24 * 60, 1.5)),
    )
    person = tiny.staff().people[0]
    duty = Assignment(tiny.D2, "PM", "hotline", 1, "1", tiny.CENTRE)
    stats = person_stats(person, [duty], plan)
    # PM 12-20 meets 18-22 for 2 h; 20-24 not at all.
    assert stats.night_hours == 2
    # 6 h x 1 + 2 h x 1.2
    assert stats.burden == pytest.approx(8.4)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([5, 5, 5], 0.0),
        ([0, 0, 0], 0.0),
        ([], 0.0),
        # Σ|xi - xj| over ordered pairs = 2 x (1+2+3+1+2+1) = 20; 2 n² mean = 2 x 16 x 2.5 = 80.
        ([1, 2, 3, 4], 0.25),
        # one of four holds everything: 2 x 3 = 6 over 2 x 16 x 0.25 = 8.
        ([0, 0, 0, 1], 0.75),
    ],
)
def test_gini(values, expected):
    assert gini(values) == pytest.approx(expected)


def test_summary_of_nobody_is_zero():
    s = summarize([])
    assert (s.count, s.max, s.min, s.spread, s.mean, s.std, s.gini) == (0, 0, 0, 0, 0, 0, 0)
