"""Why a plan cannot be staffed: counting, a small conflict from CP-SAT, verified relaxations.

1. Counting (``roster.diagnose.count_shortages``) names the places that too few people can
   take, whatever else the roster does. Those places are left out of step 2: a pigeonhole
   like "160 places, 124 people" is what counting proves at once and conflict search slowly.
2. A conflict: every rule group (a demand's coverage or team composition, a person's daily
   cap, rest, consecutive or total hours, an ``apart`` group, a ``restrict`` on a date, a
   pin) is switched by an assumption literal; CP-SAT's sufficient assumptions for
   infeasibility give a conflict, shrunk greedily (places first) while time allows.
3. Relaxations (``solvers.cpsat.relaxations``), each verified by solving the relaxed plan.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ortools.sat.python import cp_model

from roster.diagnose import (
    Candidate,
    Conflict,
    Diagnosis,
    Place,
    Reason,
    Shortage,
    Why,
    count_shortages,
    kept_out,
    pin_obstacles,
)
from roster.model import Demand, Plan, Staff
from roster.relax import DropSequenceRules, apply_edits, uses_sequence_rules
from roster.result import SolverParams
from solvers.cpsat.guarded import HAS_ROSTER, PLACE_GROUPS, Clock, Key, guarded
from solvers.cpsat.relaxations import RULE_FIELDS, relaxations
from solvers.cpsat.solver import Model

CONFLICT_SHARE = 0.4  # of the time limit, at most, for finding and shrinking the conflict


def explain(plan: Plan, staff: Staff, params: SolverParams | None = None) -> Diagnosis:
    """Whether the plan can be staffed and, if not, why and what would make it possible.

    ``params.time_limit`` bounds the whole explanation; conflicts are searched on one
    worker (assumptions need it), with ``params.seed``.
    """
    params = params or SolverParams(time_limit=30, workers=1)
    clock = Clock.start(params)
    feasible = clock.feasible(plan, staff)
    if feasible:
        return Diagnosis(True)
    shortages = count_shortages(plan, staff)
    conflict = _conflict(plan, staff, shortages, clock)
    if conflict is None and not shortages:
        return Diagnosis(None)  # nothing proven within the limit
    named = {r.why for s in shortages for c in s.candidates for r in c.reasons}
    if conflict is not None:
        named |= {r.why for c in conflict.people for r in c.reasons}
        named |= {r.why for r in conflict.rules}
    pins = tuple(r.index for r in conflict.rules if r.why is Why.PIN) if conflict else ()
    found = relaxations(plan, staff, named, shortages, clock, pins)  # type: ignore[arg-type]
    return Diagnosis(False, shortages, conflict, found)


def _conflict(
    plan: Plan, staff: Staff, shortages: tuple[Shortage, ...], clock: Clock
) -> Conflict | None:
    """A small set of places and rules that cannot all hold, or ``None`` if none found."""
    try:
        model = guarded(plan, staff, lambda key: True)
    except ValueError:
        return None
    counted = {(s.place.post.id, s.place.unit, s.place.date, s.place.block) for s in shortages}
    demands = model.model.variables.demands

    def counted_place(key: Key) -> bool:
        if key[0] not in PLACE_GROUPS:
            return False
        d = demands[key[1]]
        return (d.post.id, d.unit, d.date, d.block) in counted

    keys = [k for k in model.literals if not counted_place(k)]
    budget = clock.left() * CONFLICT_SHARE
    end = clock.left() - budget
    code, core = model.core(keys, clock, budget)
    if code != cp_model.INFEASIBLE:
        return None
    # Shrink: places first, so the conflict keeps few places and the rules that bind them.
    order = {k: (k[0] not in PLACE_GROUPS, i) for i, k in enumerate(keys)}
    core = sorted(core, key=order.__getitem__)
    i = 0
    while i < len(core) and clock.left() - end > 0.1:
        trial = core[:i] + core[i + 1 :]
        code, smaller = model.core(trial, clock, clock.left() - end)
        if code == cp_model.INFEASIBLE:
            found = set(smaller)
            core = [k for k in trial if k in found]
        else:
            i += 1
    conflict = _describe(plan, staff, model.model, core)
    if uses_sequence_rules(plan) and _needs_sequences(plan, staff, core, clock):
        conflict = dataclasses.replace(conflict, rules=(*conflict.rules, Reason(Why.OTHER)))
    return conflict


def _needs_sequences(plan: Plan, staff: Staff, core: list[Key], clock: Clock) -> bool:
    """Whether the conflict holds only with the §2.3 rules (which have no literals)."""
    relaxed, people = apply_edits(plan, staff, [DropSequenceRules()])
    wanted = set(core)
    model = guarded(relaxed, people, wanted.__contains__)
    code, _ = model.core(core, clock, clock.left() / 4)
    return code in HAS_ROSTER


def _describe(plan: Plan, staff: Staff, model: Model, core: list[Key]) -> Conflict:
    v = model.variables
    places: dict[tuple[Any, ...], list[int]] = {}
    for key in core:
        if key[0] in PLACE_GROUPS:
            demand = v.demands[key[1]]
            group = places.setdefault((demand.post.id, demand.unit, demand.date, demand.block), [])
            if key[1] not in group:
                group.append(key[1])
    in_core = set(core)
    shortages = []
    for group in places.values():
        demands = [v.demands[d] for d in group]
        first = demands[0]
        place = Place(first.post, first.unit, first.date, first.block, len(demands))
        for skill, needed in first.post.at_least:
            teams = sum(("composition", d, skill) in in_core for d in group)
            if teams:
                shortages.append(Shortage(place, needed * teams, 0, skill))
        covered = [v.demands[d].size for d in group if ("coverage", d) in in_core]
        if covered:
            shortages.append(Shortage(place, sum(covered), 0))
    needs = [
        (v.demands[key[1]], key[2] if key[0] == "composition" else None)
        for key in core
        if key[0] in PLACE_GROUPS
    ]
    people = _candidates(plan, staff, model, core, needs)
    rules = []
    for key in core:
        if key[0] == "pin":
            pin = plan.pins[key[1]]
            found = staff.find(pin.staff)
            who = staff.label(found[0]) if len(found) == 1 else pin.staff
            because = pin_obstacles(plan, staff, key[1])
            rules.append(Reason(Why.PIN, who, index=key[1], because=because))
    return Conflict(tuple(shortages), people, tuple(rules))


def _candidates(
    plan: Plan,
    staff: Staff,
    model: Model,
    core: list[Key],
    places: list[tuple[Demand, str | None]],
) -> tuple[Candidate, ...]:
    """Everyone of the right unit and skills for a place of the conflict (a holder, for a
    team's ``at_least``), with what keeps them out: leave, or a rule of the conflict. Those
    with no reason could take one of its places: the places are more than they are."""
    v = model.variables
    in_core = set(core)
    by_person: dict[int, list[Reason]] = {}
    for key in core:
        kind = key[0]
        if kind in RULE_FIELDS:
            p = key[1]
            field_name, why = RULE_FIELDS[kind]
            limit = getattr(v.rules[p], field_name)
            dates = (key[2],) if kind == "daily" else ()
            by_person.setdefault(p, []).append(Reason(why, limit=limit, dates=dates))
        elif kind == "apart":
            index = key[1]
            members = [m for ref in plan.apart[index].staff for m in staff.find(ref)]
            for m in members:
                p = staff.people.index(m)
                others = "、".join(staff.label(o) for o in members if o.id != m.id)
                by_person.setdefault(p, []).append(Reason(Why.APART, others, index=index))
    candidates = []
    for p, person in enumerate(staff.people):
        reasons: list[Reason] = []
        relevant = False
        for demand, skill in places:
            static = kept_out(person, plan, demand.post, demand.unit, demand.date, demand.block)
            if {r.why for r in static} & {Why.UNIT, Why.SKILL} or (
                skill is not None and skill not in person.skills
            ):
                continue
            relevant = True
            for r in static:
                restricted = r.why is Why.RESTRICT and ("restrict", r.index, demand.date) in in_core
                if (r.why is Why.LEAVE or restricted) and r not in reasons:
                    reasons.append(r)
        if relevant:
            candidates.append(Candidate(person, (*reasons, *by_person.get(p, []))))
    return tuple(candidates)
