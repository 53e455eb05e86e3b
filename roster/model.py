"""Domain types: staff, duty plan and roster.

Everything here is immutable and imports only the standard library. Times of day are
integer minutes after midnight (``end`` may be 1440 for 24:00); a moment in the period is an
absolute minute, ``date.toordinal() * 1440 + minute``, so spans on different dates compare
directly.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any

MINUTES_PER_DAY = 1440
CERT_SKILL = "执法证"
"""The one built-in skill: holding an enforcement certificate number implies it."""

Slot = tuple[dt.date, str]
"""A block on a date: ``(date, block_id)``."""


def absolute(date: dt.date, minute: int) -> int:
    """The absolute minute of ``minute`` after midnight on ``date``."""
    return date.toordinal() * MINUTES_PER_DAY + minute


def format_minute(minute: int) -> str:
    """``HH:MM`` for a minute after midnight (``24:00`` for 1440)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


# --- staff ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Absence:
    """A time a person cannot be on duty.

    Either a whole date (``start``/``end``/``block`` all ``None``), a time range on a date
    (``start``/``end`` in minutes), or a block of the plan (``block`` id), which is resolved
    against the plan's blocks. ``source`` names where it was read (``人员!H5``).
    """

    date: dt.date
    start: int | None = None
    end: int | None = None
    block: str | None = None
    reason: str = ""
    source: str = ""


class WishKind(StrEnum):
    PREFER = "prefer"
    AVOID = "avoid"


@dataclass(frozen=True, slots=True)
class Wish:
    """A person's wish to be on (prefer) or off (avoid) duty on a date, or a block of it."""

    staff: str  # id or name, as written
    date: dt.date
    block: str | None  # block id or name; None: the whole date
    kind: WishKind
    weight: float = 1.0
    source: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    unit: str
    title: str = ""
    gender: str = ""  # "男", "女" or ""
    phone: str = ""
    skills: frozenset[str] = frozenset()
    cert: str = ""
    absences: tuple[Absence, ...] = ()
    max_hours: float | None = None
    note: str = ""
    row: int = 0  # the sheet row, for messages; 0 when built in code

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a person needs an id")
        if not self.name:
            raise ValueError(f"person {self.id}: a person needs a name")
        if not self.unit:
            raise ValueError(f"person {self.id}: a person needs a unit")
        if self.cert and CERT_SKILL not in self.skills:
            object.__setattr__(self, "skills", self.skills | {CERT_SKILL})


