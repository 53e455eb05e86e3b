"""What every check shares: the violation type, the roster resolved into duties, and wording.

Written from SPEC §3, independently of ``solvers/``: all time arithmetic here is the
checker's own (absolute minutes, ``date.toordinal() * 1440 + minute``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from roster.model import Absence, Assignment, Block, Kind, Person, Plan, Post, Roster, Rules, Staff

RULES = (
    "unknown_reference",
    "coverage",
    "qualification",
    "team_composition",
    "eligibility",
    "overlap",
    "availability",
    "daily_hours",
    "consecutive_hours",
    "rest",
    "total_hours",
    "max_consecutive_days",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_weekends",
    "max_blocks",
    "min_hours_total",
    "forbid_after",
    "pin",
    "apart",
    "restrict",
)
"""Every rule code, in the order ``check()`` reports them."""

DAY_MINUTES = 1440
EPSILON = 1e-6  # caps are float hours; totals are integer minutes
ONE_DAY = dt.timedelta(days=1)

Key = tuple[str, str | None, dt.date, str, int]
"""A place group: post id, unit part (``per_unit`` posts) or ``None``, date, block id, team."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One broken rule, where it is, and what is wrong, in Chinese and English.

    ``unit`` is the unit part of a ``per_unit`` post, when the violation concerns one.
    """

    rule: str
    zh: str
    en: str
    date: dt.date | None = None
    block: str | None = None
    post: str | None = None
    team: int | None = None
    staff_id: str | None = None
    unit: str | None = None

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown rule code {self.rule!r}")

    def render(self, lang: str = "zh") -> str:
        """The message for the coordinator: Chinese unless ``lang`` is ``"en"``."""
        return self.en if lang == "en" else self.zh


def moment(date: dt.date, minute: int) -> int:
    """Absolute minute of ``minute`` after midnight on ``date``."""
    return date.toordinal() * DAY_MINUTES + minute


@dataclass(frozen=True, slots=True)
class Duty:
    """A filled assignment whose post, block, date, team and person all exist."""

    person: Person
    post: Post
    part: str | None
    date: dt.date
    block: Block
    team: int
    start: int  # absolute minutes
    end: int

    @property
    def key(self) -> Key:
        return (self.post.id, self.part, self.date, self.block.id, self.team)

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def onsite(self) -> bool:
        return self.post.kind is Kind.ONSITE

    def overlaps(self, start: int, end: int) -> bool:
        """Whether this duty shares time with ``[start, end)``; touching is not sharing."""
        return self.start < end and start < self.end


class Context:
    """The roster resolved against the plan and the staff, once, for every check."""

    def __init__(self, roster: Roster, plan: Plan, staff: Staff) -> None:
        self.plan = plan
        self.staff = staff
        self.people = {p.id: p for p in staff.people}
        self.blocks = {b.id: b for b in plan.blocks}
        self.posts = {p.id: p for p in plan.posts}
        self.dates = frozenset(plan.dates)
        self.duties: list[Duty] = []
        self.unfilled: list[Key] = []
        self.unknown: list[tuple[Assignment, str, str]] = []
        for assignment in roster:
            self._add(assignment)
        person_order = {p.id: i for i, p in enumerate(staff.people)}
        post_order = {p.id: i for i, p in enumerate(plan.posts)}
        self.duties.sort(
            key=lambda d: (
                person_order[d.person.id],
                d.start,
                d.end,
                post_order[d.post.id],
                d.part or "",
                d.team,
            )
        )
        self._by_person: dict[str, list[Duty]] = defaultdict(list)
        for duty in self.duties:
            self._by_person[duty.person.id].append(duty)
        self._rules: dict[str, Rules] = {}

    def _add(self, a: Assignment) -> None:
        post, block = self.posts.get(a.post), self.blocks.get(a.block)
        person = None if a.staff_id is None else self.people.get(a.staff_id)
        problem = self._problem(a, post, block, person)
        if problem is not None:
            self.unknown.append((a, *problem))
            return
        assert post is not None
        assert block is not None
        part = None
        if post.per_unit is not None:
            part = a.unit or (person.unit if person is not None else None)
        if person is None:
            self.unfilled.append((post.id, part, a.date, block.id, a.team))
            return
        self.duties.append(
            Duty(
                person,
                post,
                part,
                a.date,
                block,
                a.team,
                moment(a.date, block.start),
                moment(a.date, block.end),
            )
        )

    def _problem(
        self, a: Assignment, post: Post | None, block: Block | None, person: Person | None
    ) -> tuple[str, str] | None:
        """Why an assignment refers to something the plan or staff lacks, or ``None``."""
        if post is None:
            return f"没有编号为“{a.post}”的岗位", f"no post with id {a.post!r}"
        if block is None:
            return f"没有编号为“{a.block}”的班次", f"no block with id {a.block!r}"
        if a.date not in self.dates:
            return "日期不在值班期间内", "the date is outside the duty period"
        if block.id not in post.blocks:
            return f"{post.name}在{block.name}不设岗", f"{post.name} has no {block.id} duty"
        teams = post.teams_on(a.date, block.id)
        if not 1 <= a.team <= teams:
            return (
                f"{post.name}该班次共 {teams} 个队，没有第{a.team}队",
                f"{post.name} has {teams} team(s) in that block, no team {a.team}",
            )
        if a.staff_id is not None and person is None:
            return (
                f"人员名单中没有编号为“{a.staff_id}”的人",
                f"no person with id {a.staff_id!r} in the staff list",
            )
        if person is None and post.per_unit is not None and a.unit not in post.per_unit:
            return (
                f"{post.name}没有“{a.unit}”这一单位的岗位",
                f"{post.name} has no part for unit {a.unit!r}",
            )
        return None

    def of(self, staff_id: str) -> list[Duty]:
        """Every duty of a person, duplicates included, by start time."""
        return self._by_person.get(staff_id, [])

    def held(self, staff_id: str) -> list[Duty]:
        """A person's distinct duties by start time (a duty listed twice counts once)."""
        return list({d.key: d for d in self.of(staff_id)}.values())

    def rules(self, person: Person) -> Rules:
        if person.id not in self._rules:
            self._rules[person.id] = self.plan.rules_for(person)
        return self._rules[person.id]

    def resolve(self, ref: str) -> Person | None:
        """The one person a plan's staff reference means, or ``None`` (none or several)."""
        found = self.staff.find(ref)
        return found[0] if len(found) == 1 else None

    def absence_span(self, absence: Absence) -> tuple[int, int] | None:
        """Absolute span of an absence; ``None`` if it names a block the plan lacks."""
        if absence.block is not None:
            block = self.blocks.get(absence.block) or next(
                (b for b in self.plan.blocks if b.name == absence.block), None
            )
            if block is None:
                return None
            return moment(absence.date, block.start), moment(absence.date, block.end)
        start = 0 if absence.start is None else absence.start
        end = DAY_MINUTES if absence.end is None else absence.end
        if end <= start:  # "22:00-02:00" runs past midnight
            end += DAY_MINUTES
        return moment(absence.date, start), moment(absence.date, end)


