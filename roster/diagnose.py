"""Why a plan cannot be staffed, in the coordinator's words (SPEC §3, ``roster explain``).

Two kinds of finding:

- a **shortage**, found by counting: for one post, date and block (all its teams), or for the
  holders of an ``at_least`` skill there, fewer people are free than places. Free means
  admitted by unit and skill, not on leave, not kept out by a ``restrict``, and not needed
  for places at the same time that only the same people can take (Hall's condition: those
  places and these together need more people than the group has);
- a **conflict**, found by the solver: a small set of places and rules that cannot all hold,
  with the people who could take those places and what keeps each of them out.

This module counts and renders; it imports only the domain. ``solvers/cpsat/explain.py``
finds conflicts and verifies the suggested relaxations (``roster.relax``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from roster.errors import text
from roster.model import (
    MINUTES_PER_DAY,
    Absence,
    Person,
    Pin,
    Plan,
    Post,
    Staff,
    absolute,
    format_minute,
)
from roster.relax import Edit, RuleEdit, selector_text, slot_text

NAMES_SHOWN = 8  # names listed per reason before "and N more"
PEOPLE_SHOWN = 20  # people listed for a conflict before a count by reason


class Why(StrEnum):
    """What keeps a person out of a place."""

    UNIT = "unit"  # not of the post's units
    SKILL = "skill"  # lacks a skill the post requires
    LEAVE = "leave"  # unavailable then
    RESTRICT = "restrict"
    BUSY = "busy"  # needed for another place at the same time
    DAILY = "daily"  # max_onsite_hours_per_day
    CONSECUTIVE = "consecutive"
    REST = "rest"
    TOTAL = "total"  # max_hours_total (or the staff row's max_hours)
    MIN_TOTAL = "min_total"
    APART = "apart"
    PIN = "pin"
    COMPOSITION = "composition"  # the team's at_least
    OTHER = "other"  # the §2.3 rules or the rest of the conflict


@dataclass(frozen=True, slots=True)
class Place:
    """A post (unit part) on a date and block; ``teams`` of its teams are concerned."""

    post: Post
    unit: str | None
    date: dt.date
    block: str
    teams: int = 1

    def describe(self, plan: Plan, lang: str) -> str:
        part = f"（{self.unit}）" if self.unit else ""
        return f"{slot_text(plan, self.date, self.block, lang)}, {self.post.name}{part}"


@dataclass(frozen=True, slots=True)
class Reason:
    """One thing that keeps a person out; the fields that matter depend on ``why``."""

    why: Why
    detail: str = ""  # missing skills, an absence's reason, names of an apart group
    limit: float | None = None  # hours of a cap, rest or minimum
    index: int | None = None  # position of the restrict, apart or pin
    place: Place | None = None  # for BUSY: the place they are needed at
    dates: tuple[dt.date, ...] = ()
    because: tuple[Reason, ...] = ()  # for PIN (detail: who): why they cannot take it


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person who could have taken the places, and what keeps them out."""

    person: Person
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Shortage:
    """Places (or holders of ``skill``) needed at a place, against the people free for them."""

    place: Place
    needed: int
    free: int
    skill: str | None = None
    candidates: tuple[Candidate, ...] = ()  # those kept out, with why
    busy: tuple[tuple[Place, int], ...] = ()  # places at the same time only they can take


@dataclass(frozen=True, slots=True)
class Conflict:
    """Places that cannot all be filled together, who could fill them, and the rules that bind."""

    places: tuple[Shortage, ...]
    people: tuple[Candidate, ...]
    rules: tuple[Reason, ...] = ()  # rules not tied to a candidate (pins, §2.3)


@dataclass(frozen=True, slots=True)
class Relaxation:
    """Edits to the plan that together make it feasible (verified by solving)."""

    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """The answer of ``explain``; ``feasible`` is ``None`` when not decided in time."""

    feasible: bool | None
    shortages: tuple[Shortage, ...] = ()
    conflict: Conflict | None = None
    relaxations: tuple[Relaxation, ...] = ()

    def reasons(self) -> set[Why]:
        """Every reason the diagnosis names (kept-out people and binding rules)."""
        found: set[Why] = set()
        for shortage in (*self.shortages, *(self.conflict.places if self.conflict else ())):
            found.update(r.why for c in shortage.candidates for r in c.reasons)
            if shortage.busy:
                found.add(Why.BUSY)
            if shortage.skill is not None:
                found.add(Why.COMPOSITION)
        if self.conflict is not None:
            found.update(r.why for c in self.conflict.people for r in c.reasons)
            found.update(r.why for r in self.conflict.rules)
        return found


