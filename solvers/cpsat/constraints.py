"""The hard rules of SPEC §3, one function per rule, called in order by ``build()``."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable

from ortools.sat.python import cp_model

from roster.model import Plan, Staff
from solvers.cpsat.variables import Duty, Variables

Var = cp_model.IntVar


def segments(duties: Iterable[tuple[Duty, Var]]) -> list[tuple[int, int, list[Var]]]:
    """Split a set of duty spans at every start and end; each piece with the duties over it."""
    items = list(duties)
    points = sorted({t for duty, _ in items for t in (duty.start, duty.end)})
    pieces = []
    for a, b in itertools.pairwise(points):
        covering = [var for duty, var in items if duty.start <= a and b <= duty.end]
        if covering:
            pieces.append((a, b, covering))
    return pieces


def add_coverage(model: cp_model.CpModel, v: Variables, *, partial: bool = False) -> None:
    """§3.1 Coverage: every demand gets exactly its size (soft posts: a priced target).

    With ``partial`` a shortfall is allowed and priced, so an unstaffable plan still gets
    the roster that fills the most places.
    """
    for d, demand in enumerate(v.demands):
        members = [var for _, var in v.by_demand.get(d, [])]
        size = demand.size
        soft = demand.post.soft_on(demand.date, demand.block)
        if soft is not None:
            under = model.NewIntVar(0, size, f"under_d{d}")
            over = model.NewIntVar(0, len(members), f"over_d{d}")
            model.Add(sum(members) + under - over == size)
            v.shortfall[d], v.excess[d] = under, over
        elif partial:
            under = model.NewIntVar(0, size, f"short_d{d}")
            model.Add(sum(members) + under == size)
            v.shortfall[d] = under
        else:
            model.Add(sum(members) == size)


def add_team_composition(model: cp_model.CpModel, v: Variables) -> None:
    """§3.2 Qualification: each team has at least ``at_least`` holders of each skill.

    An unfilled place of a partial roster counts as a qualified person to be found.
    """
    for d, demand in enumerate(v.demands):
        for skill, needed in demand.post.at_least:
            holders = [var for p, var in v.by_demand.get(d, []) if skill in v.people[p].skills]
            short = v.shortfall.get(d)
            model.Add(sum(holders) + (short if short is not None else 0) >= needed)


def add_one_place_at_a_time(model: cp_model.CpModel, v: Variables) -> None:
    """§3.4 One place at a time: nobody holds two duties whose times overlap."""
    for p in v.by_person:
        seen: set[frozenset[int]] = set()
        for _, _, covering in segments(v.duties_of(p)):
            key = frozenset(var.Index() for var in covering)
            if len(covering) > 1 and key not in seen:
                seen.add(key)
                model.AddAtMostOne(covering)


def add_daily_hours(model: cp_model.CpModel, v: Variables) -> None:
    """§3.6 On-site hours per person per date are capped."""
    for p, duties in _onsite(v):
        cap = v.rules[p].max_onsite_hours_per_day
        if cap is None:
            continue
        by_date: dict[object, list[tuple[Duty, Var]]] = defaultdict(list)
        for duty, var in duties:
            by_date[v.demands[duty.demand].date].append((duty, var))
        for items in by_date.values():
            _cap_minutes(model, items, round(cap * 60))


def add_consecutive_hours(model: cp_model.CpModel, v: Variables) -> None:
    """§3.6 No unbroken on-site duty is longer than ``max_consecutive_hours``."""
    for p, duties in _onsite(v):
        cap = v.rules[p].max_consecutive_hours
        if cap is None:
            continue
        limit = round(cap * 60)
        for chain in _chains(segments(duties)):
            for i in range(len(chain)):
                length = 0
                for j in range(i, len(chain)):
                    length += chain[j][1] - chain[j][0]
                    if length > limit:
                        busy = [var for seg in chain[i : j + 1] for var in seg[2]]
                        model.Add(sum(busy) <= j - i)
                        break


def add_rest_between_dates(model: cp_model.CpModel, v: Variables) -> None:
    """§3.6 At least ``min_rest_hours`` between on-site duties on different dates."""
    for p, duties in _onsite(v):
        rest = v.rules[p].min_rest_hours
        if rest is None:
            continue
        groups: dict[tuple[object, int, int], list[Var]] = defaultdict(list)
        for duty, var in duties:
            groups[v.demands[duty.demand].date, duty.start, duty.end].append(var)
        keys = sorted(groups, key=lambda k: (k[1], k[2]))
        for k1, k2 in itertools.combinations(keys, 2):
            (date1, _, end1), (date2, start2, _) = k1, k2
            if date1 != date2 and start2 - end1 < round(rest * 60):
                model.Add(sum(groups[k1]) + sum(groups[k2]) <= 1)


def add_total_hours(model: cp_model.CpModel, v: Variables) -> None:
    """§3.6 On-site hours over the period: personal cap (and ``min_hours_total``)."""
    for p, duties in _onsite(v):
        rules = v.rules[p]
        if rules.max_hours_total is not None:
            _cap_minutes(model, duties, round(rules.max_hours_total * 60))
        if rules.min_hours_total:
            model.Add(
                sum((d.end - d.start) * var for d, var in duties)
                >= round(rules.min_hours_total * 60)
            )
    for p, rules in enumerate(v.rules):
        if rules.min_hours_total and p not in v.by_person:
            model.AddBoolOr([])  # cannot reach a minimum without any possible duty


def add_pins(model: cp_model.CpModel, v: Variables, plan: Plan, staff: Staff) -> None:
    """§3.7 Pins hold: the pinned person holds that post, date and block."""
    index = {person.id: p for p, person in enumerate(v.people)}
    for pin in plan.pins:
        matches = staff.find(pin.staff)
        if len(matches) != 1:
            raise ValueError(f"pin: staff {pin.staff!r} is not exactly one person")
        p = index[matches[0].id]
        places = [
            var
            for d, var in v.by_person.get(p, [])
            if (demand := v.demands[d]).post.id == pin.post
            and demand.date == pin.date
            and demand.block == pin.block
            and (pin.team is None or demand.team == pin.team)
        ]
        model.AddExactlyOne(places) if places else model.AddBoolOr([])


def add_apart(model: cp_model.CpModel, v: Variables, plan: Plan, staff: Staff) -> None:
    """§3.7 ``apart`` groups are never on duty at the same time."""
    index = {person.id: p for p, person in enumerate(v.people)}
    for group in plan.apart:
        members = {index[m.id] for ref in group.staff for m in staff.find(ref)}
        duties = [item for p in sorted(members) for item in v.duties_of(p)]
        for _, _, covering in segments(duties):
            if len(covering) > 1:
                model.AddAtMostOne(covering)


def _onsite(v: Variables) -> list[tuple[int, list[tuple[Duty, Var]]]]:
    return [(p, [(duty, var) for duty, var in v.duties_of(p) if duty.onsite]) for p in v.by_person]


def _cap_minutes(model: cp_model.CpModel, duties: list[tuple[Duty, Var]], cap: int) -> None:
    if sum(d.end - d.start for d, _ in duties) > cap:
        model.Add(sum((d.end - d.start) * var for d, var in duties) <= cap)


def _chains(pieces: list[tuple[int, int, list[Var]]]) -> list[list[tuple[int, int, list[Var]]]]:
    """Maximal runs of pieces that follow each other without a gap."""
    chains: list[list[tuple[int, int, list[Var]]]] = []
    for piece in pieces:
        if chains and chains[-1][-1][1] == piece[0]:
            chains[-1].append(piece)
        else:
            chains.append([piece])
    return chains
