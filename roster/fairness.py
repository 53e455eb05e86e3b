"""Fairness metrics of a roster (SPEC §4): per person, per unit and roster-wide.

Everything here is pure arithmetic on the domain types. A duty's burden is
``Plan.burden`` (hours x post weight x time factor). Night hours are the hours inside the
plan's every-date factor windows, gala hours those inside its date-specific windows (only
windows with a factor above 1 count). 补休 is owed for on-site hours on rest days
(``roster.calendar``). The roster-wide summary is taken over the people who could have
staffed at least one post.

Earlier rosters (history) are measured under this plan: their posts' weights, blocks and
factors, with each earlier date read as the period's date of the same month and day (last
year's 15 March is this year's, so last year's gala night counts as a gala night). Duties
whose post or block the plan lacks count toward the number of earlier duties only.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from roster import calendar
from roster.history import covered, past_duties
from roster.model import (
    Assignment,
    Person,
    Plan,
    Post,
    Roster,
    Staff,
    Wish,
    WishKind,
)


@dataclass(frozen=True, slots=True)
class PersonStats:
    """One person's load. Hours are clock hours; ``burden`` is weighted (SPEC §4).

    The ``history_`` fields are the same measures over the earlier rosters (``None`` when
    no history was given).
    """

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
    history_hours: float | None = None
    history_oncall_hours: float | None = None
    history_night_hours: float | None = None
    history_gala_hours: float | None = None

    @property
    def total_burden(self) -> float:
        """This roster's burden and the earlier rosters' together."""
        return self.burden + (self.history_burden or 0.0)

    @property
    def total_night_hours(self) -> float:
        return self.night_hours + (self.history_night_hours or 0.0)

    @property
    def total_gala_hours(self) -> float:
        return self.gala_hours + (self.history_gala_hours or 0.0)


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
    history_burden: float | None = None


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
    """The §4 fairness report: every staff member in staff order, every unit, the summary.

    ``history_summary`` summarises the multi-year totals (this roster and the earlier ones)
    when history was given.
    """

    people: tuple[PersonStats, ...]
    units: tuple[UnitStats, ...]
    summary: Summary
    unfilled: int  # places left unfilled
    history_summary: Summary | None = None
    rest_days: tuple[dt.date, ...] = ()

    @property
    def has_history(self) -> bool:
        return self.history_summary is not None

    def by_burden(self) -> tuple[PersonStats, ...]:
        """People by burden, largest first (ties keep staff order)."""
        return tuple(sorted(self.people, key=lambda p: -p.burden))


def measure(roster: Roster, plan: Plan, staff: Staff, history: Roster | None = None) -> Fairness:
    """The fairness report of ``roster``.

    Every assignment must name a post and block of ``plan``; assignments of people not in
    ``staff`` are left out. With ``history`` (earlier rosters), each person also gets their
    earlier duties measured under this plan (see the module's docstring), and the summary of
    the multi-year totals.
    """
    wishes = _wishes_by_person(staff)
    rest = calendar.rest_days(plan)
    people = tuple(
        person_stats(
            person, roster.of(person.id), plan, wishes.get(person.id, ()), history, rest=rest
        )
        for person in staff
    )
    eligible = [p for p in people if p.eligible]
    return Fairness(
        people=people,
        units=unit_stats(people, staff.units),
        summary=summarize([p.burden for p in eligible]),
        unfilled=len(roster.unfilled),
        history_summary=None if history is None else summarize([p.total_burden for p in eligible]),
        rest_days=tuple(sorted(rest)),
    )


@dataclass(frozen=True, slots=True)
class _Load:
    """Minutes and burden of a set of duties."""

    onsite: int = 0
    oncall: int = 0
    burden: float = 0.0
    night: int = 0
    gala: int = 0
    rest: int = 0


def _load(duties: Iterable[Assignment], plan: Plan, rest: frozenset[dt.date]) -> _Load:
    onsite = oncall = night = gala = rest_minutes = 0
    burden = 0.0
    nights = night_windows(plan)
    for duty in duties:
        post, block = plan.post(duty.post), plan.block(duty.block)
        if post.onsite:
            onsite += block.minutes
            if duty.date in rest:
                rest_minutes += block.minutes
        else:
            oncall += block.minutes
        night += covered(block.start, block.end, nights)
        gala += covered(block.start, block.end, gala_windows(plan, duty.date))
        burden += plan.burden(post, duty.date, duty.block)
    return _Load(onsite, oncall, burden, night, gala, rest_minutes)


def person_stats(
    person: Person,
    duties: Sequence[Assignment],
    plan: Plan,
    wishes: Sequence[Wish] = (),
    history: Roster | None = None,
    *,
    rest: frozenset[dt.date] | None = None,
) -> PersonStats:
    """One person's load from their own duties (``rest``: the rest days, computed if absent)."""
    if rest is None:
        rest = calendar.rest_days(plan, {d.date for d in duties})
    load = _load(duties, plan, rest)
    met = sum(wish_met(wish, duties, plan) for wish in wishes)
    past_all = history.of(person.id) if history is not None else None
    past = _load(past_duties(past_all, plan), plan, frozenset()) if past_all is not None else None
    return PersonStats(
        id=person.id,
        name=person.name,
        unit=person.unit,
        eligible=is_eligible(person, plan),
        duties=len(duties),
        hours=load.onsite / 60,
        oncall_hours=load.oncall / 60,
        burden=load.burden,
        night_hours=load.night / 60,
        gala_hours=load.gala / 60,
        rest_day_hours=load.rest / 60,
        wishes_met=met,
        wishes_unmet=len(wishes) - met,
        history_duties=None if past_all is None else len(past_all),
        history_burden=None if past is None else past.burden,
        history_hours=None if past is None else past.onsite / 60,
        history_oncall_hours=None if past is None else past.oncall / 60,
        history_night_hours=None if past is None else past.night / 60,
        history_gala_hours=None if past is None else past.gala / 60,
    )


def unit_stats(people: Sequence[PersonStats], units: Iterable[str]) -> tuple[UnitStats, ...]:
    """Per unit totals; shares are of the total burden and of all eligible people."""
    total_burden = sum(p.burden for p in people)
    total_eligible = sum(p.eligible for p in people)
    history = any(p.history_burden is not None for p in people)
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
                history_burden=sum(p.history_burden or 0.0 for p in members) if history else None,
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
    # Over the sorted values, Σᵢ Σⱼ |xᵢ - xⱼ| = 2 Σᵢ (2i - n + 1) xᵢ (i from 0): O(n log n).
    ordered = sorted(values)
    differences = 2 * sum((2 * i - n + 1) * x for i, x in enumerate(ordered))
    return differences / (2 * n * total)


def lorenz(values: Sequence[float]) -> list[tuple[float, float]]:
    """The Lorenz curve: (share of people, share of burden they carry), smallest first."""
    ordered = sorted(values)
    total = sum(ordered)
    points, running = [(0.0, 0.0)], 0.0
    for i, x in enumerate(ordered, 1):
        running += x
        points.append((i / len(ordered), running / total if total else i / len(ordered)))
    return points


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
        duty.date == wish.date and (wish.block is None or names_block(wish.block, duty.block, plan))
        for duty in duties
    )
    return on_duty if wish.kind is WishKind.PREFER else not on_duty