# --- counting --------------------------------------------------------------------------


def kept_out(person: Person, plan: Plan, post: Post, unit: str | None, date: dt.date,
             block: str) -> tuple[Reason, ...]:  # fmt: skip
    """Why ``person`` may not take ``post`` (its ``unit`` part) on ``date`` in ``block``.

    Only what holds whatever else the roster does: unit, skills, leave and ``restrict``.
    """
    reasons = []
    if not post.admits(person.unit, unit):
        reasons.append(Reason(Why.UNIT, person.unit))
    missing = post.require - person.skills
    if missing:
        reasons.append(Reason(Why.SKILL, "、".join(sorted(missing))))
    span = plan.block(block).span(date)
    for absence in person.absences:
        start, end = _absence_span(absence, plan)
        if start < span[1] and span[0] < end:
            reasons.append(Reason(Why.LEAVE, absence.reason))
            break
    for i, r in enumerate(plan.restrict):
        if block in r.blocks and (not r.dates or date in r.dates) and r.who.matches(person):
            reasons.append(Reason(Why.RESTRICT, index=i))
    return tuple(reasons)


def pin_obstacles(plan: Plan, staff: Staff, index: int) -> tuple[Reason, ...]:
    """Why pin ``index`` cannot hold whatever else the roster does: the person is of another
    unit, lacks a required skill, is unavailable or kept out by a ``restrict`` then, or is
    pinned elsewhere at an overlapping time (``BUSY``, ``index`` naming that pin)."""
    pin = plan.pins[index]
    found = staff.find(pin.staff)
    if len(found) != 1:
        return ()
    person = found[0]
    post = plan.post(pin.post)
    slots = post.unit_slots()
    unit = person.unit if person.unit in slots else slots[0]
    reasons = []
    for r in kept_out(person, plan, post, unit, pin.date, pin.block):
        if r.why is Why.LEAVE:
            reasons.extend(_leave(person, plan, pin))
        else:
            reasons.append(r)
    span = plan.block(pin.block).span(pin.date)
    for j, other in enumerate(plan.pins):
        if j == index or [p.id for p in staff.find(other.staff)] != [person.id]:
            continue
        same = (other.post, other.date, other.block) == (pin.post, pin.date, pin.block)
        if (same and None in (other.team, pin.team)) or other == pin:
            continue  # the same duty, pinned twice
        start, end = plan.block(other.block).span(other.date)
        if start < span[1] and span[0] < end:
            where = Place(plan.post(other.post), None, other.date, other.block)
            reasons.append(Reason(Why.BUSY, index=j, place=where))
    return tuple(reasons)


def _leave(person: Person, plan: Plan, pin: Pin) -> list[Reason]:
    """The person's absences that overlap the pinned block, each as ``2027-03-11 08:00-12:00``."""
    span = plan.block(pin.block).span(pin.date)
    found = []
    for absence in person.absences:
        start, end = _absence_span(absence, plan)
        if start < span[1] and span[0] < end:
            if absence.block is not None:
                when = f"{absence.date.isoformat()} {plan.block(absence.block).name}"
            elif absence.start is None and absence.end is None:
                when = absence.date.isoformat()
            else:
                first = format_minute(0 if absence.start is None else absence.start)
                last = format_minute(MINUTES_PER_DAY if absence.end is None else absence.end)
                when = f"{absence.date.isoformat()} {first}-{last}"
            found.append(
                Reason(Why.LEAVE, f"{when}（{absence.reason}）" if absence.reason else when)
            )
    return found


@dataclass(frozen=True, slots=True)
class _Group:
    """Places of one post, unit part, date and block (or its holders of one skill)."""

    place: Place
    places: int
    skill: str | None
    pool: frozenset[int]  # people (positions) who may take them
    start: int
    end: int

    @property
    def key(self) -> tuple[str, str | None, dt.date, str]:
        return (self.place.post.id, self.place.unit, self.place.date, self.place.block)


