"""The history and wishes stages: history moves the gala night, wishes never break a rule."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from roster.checker import check
from roster.fairness import resolve_wishes, wish_met
from roster.model import (
    Assignment,
    Block,
    Factor,
    Person,
    Plan,
    Post,
    Roster,
    Rules,
    Staff,
    Wish,
    WishKind,
)
from roster.result import SolverParams, Status
from roster.wishes import Reason, outcomes
from solvers import solve
from solvers.cpsat import solver
from tests import _tiny_bureau as tiny

D1, D2 = dt.date(2027, 3, 14), dt.date(2027, 3, 15)
PARAMS = SolverParams(time_limit=10, workers=1, seed=0)


def two_nights() -> tuple[Plan, Staff]:
    """One hotline seat on two nights, the second the gala night (x2), for two equals.

    Fairness gives each one night (burdens 6 and 8 either way); who gets the gala night
    is left to the later stages.
    """
    plan = Plan(
        "两晚",
        (D1, D2),
        (Block("NIGHT", "晚上", 20 * 60, 24 * 60),),
        (Post("hotline", "12315专线坐席", ("NIGHT",)),),
        factors=(Factor(20 * 60, 24 * 60, 1.5), Factor(20 * 60, 24 * 60, 2.0, date=D2)),
    )
    return plan, Staff((Person("A", "甲", "中心"), Person("B", "乙", "中心")))


def gala_holder(history: Roster | None) -> str:
    plan, staff = two_nights()
    result = solve(plan, staff, PARAMS, history=history)
    assert result.roster is not None
    assert not check(result.roster, plan, staff)
    (holder,) = [a.staff_id for a in result.roster if a.date == D2]
    assert holder is not None
    return holder


def last_gala(staff_id: str) -> Roster:
    return Roster((Assignment(dt.date(2026, 3, 15), "NIGHT", "hotline", 1, staff_id, "中心"),))


def test_history_moves_the_gala_night_to_the_other_person():
    # Whoever would get it without history, last year's gala-night holder does not.
    assert gala_holder(last_gala("A")) == "B"
    assert gala_holder(last_gala("B")) == "A"
    without = gala_holder(None)
    assert gala_holder(last_gala(without)) != without


def test_history_stage_runs_after_the_plan_stages():
    plan, staff = two_nights()
    result = solve(plan, staff, PARAMS, history=last_gala("A"))
    assert [s.name for s in result.stages] == ["max_burden", "evenness", "wishes", "history"]
    # B on the gala night costs nothing; A on the 14th: 4 night hours against 4 last year,
    # plus a tenth of 6 burden x 8 earlier burden: 16 + 4.8.
    assert result.stages[-1].objective == pytest.approx(20.8)


def test_earlier_night_duty_weighs_less_than_an_earlier_gala_night():
    # A had an ordinary night last year (14 March), B the gala night: B is spared it.
    plan, staff = two_nights()
    history = Roster(
        (
            Assignment(dt.date(2026, 3, 14), "NIGHT", "hotline", 1, "A", "中心"),
            Assignment(dt.date(2026, 3, 15), "NIGHT", "hotline", 1, "B", "中心"),
        )
    )
    result = solve(plan, staff, PARAMS, history=history)
    assert result.roster is not None
    assert [a.staff_id for a in result.roster if a.date == D2] == ["A"]


def test_history_never_outweighs_fairness():
    # A carried everything last year; fairness still splits this year's two nights.
    plan, staff = two_nights()
    history = Roster(
        tuple(
            Assignment(dt.date(2026, 3, day), "NIGHT", "hotline", 1, "A", "中心")
            for day in (10, 11, 12, 13, 14, 15)
        )
    )
    result = solve(plan, staff, PARAMS, history=history)
    assert result.roster is not None
    assert sorted(a.staff_id or "" for a in result.roster) == ["A", "B"]


def wished() -> tuple[Plan, Staff]:
    """The tiny bureau without its squads (two one-person teams need the only two
    certificate holders on both dates, which no roster can do), with an 8-hour day.

    张伟 wishes for every block of the 15th (16 h > 8); 李娜 wishes to avoid the 15th,
    which 张伟 alone cannot cover; 刘洋 wishes off the night his unit's office needs him.
    """
    base = tiny.plan()
    plan = dataclasses.replace(
        base,
        posts=tuple(p for p in base.posts if p.id != "squad"),
        rules=Rules(max_onsite_hours_per_day=8),
    )
    wishes = (
        Wish("张伟", D2, None, WishKind.PREFER, 5),
        Wish("张伟", D2, "AM", WishKind.PREFER, 5),
        Wish("张伟", D2, "PM", WishKind.PREFER, 5),
        Wish("张伟", D2, "NIGHT", WishKind.PREFER, 5),
        Wish("李娜", D2, None, WishKind.AVOID, 5),
        Wish("刘洋", D1, "NIGHT", WishKind.AVOID, 5),
    )
    return plan, dataclasses.replace(tiny.staff(), wishes=wishes)


def test_wishes_never_break_a_rule():
    plan, staff = wished()
    result = solve(plan, staff, PARAMS)
    assert result.roster is not None
    assert check(result.roster, plan, staff) == []
    burdens = {p.id: 0.0 for p in staff}
    for a in result.roster.filled:
        burdens[a.staff_id or ""] += plan.burden(plan.post(a.post), a.date, a.block)
    found = outcomes(result.roster, plan, staff, burdens)
    unmet = {(o.wish.staff, o.wish.block): o.reason for o in found if not o.met}
    # 刘洋 is the only one of 乙所: nobody else could take its night.
    assert unmet[("刘洋", "NIGHT")] is Reason.NO_ONE_ELSE
    assert ("李娜", None) in unmet
    assert sum(o.met for o in found) >= 2


def test_a_stage_that_finds_nothing_keeps_the_roster_with_its_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The wishes stage finds no roster in its share: the roster so far stands, and the
    stage reports its unmet wishes, not nothing."""
    plan, staff = wished()
    minimise = solver._Run.minimise

    def nothing_for_wishes(run: solver._Run, *args: Any, **kwargs: Any) -> Any:
        return None if args[2] == "wishes" else minimise(run, *args, **kwargs)

    monkeypatch.setattr(solver._Run, "minimise", nothing_for_wishes)
    monkeypatch.setattr(solver._Run, "within", lambda *args, **kwargs: None)
    result = solve(plan, staff, PARAMS)

    assert result.roster is not None
    stage = result.stages[-1]
    assert (stage.name, stage.status) == ("wishes", Status.FEASIBLE)
    unmet = [
        wish
        for wish, person in resolve_wishes(staff)
        if person is not None
        and wish.date in plan.dates
        and not wish_met(wish, result.roster.of(person.id), plan)
    ]
    assert unmet  # the tiny bureau's fair roster leaves a wish unmet
    assert stage.objective == sum(wish.weight for wish in unmet)