def night_windows(plan: Plan) -> list[tuple[int, int]]:
    """Every-date factor windows that raise the burden."""
    return [(f.start, f.end) for f in plan.factors if f.date is None and f.factor > 1]


def gala_windows(plan: Plan, date: dt.date) -> list[tuple[int, int]]:
    """Factor windows for ``date`` alone that raise the burden."""
    return [(f.start, f.end) for f in plan.factors if f.date == date and f.factor > 1]


# --- helpers ---------------------------------------------------------------------------


def names_block(ref: str, block_id: str, plan: Plan) -> bool:
    """Whether a wish's block reference (an id or a name) means ``block_id``."""
    if ref == block_id:
        return True
    return any(b.id == block_id and b.name == ref for b in plan.blocks)


def resolve_wishes(staff: Staff) -> list[tuple[Wish, Person | None]]:
    """Each wish with the one person it names (by id, else name), or ``None``."""
    found = []
    for wish in staff.wishes:
        matches = staff.find(wish.staff)
        found.append((wish, matches[0] if len(matches) == 1 else None))
    return found


def _wishes_by_person(staff: Staff) -> dict[str, tuple[Wish, ...]]:
    """Wishes keyed by staff id; a reference that names nobody or several people is dropped."""
    result: dict[str, list[Wish]] = {}
    for wish, person in resolve_wishes(staff):
        if person is not None:
            result.setdefault(person.id, []).append(wish)
    return {key: tuple(value) for key, value in result.items()}