def count_shortages(plan: Plan, staff: Staff) -> tuple[Shortage, ...]:
    """Every place (or skill within it) with fewer free people than it needs."""
    people = staff.people
    groups: list[_Group] = []
    reasons: dict[tuple[str, str | None, dt.date, str], list[tuple[Reason, ...]]] = {}
    for post in plan.posts:
        if post.soft is not None or post.soft_at:
            continue  # a soft post's size is a target, not a demand
        for unit in post.unit_slots():
            for date in plan.dates:
                for block in post.blocks:
                    size, teams = post.size_on(date, block), post.teams_on(date, block)
                    if size <= 0 or teams <= 0:
                        continue
                    why = [kept_out(p, plan, post, unit, date, block) for p in people]
                    place = Place(post, unit, date, block, teams)
                    reasons[post.id, unit, date, block] = why
                    pool = frozenset(i for i, r in enumerate(why) if not r)
                    start, end = plan.block(block).span(date)
                    groups.append(_Group(place, size * teams, None, pool, start, end))
                    for skill, n in post.at_least:
                        holders = frozenset(i for i in pool if skill in people[i].skills)
                        groups.append(_Group(place, n * teams, skill, holders, start, end))
    direct = {id(g) for g in groups if g.places > len(g.pool)}
    shortages = []
    for group in groups:
        busy: list[tuple[Place, int]] = []
        if id(group) not in direct:
            busy = _hall(group, groups, direct)
            if not busy:
                continue
        taken = sum(n for _, n in busy)
        why = reasons[group.key]
        candidates = _kept_out(group, people, why)
        shortages.append(
            Shortage(group.place, group.places, len(group.pool) - taken, group.skill,
                     candidates, tuple(busy))
        )  # fmt: skip
    return tuple(shortages)


def _hall(group: _Group, groups: list[_Group], direct: set[int]) -> list[tuple[Place, int]]:
    """Places at the same time whose people all belong to ``group``'s, when together with
    ``group`` they need more people than it has (else empty)."""
    others: dict[tuple[str, str | None, dt.date, str], _Group] = {}
    for other in groups:
        if (
            other.key == group.key
            or id(other) in direct
            or not other.pool
            or not (other.start < group.end and group.start < other.end)
            or not other.pool <= group.pool
        ):
            continue
        best = others.get(other.key)
        if best is None or other.places > best.places:  # a post's places, or its holders
            others[other.key] = other
    points = sorted({group.start, group.end} | {t for o in others.values() for t in (o.start, o.end)
                     if group.start < t < group.end})  # fmt: skip
    worst: list[_Group] = []
    for a, b in itertools.pairwise(points):
        at = [o for o in others.values() if o.start <= a and b <= o.end]
        if sum(o.places for o in at) > sum(o.places for o in worst):
            worst = at
    if group.places + sum(o.places for o in worst) <= len(group.pool):
        return []
    return [(o.place, o.places) for o in worst]


def _kept_out(group: _Group, people: tuple[Person, ...], why: list[tuple[Reason, ...]]
              ) -> tuple[Candidate, ...]:  # fmt: skip
    """The people who could have taken the group's places but for unit, skill, leave or
    ``restrict``: everyone qualified but unavailable; for a skill, every holder kept out;
    those of the right unit who lack a required skill; those of another unit who hold it."""
    post = group.place.post
    candidates = []
    for i, person in enumerate(people):
        reasons = why[i]
        if not reasons:
            continue
        kinds = {r.why for r in reasons}
        if group.skill is not None:
            relevant = group.skill in person.skills
        elif kinds <= {Why.LEAVE, Why.RESTRICT}:
            relevant = True
        elif Why.UNIT in kinds:
            restricted = post.units is not None or post.per_unit is not None
            relevant = restricted and not kinds & {Why.SKILL}
        else:
            relevant = True  # right unit, missing a skill
        if relevant:
            candidates.append(Candidate(person, reasons))
    if group.skill is not None:  # free, but without the skill the team needs
        lacking = Reason(Why.SKILL, group.skill)
        for i, person in enumerate(people):
            if not why[i] and group.skill not in person.skills:
                candidates.append(Candidate(person, (lacking,)))
    return tuple(candidates)


def _absence_span(absence: Absence, plan: Plan) -> tuple[int, int]:
    if absence.block is not None:
        return plan.block(absence.block).span(absence.date)
    start = 0 if absence.start is None else absence.start
    end = MINUTES_PER_DAY if absence.end is None else absence.end
    if end <= start:  # a range that runs past midnight
        end += MINUTES_PER_DAY
    return absolute(absence.date, start), absolute(absence.date, end)


