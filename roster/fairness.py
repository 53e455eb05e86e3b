"""Fairness metrics of a roster (SPEC §4): per person, per unit and roster-wide.

Everything here is pure arithmetic on the domain types. A duty's burden is
``Plan.burden`` (hours x post weight x time factor). Night hours are the hours inside the
plan's every-date factor windows, gala hours those inside its date-specific windows (only
windows with a factor above 1 count). The roster-wide summary is taken over the people who
could have staffed at least one post.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from roster.model import Assignment, Person, Plan, Post, Roster, Staff, Wish, WishKind


@dataclass(frozen=True, slots=True)
class PersonStats:
    """One person's load. Hours are clock hours; ``burden`` is weighted (SPEC §4)."""

    id: str
    name: str
    unit: str
    eligible: bool  # could staff at least one post
    duties: int
    hours: float  # on-site
    oncall_hours: float
    burden: float
    night_hours: float
    gala_hours: float
    rest_day_hours: float  # 补休 owed: on-site hours on rest days
    wishes_met: int
    wishes_unmet: int
    history_duties: int | None = None  # None: no history given
    history_burden: float | None = None


@dataclass(frozen=True, slots=True)
class UnitStats:
    """A unit's load, and its share of the burden against its share of the eligible staff."""

    unit: str
    people: int
    eligible: int
    duties: int
    hours: float
    oncall_hours: float
    burden: float
    night_hours: float
    gala_hours: float
    rest_day_hours: float
    wishes_met: int
    wishes_unmet: int
    burden_share: float  # of the total burden, 0..1
    staff_share: float  # of the eligible people, 0..1


@dataclass(frozen=True, slots=True)
class Summary:
    """Burden statistics over ``count`` people (all zero when there are none)."""

    count: int
    max: float
    min: float
    spread: float
    mean: float
    std: float  # population standard deviation
    gini: float


@dataclass(frozen=True, slots=True)
class Fairness:
    """The §4 fairness report: every staff member in staff order, every unit, the summary."""

    people: tuple[PersonStats, ...]
    units: tuple[UnitStats, ...]
    summary: Summary
    unfilled: int  # places left unfilled

    def by_burden(self) -> tuple[PersonStats, ...]:
        """People by burden, largest first (ties keep staff order)."""
        return tuple(sorted(self.people, key=lambda p: -p.burden))


def measure(roster: Roster, plan: Plan, staff: Staff, history: Roster | None = None) -> Fairness:
    """The fairness report of ``roster``.

    Every assignment must name a post and block of ``plan``; assignments of people not in
    ``staff`` are left out. With ``history`` (earlier rosters), each person also gets the
    number of earlier duties and their burden under this plan's weights and factors (duties
    whose post or block this plan lacks count toward the number only).
    """
    wishes = _wishes_by_person(staff)
    people = tuple(
        person_stats(person, roster.of(person.id), plan, wishes.get(person.id, ()), history)
        for person in staff
    )
    eligible = [p.burden for p in people if p.eligible]
    return Fairness(
        people=people,
        units=unit_stats(people, staff.units),
        summary=summarize(eligible),
        unfilled=len(roster.unfilled),
    )


def person_stats(
    person: Person,
    duties: Sequence[Assignment],
    plan: Plan,
    wishes: Sequence[Wish] = (),
    history: Roster | None = None,
) -> PersonStats:
    """One person's load from their own duties."""
    onsite = oncall = night = gala = rest = 0
    burden = 0.0
    for duty in duties:
        post, block = plan.post(duty.post), plan.block(duty.block)
        if post.onsite:
            onsite += block.minutes
            if plan.is_rest_day(duty.date):
                rest += block.minutes
        else:
            oncall += block.minutes
        night += _covered(block.start, block.end, night_windows(plan))
        gala += _covered(block.start, block.end, gala_windows(plan, duty.date))
        burden += plan.burden(post, duty.date, duty.block)
    met = sum(wish_met(wish, duties, plan) for wish in wishes)
    past = history.of(person.id) if history is not None else None
    return PersonStats(
        id=person.id,
        name=person.name,
        unit=person.unit,
        eligible=is_eligible(person, plan),
        duties=len(duties),
        hours=onsite / 60,
        oncall_hours=oncall / 60,
        burden=burden,
        night_hours=night / 60,
        gala_hours=gala / 60,
        rest_day_hours=rest / 60,
        wishes_met=met,
        wishes_unmet=len(wishes) - met,
        history_duties=None if past is None else len(past),
        history_burden=None if past is None else _known_burden(past, plan),
    )