@dataclass(frozen=True, slots=True)
class Staff:
    """The staff list: people (ids unique) and their wishes."""

    people: tuple[Person, ...]
    wishes: tuple[Wish, ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for person in self.people:
            if person.id in seen:
                raise ValueError(f"duplicate staff id {person.id!r}")
            seen.add(person.id)

    def __len__(self) -> int:
        return len(self.people)

    def __iter__(self) -> Iterator[Person]:
        return iter(self.people)

    @property
    def units(self) -> tuple[str, ...]:
        """Units in order of first appearance."""
        return tuple(dict.fromkeys(p.unit for p in self.people))

    @property
    def skills(self) -> frozenset[str]:
        return frozenset().union(*(p.skills for p in self.people))

    def by_id(self) -> dict[str, Person]:
        return {p.id: p for p in self.people}

    def find(self, ref: str) -> list[Person]:
        """People a plan's staff reference means: the person with that id, else by name."""
        exact = [p for p in self.people if p.id == ref]
        return exact or [p for p in self.people if p.name == ref]

    def shares_name(self, person: Person) -> bool:
        """Whether someone else on the staff has ``person``'s name (§2.1 allows it)."""
        return any(p.name == person.name and p.id != person.id for p in self.people)

    def label(self, person: Person) -> str:
        """How a message names ``person``: the name, and the id too when the name is shared
        (``李娜（P012）``), so the coordinator knows which 李娜 is meant."""
        return f"{person.name}（{person.id}）" if self.shares_name(person) else person.name


# --- plan ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    """A named time block, repeated on every date of the period."""

    id: str
    name: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= MINUTES_PER_DAY:
            raise ValueError(f"block {self.id}: start must be before end, within 00:00-24:00")

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def hours(self) -> float:
        return self.minutes / 60

    def span(self, date: dt.date) -> tuple[int, int]:
        """Absolute start and end minute of this block on ``date``."""
        return absolute(date, self.start), absolute(date, self.end)


class Kind(StrEnum):
    ONSITE = "onsite"
    ONCALL = "oncall"


@dataclass(frozen=True, slots=True)
class Soft:
    """Cost per person short of (under) or beyond (over) a soft post's target size."""

    under: int
    over: int


@dataclass(frozen=True, slots=True)
class Post:
    """A duty post. With ``per_unit`` it stands for one post per listed unit."""

    id: str
    name: str
    blocks: tuple[str, ...]
    size: int = 1
    units: tuple[str, ...] | None = None  # None: any unit
    per_unit: tuple[str, ...] | None = None
    require: frozenset[str] = frozenset()
    size_at: tuple[tuple[Slot, int], ...] = ()
    teams: int = 1
    teams_at: tuple[tuple[Slot, int], ...] = ()
    at_least: tuple[tuple[str, int], ...] = ()  # per team
    kind: Kind = Kind.ONSITE
    weight: float = 1.0
    soft: Soft | None = None
    soft_at: tuple[tuple[Slot, Soft], ...] = ()

    def __post_init__(self) -> None:
        if self.size < 0 or self.teams < 0:
            raise ValueError(f"post {self.id}: size and teams must not be negative")
        if self.units is not None and self.per_unit is not None:
            raise ValueError(f"post {self.id}: units and per_unit exclude each other")
        if self.weight < 0:
            raise ValueError(f"post {self.id}: weight must not be negative")

    @property
    def onsite(self) -> bool:
        return self.kind is Kind.ONSITE

    def size_on(self, date: dt.date, block: str) -> int:
        """People per team on ``date`` in ``block``."""
        return dict(self.size_at).get((date, block), self.size)

    def teams_on(self, date: dt.date, block: str) -> int:
        return dict(self.teams_at).get((date, block), self.teams)

    def soft_on(self, date: dt.date, block: str) -> Soft | None:
        return dict(self.soft_at).get((date, block), self.soft)

    def unit_slots(self) -> tuple[str | None, ...]:
        """The units this post is split into: its ``per_unit`` list, else ``(None,)``."""
        return self.per_unit if self.per_unit is not None else (None,)

    def admits(self, unit: str, post_unit: str | None) -> bool:
        """Whether someone of ``unit`` may staff this post (its ``post_unit`` part)."""
        if post_unit is not None:
            return unit == post_unit
        return self.units is None or unit in self.units


@dataclass(frozen=True, slots=True)
class Factor:
    """A burden multiplier for a time of day, on every date or on one date."""

    start: int
    end: int
    factor: float
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Selector:
    """Picks people; every given field must match (a field matches any of its values)."""

    gender: tuple[str, ...] = ()
    unit: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    skill: tuple[str, ...] = ()
    staff: tuple[str, ...] = ()  # ids or names

    def matches(self, person: Person) -> bool:
        return (
            (not self.gender or person.gender in self.gender)
            and (not self.unit or person.unit in self.unit)
            and (not self.title or person.title in self.title)
            and (not self.skill or bool(person.skills.intersection(self.skill)))
            and (not self.staff or person.id in self.staff or person.name in self.staff)
        )


@dataclass(frozen=True, slots=True)
class Pin:
    """A duty fixed by the coordinator."""

    staff: str  # id or name
    post: str
    date: dt.date
    block: str
    team: int | None = None  # None: any team


@dataclass(frozen=True, slots=True)
class Apart:
    """People who are never on duty at the same time."""

    staff: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Restrict:
    """Keeps the selected people out of the given blocks (on the given dates; all if empty)."""

    who: Selector
    blocks: tuple[str, ...]
    dates: tuple[dt.date, ...] = ()


@dataclass(frozen=True, slots=True)
class Rules:
    """Hard limits; ``None`` (or an empty mapping) does not bind."""

    max_onsite_hours_per_day: float | None = None
    max_consecutive_hours: float | None = None
    min_rest_hours: float | None = None
    max_hours_total: float | None = None
    # §2.3
    max_consecutive_days: int | None = None
    min_consecutive_days: int | None = None
    min_consecutive_days_off: int | None = None
    max_weekends: int | None = None
    max_blocks: tuple[tuple[str, int], ...] = ()
    min_hours_total: float | None = None
    forbid_after: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def override(self, other: Rules) -> Rules:
        """These rules with every limit that ``other`` sets taking precedence."""
        values: dict[str, Any] = {}
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if f.name in ("max_blocks", "forbid_after"):
                values[f.name] = tuple({**dict(mine), **dict(theirs)}.items())
            else:
                values[f.name] = mine if theirs is None else theirs
        return replace(self, **values)


@dataclass(frozen=True, slots=True)
class Personal:
    """Rules for the selected people, overriding the plan's ``[rules]``."""

    who: Selector
    rules: Rules


OBJECTIVE_TERMS = ("coverage", "max_burden", "evenness", "wishes", "history", "changes")
DEFAULT_STAGES: tuple[tuple[str, ...], ...] = (("max_burden",), ("evenness",), ("wishes",))


@dataclass(frozen=True, slots=True)
class Plan:
    """A duty plan: the period, its blocks and posts, and the rules."""

    title: str
    dates: tuple[dt.date, ...]
    blocks: tuple[Block, ...]
    posts: tuple[Post, ...]
    rules: Rules = field(default_factory=Rules)
    factors: tuple[Factor, ...] = ()
    pins: tuple[Pin, ...] = ()
    apart: tuple[Apart, ...] = ()
    restrict: tuple[Restrict, ...] = ()
    personal: tuple[Personal, ...] = ()
    rest_days: tuple[dt.date, ...] | None = None  # None: see official_holidays
    official_holidays: bool = False  # with no rest_days: China's calendar, else Sat/Sun
    stages: tuple[tuple[str, ...], ...] = DEFAULT_STAGES
    source: str = ""

    def __post_init__(self) -> None:
        if list(self.dates) != sorted(set(self.dates)):
            raise ValueError("dates must be distinct and in order")
        for kind, ids in (
            ("block", [b.id for b in self.blocks]),
            ("post", [p.id for p in self.posts]),
        ):
            if len(ids) != len(set(ids)):
                raise ValueError(f"duplicate {kind} id")
        blocks = {b.id for b in self.blocks}
        for post in self.posts:
            unknown = set(post.blocks) - blocks
            if unknown:
                raise ValueError(f"post {post.id}: unknown block {sorted(unknown)[0]!r}")

    def block(self, block_id: str) -> Block:
        for block in self.blocks:
            if block.id == block_id:
                return block
        raise KeyError(block_id)

    def post(self, post_id: str) -> Post:
        for post in self.posts:
            if post.id == post_id:
                return post
        raise KeyError(post_id)

    def rules_for(self, person: Person) -> Rules:
        """The plan's rules with the person's ``[[personal]]`` overrides and ``max_hours``."""
        rules = self.rules
        for personal in self.personal:
            if personal.who.matches(person):
                rules = rules.override(personal.rules)
        if person.max_hours is not None:
            cap = person.max_hours
            if rules.max_hours_total is not None:
                cap = min(cap, rules.max_hours_total)
            rules = rules.override(Rules(max_hours_total=cap))
        return rules

    def factor_at(self, date: dt.date, minute: int) -> float:
        """The time factor in force at ``minute`` on ``date`` (the largest that applies)."""
        applying = [
            f.factor
            for f in self.factors
            if (f.date is None or f.date == date) and f.start <= minute < f.end
        ]
        return max(applying, default=1.0)

    def burden(self, post: Post, date: dt.date, block_id: str) -> float:
        """One person's burden for one duty: hours x post weight x time factor."""
        block = self.block(block_id)
        points = sorted(
            {block.start, block.end}
            | {t for f in self.factors for t in (f.start, f.end) if block.start < t < block.end}
        )
        weighted = sum((b - a) * self.factor_at(date, a) for a, b in itertools.pairwise(points))
        return weighted / 60 * post.weight

    def demands(self) -> Iterator[Demand]:
        """Every place group to fill: post (and unit part), date, block and team."""
        for post in self.posts:
            for unit in post.unit_slots():
                for date in self.dates:
                    for block in post.blocks:
                        for team in range(1, post.teams_on(date, block) + 1):
                            yield Demand(post, unit, date, block, team)


@dataclass(frozen=True, slots=True)
class Demand:
    """One team of one post (or unit part of a ``per_unit`` post) in one block on one date."""

    post: Post
    unit: str | None
    date: dt.date
    block: str
    team: int

    @property
    def size(self) -> int:
        return self.post.size_on(self.date, self.block)

    @property
    def key(self) -> tuple[str, str | None, dt.date, str, int]:
        return (self.post.id, self.unit, self.date, self.block, self.team)


# --- roster --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assignment:
    """One person on one duty; ``staff_id`` is ``None`` for a place left unfilled.

    ``unit`` is the person's unit, or for an unfilled place of a ``per_unit`` post the unit
    whose part it is.
    """

    date: dt.date
    block: str
    post: str
    team: int
    staff_id: str | None
    unit: str = ""

    @property
    def filled(self) -> bool:
        return self.staff_id is not None


@dataclass(frozen=True, slots=True)
class Roster:
    assignments: tuple[Assignment, ...]

    def __iter__(self) -> Iterator[Assignment]:
        return iter(self.assignments)

    def __len__(self) -> int:
        return len(self.assignments)

    @property
    def filled(self) -> tuple[Assignment, ...]:
        return tuple(a for a in self.assignments if a.filled)

    @property
    def unfilled(self) -> tuple[Assignment, ...]:
        return tuple(a for a in self.assignments if not a.filled)

    def of(self, staff_id: str) -> tuple[Assignment, ...]:
        return tuple(a for a in self.assignments if a.staff_id == staff_id)

    @classmethod
    def sorted(cls, assignments: Iterable[Assignment], plan: Plan) -> Roster:
        """A roster in print order: date, block start, post order, team, staff."""
        block_order = {b.id: (b.start, i) for i, b in enumerate(plan.blocks)}
        post_order = {p.id: i for i, p in enumerate(plan.posts)}
        return cls(
            tuple(
                sorted(
                    assignments,
                    key=lambda a: (
                        a.date,
                        block_order.get(a.block, (MINUTES_PER_DAY, 0)),
                        post_order.get(a.post, len(post_order)),
                        a.unit,
                        a.team,
                        a.staff_id or "\uffff",
                    ),
                )
            )
        )