# --- rendering -------------------------------------------------------------------------


def render(diagnosis: Diagnosis, plan: Plan, staff: Staff, lang: str = "zh") -> str:
    """The diagnosis as the coordinator reads it (Chinese unless ``lang`` is ``"en"``)."""
    t = _Text(plan, staff, lang)
    if diagnosis.feasible:
        return t("可以排班：现有人员在全部规则下能排满所有岗位。",
                 "a roster is possible: the staff can fill every place under the rules.")  # fmt: skip
    if diagnosis.feasible is None and not (diagnosis.shortages or diagnosis.conflict):
        return t("在时间限制内未能判断能否排班，请加大 --time-limit。",
                 "could not decide within the time limit; raise --time-limit.")  # fmt: skip
    lines = [t("无法排班：", "no roster possible:")]
    for shortage in diagnosis.shortages:
        lines += t.shortage(shortage)
    conflict = diagnosis.conflict
    if conflict is not None and (not diagnosis.shortages or _adds(conflict, diagnosis.shortages)):
        lines += t.conflict(conflict)
    if diagnosis.relaxations:
        lines.append(t("可以这样调整（每一项都已重新求解验证，任选一项即可排班）：",
                       "any one of these makes the plan feasible (each verified by solving):"))  # fmt: skip
        for n, relaxation in enumerate(diagnosis.relaxations, 1):
            edits = describe_edits(relaxation.edits, plan, staff, lang)
            lines.append(f"  {n}. {edits[0]}")
            lines += [f"     {t('并且', 'and')} {edit}" for edit in edits[1:]]
    else:
        lines.append(
            t("未找到经过验证的简单调整办法。", "no simple relaxation was found that verifies.")
        )
    return "\n".join(lines)


def describe_edits(edits: Iterable[Edit], plan: Plan, staff: Staff, lang: str) -> list[str]:
    """Each edit in words; the same limit changed for several people reads as one line."""
    lines: list[str] = []
    same: dict[tuple[str, float, float], list[RuleEdit]] = {}
    for edit in edits:
        if isinstance(edit, RuleEdit):
            same.setdefault((edit.rule, edit.old, edit.new), []).append(edit)
        else:
            lines.append(edit.describe(plan, staff, lang))
    for group in same.values():
        if len(group) == 1:
            lines.append(group[0].describe(plan, staff, lang))
        else:
            lines.append(RuleEdit.describe_many(group, plan, staff, lang))
    return lines


def _adds(conflict: Conflict, shortages: Iterable[Shortage]) -> bool:
    """Whether the solver's conflict says more than the counted shortages."""
    counted = {(s.place.post.id, s.place.unit, s.place.date, s.place.block) for s in shortages}
    static = {Why.UNIT, Why.SKILL, Why.LEAVE, Why.RESTRICT, Why.BUSY}
    return (
        bool(conflict.rules)
        or any(
            (s.place.post.id, s.place.unit, s.place.date, s.place.block) not in counted
            for s in conflict.places
        )
        or any(r.why not in static for c in conflict.people for r in c.reasons)
    )