def unit_stats(people: Sequence[PersonStats], units: Iterable[str]) -> tuple[UnitStats, ...]:
    """Per unit totals; shares are of the total burden and of all eligible people."""
    total_burden = sum(p.burden for p in people)
    total_eligible = sum(p.eligible for p in people)
    result = []
    for unit in units:
        members = [p for p in people if p.unit == unit]
        burden = sum(p.burden for p in members)
        eligible = sum(p.eligible for p in members)
        result.append(
            UnitStats(
                unit=unit,
                people=len(members),
                eligible=eligible,
                duties=sum(p.duties for p in members),
                hours=sum(p.hours for p in members),
                oncall_hours=sum(p.oncall_hours for p in members),
                burden=burden,
                night_hours=sum(p.night_hours for p in members),
                gala_hours=sum(p.gala_hours for p in members),
                rest_day_hours=sum(p.rest_day_hours for p in members),
                wishes_met=sum(p.wishes_met for p in members),
                wishes_unmet=sum(p.wishes_unmet for p in members),
                burden_share=burden / total_burden if total_burden else 0.0,
                staff_share=eligible / total_eligible if total_eligible else 0.0,
            )
        )
    return tuple(result)


def summarize(values: Sequence[float]) -> Summary:
    """Max, min, spread, mean, population standard deviation and Gini of ``values``."""
    if not values:
        return Summary(count=0, max=0.0, min=0.0, spread=0.0, mean=0.0, std=0.0, gini=0.0)
    n = len(values)
    mean = sum(values) / n
    return Summary(
        count=n,
        max=max(values),
        min=min(values),
        spread=max(values) - min(values),
        mean=mean,
        std=math.sqrt(sum((x - mean) ** 2 for x in values) / n),
        gini=gini(values),
    )


def gini(values: Sequence[float]) -> float:
    """Gini coefficient: Σᵢ Σⱼ |xᵢ - xⱼ| / (2 n² mean); 0 when all are equal or all zero."""
    n = len(values)
    total = sum(values)
    if n == 0 or total == 0:
        return 0.0
    differences = sum(abs(x - y) for x in values for y in values)
    return differences / (2 * n * total)


def can_staff(person: Person, post: Post) -> bool:
    """Whether the person's unit is admitted to (a part of) the post and they hold its skills."""
    admitted = any(post.admits(person.unit, part) for part in post.unit_slots())
    return admitted and post.require <= person.skills


def is_eligible(person: Person, plan: Plan) -> bool:
    """Whether the person could staff at least one post of the plan."""
    return any(can_staff(person, post) for post in plan.posts)


def wish_met(wish: Wish, duties: Sequence[Assignment], plan: Plan) -> bool:
    """A prefer wish is met by a duty on its date (and block); an avoid wish by none."""
    on_duty = any(
        duty.date == wish.date and (wish.block is None or _names_block(wish.block, duty, plan))
        for duty in duties
    )
    return on_duty if wish.kind is WishKind.PREFER else not on_duty


def night_windows(plan: Plan) -> list[tuple[int, int]]:
    """Every-date factor windows that raise the burden."""
    return [(f.start, f.end) for f in plan.factors if f.date is None and f.factor > 1]


def gala_windows(plan: Plan, date: dt.date) -> list[tuple[int, int]]:
    """Factor windows for ``date`` alone that raise the burden."""
    return [(f.start, f.end) for f in plan.factors if f.date == date and f.factor > 1]


def _covered(start: int, end: int, windows: Iterable[tuple[int, int]]) -> int:
    """Minutes of ``[start, end)`` inside the union of ``windows``."""
    minutes, cursor = 0, start
    for low, high in sorted(windows):
        low, high = max(low, cursor), min(high, end)
        if high > low:
            minutes += high - low
            cursor = high
    return minutes


def _names_block(ref: str, duty: Assignment, plan: Plan) -> bool:
    if ref == duty.block:
        return True
    return any(b.id == duty.block and b.name == ref for b in plan.blocks)


def _wishes_by_person(staff: Staff) -> dict[str, tuple[Wish, ...]]:
    """Wishes keyed by staff id; a reference that names nobody or several people is dropped."""
    result: dict[str, list[Wish]] = {}
    for wish in staff.wishes:
        matches = staff.find(wish.staff)
        if len(matches) == 1:
            result.setdefault(matches[0].id, []).append(wish)
    return {key: tuple(value) for key, value in result.items()}


def _known_burden(duties: Iterable[Assignment], plan: Plan) -> float:
    posts = {p.id: p for p in plan.posts}
    blocks = {b.id for b in plan.blocks}
    return sum(
        plan.burden(posts[d.post], d.date, d.block)
        for d in duties
        if d.post in posts and d.block in blocks
    )
