"""The neighbourhoods a stage searches first (solvers/cpsat/solver.py)."""

from __future__ import annotations

from roster.model import Staff
from solvers.cpsat import bounds
from solvers.cpsat.solver import _agreeing, _away_from_wishes, build
from tests import _tiny_bureau as tiny


def test_only_those_near_a_wish_are_searched() -> None:
    plan, staff = tiny.plan(), tiny.staff()
    model = build(plan, staff)
    v = model.variables
    kept = {var.index for var in _away_from_wishes(model, staff) or []}

    # 李娜 wished; 张伟 shares her hotline places, so both are free to move; 陈刚, the
    # only leader, shares no place with anyone who wished, so his places stay.
    people = {person.name: p for p, person in enumerate(v.people)}
    free = {p for (p, _), var in v.x.items() if var.index not in kept}
    assert {people["李娜"], people["张伟"]} <= free
    assert people["陈刚"] not in free
    assert all(var.index in kept for (p, _), var in v.x.items() if p == people["陈刚"])


def test_no_wishes_no_neighbourhood() -> None:
    plan = tiny.plan()
    staff = Staff(tiny.staff().people)
    assert _away_from_wishes(build(plan, staff), staff) is None


def test_rins_keeps_what_roster_and_relaxation_share() -> None:
    plan, staff = tiny.plan(), tiny.staff()
    model = build(plan, staff)
    xs = list(model.variables.x.values())
    values = {var.index: 0.0 for var in xs}
    values[xs[0].index], values[xs[1].index], values[xs[2].index] = 1.0, 0.5, 1.0
    relaxation = bounds.Relaxation(0, values)
    solution = {var.index: 0 for var in xs}
    solution[xs[0].index] = solution[xs[1].index] = 1  # xs[2]: the roster disagrees

    kept = {var.index for var in _agreeing(model, relaxation, solution)}

    assert xs[0].index in kept  # both hold it
    assert xs[1].index not in kept  # fractional in the relaxation
    assert xs[2].index not in kept  # they disagree
    assert all(var.index in kept for var in xs[3:])  # both leave it
