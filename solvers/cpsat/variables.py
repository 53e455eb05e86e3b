"""Decision variables: one boolean per person and demand they may fill.

The §3 rules that only depend on a person and a place (qualification, eligibility,
availability, ``restrict``) are enforced here, by never creating the variable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from roster.model import MINUTES_PER_DAY, Absence, Demand, Person, Plan, Rules, Staff, absolute


@dataclass(frozen=True, slots=True)
class Duty:
    """A variable's place: which demand, its absolute time span and burden units."""

    demand: int
    start: int
    end: int
    onsite: bool
    burden: int  # hundredths of an hour-of-burden


@dataclass(slots=True)
class Variables:
    """The model's variables, indexed by position (people and demands in plan order)."""

    people: tuple[Person, ...]
    demands: tuple[Demand, ...]
    rules: tuple[Rules, ...]  # per person, with personal overrides
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    duties: tuple[Duty, ...] = ()
    by_person: dict[int, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)
    by_demand: dict[int, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)
    shortfall: dict[int, cp_model.IntVar] = field(default_factory=dict)  # per demand
    excess: dict[int, cp_model.IntVar] = field(default_factory=dict)

    def duties_of(self, person: int) -> list[tuple[Duty, cp_model.IntVar]]:
        return [(self.duties[d], var) for d, var in self.by_person.get(person, [])]


def absence_span(absence: Absence, plan: Plan) -> tuple[int, int]:
    """The absolute minutes an absence covers."""
    if absence.block is not None:
        return plan.block(absence.block).span(absence.date)
    start = 0 if absence.start is None else absence.start
    end = MINUTES_PER_DAY if absence.end is None else absence.end
    if end <= start:  # "22:00-06:00" runs past midnight
        end += MINUTES_PER_DAY
    return absolute(absence.date, start), absolute(absence.date, end)


def is_restricted(person: Person, plan: Plan, date: dt.date, block: str) -> bool:
    return any(
        block in r.blocks and (not r.dates or date in r.dates) and r.who.matches(person)
        for r in plan.restrict
    )


def is_available(person: Person, plan: Plan, span: tuple[int, int]) -> bool:
    start, end = span
    for absence in person.absences:
        a_start, a_end = absence_span(absence, plan)
        if a_start < end and start < a_end:
            return False
    return True


def _absence_index(person: Person, plan: Plan) -> dict[int, list[tuple[int, int]]]:
    """A person's absence spans by every day number (absolute minute // 1440) they touch."""
    index: dict[int, list[tuple[int, int]]] = {}
    for absence in person.absences:
        start, end = absence_span(absence, plan)
        for day in range(start // MINUTES_PER_DAY, (end - 1) // MINUTES_PER_DAY + 1):
            index.setdefault(day, []).append((start, end))
    return index


def _is_free(index: dict[int, list[tuple[int, int]]], span: tuple[int, int]) -> bool:
    """``is_available`` against a prepared index: only absences on the span's days count."""
    start, end = span
    return not any(
        a_start < end and start < a_end
        for day in range(start // MINUTES_PER_DAY, (end - 1) // MINUTES_PER_DAY + 1)
        for a_start, a_end in index.get(day, ())
    )


@dataclass(frozen=True, slots=True)
class Layout:
    """The plan's demands and their duties, the same for every staff list."""

    demands: tuple[Demand, ...]
    duties: tuple[Duty, ...]
    sizes: tuple[int, ...]
    soft: tuple[bool, ...]  # the demand's post is soft there


def layout_of(plan: Plan) -> Layout:
    """Every demand of the plan with its time span and burden (computed once per plan)."""
    demands = tuple(plan.demands())
    duties, sizes, soft = [], [], []
    spans = {b.id: b for b in plan.blocks}
    for d, demand in enumerate(demands):
        post = demand.post
        span = spans[demand.block].span(demand.date)
        burden = round(plan.burden(post, demand.date, demand.block) * 100)
        duties.append(Duty(d, span[0], span[1], post.onsite, burden))
        sizes.append(demand.size)
        soft.append(post.soft_on(demand.date, demand.block) is not None)
    return Layout(demands, tuple(duties), tuple(sizes), tuple(soft))


def create_variables(
    model: cp_model.CpModel, plan: Plan, staff: Staff, layout: Layout | None = None
) -> Variables:
    """One boolean per (person, demand) pair the person may fill.

    Enforces §3 rules 2 (members hold ``require``), 3 (eligible units), 5 (availability)
    and 7 (``restrict``) by construction. ``layout`` (the plan's, from ``layout_of``) saves
    recomputing the demands when building many models of one plan.
    """
    layout = layout or layout_of(plan)
    people = staff.people
    demands = layout.demands
    variables = Variables(people, demands, tuple(plan.rules_for(p) for p in people))
    qualified: dict[tuple[str, str | None], list[int]] = {}
    absences = [_absence_index(person, plan) for person in people]
    restricted = bool(plan.restrict)
    for d, demand in enumerate(demands):
        duty = layout.duties[d]
        if layout.sizes[d] == 0 and not layout.soft[d]:
            continue  # a soft post's target of 0 still admits people, at its over cost
        post = demand.post
        key = (post.id, demand.unit)
        if key not in qualified:
            qualified[key] = [
                p
                for p, person in enumerate(people)
                if post.admits(person.unit, demand.unit) and post.require <= person.skills
            ]
        span = (duty.start, duty.end)
        for p in qualified[key]:
            if _is_free(absences[p], span) and not (
                restricted and is_restricted(people[p], plan, demand.date, demand.block)
            ):
                var = model.new_bool_var(f"x_p{p}_d{d}")
                variables.x[p, d] = var
                variables.by_person.setdefault(p, []).append((d, var))
                variables.by_demand.setdefault(d, []).append((p, var))
    variables.duties = layout.duties
    return variables
