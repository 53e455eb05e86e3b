"""Relaxations that make an infeasible plan feasible, each verified by solving it.

- fewer places: the roster that leaves the fewest places unfilled (a partial solve) says
  where; each such post, date and block loses that many places per team, or whole teams
  when it has several;
- fewer holders: a team's ``at_least`` lowered to what the free holders allow;
- looser rules of one kind (daily cap, consecutive hours, rest, total hours, ``apart``,
  ``restrict``, pins): the fewest groups of that kind whose switching off leaves a roster,
  each relaxed one step (a cap up by the shortest block, rest down to the next gap between
  blocks, a group or pin dropped, a restrict lifted on that date), until the plan solves;
- the §2.3 rules dropped.

Every relaxation returned was verified by solving the relaxed plan with the ordinary model.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable
from typing import Any

from roster.diagnose import Relaxation, Shortage, Why
from roster.model import Demand, Plan, Staff
from roster.relax import (
    AtLeastEdit,
    DropApart,
    DropPin,
    DropSequenceRules,
    Edit,
    LiftRestrict,
    RuleEdit,
    SizeEdit,
    TeamsEdit,
    apply_edits,
    pin_position,
    uses_sequence_rules,
)
from solvers.cpsat.guarded import HAS_ROSTER, Clock, Key, guarded
from solvers.cpsat.solver import build
from solvers.cpsat.variables import Variables

RULE_FIELDS = {
    "daily": ("max_onsite_hours_per_day", Why.DAILY),
    "consecutive": ("max_consecutive_hours", Why.CONSECUTIVE),
    "rest": ("min_rest_hours", Why.REST),
    "total": ("max_hours_total", Why.TOTAL),
    "min_total": ("min_hours_total", Why.MIN_TOTAL),
}
OTHER_KINDS = {"apart": Why.APART, "restrict": Why.RESTRICT, "pin": Why.PIN}
MAX_ROUNDS = 8
MAX_SUGGESTIONS = 5
SHRINK_AT_MOST = 6  # edits; beyond this, trying to drop each one costs too many solves


def relaxations(
    plan: Plan,
    staff: Staff,
    named: set[Why],
    shortages: tuple[Shortage, ...],
    clock: Clock,
    pins: tuple[int, ...] = (),
) -> tuple[Relaxation, ...]:
    """Verified relaxations: looser rules of the kinds ``named`` first, then fewer holders,
    places or teams (without the ``pins`` that cannot hold), then without the §2.3 rules;
    fewest edits first."""
    tries: list[Callable[[], list[Edit] | None]] = []
    kinds = {kind: why for kind, (_, why) in RULE_FIELDS.items()} | OTHER_KINDS
    for kind, why in kinds.items():
        if why in named:
            tries.append(functools.partial(_looser, plan, staff, kind, clock))
    if any(s.skill is not None for s in shortages):
        tries.append(functools.partial(_fewer_holders, plan, staff, shortages, clock))
    fewer = [*_counted(plan, shortages), *(DropPin(i) for i in pins)]
    tries.append(functools.partial(_fewer_places, plan, staff, clock, fewer))
    if uses_sequence_rules(plan):
        tries.append(functools.partial(_verified, plan, staff, [DropSequenceRules()], clock))
    found: dict[tuple[str, ...], Relaxation] = {}
    for attempt in tries:
        if clock.left() <= 0.2 or len(found) >= MAX_SUGGESTIONS:
            break
        edits = attempt()
        if edits:
            if len(edits) <= SHRINK_AT_MOST:
                edits = _shrink(plan, staff, edits, clock)
            found.setdefault(tuple(sorted(map(repr, edits))), Relaxation(tuple(edits)))
    return tuple(sorted(found.values(), key=lambda r: len(r.edits)))


def _verified(plan: Plan, staff: Staff, edits: list[Edit], clock: Clock) -> list[Edit] | None:
    return edits if clock.feasible(*apply_edits(plan, staff, edits)) else None


def _counted(plan: Plan, shortages: tuple[Shortage, ...]) -> list[Edit]:
    """Fewer teams (or people per team) where counting finds too few people or holders."""
    by_target: dict[tuple[object, ...], Edit] = {}
    for s in shortages:
        post, date, block = s.place.post, s.place.date, s.place.block
        teams, size = post.teams_on(date, block), post.size_on(date, block)
        free = max(s.free, 0)
        edit: Edit
        if teams > 1:
            per_team = size if s.skill is None else dict(post.at_least)[s.skill]
            edit = TeamsEdit(post.id, date, block, teams, free // per_team)
        elif s.skill is None:
            edit = SizeEdit(post.id, date, block, size, free)
        else:
            continue  # one team short of holders: fewer holders, not fewer places
        before = by_target.get(edit.target)
        if before is None or getattr(before, "new", 0) > edit.new:
            by_target[edit.target] = edit
    return list(by_target.values())


def _fewer_places(plan: Plan, staff: Staff, clock: Clock, edits: list[Edit]) -> list[Edit] | None:
    """Fewer places where counting finds too few people (``edits``), then where the roster
    that fills the most places leaves some unfilled."""
    if edits and clock.feasible(*apply_edits(plan, staff, edits)):
        return edits
    for _ in range(2):
        relaxed, people = apply_edits(plan, staff, edits)
        try:
            model = build(relaxed, people, partial=True)
        except ValueError:
            return None
        v = model.variables
        model.cp.minimize(model.terms.coverage().expr)
        solver = clock.solver(clock.left() / 3, clock.params.workers)
        if solver.solve(model.cp) not in HAS_ROSTER:
            return None
        short: dict[tuple[str, dt.date, str], list[tuple[Demand, int]]] = {}
        for d, var in v.shortfall.items():
            demand = v.demands[d]
            if demand.post.soft_on(demand.date, demand.block) is None and solver.value(var):
                key = (demand.post.id, demand.date, demand.block)
                short.setdefault(key, []).append((demand, solver.value(var)))
        if not short:
            return _verified(plan, staff, edits, clock)
        by_target = {e.target: e for e in edits}
        for (post_id, date, block), places in short.items():
            post = relaxed.post(post_id)
            size, teams = post.size_on(date, block), post.teams_on(date, block)
            original = plan.post(post_id)
            if teams > 1:
                fewer = math.ceil(sum(n for _, n in places) / size)
                old = _old(by_target, ("teams", post_id, date, block),
                           original.teams_on(date, block))  # fmt: skip
                edit: Edit = TeamsEdit(post_id, date, block, old, max(teams - fewer, 0))
            else:
                old = _old(by_target, ("size", post_id, date, block), original.size_on(date, block))
                edit = SizeEdit(post_id, date, block, old, size - max(n for _, n in places))
            by_target[edit.target] = edit
        edits = list(by_target.values())
    return _verified(plan, staff, edits, clock)


def _fewer_holders(
    plan: Plan, staff: Staff, shortages: tuple[Shortage, ...], clock: Clock
) -> list[Edit] | None:
    """Each ``at_least`` that counting finds short, lowered to what the free holders allow."""
    lowest: dict[tuple[str, str], int] = {}
    for s in shortages:
        if s.skill is None:
            continue
        key = (s.place.post.id, s.skill)
        allowed = max(s.free, 0) // max(s.place.teams, 1)
        lowest[key] = min(lowest.get(key, allowed), allowed)
    edits: list[Edit] = [
        AtLeastEdit(post, skill, dict(plan.post(post).at_least)[skill], n)
        for (post, skill), n in lowest.items()
    ]
    return _verified(plan, staff, edits, clock) if edits else None


def _looser(plan: Plan, staff: Staff, kind: str, clock: Clock) -> list[Edit] | None:
    """The fewest groups of one kind relaxed, step by step, until the plan solves."""
    edits: list[Edit] = []
    for _ in range(MAX_ROUNDS):
        if clock.left() <= 0.2:
            return None
        relaxed, people = apply_edits(plan, staff, edits)
        try:
            model = guarded(relaxed, people, lambda key: key[0] == kind)
        except ValueError:
            return None
        off = model.fewest_off(clock, clock.left() / 2) if model.literals else []
        if off is None:
            return None
        if not off:  # nothing of this kind binds any more
            return _verified(plan, staff, edits, clock) if edits else None
        by_target = {e.target: e for e in edits}
        changed = False
        for key in off:
            if key[0] == "pin":  # a position in the relaxed plan, where dropped pins are gone
                key = ("pin", pin_position(plan, edits, key[1]))
            edit = _step(key, relaxed, model.model.variables, by_target)
            if edit is not None and by_target.get(edit.target) != edit:
                by_target[edit.target] = edit
                changed = True
        if not changed:
            return None
        edits = list(by_target.values())
    return None


def _step(key: Key, plan: Plan, v: Variables, by_target: dict[tuple[object, ...], Edit]
          ) -> Edit | None:  # fmt: skip
    """One step of relaxation for a rule group."""
    group = key[0]
    if group in RULE_FIELDS:
        person = v.people[key[1]]
        rule = RULE_FIELDS[group][0]
        now = getattr(v.rules[key[1]], rule)
        new = _next_limit(group, now, plan)
        if new is None:
            return None
        return RuleEdit(person.id, rule, _old(by_target, ("rule", person.id, rule), now), new)
    if group == "apart":
        return DropApart(key[1])
    if group == "pin":
        return DropPin(key[1])
    if group == "restrict":
        before = by_target.get(("restrict", key[1]))
        dates = before.dates if isinstance(before, LiftRestrict) else ()
        return LiftRestrict(key[1], tuple(sorted({*dates, key[2]})))
    return None


def _old(by_target: dict[tuple[object, ...], Edit], target: tuple[object, ...], now: Any) -> Any:
    """The value before any edit: an earlier edit's ``old``, else the current value."""
    return getattr(by_target.get(target), "old", now)


def _next_limit(group: str, now: float | None, plan: Plan) -> float | None:
    """One step looser: a cap up by the shortest block, a minimum down by it, a rest down to
    the longest gap between blocks of consecutive dates that it now forbids."""
    if now is None:
        return None
    step = min((b.hours for b in plan.blocks), default=1.0)
    if group in ("daily", "consecutive", "total"):
        return now + step
    if group == "min_total":
        return max(now - step, 0.0)
    gaps = {(b2.start + 1440 - b1.end) / 60 for b1 in plan.blocks for b2 in plan.blocks}
    below = [g for g in gaps if 0 <= g < now]
    return max(below) if below else None


def _shrink(plan: Plan, staff: Staff, edits: list[Edit], clock: Clock) -> list[Edit]:
    """Drop the edits the plan does not need (each drop verified), while time allows."""
    i = 0
    while i < len(edits) and len(edits) > 1 and clock.left() > 0.5:
        trial = edits[:i] + edits[i + 1 :]
        if clock.feasible(*apply_edits(plan, staff, trial)):
            edits = trial
        else:
            i += 1
    return edits
