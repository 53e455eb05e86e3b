"""The hard rules of SPEC §3, one function per rule, called in order by ``build()``."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable

from ortools.sat.python import cp_model

from roster.model import Plan, Staff
from solvers.cpsat.variables import Duty, Variables, is_available

Var = cp_model.IntVar
Enforce = Callable[[cp_model.CpModel, tuple[object, ...]], "Var | None"]
"""Optional hook for explaining infeasibility: given the model and a rule group's key
(``("coverage", d)``, ``("composition", d, skill)``, ``("daily", p, date)``, ``("rest", p)``,
``("apart", i)``, ``("restrict", i, date)``, ...), the literal that switches the group on, or
``None`` to keep it hard. Without the hook every rule is added exactly as it always is."""


def _when(
    model: cp_model.CpModel,
    constraint: cp_model.Constraint,
    enforce: Enforce | None,
    key: tuple[object, ...],
) -> None:
    literal = enforce(model, key) if enforce is not None else None
    if literal is not None:
        constraint.only_enforce_if(literal)


def _at_most_one(
    model: cp_model.CpModel, items: list[Var], enforce: Enforce | None, key: tuple[object, ...]
) -> None:
    literal = enforce(model, key) if enforce is not None else None
    if literal is None:
        model.add_at_most_one(items)
    else:  # at_most_one takes no enforcement literal; the linear form does
        model.add(sum(items) <= 1).only_enforce_if(literal)


def _never(model: cp_model.CpModel, enforce: Enforce | None, key: tuple[object, ...]) -> None:
    """A rule group that cannot hold: infeasible, or its literal false."""
    _when(model, model.add_bool_or([]), enforce, key)


def segments(duties: Iterable[tuple[Duty, Var]]) -> list[tuple[int, int, list[Var]]]:
    """Split a set of duty spans at every start and end; each piece with the duties over it."""
    items = list(duties)
    points = sorted({t for duty, _ in items for t in (duty.start, duty.end)})
    # A sweep, not a scan per piece: long periods have thousands of duties per person.
    starting = sorted(range(len(items)), key=lambda i: items[i][0].start)
    active: list[int] = []
    nxt = 0
    pieces = []
    for a, b in itertools.pairwise(points):
        while nxt < len(starting) and items[starting[nxt]][0].start <= a:
            active.append(starting[nxt])
            nxt += 1
        active = [i for i in active if items[i][0].end > a]  # so end >= b, the next point
        if active:
            pieces.append((a, b, [items[i][1] for i in sorted(active)]))
    return pieces


def add_coverage(
    model: cp_model.CpModel, v: Variables, *, partial: bool = False, enforce: Enforce | None = None
) -> None:
    """§3.1 Coverage: every demand gets exactly its size (soft posts: a priced target).

    With ``partial`` a shortfall is allowed and priced, so an unstaffable plan still gets
    the roster that fills the most places.
    """
    for d, demand in enumerate(v.demands):
        members = [var for _, var in v.by_demand.get(d, [])]
        size = demand.size
        soft = demand.post.soft_on(demand.date, demand.block)
        if soft is not None:
            under = model.new_int_var(0, size, f"under_d{d}")
            over = model.new_int_var(0, len(members), f"over_d{d}")
            # Each slack bounds its own side only: the objective pushes it down to the
            # places short or extra (an equation also let a filled slot count 1 short + 1
            # extra), and with no objective presolve drops the soft post. Defining them
            # exactly (max(0, ...)) proved slower: Curtois-Qu 6 went from optimal to 2043.
            held = sum(members)
            model.add(held + under >= size)
            model.add(held - over <= size)
            v.shortfall[d], v.excess[d] = under, over
        elif partial:
            under = model.new_int_var(0, size, f"short_d{d}")
            model.add(sum(members) + under == size)
            v.shortfall[d] = under
        else:
            _when(model, model.add(sum(members) == size), enforce, ("coverage", d))


def add_team_composition(
    model: cp_model.CpModel, v: Variables, *, enforce: Enforce | None = None
) -> None:
    """§3.2 Qualification: each team has at least ``at_least`` holders of each skill.

    An unfilled place of a partial roster counts as a qualified person to be found. A soft
    post's team may stay empty, but a team with anyone in it meets ``at_least`` in full.
    """
    for d, demand in enumerate(v.demands):
        if demand.size == 0 or not demand.post.at_least:
            continue  # a team of no places has no holders to find (as the checker reads it)
        members = [var for _, var in v.by_demand.get(d, [])]
        soft = demand.post.soft_on(demand.date, demand.block) is not None
        manned = None
        if soft and members:
            manned = model.new_bool_var(f"manned_d{d}")
            model.add_max_equality(manned, members)
        for skill, needed in demand.post.at_least:
            holders = [var for p, var in v.by_demand.get(d, []) if skill in v.people[p].skills]
            if soft:
                if manned is not None:
                    ct = model.add(sum(holders) >= needed * manned)
                    _when(model, ct, enforce, ("composition", d, skill))
                continue
            short = v.shortfall.get(d)
            ct = model.add(sum(holders) + (short if short is not None else 0) >= needed)
            _when(model, ct, enforce, ("composition", d, skill))


def add_one_place_at_a_time(model: cp_model.CpModel, v: Variables) -> None:
    """§3.4 One place at a time: nobody holds two duties whose times overlap."""
    for p in v.by_person:
        seen: set[frozenset[int]] = set()
        for _, _, covering in segments(v.duties_of(p)):
            key = frozenset(var.index for var in covering)
            if len(covering) > 1 and key not in seen:
                seen.add(key)
                model.add_at_most_one(covering)


def add_daily_hours(
    model: cp_model.CpModel, v: Variables, *, enforce: Enforce | None = None
) -> None:
    """§3.6 On-site hours per person per date are capped."""
    for p, duties in _onsite(v, "max_onsite_hours_per_day"):
        cap = v.rules[p].max_onsite_hours_per_day
        if cap is None:
            continue
        by_date: dict[object, list[tuple[Duty, Var]]] = defaultdict(list)
        for duty, var in duties:
            by_date[v.demands[duty.demand].date].append((duty, var))
        for date, items in by_date.items():
            _cap_minutes(model, items, round(cap * 60), enforce, ("daily", p, date))


def add_consecutive_hours(
    model: cp_model.CpModel, v: Variables, *, enforce: Enforce | None = None
) -> None:
    """§3.6 No unbroken on-site duty is longer than ``max_consecutive_hours``."""
    for p, duties in _onsite(v, "max_consecutive_hours"):
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
                        ct = model.add(sum(busy) <= j - i)
                        _when(model, ct, enforce, ("consecutive", p))
                        break


def add_rest_between_dates(
    model: cp_model.CpModel, v: Variables, *, enforce: Enforce | None = None
) -> None:
    """§3.6 At least ``min_rest_hours`` between on-site duties on different dates."""
    for p, duties in _onsite(v, "min_rest_hours"):
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
                ct = model.add(sum(groups[k1]) + sum(groups[k2]) <= 1)
                _when(model, ct, enforce, ("rest", p))


def add_total_hours(
    model: cp_model.CpModel, v: Variables, *, enforce: Enforce | None = None
) -> None:
    """§3.6 On-site hours over the period: personal cap (and ``min_hours_total``)."""
    for p, duties in _onsite(v, "max_hours_total", "min_hours_total"):
        rules = v.rules[p]
        if rules.max_hours_total is not None:
            _cap_minutes(model, duties, round(rules.max_hours_total * 60), enforce, ("total", p))
        if rules.min_hours_total:
            ct = model.add(_minutes(duties) >= round(rules.min_hours_total * 60))
            _when(model, ct, enforce, ("min_total", p))
    for p, rules in enumerate(v.rules):
        if rules.min_hours_total and p not in v.by_person:
            # cannot reach a minimum without any possible duty
            _never(model, enforce, ("min_total", p))


def add_restrict_groups(
    model: cp_model.CpModel, v: Variables, plan: Plan, enforce: Enforce
) -> None:
    """§3.7 ``restrict`` as switchable groups, for explaining only (variables enforce it).

    Each place a ``restrict`` alone keeps someone out of gets a variable, held at 0 while
    the literal of that restrict on that date is on.
    """
    for d, demand in enumerate(v.demands):
        post = demand.post
        if demand.size == 0:
            continue
        span = plan.block(demand.block).span(demand.date)
        for p, person in enumerate(v.people):
            if (
                (p, d) in v.x
                or not post.admits(person.unit, demand.unit)
                or not post.require <= person.skills
                or not is_available(person, plan, span)
            ):
                continue
            literals = [
                enforce(model, ("restrict", i, demand.date))
                for i, r in enumerate(plan.restrict)
                if demand.block in r.blocks
                and (not r.dates or demand.date in r.dates)
                and r.who.matches(person)
            ]
            if not literals or any(literal is None for literal in literals):
                continue
            var = model.new_bool_var(f"x_p{p}_d{d}")
            v.x[p, d] = var
            v.by_person.setdefault(p, []).append((d, var))
            v.by_demand.setdefault(d, []).append((p, var))
            for literal in literals:
                model.add(var == 0).only_enforce_if(literal)


def add_pins(
    model: cp_model.CpModel,
    v: Variables,
    plan: Plan,
    staff: Staff,
    *,
    enforce: Enforce | None = None,
) -> None:
    """§3.7 Pins hold: the pinned person holds that post, date and block."""
    index = {person.id: p for p, person in enumerate(v.people)}
    for i, pin in enumerate(plan.pins):
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
        literal = enforce(model, ("pin", i)) if enforce is not None else None
        if not places:
            _never(model, enforce, ("pin", i))
        elif literal is None:
            model.add_exactly_one(places)
        else:
            model.add(sum(places) == 1).only_enforce_if(literal)


def add_apart(
    model: cp_model.CpModel,
    v: Variables,
    plan: Plan,
    staff: Staff,
    *,
    enforce: Enforce | None = None,
) -> None:
    """§3.7 ``apart`` groups are never on duty at the same time."""
    index = {person.id: p for p, person in enumerate(v.people)}
    for i, group in enumerate(plan.apart):
        members = {index[m.id] for ref in group.staff for m in staff.find(ref)}
        duties = [item for p in sorted(members) for item in v.duties_of(p)]
        for _, _, covering in segments(duties):
            if len(covering) > 1:
                _at_most_one(model, covering, enforce, ("apart", i))


def _onsite(v: Variables, *rules: str) -> list[tuple[int, list[tuple[Duty, Var]]]]:
    """Each person's on-site duties, for the people any of these rules bind."""
    return [
        (p, [(duty, var) for duty, var in v.duties_of(p) if duty.onsite])
        for p in v.by_person
        if any(getattr(v.rules[p], rule) is not None for rule in rules)
    ]


def _minutes(duties: list[tuple[Duty, Var]]) -> cp_model.LinearExpr:
    """Minutes on duty (weighted_sum: far faster than sum() over thousands of duties)."""
    return cp_model.LinearExpr.weighted_sum(
        [v for _, v in duties], [d.end - d.start for d, _ in duties]
    )


def _cap_minutes(
    model: cp_model.CpModel,
    duties: list[tuple[Duty, Var]],
    cap: int,
    enforce: Enforce | None = None,
    key: tuple[object, ...] = (),
) -> None:
    if sum(d.end - d.start for d, _ in duties) > cap:
        ct = model.add(_minutes(duties) <= cap)
        _when(model, ct, enforce, key)


def _chains(pieces: list[tuple[int, int, list[Var]]]) -> list[list[tuple[int, int, list[Var]]]]:
    """Maximal runs of pieces that follow each other without a gap."""
    chains: list[list[tuple[int, int, list[Var]]]] = []
    for piece in pieces:
        if chains and chains[-1][-1][1] == piece[0]:
            chains[-1].append(piece)
        else:
            chains.append([piece])
    return chains