# --- wording ----------------------------------------------------------------------------


def who(person: Person) -> str:
    """A person as the coordinator names them: ``姓名(编号)``."""
    return f"{person.name}({person.id})"


def num(value: float) -> str:
    """A number of hours or people without a needless ``.0``."""
    return f"{value:g}"


def plural(count: int, word: str) -> str:
    """``1 weekend``, ``2 weekends``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def hours(minutes: float) -> str:
    return num(round(minutes / 60, 2))


def clock(minute: int) -> str:
    """``HH:MM`` of an absolute minute."""
    minute %= DAY_MINUTES
    return f"{minute // 60:02d}:{minute % 60:02d}"


def when(ctx: Context, date: dt.date, block_id: str) -> tuple[str, str]:
    """A block on a date: zh by block name (``2027-03-15 夜班``), en by id (``… NIGHT``)."""
    block = ctx.blocks.get(block_id)
    return f"{date} {block.name if block else block_id}", f"{date} {block_id}"


def where(
    ctx: Context,
    date: dt.date,
    block_id: str,
    post: Post,
    part: str | None = None,
    team: int | None = None,
) -> tuple[str, str]:
    """A place group: ``2027-03-15 夜班 执法应急小分队 第2队`` / ``…NIGHT, 执法应急小分队 team 2``.

    The team is named only where the post has several teams (or the number is odd).
    """
    zh, en = when(ctx, date, block_id)
    zh, en = f"{zh} {post.name}", f"{en}, {post.name}"
    if part:
        zh, en = f"{zh}（{part}）", f"{en} ({part})"
    if team is not None and (team != 1 or post.teams_on(date, block_id) > 1):
        zh, en = f"{zh} 第{team}队", f"{en} team {team}"
    return zh, en


def duty_where(ctx: Context, duty: Duty) -> tuple[str, str]:
    return where(ctx, duty.date, duty.block.id, duty.post, duty.part, duty.team)


def at_duty(rule: str, duty: Duty, zh: str, en: str) -> Violation:
    """A violation located at one person's duty."""
    return Violation(
        rule=rule,
        zh=zh,
        en=en,
        date=duty.date,
        block=duty.block.id,
        post=duty.post.id,
        team=duty.team,
        staff_id=duty.person.id,
        unit=duty.part,
    )


def over(minutes: float, cap_hours: float) -> bool:
    return minutes > cap_hours * 60 + EPSILON


def under(minutes: float, floor_hours: float) -> bool:
    return minutes < floor_hours * 60 - EPSILON