class _Text:
    def __init__(self, plan: Plan, staff: Staff, lang: str) -> None:
        self.plan, self.staff, self.lang = plan, staff, lang

    def __call__(self, zh: str, en: str) -> str:
        return text(self.lang, zh, en)

    def needs(self, shortage: Shortage) -> str:
        n, teams, skill = shortage.needed, shortage.place.teams, shortage.skill
        if skill is not None:
            head = self(f"{teams} 队" if teams > 1 else "", f"{teams} teams " if teams > 1 else "")
            return self(f"{head}需要 {n} 名{skill}持有人",
                        f"{head}need{'s' if teams == 1 else ''} {n} holders of {skill}")  # fmt: skip
        if teams > 1:
            size = n // teams
            return self(f"{teams} 队每队 {size} 人，共需 {n} 人",
                        f"{teams} teams of {size} need {n} people")  # fmt: skip
        return self(f"需要 {n} 人", f"needs {n} {'person' if n == 1 else 'people'}")

    def shortage(self, s: Shortage) -> list[str]:
        where = s.place.describe(self.plan, self.lang)
        are = "is" if s.free == 1 else "are"
        if s.busy:
            free = self(f"可用且未在同一时段值班的只有 {s.free} 人",
                        f"{s.free} {are} available and not already on duty")  # fmt: skip
        else:
            free = self(f"可用的只有 {s.free} 人", f"only {s.free} {are} available")
        lines = [f"- {where}: {self.needs(s)}{self('；', '; ')}{free}"]
        if s.busy:
            others = self("、", ", ").join(self.busy(s.busy))
            lines.append(self(f"    同一时段只能由这些人担任的岗位：{others}",
                              f"    places at the same time only they can take: {others}"))  # fmt: skip
        lines += self.grouped(s.candidates)
        return lines

    def busy(self, places: Iterable[tuple[Place, int]]) -> list[str]:
        """``2027-03-15 上午, 基层所值班 14 人（14 个单位）``: unit parts of a post together."""
        groups: dict[tuple[str, dt.date, str], list[tuple[Place, int]]] = {}
        for place, n in places:
            groups.setdefault((place.post.id, place.date, place.block), []).append((place, n))
        words = []
        for parts in groups.values():
            first, total = parts[0][0], sum(n for _, n in parts)
            if len(parts) == 1:
                where = first.describe(self.plan, self.lang)
                words.append(self(f"{where} {total} 人", f"{where}: {total}"))
                continue
            where = f"{slot_text(self.plan, first.date, first.block, self.lang)}, {first.post.name}"
            words.append(self(f"{where} {total} 人（{len(parts)} 个单位）",
                              f"{where}: {total} ({len(parts)} units)"))  # fmt: skip
        return words

    def grouped(self, candidates: Iterable[Candidate]) -> list[str]:
        """Kept-out people, grouped by their reasons."""
        groups: dict[str, list[str]] = defaultdict(list)
        for c in candidates:
            label = "；".join(self.reason(r) for r in c.reasons) if self.lang != "en" else (
                "; ".join(self.reason(r) for r in c.reasons))  # fmt: skip
            leave = [r.detail for r in c.reasons if r.why is Why.LEAVE and r.detail]
            groups[label].append(self.staff.label(c.person) + (f"（{leave[0]}）" if leave else ""))
        lines = []
        for label, names in groups.items():
            shown = "、".join(names[:NAMES_SHOWN])
            more = len(names) - NAMES_SHOWN
            if more > 0:
                shown += self(f" 等 {len(names)} 人", f" and {more} more")
            lines.append(f"    {label}：{shown}" if self.lang != "en" else f"    {label}: {shown}")
        return lines

    def person(self, person: Person) -> str:
        """``张伟（中心）``, or ``李娜（P012，中心）`` when another 李娜 is on the staff."""
        if self.staff.shares_name(person):
            return f"{person.name}（{person.id}{self('，', ', ')}{person.unit}）"
        return f"{person.name}（{person.unit}）"

    def conflict(self, c: Conflict) -> list[str]:
        if c.places:
            lines = [self("以下岗位不能同时排满（求解器找到的冲突）：",
                          "these places cannot all be filled together (a conflict the solver found):")]  # fmt: skip
        else:
            lines = [self("以下规则不能成立：", "these rules cannot hold:")]
        for s in c.places:
            lines.append(f"- {s.place.describe(self.plan, self.lang)}: {self.needs(s)}")
        if c.people:
            lines.append(self("  可以担任的人员与不能担任的原因：",
                              "  who could take them, and what keeps each out:"))  # fmt: skip
            for candidate in c.people[:PEOPLE_SHOWN]:
                person = candidate.person
                why = self("；", "; ").join(self.reason(r) for r in candidate.reasons)
                why = why or self("可以担任", "could take one")
                lines.append(f"    {self.person(person)}: {why}")
            rest = c.people[PEOPLE_SHOWN:]
            if rest:
                lines.append(self(f"    另有 {len(rest)} 人：", f"    {len(rest)} more:"))
                lines += self.grouped(rest)
        for rule in c.rules:
            lines.append(f"  {self.reason(rule)}")
        return lines

    def obstacle(self, r: Reason, pin: Pin) -> str:
        """What keeps the pinned person out of the pinned place, naming the rule that does."""
        post = self.plan.post(pin.post)
        n = (r.index or 0) + 1
        match r.why:
            case Why.UNIT if post.per_unit is not None:
                return self(f"本人属于 {r.detail}，{post.name} 按单位设岗（per_unit），"
                            f"只由各单位本单位人员担任，其中没有 {r.detail}",
                            f"they belong to {r.detail}; {post.name} is set per unit (per_unit), "
                            f"each staffed by its own unit, and {r.detail} is not one of them")  # fmt: skip
            case Why.UNIT:
                units = self("、", ", ").join(post.units or ())
                return self(f"本人属于 {r.detail}，不在 {post.name} 可派人的单位（{units}）之列",
                            f"they belong to {r.detail}, not one of the units of {post.name} "
                            f"({units})")  # fmt: skip
            case Why.SKILL:
                return self(f"缺少 {post.name} 要求的技能 {r.detail}",
                            f"they lack {r.detail}, which {post.name} requires")  # fmt: skip
            case Why.LEAVE:
                return self(f"该时段请假或不可值班：{r.detail}",
                            f"on leave or unavailable then: {r.detail}")  # fmt: skip
            case Why.RESTRICT:
                rule = self.plan.restrict[n - 1]
                blocks = "、".join(
                    self.plan.block(b).name if self.lang != "en" else b for b in rule.blocks
                )
                who = selector_text(rule.who, self.lang)
                return self(f"第 {n} 条 restrict（{who}不排{blocks}）不排该时段",
                            f"kept out by restrict #{n} ({who} kept out of {blocks})")  # fmt: skip
            case Why.BUSY:
                where = r.place.describe(self.plan, self.lang) if r.place else ""
                return self(f"同一时段已有第 {n} 条固定安排：{where}",
                            f"pinned at the same time by pin #{n}: {where}")  # fmt: skip
            case _:
                return self.reason(r)

    def reason(self, r: Reason) -> str:
        limit = f"{r.limit:g}" if r.limit is not None else ""
        on = "、".join(d.isoformat() for d in r.dates)
        n = (r.index or 0) + 1
        match r.why:
            case Why.UNIT:
                return self("不属于可担任该岗位的单位", "not of the post's units")
            case Why.SKILL:
                return self(f"缺少技能 {r.detail}", f"lacks {r.detail}")
            case Why.LEAVE:
                return self("请假或不可值班", "on leave or unavailable")
            case Why.RESTRICT:
                return self(f"第 {n} 条 restrict 不排该时段", f"kept out by restrict #{n}")
            case Why.BUSY:
                where = r.place.describe(self.plan, self.lang) if r.place else ""
                return self(f"同一时段须担任 {where}", f"needed at the same time for {where}")
            case Why.DAILY:
                return self(f"每天现场值班不超过 {limit} 小时（{on}）",
                            f"at most {limit} on-site hours a day ({on})")  # fmt: skip
            case Why.CONSECUTIVE:
                return self(f"连续值班不超过 {limit} 小时", f"at most {limit} hours unbroken")
            case Why.REST:
                return self(f"两天之间至少休息 {limit} 小时",
                            f"at least {limit} hours of rest between dates")  # fmt: skip
            case Why.TOTAL:
                return self(f"全期现场值班不超过 {limit} 小时",
                            f"at most {limit} on-site hours over the period")  # fmt: skip
            case Why.MIN_TOTAL:
                return self(f"全期现场值班至少 {limit} 小时",
                            f"at least {limit} on-site hours over the period")  # fmt: skip
            case Why.APART:
                return self(f"与 {r.detail} 不同时值班（第 {n} 条 apart）",
                            f"never on duty with {r.detail} (apart #{n})")  # fmt: skip
            case Why.PIN if r.index is not None:
                pin = self.plan.pins[r.index]
                where = slot_text(self.plan, pin.date, pin.block, self.lang)
                post = self.plan.post(pin.post).name
                pinned = self(f"固定安排：{r.detail} {where} {post}",
                              f"pinned: {r.detail} on {post}, {where}")  # fmt: skip
                if not r.because:
                    return pinned
                why = self("；", "; ").join(self.obstacle(o, pin) for o in r.because)
                return self(f"{pinned}（不能成立：{why}）", f"{pinned} (cannot hold: {why})")
            case Why.PIN:
                return self(f"固定安排：{r.detail}", f"pinned: {r.detail}")
            case Why.COMPOSITION:
                return self(f"每队须有 {r.detail}", f"each team needs {r.detail}")
            case _:
                return self(
                    "§2.3 连续值班天数、周末等规则", "the §2.3 rules (duty-day runs, weekends, …)"
                )
